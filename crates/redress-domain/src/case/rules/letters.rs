//! Checking a letter before it leaves: each edit, approval and release is kept in the
//! case's history, with what the words were before an edit.

use super::not_erased;
use crate::case::{Contact, ContactError};
use crate::case::{Context, LetterStep};
use crate::event::{Event, EventKind};
use crate::scheme::Scheme;

/// Letters on a case whose personal data has been erased are never changed or sent.
pub(super) fn accepts_check_letter(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    not_erased(c, "body")
}

impl Contact {
    pub(in crate::case) fn check_letter(
        &mut self,
        letter_id: String,
        subject: String,
        step: LetterStep,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_check_letter(self, ctx.scheme)?;
        let (kind, summary, detail) = match step {
            LetterStep::Edited { before, after } => {
                if before == after {
                    return Err(ContactError::Rule(
                        "body",
                        "The letter is unchanged: edit it before saving".into(),
                    ));
                }
                (
                    EventKind::LetterEdited,
                    format!("\"{subject}\" edited before sending"),
                    serde_json::json!({"letter": letter_id, "before": before, "after": after}),
                )
            }
            LetterStep::Approved => (
                EventKind::LetterApproved,
                format!("\"{subject}\" approved by {}", ctx.actor.name),
                serde_json::json!({"letter": letter_id}),
            ),
            LetterStep::Released { how } => (
                EventKind::LetterReleased,
                format!("\"{subject}\" {how}"),
                serde_json::json!({"letter": letter_id, "how": how}),
            ),
            LetterStep::Discarded { reason } => {
                let reason =
                    super::required(&reason, "reason", "why the letter is not being sent")?;
                (
                    EventKind::LetterDiscarded,
                    format!("\"{subject}\" not sent: {reason}"),
                    serde_json::json!({"letter": letter_id, "reason": reason}),
                )
            }
        };
        Ok(ctx.event(kind, summary, detail))
    }
}
