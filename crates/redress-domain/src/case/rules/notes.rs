//! The investigation log and the case's files: adding them, and taking words or a file
//! out again when they should never have been kept.

use super::{check_date, required};
use crate::attachment::FileType;
use crate::case::{AttachmentInfo, CaseNote, Context, NoteKind, REDACTED};
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::scheme::Scheme;
use jiff::civil::Date;

/// Notes and files may be added to any case, whatever its state.
pub(super) fn accepts_add_note(_: &Contact, _: &Scheme) -> Result<(), ContactError> {
    Ok(())
}

pub(super) fn accepts_add_attachment(_: &Contact, _: &Scheme) -> Result<(), ContactError> {
    Ok(())
}

/// An erased case has no words of anyone's left to take out.
pub(super) fn accepts_redact_note(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    super::not_erased(c, "note")?;
    if c.case.notes.iter().any(|n| !n.text.starts_with(REDACTED)) {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "note",
            "There is no note left to redact".into(),
        ))
    }
}

pub(super) fn accepts_redact_attachment(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.case.attachments.iter().any(|a| a.redacted_on.is_none()) {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "file",
            "There is no file left to remove".into(),
        ))
    }
}

impl Contact {
    pub(in crate::case) fn add_attachment(
        &mut self,
        id: String,
        name: String,
        file_type: FileType,
        size: u64,
        description: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_add_attachment(self, ctx.scheme)?;
        let description = required(&description, "description", "what the file is")?;
        let name = crate::attachment::clean_name(&name);
        self.case.attachments.push(AttachmentInfo {
            id: id.clone(),
            name: name.clone(),
            file_type,
            size,
            description: description.clone(),
            added_on: ctx.today,
            by: ctx.actor.name.clone(),
            redacted_on: None,
        });
        Ok(ctx.event(
            EventKind::AttachmentAdded,
            format!("File added: {name} ({}, {} KB): {description}", file_type.label(), size.div_ceil(1024)),
            serde_json::json!({"id": id, "name": name, "type": file_type, "size": size, "description": description}),
        ))
    }

    pub(in crate::case) fn add_note(
        &mut self,
        kind: NoteKind,
        on: Date,
        text: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_add_note(self, ctx.scheme)?;
        let text = required(&text, "text", "the note")?;
        check_date(on, self.received_on, "the contact was received", ctx.today)?;
        self.case.notes.push(CaseNote {
            kind,
            on,
            by: ctx.actor.name.clone(),
            text: text.clone(),
        });
        Ok(ctx.event(
            EventKind::NoteAdded,
            format!("{} ({on}): {text}", kind.label()),
            serde_json::json!({"kind": kind, "on": on, "text": text}),
        ))
    }

    /// Replaces one investigation note's words, keeping that a note was made, when and by whom.
    pub(crate) fn redact_note(
        &mut self,
        index: usize,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let reason = required_reason(reason)?;
        // Asked before the note is borrowed, reported after its own more precise refusals.
        let accepted = accepts_redact_note(self, ctx.scheme);
        let note = self.case.notes.get_mut(index).ok_or_else(|| {
            ContactError::Rule("note", "There is no such note on this case".into())
        })?;
        if note.text.starts_with(REDACTED) {
            return Err(ContactError::Rule(
                "note",
                "This note has already been redacted".into(),
            ));
        }
        accepted?;
        note.text = format!("{REDACTED} {reason}");
        let number = index + 1;
        Ok(ctx.event(
            EventKind::Redacted,
            format!("Note {number} redacted: {reason}"),
            serde_json::json!({"note": number, "reason": reason}),
        ))
    }

    /// Removes a file; the record that it was there, and why it went, stays.
    pub(crate) fn redact_attachment(
        &mut self,
        id: &str,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let reason = required_reason(reason)?;
        let accepted = accepts_redact_attachment(self, ctx.scheme);
        let file = self
            .case
            .attachments
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| {
                ContactError::Rule("file", "There is no such file on this case".into())
            })?;
        if file.redacted_on.is_some() {
            return Err(ContactError::Rule(
                "file",
                "This file has already been removed".into(),
            ));
        }
        accepted?;
        file.name = REDACTED.into();
        file.description = reason.clone();
        file.redacted_on = Some(ctx.today);
        Ok(ctx.event(
            EventKind::Redacted,
            format!("File removed: {reason}"),
            serde_json::json!({"file": id, "reason": reason}),
        ))
    }
}

fn required_reason(reason: String) -> Result<String, ContactError> {
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(ContactError::Missing("reason", "why this is being removed"));
    }
    Ok(reason)
}
