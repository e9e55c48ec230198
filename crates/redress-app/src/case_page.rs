//! Opening a case: what its page shows, with the view recorded as part of opening it, and
//! the files and letters that belong to it.

use crate::access::Principal;
use crate::cases::CaseView;
use crate::{App, AppError};
use jiff::Timestamp;
use redress_domain::restriction::Restriction;
use redress_domain::role::{Permission, Role};
use redress_store::StoredLetter;

/// Everything the case page shows beyond the case itself.
#[derive(Debug, Clone)]
pub struct OpenedCase {
    pub view: CaseView,
    pub letters: Vec<StoredLetter>,
    /// Who has looked at the case lately (name, when, how): for administrators and
    /// auditors only, empty for everyone else.
    pub views: Vec<(String, Timestamp, String)>,
    /// Restrictions in force on the person: (id, person's name, restriction).
    pub restrictions: Vec<(String, String, Restriction)>,
}

/// How many recent views the case page lists.
const VIEWS_SHOWN: i64 = 20;

impl App {
    /// Opens a case for a member of staff who may see it, and notes that they did (`via`:
    /// the page or the API), so every opening of a case is in its access log.
    pub async fn open_case(
        &self,
        who: &Principal,
        reference: &str,
        via: &str,
    ) -> Result<OpenedCase, AppError> {
        let view = self.case_for(who, reference).await?;
        if let Some(user) = who.user() {
            self.store
                .record_view(&view.contact.id, &user.id, &user.name, self.now(), via)
                .await?;
        }
        let letters = self
            .store
            .letters(&self.organisation.id, &view.contact.id)
            .await?;
        let views = if matches!(who.role(), Some(Role::Admin | Role::Auditor)) {
            self.store.views(&view.contact.id, VIEWS_SHOWN).await?
        } else {
            Vec::new()
        };
        let restrictions = self.restrictions_for(&view.contact).await?;
        Ok(OpenedCase {
            view,
            letters,
            views,
            restrictions,
        })
    }

    /// A file on a case, with its details, for someone who may see the case.
    pub async fn case_file(
        &self,
        who: &Principal,
        reference: &str,
        id: &str,
    ) -> Result<(redress_domain::case::AttachmentInfo, Vec<u8>), AppError> {
        let view = self.case_for(who, reference).await?;
        let info = view
            .contact
            .case
            .attachments
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let bytes = self
            .store
            .attachment(&view.contact.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((info, bytes))
    }

    /// A letter, for someone who may see its case.
    pub async fn letter_for(&self, who: &Principal, id: &str) -> Result<StoredLetter, AppError> {
        let letter = self
            .store
            .letter(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.case_for(who, letter.reference.as_str()).await?;
        Ok(letter)
    }

    /// Records that a letter waiting to be printed has gone in the post: for those who
    /// handle its case. Returns false if it was not waiting (printed already, or an email).
    pub async fn mark_letter_printed(&self, who: &Principal, id: &str) -> Result<bool, AppError> {
        let letter = self
            .store
            .letter(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.case_in_scope(who, Permission::HandleCases, letter.reference.as_str())
            .await?;
        if letter.status != "to-print" {
            return Ok(false);
        }
        self.store
            .mark_letter(id, "printed", self.now(), None, None)
            .await?;
        Ok(true)
    }

    /// The letters with a status (to print, failed, to check, waiting) on the cases the
    /// principal may see, and the scrutiny letters too for those who support requesters.
    pub async fn letter_queue(
        &self,
        who: &Principal,
        status: &str,
    ) -> Result<(Vec<StoredLetter>, Vec<StoredLetter>), AppError> {
        let scope = self.grant(who, Permission::ViewCases).await?;
        let mut letters = self
            .store
            .letters_with_status(&self.organisation.id, status)
            .await?;
        if let crate::access::Scope::Areas(_) = scope {
            let mut mine = Vec::with_capacity(letters.len());
            for l in letters {
                if let Ok(c) = self.contact_by_reference(l.reference.as_str()).await
                    && scope.allows(&c)
                {
                    mine.push(l);
                }
            }
            letters = mine;
        }
        let scrutiny = if who.can(Permission::SupportScrutiny) {
            self.store
                .scrutiny_messages_with_status(&self.organisation.id, status)
                .await?
        } else {
            Vec::new()
        };
        Ok((letters, scrutiny))
    }

    /// Open cases per person, for sharing work out fairly: for those who see cases, counting
    /// a service manager's own areas only.
    pub async fn workload(
        &self,
        who: &Principal,
    ) -> Result<Vec<redress_store::Workload>, AppError> {
        let areas = match self.grant(who, Permission::ViewCases).await? {
            crate::access::Scope::Areas(a) => Some(a),
            crate::access::Scope::All => None,
        };
        Ok(self
            .store
            .workload(&self.organisation.id, self.today(), areas.as_deref())
            .await?)
    }
}
