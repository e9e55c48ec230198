//! Who is acting, and the one place a use case asks whether they may.
//!
//! Every use case that reads or changes what staff look after takes a [`Principal`] and
//! calls [`App::grant`] (a permission) or [`App::case_in_scope`] (a permission on one case)
//! before it touches anything. Pages, the API and the command line pass who is acting and
//! nothing else, so a handler that forgets a check has nothing to forget.

use crate::{App, AppError};
use redress_domain::contact::{Contact, Reference};
use redress_domain::event::Actor;
use redress_domain::role::{Permission, Role, User};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Anyone on the public pages, signed in as nobody: the online form.
    Public,
    /// A member of staff, signed in on the web or through an API token.
    Staff(User),
    /// The service itself: scheduled jobs, demo data, and the command line, whose operator
    /// already holds the database.
    System,
}

impl Principal {
    pub fn staff(user: &User) -> Principal {
        Principal::Staff(user.clone())
    }

    /// The name the case history gives the change.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::Public => Actor::public(),
            Principal::Staff(u) => Actor::staff(&u.id, &u.name),
            Principal::System => Actor::system(),
        }
    }

    /// Whether the role allows it; the service itself may do anything, the public nothing
    /// a permission guards.
    pub fn can(&self, permission: Permission) -> bool {
        match self {
            Principal::Public => false,
            Principal::Staff(u) => u.active && u.role.can(permission),
            Principal::System => true,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Principal::Staff(u) => Some(u.role),
            _ => None,
        }
    }

    pub fn user(&self) -> Option<&User> {
        match self {
            Principal::Staff(u) => Some(u),
            _ => None,
        }
    }

    /// A typed refusal unless the role allows it.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The cases open to one member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Areas(Vec<String>),
}

impl Scope {
    pub fn allows(&self, contact: &Contact) -> bool {
        self.allows_area(contact.detail.service_area.as_deref())
    }

    pub fn allows_area(&self, area: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            Scope::Areas(areas) => area.is_some_and(|a| areas.iter().any(|x| x == a)),
        }
    }
}

impl App {
    /// The cases open to the principal, once they have the permission: a service manager's
    /// own areas, everyone else's whole organisation.
    pub async fn grant(&self, who: &Principal, permission: Permission) -> Result<Scope, AppError> {
        who.require(permission)?;
        match who {
            Principal::Staff(u) => self.scope_for(u).await,
            _ => Ok(Scope::All),
        }
    }

    /// The case, if the principal has the permission and the case is in their scope. A case
    /// outside it is refused as forbidden, so its existence is not hidden from the person
    /// who typed its reference but nothing of it is shown.
    pub async fn case_in_scope(
        &self,
        who: &Principal,
        permission: Permission,
        reference: &str,
    ) -> Result<Contact, AppError> {
        let scope = self.grant(who, permission).await?;
        let contact = self.contact_by_reference(reference).await?;
        if scope.allows(&contact) {
            Ok(contact)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A case by its reference, with no one's permission asked: for use cases that have
    /// already checked.
    pub(crate) async fn contact_by_reference(&self, reference: &str) -> Result<Contact, AppError> {
        let reference = Reference::parse(reference).ok_or(AppError::NotFound)?;
        self.store
            .contact_by_reference(&self.organisation.id, &reference)
            .await?
            .ok_or(AppError::NotFound)
    }
}
