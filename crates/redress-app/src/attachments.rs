//! Files on a case: checked by content and size, within the case's quota, and kept with
//! the change that adds them.

use crate::access::{Principal, Scope};
use crate::limits::Limits;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::case::{Command, Context};
use redress_domain::contact::Contact;
use redress_domain::event::Actor;
use redress_domain::role::Permission;

/// Why another file of `size` bytes would be too much for the case, if it would: the case's
/// files and bytes, and for a resident sending online, their files today.
fn over_quota(
    limits: &Limits,
    contact: &Contact,
    size: usize,
    actor: &Actor,
    today: jiff::civil::Date,
) -> Option<String> {
    let kept: Vec<_> = contact
        .case
        .attachments
        .iter()
        .filter(|a| a.redacted_on.is_none())
        .collect();
    let bytes: u64 = kept.iter().map(|a| a.size).sum();
    if kept.len() >= limits.files_per_case {
        return Some(format!(
            "This case already has {} files, the most it can hold. Contact us to send more",
            limits.files_per_case
        ));
    }
    if bytes.saturating_add(u64::try_from(size).unwrap_or(u64::MAX)) > limits.bytes_per_case() {
        return Some(format!(
            "The files on this case would come to more than {} MB. Send a smaller file, or contact us",
            limits.mb_per_case
        ));
    }
    if actor.user_id.is_none() {
        let today_by_them = kept
            .iter()
            .filter(|a| a.added_on == today && a.by == actor.name)
            .count();
        if today_by_them >= limits.resident_files_per_day {
            return Some(format!(
                "You have sent {} files today, the most in one day. Send the rest tomorrow, or contact us",
                limits.resident_files_per_day
            ));
        }
    }
    None
}

impl App {
    /// Adds a file to a case: refused unless it is a kind Redress accepts and small enough.
    pub async fn add_attachment(
        &self,
        who: &Principal,
        reference: &str,
        file_name: &str,
        bytes: &[u8],
        description: &str,
        expected_version: Option<i64>,
    ) -> Result<Contact, AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        self.attach(
            reference,
            file_name,
            bytes,
            description,
            who.actor(),
            expected_version,
            &scope,
        )
        .await
    }

    /// Adds a file for whoever the caller has already checked: staff in scope, or the
    /// resident on their own case.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn attach(
        &self,
        reference: &str,
        file_name: &str,
        bytes: &[u8],
        description: &str,
        actor: Actor,
        expected_version: Option<i64>,
        scope: &Scope,
    ) -> Result<Contact, AppError> {
        // Whose case it is comes before what is wrong with the file.
        let (mut contact, scheme, calendar) = self
            .load_for_change(reference, expected_version, scope)
            .await?;
        let mut errors = FieldErrors::new();
        let file_type = match redress_domain::attachment::identify(file_name, bytes) {
            Ok(t) => Some(t),
            Err(m) => {
                errors.add("file", m);
                None
            }
        };
        if description.trim().is_empty() {
            errors.add("description", "Enter what the file is");
        }
        let limits = self.limits().await?;
        if let Some(m) = over_quota(&limits, &contact, bytes.len(), &actor, self.today()) {
            errors.add("file", m);
        }
        let Some(file_type) = file_type.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let context = Context {
            scheme: &scheme,
            calendar: &calendar,
            actor,
            at: self.now(),
            today: self.today(),
            payment_approval_above: None,
        };
        let id = uuid::Uuid::now_v7().to_string();
        let command = Command::AddAttachment {
            id: id.clone(),
            name: file_name.to_string(),
            file_type,
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            description: description.to_string(),
        };
        let events = contact.apply(command, &context)?;
        self.store
            .save_contact_with_file(&contact, &events, &id, bytes)
            .await?;
        contact.version += 1;
        Ok(contact)
    }
}
