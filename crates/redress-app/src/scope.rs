//! Which cases a member of staff may see. Service managers see the cases of the service
//! areas they look after; every other role that sees cases sees them all.

use crate::access::{Principal, Scope};
use crate::cases::CaseView;
use crate::{App, AppError};
use redress_domain::role::{Permission, Role, User};
use redress_store::{ContactFilter, ContactSummary, Page};

impl App {
    pub(crate) async fn scope_for(&self, user: &User) -> Result<Scope, AppError> {
        Ok(match user.role {
            Role::ServiceManager => Scope::Areas(self.store.user_areas(&user.id).await?),
            _ => Scope::All,
        })
    }

    /// A case's contents, refused unless the principal may see cases and this one is in
    /// their scope. Opening the case page itself is `open_case`, which also records the view.
    pub async fn case_for(&self, who: &Principal, reference: &str) -> Result<CaseView, AppError> {
        let scope = self.grant(who, Permission::ViewCases).await?;
        let view = self.case(reference).await?;
        if scope.allows(&view.contact) {
            Ok(view)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The case list, narrowed to what the user may see.
    pub async fn list_cases_for(
        &self,
        who: &Principal,
        filter: &ContactFilter,
    ) -> Result<Page<ContactSummary>, AppError> {
        let mut filter = filter.clone();
        if let Scope::Areas(areas) = self.grant(who, Permission::ViewCases).await? {
            filter.areas = Some(areas);
        }
        self.list_cases(&filter).await
    }

    /// Remedies and ombudsman orders still to do, on the cases the user may see.
    pub async fn open_actions_for(
        &self,
        who: &Principal,
        due_before: Option<jiff::civil::Date>,
    ) -> Result<Vec<redress_store::OpenAction>, AppError> {
        let scope = self.grant(who, Permission::ViewCases).await?;
        Ok(self
            .store
            .open_actions(&self.organisation.id, due_before)
            .await?
            .into_iter()
            .filter(|a| scope.allows_area(a.service_area.as_deref()))
            .collect())
    }

    /// Records the service areas a service manager looks after.
    pub async fn set_user_areas(
        &self,
        who: &Principal,
        user: &User,
        areas: Vec<String>,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let known = self.store.service_areas(&self.organisation.id).await?;
        let names: Vec<String> = known
            .iter()
            .filter(|a| areas.contains(&a.id))
            .map(|a| a.name.clone())
            .collect();
        if names.len() != areas.len() {
            return Err(AppError::NotFound);
        }
        let list = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        let change = redress_store::AdminChange::UserAreas {
            user_id: &user.id,
            areas: &areas,
        };
        self.change(
            who,
            &[change],
            &format!("{} now looks after: {list}", user.name),
        )
        .await?;
        Ok(())
    }
}
