//! Redacting one note or file, and the words it takes out of the history.

use super::{REDACTED, Removed};
use crate::case::Contact;
use crate::event::{Event, EventKind};

impl Contact {
    /// For a redaction command, what it removes; `None` for any other command.
    pub fn removed_by(&self, command: &crate::case::Command) -> Option<Removed> {
        use crate::case::Command;
        match command {
            Command::RedactNote { index, .. } => Some(Removed {
                texts: self
                    .case
                    .notes
                    .get(*index)
                    .map(|n| n.text.clone())
                    .into_iter()
                    .collect(),
                file: None,
            }),
            Command::RedactAttachment { id, .. } => Some(Removed {
                texts: self
                    .case
                    .attachments
                    .iter()
                    .find(|a| &a.id == id)
                    .map(|a| vec![a.name.clone(), a.description.clone()])
                    .unwrap_or_default(),
                file: Some(id.clone()),
            }),
            _ => None,
        }
    }
}

/// Only a note's or a file's own history entry quotes the words a redaction removes.
pub fn may_quote_redacted(kind: EventKind) -> bool {
    matches!(kind, EventKind::NoteAdded | EventKind::AttachmentAdded)
}

/// Replaces every occurrence of `text` in a history entry, its summary and its detail.
pub fn redact_event(event: &mut Event, text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    let mut changed = false;
    if event.summary.contains(text) {
        event.summary = event.summary.replace(text, REDACTED);
        changed = true;
    }
    changed |= redact_value(&mut event.detail, text);
    changed
}

fn redact_value(value: &mut serde_json::Value, text: &str) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains(text) => {
            *s = s.replace(text, REDACTED);
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |acc, v| redact_value(v, text) | acc),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |acc, v| redact_value(v, text) | acc),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::case::Context;
    use crate::event::Actor;
    use crate::{Division, Scheme, WorkingCalendar};
    use jiff::Timestamp;
    use jiff::civil::date;

    #[test]
    fn redaction_rewrites_history_words_only() {
        let mut e = Event {
            kind: EventKind::NoteAdded,
            at: Timestamp::UNIX_EPOCH,
            actor: Actor::system(),
            summary: "Note: rang Mrs Patel about her son".into(),
            detail: serde_json::json!({"text": "rang Mrs Patel about her son", "on": "2025-03-01"}),
        };
        assert!(redact_event(&mut e, "rang Mrs Patel about her son"));
        assert_eq!(e.summary, "Note: [redacted]");
        assert_eq!(e.detail["text"], "[redacted]");
        assert_eq!(e.detail["on"], "2025-03-01");
        assert!(!redact_event(&mut e, "not there"));
    }

    #[test]
    fn redacting_a_note_keeps_that_it_was_made() {
        let mut c = contact();
        let scheme = Scheme::built_in().remove(0);
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: Timestamp::UNIX_EPOCH,
            today: date(2025, 6, 30),
            payment_approval_above: None,
        };
        assert!(c.redact_note(0, " ".into(), &ctx).is_err());
        assert!(c.redact_note(5, "Third party data".into(), &ctx).is_err());
        let event = c.redact_note(0, "Third party data".into(), &ctx);
        assert!(event.is_ok_and(|e| e.summary == "Note 1 redacted: Third party data"));
        assert_eq!(c.case.notes[0].text, "[redacted] Third party data");
        assert_eq!(c.case.notes[0].on, date(2025, 3, 5));
        assert!(c.redact_note(0, "Again".into(), &ctx).is_err());
        assert!(c.redact_attachment("a1", "Wrong file".into(), &ctx).is_ok());
        assert_eq!(c.case.attachments[0].redacted_on, Some(date(2025, 6, 30)));
        assert!(
            c.redact_attachment("a1", "Wrong file".into(), &ctx)
                .is_err()
        );
    }
}
