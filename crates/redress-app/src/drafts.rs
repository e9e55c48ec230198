//! Answers to the public form kept between its pages, so a person can check them before
//! sending and a refresh loses nothing. The draft's id is the submission key.

use crate::{App, AppError};
use redress_domain::contact::Contact;

/// What the confirmation page shows: the contact a public form's draft became, and a
/// single-use link to follow it online (none for an anonymous contact, or if making one
/// failed: the resident can still sign in with their reference).
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub contact: Contact,
    pub follow_link: Option<String>,
}

impl App {
    /// The answers saved under a draft id, as the form sent them (JSON).
    pub async fn draft(&self, id: &str) -> Result<Option<String>, AppError> {
        Ok(self.store.draft(id).await?)
    }

    /// Keeps (or replaces) the answers under a draft id.
    pub async fn save_draft(&self, id: &str, answers: &str) -> Result<(), AppError> {
        Ok(self.store.save_draft(id, answers, self.now()).await?)
    }

    /// Whether a public form's draft has been sent already.
    pub async fn draft_sent(&self, id: &str) -> Result<bool, AppError> {
        Ok(self.sent_draft(id).await?.is_some())
    }

    /// The confirmation of a sent public form, for whoever holds its draft's id.
    pub async fn confirmation(&self, id: &str) -> Result<Option<Confirmation>, AppError> {
        let Some(contact) = self.sent_draft(id).await? else {
            return Ok(None);
        };
        let anonymous = contact.detail.person.is_none() && contact.detail.representative.is_none();
        let follow_link = if anonymous {
            None
        } else {
            match self.resident_link(&contact).await {
                Ok(link) => Some(link),
                Err(e) => {
                    tracing::error!(error = %e, "creating a follow link failed");
                    None
                }
            }
        };
        Ok(Some(Confirmation {
            contact,
            follow_link,
        }))
    }

    /// The contact a draft became. Only a key the public form made counts (its draft is
    /// kept under it): an API client's idempotency key is no way into its case.
    async fn sent_draft(&self, id: &str) -> Result<Option<Contact>, AppError> {
        if self.store.draft(id).await?.is_none() {
            return Ok(None);
        }
        self.contact_by_submission(id).await
    }
}
