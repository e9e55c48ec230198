//! What residents send about a case once it is open, and what staff make of a contact that
//! might repeat an earlier one.
//!
//! An email threaded to a case is kept on it as correspondence, whatever the case's state:
//! a resident writing about a closed complaint must still be read. It shows as new until
//! someone working the case marks it read. A copy of one already kept (the same message
//! fetched twice, or by two instances) is refused, so each is taken once.

use super::required;
use crate::case::{Contact, ContactError, Context, InboundEmail, LinkRelation, RepeatDecision};
use crate::event::{Event, EventKind};
use crate::scheme::Scheme;

/// The most of an email's words a case keeps; the rest is cut with a note saying so.
pub const MAX_EMAIL_TEXT: usize = 20_000;

/// An erased case takes no new personal data: an email answering it starts a new contact.
pub(super) fn accepts_record_email(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    super::not_erased(c, "key")
}

pub(super) fn accepts_mark_emails_read(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.emails_waiting() == 0 {
        return Err(ContactError::Rule(
            "emails",
            "There are no new emails on this case".into(),
        ));
    }
    Ok(())
}

/// Asked once, while the contact is being sorted (before it is acknowledged, as linking it
/// as raised before or a duplicate is): one already linked so has had its answer.
pub(super) fn accepts_treat_as_new(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if !c.sorting_repeats() {
        return Err(ContactError::Rule(
            "reason",
            "Only a new contact, not yet acknowledged, is checked for repeats".into(),
        ));
    }
    if c.case.treated_as_new.is_some() {
        return Err(ContactError::Rule(
            "reason",
            "This contact has already been treated as a new matter".into(),
        ));
    }
    if c.case.links.iter().any(|l| {
        matches!(
            l.relation,
            LinkRelation::EarlierIssue | LinkRelation::DuplicateOf
        )
    }) {
        return Err(ContactError::Rule(
            "reason",
            "This contact is linked as raised before or as a duplicate".into(),
        ));
    }
    Ok(())
}

/// Words an email may carry that nobody typed: kept out as the form keeps them out.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .trim()
        .to_string()
}

impl Contact {
    /// Still being sorted, so it may yet be linked as raised before or a duplicate: open,
    /// not acknowledged, at its first stage, and not erased.
    pub fn sorting_repeats(&self) -> bool {
        self.status.is_open()
            && self.acknowledged_on().is_none()
            && self.stage() <= 1
            && self.case.erased.is_none()
    }

    /// How many emails on the case nobody working it has read yet.
    pub fn emails_waiting(&self) -> usize {
        self.case.emails.iter().filter(|e| !e.read).count()
    }

    pub(in crate::case) fn record_email(
        &mut self,
        key: String,
        (from, subject, text): (String, String, String),
        files: Vec<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_record_email(self, ctx.scheme)?;
        if key.trim().is_empty() {
            return Err(ContactError::Missing("key", "which message it is"));
        }
        if self.case.emails.iter().any(|e| e.key == key) {
            return Err(ContactError::Rule(
                "key",
                "This email is already on the case".into(),
            ));
        }
        let from = required(&from, "from", "who sent it")?;
        let subject = clean(&subject);
        let mut text = clean(&text);
        if text.chars().count() > MAX_EMAIL_TEXT {
            text = text.chars().take(MAX_EMAIL_TEXT).collect();
            text.push_str("\n\n[The rest of this email was too long to keep here.]");
        }
        if text.is_empty() && files.is_empty() {
            text = "[The email had no words in it.]".into();
        }
        self.case.emails.push(InboundEmail {
            key: key.clone(),
            at: ctx.at,
            from: from.clone(),
            subject: subject.clone(),
            text: text.clone(),
            files: files.clone(),
            read: false,
        });
        let with_files = match files.len() {
            0 => String::new(),
            1 => " (1 file)".into(),
            n => format!(" ({n} files)"),
        };
        Ok(ctx.event(
            EventKind::EmailReceived,
            format!("Email from {from}{with_files}: {subject}"),
            serde_json::json!({"key": key, "from": from, "subject": subject, "text": text, "files": files}),
        ))
    }

    pub(in crate::case) fn mark_emails_read(
        &mut self,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_mark_emails_read(self, ctx.scheme)?;
        let n = self.emails_waiting();
        for e in self.case.emails.iter_mut() {
            e.read = true;
        }
        Ok(ctx.event(
            EventKind::EmailsRead,
            if n == 1 {
                "1 new email read".into()
            } else {
                format!("{n} new emails read")
            },
            serde_json::json!({"read": n}),
        ))
    }

    pub(in crate::case) fn treat_as_new(
        &mut self,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_treat_as_new(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "why it is a new matter")?;
        self.case.treated_as_new = Some(RepeatDecision {
            on: ctx.today,
            by: ctx.actor.name.clone(),
            reason: reason.clone(),
        });
        Ok(ctx.event(
            EventKind::TreatedAsNew,
            format!("Not a repeat of an earlier case: {reason}"),
            serde_json::json!({"reason": reason}),
        ))
    }
}
