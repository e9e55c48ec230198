//! Unacceptable behaviour restrictions: recorded from a case, found again on every case of
//! the same person (by email address or phone number), reviewed, ended.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::case::{Command, NoteKind};
use redress_domain::contact::Contact;
use redress_domain::restriction::Restriction;
use redress_domain::role::Permission;
use redress_store::RestrictedPerson;

pub use redress_domain::field::phone_digits;

fn keys(contact: &Contact) -> (Option<String>, Option<String>) {
    let person = contact.detail.person.as_ref();
    (
        person.and_then(|p| p.email.clone()),
        person.and_then(|p| p.phone.as_deref().and_then(phone_digits)),
    )
}

impl App {
    /// Records a restriction on the person behind a case, with a note on that case.
    pub async fn add_restriction(
        &self,
        who: &Principal,
        reference: &str,
        restriction: Restriction,
    ) -> Result<(), AppError> {
        let contact = self
            .case_in_scope(who, Permission::HandleCases, reference)
            .await?;
        let (email, phone) = keys(&contact);
        let name = contact.detail.person.as_ref().map(|p| p.name.to_string());
        let (Some(name), true) = (name, email.is_some() || phone.is_some()) else {
            return Err(AppError::invalid(
                "kind",
                "A restriction needs a named person with an email address or phone number, so it can be found on their other cases",
            ));
        };
        let id = uuid::Uuid::now_v7().to_string();
        self.store
            .add_restriction(
                &self.organisation.id,
                &id,
                RestrictedPerson {
                    contact_id: &contact.id,
                    name: &name,
                    email: email.as_deref(),
                    phone_digits: phone.as_deref(),
                },
                &restriction,
                self.now(),
            )
            .await?;
        let note = format!(
            "Restriction recorded for {name}: {}. Decided by {}, review by {}",
            restriction.kind.label().to_lowercase(),
            restriction.decided_by,
            restriction.review_on
        );
        let command = Command::AddNote {
            kind: NoteKind::Note,
            on: self.today(),
            text: note,
        };
        self.apply_command(who, reference, command, None).await?;
        Ok(())
    }

    /// Restrictions in force on the person behind a case: (id, person's name, restriction).
    pub(crate) async fn restrictions_for(
        &self,
        contact: &Contact,
    ) -> Result<Vec<(String, String, Restriction)>, AppError> {
        let (email, phone) = keys(contact);
        if email.is_none() && phone.is_none() {
            return Ok(Vec::new());
        }
        let today = self.today();
        Ok(self
            .store
            .restrictions_for(&self.organisation.id, email.as_deref(), phone.as_deref())
            .await?
            .into_iter()
            .filter(|(_, _, r)| r.is_active(today))
            .collect())
    }

    /// Records a review of a restriction from one of the person's cases: it stays in force
    /// until the next review, and what was decided is noted on the case.
    pub async fn review_restriction(
        &self,
        who: &Principal,
        reference: &str,
        id: &str,
        next_review: &str,
        outcome: &str,
    ) -> Result<(), AppError> {
        let contact = self
            .case_in_scope(who, Permission::HandleCases, reference)
            .await?;
        let theirs = self.restrictions_for(&contact).await?;
        let Some((_, name, mut restriction)) = theirs.into_iter().find(|(rid, _, _)| rid == id)
        else {
            return Err(AppError::NotFound);
        };
        let outcome = restriction
            .review(next_review, outcome, self.today())
            .map_err(AppError::Invalid)?;
        if !self
            .store
            .update_restriction(&self.organisation.id, id, &restriction)
            .await?
        {
            return Err(AppError::NotFound);
        }
        let command = Command::AddNote {
            kind: NoteKind::Note,
            on: self.today(),
            text: format!(
                "Restriction on {name} reviewed and kept: {outcome}. Next review {}",
                restriction.review_on
            ),
        };
        self.apply_command(who, reference, command, None).await?;
        Ok(())
    }

    /// Ends a restriction from one of the person's cases, with a note on that case.
    pub async fn end_restriction(
        &self,
        who: &Principal,
        reference: &str,
        id: &str,
    ) -> Result<(), AppError> {
        let contact = self
            .case_in_scope(who, Permission::HandleCases, reference)
            .await?;
        let theirs = self.restrictions_for(&contact).await?;
        if !theirs.iter().any(|(rid, _, _)| rid == id) {
            return Err(AppError::NotFound);
        }
        self.store
            .end_restriction(&self.organisation.id, id, self.today())
            .await?;
        let command = Command::AddNote {
            kind: NoteKind::Note,
            on: self.today(),
            text: "Restriction ended".into(),
        };
        self.apply_command(who, reference, command, None).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn phone_numbers_compare_as_dialled() {
        assert_eq!(
            super::phone_digits("+44 29 2087 2000"),
            Some("02920872000".into())
        );
        assert_eq!(
            super::phone_digits("029 2087 2000"),
            Some("02920872000".into())
        );
        assert_eq!(super::phone_digits("  "), None);
    }
}
