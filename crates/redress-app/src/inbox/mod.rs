//! Email in. Each message from the mailbox (or `redress mail import`) goes through
//! `App::take_email`, which makes it a new contact with a receipt, adds it to the case it
//! answers as correspondence, or leaves it alone when a machine sent it.
//!
//! Taking a message is safe to repeat, so any number of instances may read one mailbox:
//! a new contact is keyed by the message (the intake's submission key), and a case keeps
//! the key of every email added to it.

pub mod imap;
pub mod message;
pub mod oauth;
mod sender;

use crate::access::Scope;
use crate::{App, AppError};
use message::{Automatic, Email};
use redress_domain::case::{Command, NoteKind};
use redress_domain::contact::{Contact, MAX_SUMMARY, Source};
use redress_domain::event::{Actor, Event, EventKind};
use redress_domain::letter::LetterKind;
use redress_store::Inserted;
use sender::{sender_actor, without_controls};

/// How a note that no receipt was sent begins, so taking the message again does not send
/// one after all.
const NO_RECEIPT: &str = "No receipt was sent";
/// A message taken this recently may still be having its files and receipt added by the
/// instance that took it; after this, whatever is missing was left undone.
const FINISHING: jiff::SignedDuration = jiff::SignedDuration::from_mins(2);

/// The largest message taken; a bigger one stays in the mailbox for a person.
pub const MAX_MESSAGE_BYTES: usize = 30 * 1024 * 1024;
/// At most `RECEIPTS_PER_HOUR` receipts to one sender in an hour: a program answering every
/// email it gets (without saying it is automatic) would otherwise trade receipts with
/// Redress for ever. Their messages are still recorded.
pub const RECEIPT_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);
pub const RECEIPTS_PER_HOUR: usize = 2;

/// What became of a message.
#[derive(Debug, Clone)]
pub enum Taken {
    /// A new contact, with a receipt sent to the sender.
    New(Contact),
    /// Added to the case it answers.
    Threaded(Contact),
    /// Taken before (the same message again, or by another instance).
    Again(String),
    /// Being taken by another instance this moment: left unseen, so that if that instance
    /// stops part-way, a later round finishes the taking.
    Busy(String),
    /// A machine sent it: not a case, never answered.
    Ignored(Automatic),
    /// Not something Redress can take; left in the mailbox for a person, and why.
    Left(String),
}

impl Taken {
    /// One line for the log and the command line.
    pub fn describe(&self) -> String {
        match self {
            Taken::New(c) => format!("new contact {}", c.reference),
            Taken::Threaded(c) => format!("added to {}", c.reference),
            Taken::Again(r) => format!("already taken ({r})"),
            Taken::Busy(r) => format!("being taken by another instance ({r})"),
            Taken::Ignored(a) => format!("ignored: {}", a.label()),
            Taken::Left(why) => format!("left in the mailbox: {why}"),
        }
    }
}

impl App {
    /// Takes one email, as received from the mailbox.
    pub async fn take_email(&self, raw: &[u8]) -> Result<Taken, AppError> {
        if raw.len() > MAX_MESSAGE_BYTES {
            return Ok(Taken::Left(format!(
                "it is larger than {} MB",
                MAX_MESSAGE_BYTES / 1024 / 1024
            )));
        }
        let Some(email) = message::read(raw, self.mail_from.as_deref()) else {
            return Ok(Taken::Left("it is not an email Redress can read".into()));
        };
        if let Some(a) = email.automatic {
            tracing::info!(kind = a.label(), "email ignored");
            if let Some((letter, status)) = &email.bounced {
                self.letter_bounced(letter, status.as_deref()).await?;
            }
            return Ok(Taken::Ignored(a));
        }
        let Some(from) = email.from_address.clone() else {
            return Ok(Taken::Left("it has no sender's address".into()));
        };
        if let Some(case) = self.thread_of(&email, &from).await? {
            return self.add_to_case(&case, &email, &from).await;
        }
        self.new_contact_from(&email, &from).await
    }

    /// The case a message belongs to: the letter it answers, or a reference in its subject
    /// when the sender is the case's person or representative (anyone can type a
    /// reference; only Redress's own letters carry their Message-ID). Never an erased case,
    /// which takes no new personal data, and never by subject from a sender whose address
    /// failed the mail server's checks.
    async fn thread_of(&self, email: &Email, from: &str) -> Result<Option<Contact>, AppError> {
        if let Some(letter) = message::answered_letter(&email.answers)
            && let Some(l) = self.store.letter(&self.organisation.id, &letter).await?
        {
            let c = self.contact_by_reference(l.reference.as_str()).await?;
            return Ok(c.case.erased.is_none().then_some(c));
        }
        if email.unverified {
            return Ok(None);
        }
        let Some(reference) = message::subject_reference(&email.subject) else {
            return Ok(None);
        };
        let contact = match self.contact_by_reference(reference.as_str()).await {
            Ok(c) => c,
            Err(AppError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let theirs = |a: Option<&str>| a.is_some_and(|a| a.trim().eq_ignore_ascii_case(from));
        let d = &contact.detail;
        let known = theirs(d.person.as_ref().and_then(|p| p.email.as_deref()))
            || theirs(d.representative.as_ref().and_then(|r| r.email.as_deref()));
        Ok((known && contact.case.erased.is_none()).then_some(contact))
    }

    async fn add_to_case(
        &self,
        case: &Contact,
        email: &Email,
        from: &str,
    ) -> Result<Taken, AppError> {
        let actor = sender_actor(email, from);
        let reference = case.reference.to_string();
        if let Some(kept) = case.case.emails.iter().find(|e| e.key == email.key) {
            // Taken before: finish what an interrupted taking left undone, once its taker
            // has had time to.
            if !files_done(case, email) {
                if self.still_finishing(kept.at)? {
                    return Ok(Taken::Busy(reference));
                }
                self.keep_files(&reference, email, actor).await?;
            }
            return Ok(Taken::Again(reference));
        }
        let command = Command::RecordEmail {
            key: email.key.clone(),
            from: from.to_string(),
            subject: email.subject.clone(),
            text: email.text.clone(),
            files: email
                .attachments
                .iter()
                .map(|a| redress_domain::attachment::clean_name(&a.name))
                .collect(),
        };
        // Another instance may be changing the case: try again on its newer version.
        let mut tries = 0;
        loop {
            tries += 1;
            match self
                .apply_as(&reference, command.clone(), actor.clone())
                .await
            {
                Ok(_) => break,
                Err(AppError::Conflict(_)) if tries < 4 => continue,
                Err(AppError::Domain(e)) => {
                    // Another instance took it first; anything else is a real refusal.
                    let now = self.contact_by_reference(&reference).await?;
                    if now.case.emails.iter().any(|x| x.key == email.key) {
                        return Ok(if files_done(&now, email) {
                            Taken::Again(reference)
                        } else {
                            Taken::Busy(reference)
                        });
                    }
                    return Err(AppError::Domain(e));
                }
                Err(e) => return Err(e),
            }
        }
        self.keep_files(&reference, email, actor).await?;
        Ok(Taken::Threaded(
            self.contact_by_reference(&reference).await?,
        ))
    }

    async fn new_contact_from(&self, email: &Email, from: &str) -> Result<Taken, AppError> {
        let key = format!("mail-{}", email.key);
        // Taken before (the same message again, whatever became of its contact since).
        if let Some(existing) = self.contact_by_submission(&key).await? {
            return self.finish(existing, email, from).await;
        }
        let (mut input, receipts_used) = self.input_from(email, from).await?;
        let actor = sender_actor(email, from);
        let mut inserted = self
            .receive(&input, Source::Staff, actor.clone(), Some(&key))
            .await;
        // An address the mailer could not write back to: keep the email all the same.
        if let Err(AppError::Invalid(errors)) = &inserted
            && errors.get("email").is_some()
        {
            input.email = String::new();
            input.preferred_contact = String::new();
            let prefix = format!("From: {from}\n\n");
            input.summary = prefix.clone()
                + &input
                    .summary
                    .chars()
                    .take(MAX_SUMMARY - prefix.chars().count())
                    .collect::<String>();
            inserted = self
                .receive(&input, Source::Staff, actor.clone(), Some(&key))
                .await;
        }
        let contact = match inserted {
            Ok(Inserted::New(c)) => c,
            Ok(Inserted::Existing(c)) => return self.finish(c, email, from).await,
            // Another instance recorded it a moment before.
            Err(AppError::Conflict(why)) => match self.contact_by_submission(&key).await? {
                Some(c) => return self.finish(c, email, from).await,
                None => return Err(AppError::Conflict(why)),
            },
            Err(AppError::Invalid(errors)) => {
                return Ok(Taken::Left(format!("it could not be recorded: {errors}")));
            }
            Err(e) => return Err(e),
        };
        let reference = contact.reference.to_string();
        self.keep_files(&reference, email, actor).await?;
        let why_not = if email.unverified {
            Some(
                "the mail server recorded that this email failed its sender checks (DMARC or SPF), so the sender's address may not be theirs",
            )
        } else if receipts_used {
            Some("the sender had already been sent the most receipts in an hour")
        } else if input.email.is_empty() {
            Some("the sender's address cannot be written to")
        } else {
            None
        };
        match why_not {
            Some(why) => {
                let note = Command::AddNote {
                    kind: NoteKind::Note,
                    on: self.today(),
                    text: format!("{NO_RECEIPT}: {why}."),
                };
                self.apply_as(&reference, note, Actor::system()).await?;
            }
            None => self.send_receipt(&contact).await?,
        }
        Ok(Taken::New(self.contact_by_reference(&reference).await?))
    }

    /// A message taken before: its files and receipt, if an interrupted taking left them
    /// undone (the contact is recorded first, then they follow).
    async fn finish(&self, c: Contact, email: &Email, from: &str) -> Result<Taken, AppError> {
        let reference = c.reference.to_string();
        let sent = self
            .store
            .letters(&self.organisation.id, &c.id)
            .await?
            .iter()
            .any(|l| l.kind == LetterKind::EmailReceipt);
        let withheld = c.case.notes.iter().any(|n| n.text.starts_with(NO_RECEIPT))
            || email.unverified
            || c.case.erased.is_some();
        if (sent || withheld) && files_done(&c, email) {
            return Ok(Taken::Again(reference));
        }
        if self.still_finishing(c.detail.received_at)? {
            return Ok(Taken::Busy(reference));
        }
        self.keep_files(&reference, email, sender_actor(email, from))
            .await?;
        if !sent && !withheld {
            self.send_receipt(&c).await?;
        }
        Ok(Taken::Again(reference))
    }

    /// A letter Redress emailed came back undelivered: it is marked failed, so the case and
    /// the letters page show it and someone checks the address.
    async fn letter_bounced(&self, id: &str, status: Option<&str>) -> Result<(), AppError> {
        let Some(letter) = self.store.letter(&self.organisation.id, id).await? else {
            return Ok(());
        };
        if letter.status != "sent" {
            return Ok(());
        }
        let status = status
            .filter(|s| s.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .map(|s| format!(" (status {s})"))
            .unwrap_or_default();
        let why = format!(
            "The email came back undelivered{status}: check the address with the person, and send it another way"
        );
        self.store
            .mark_letter(&letter.id, "failed", self.now(), Some(&why), None)
            .await?;
        Ok(())
    }

    /// Whether something taken at `at` may still be being finished by its taker.
    fn still_finishing(&self, at: jiff::Timestamp) -> Result<bool, AppError> {
        let since = self
            .now()
            .checked_sub(FINISHING)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(at > since)
    }

    async fn send_receipt(&self, contact: &Contact) -> Result<(), AppError> {
        let scheme = self.find_scheme(&contact.scheme).await?;
        let receipt = Event {
            kind: EventKind::Received,
            at: contact.detail.received_at,
            actor: Actor::system(),
            summary: String::new(),
            detail: serde_json::json!({"receipt": true}),
        };
        for letter in self.letters_for(contact, &[receipt], &scheme).await? {
            // One receipt a case, whichever instance gets there first.
            self.store.queue_once(&contact.id, &letter).await?;
        }
        Ok(())
    }

    /// Keeps the message's files on the case under the same rules as any other; a file
    /// that cannot be kept is noted on the case, so nobody thinks it never came. A file
    /// already kept or noted (by an earlier, interrupted taking) is left as it is.
    async fn keep_files(
        &self,
        reference: &str,
        email: &Email,
        actor: Actor,
    ) -> Result<(), AppError> {
        if email.attachments.is_empty() {
            return Ok(());
        }
        let described = if email.subject.is_empty() {
            "Sent by email".to_string()
        } else {
            format!("Sent by email: {}", without_controls(&email.subject))
        };
        let description: String = described.chars().take(200).collect();
        let on_case = self.contact_by_reference(reference).await?;
        for file in &email.attachments {
            if file_done(&on_case, &file.name) {
                continue;
            }
            let noted = format!("({})", redress_domain::attachment::clean_name(&file.name));
            let kept = self
                .attach(
                    reference,
                    &file.name,
                    &file.bytes,
                    &description,
                    actor.clone(),
                    None,
                    &Scope::All,
                )
                .await;
            let why = match kept {
                Ok(_) => continue,
                Err(AppError::Invalid(errors)) => errors.to_string(),
                Err(e) => return Err(e),
            };
            let note = Command::AddNote {
                kind: NoteKind::Evidence,
                on: self.today(),
                text: format!(
                    "A file sent by email was not kept {noted}: {why}. Ask the sender for it another way if it is needed."
                ),
            };
            self.apply_as(reference, note, Actor::system()).await?;
        }
        Ok(())
    }
}

/// Whether a file the message carried is on the case, kept or noted as refused.
fn file_done(c: &Contact, name: &str) -> bool {
    let name = redress_domain::attachment::clean_name(name);
    let noted = format!("({name})");
    c.case.attachments.iter().any(|a| a.name == name)
        || c.case.notes.iter().any(|n| n.text.contains(&noted))
}

fn files_done(c: &Contact, email: &Email) -> bool {
    email.attachments.iter().all(|f| file_done(c, &f.name))
}
