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

use crate::access::Scope;
use crate::{App, AppError};
use message::{Automatic, Email};
use redress_domain::case::{Command, NoteKind};
use redress_domain::contact::{Contact, ContactInput, ContactKind, MAX_SUMMARY, Source};
use redress_domain::event::{Actor, Event, EventKind};
use redress_store::{Inserted, PersonQuery};

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
    /// reference; only Redress's own letters carry their Message-ID).
    async fn thread_of(&self, email: &Email, from: &str) -> Result<Option<Contact>, AppError> {
        if let Some(letter) = message::answered_letter(&email.answers)
            && let Some(l) = self.store.letter(&self.organisation.id, &letter).await?
        {
            return Ok(Some(self.contact_by_reference(l.reference.as_str()).await?));
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
        Ok(known.then_some(contact))
    }

    async fn add_to_case(
        &self,
        case: &Contact,
        email: &Email,
        from: &str,
    ) -> Result<Taken, AppError> {
        if case.case.emails.iter().any(|e| e.key == email.key) {
            return Ok(Taken::Again(case.reference.to_string()));
        }
        let actor = sender_actor(email, from);
        let command = Command::RecordEmail {
            key: email.key.clone(),
            from: from.to_string(),
            subject: email.subject.clone(),
            text: email.text.clone(),
            files: email.attachments.iter().map(|a| a.name.clone()).collect(),
        };
        // Another instance may be changing the case: try again on its newer version.
        let mut tries = 0;
        let contact = loop {
            tries += 1;
            match self
                .apply_as(case.reference.as_str(), command.clone(), actor.clone())
                .await
            {
                Ok(c) => break c,
                Err(AppError::Conflict(_)) if tries < 4 => continue,
                Err(AppError::Domain(_)) => {
                    return Ok(Taken::Again(case.reference.to_string()));
                }
                Err(e) => return Err(e),
            }
        };
        self.keep_files(&contact, email, actor).await?;
        let contact = self
            .contact_by_reference(contact.reference.as_str())
            .await?;
        Ok(Taken::Threaded(contact))
    }

    async fn new_contact_from(&self, email: &Email, from: &str) -> Result<Taken, AppError> {
        let (input, receipted) = self.input_from(email, from).await?;
        let key = format!("mail-{}", email.key);
        let inserted = self
            .receive(&input, Source::Staff, sender_actor(email, from), Some(&key))
            .await;
        let contact = match inserted {
            Ok(Inserted::New(c)) => c,
            Ok(Inserted::Existing(c)) => return Ok(Taken::Again(c.reference.to_string())),
            Err(AppError::Invalid(errors)) => {
                return Ok(Taken::Left(format!("it could not be recorded: {errors}")));
            }
            Err(e) => return Err(e),
        };
        self.keep_files(&contact, email, sender_actor(email, from))
            .await?;
        let scheme = self.find_scheme(&contact.scheme).await?;
        let receipt = Event {
            kind: EventKind::Received,
            at: contact.detail.received_at,
            actor: Actor::system(),
            summary: String::new(),
            detail: serde_json::json!({"receipt": true}),
        };
        if !receipted {
            let letters = self.letters_for(&contact, &[receipt], &scheme).await?;
            self.store.queue_letters(&contact.id, &letters).await?;
        }
        let contact = self
            .contact_by_reference(contact.reference.as_str())
            .await?;
        Ok(Taken::New(contact))
    }

    /// A new contact from an email: the kind the assistant reads it as, except that a
    /// complaint is a person's decision. One that reads as a complaint is recorded as a
    /// service request and flagged "This may be a complaint" for the officer to raise, so
    /// nothing machine-read starts the complaint clocks or tells the resident it is one.
    /// A sender known from an earlier case keeps the details and needs recorded there.
    /// Also says whether the sender has had as many receipts as they get in an hour.
    async fn input_from(
        &self,
        email: &Email,
        from: &str,
    ) -> Result<(ContactInput, bool), AppError> {
        let reading = redress_domain::recognition::recognise(&email.text);
        let kind = match reading.kind {
            ContactKind::Comment => ContactKind::Comment,
            ContactKind::Compliment => ContactKind::Compliment,
            _ => ContactKind::ServiceRequest,
        };
        let mut summary = if email.subject.is_empty() {
            email.text.clone()
        } else {
            format!("{}\n\n{}", email.subject, email.text)
        };
        if summary.trim().is_empty() {
            summary = "[The email had no words in it.]".into();
        }
        if summary.chars().count() > MAX_SUMMARY {
            let note = "\n\n[The rest of this email was too long to keep here.]";
            summary = summary
                .chars()
                .take(MAX_SUMMARY - note.chars().count())
                .collect::<String>()
                + note;
        }
        let mut input = ContactInput {
            kind: kind.as_str().into(),
            channel: "email".into(),
            who: "myself".into(),
            name: email.from_name.clone().unwrap_or_else(|| from.to_string()),
            email: from.to_string(),
            summary: without_controls(&summary),
            preferred_contact: "email".into(),
            language: if email.welsh {
                "Welsh".into()
            } else {
                String::new()
            },
            ..ContactInput::default()
        };
        let earlier = self
            .store
            .contacts_of_person(
                &self.organisation.id,
                &PersonQuery {
                    email: Some(from.to_string()),
                    phone_digits: None,
                },
            )
            .await?;
        let since = self
            .now()
            .checked_sub(RECEIPT_WINDOW)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let receipted = earlier
            .iter()
            .filter(|c| {
                c.detail.channel == redress_domain::contact::Channel::Email
                    && c.detail.received_at > since
                    && c.detail
                        .person
                        .as_ref()
                        .and_then(|p| p.email.as_deref())
                        .is_some_and(|e| e.eq_ignore_ascii_case(from))
            })
            .count()
            >= RECEIPTS_PER_HOUR;
        let known = earlier.iter().rev().find_map(|c| {
            c.detail
                .person
                .as_ref()
                .filter(|p| {
                    c.case.erased.is_none()
                        && p.email
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(from))
                })
                .map(|p| (c, p))
        });
        if let Some((c, p)) = known {
            input.name = p.name.to_string();
            input.phone = p.phone.clone().unwrap_or_default();
            input.address = p
                .address
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default();
            input.postcode = p.postcode.clone().unwrap_or_default();
            input.property_ref = c
                .detail
                .property_ref
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default();
            input.tenure = c
                .detail
                .tenure
                .map(|t| t.as_str().into())
                .unwrap_or_default();
            input.service_area = c.detail.service_area.clone().unwrap_or_default();
            let n = &p.needs;
            let text = |t: &Option<redress_domain::Text>| {
                t.as_ref().map(|t| t.to_string()).unwrap_or_default()
            };
            if let Some(f) = n.preferred_format {
                input.preferred_format = f.as_str().into();
            }
            if n.language.is_some() {
                input.language = text(&n.language);
            }
            input.interpreter = if n.interpreter {
                "yes".into()
            } else {
                String::new()
            };
            input.needs = text(&n.accessibility);
            input.vulnerabilities = text(&n.vulnerabilities);
            input.adjustments = text(&n.adjustments);
        }
        Ok((input, receipted))
    }

    /// Keeps the message's files on the case under the same rules as any other; a file
    /// that cannot be kept is noted on the case, so nobody thinks it never came.
    async fn keep_files(
        &self,
        contact: &Contact,
        email: &Email,
        actor: Actor,
    ) -> Result<(), AppError> {
        let described = if email.subject.is_empty() {
            "Sent by email".to_string()
        } else {
            format!("Sent by email: {}", email.subject)
        };
        let description: String = described.chars().take(200).collect();
        for file in &email.attachments {
            let kept = self
                .attach(
                    contact.reference.as_str(),
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
                    "A file sent by email was not kept ({}): {why}. Ask the sender for it another way if it is needed.",
                    redress_domain::attachment::clean_name(&file.name)
                ),
            };
            self.apply_as(contact.reference.as_str(), note, Actor::system())
                .await?;
        }
        Ok(())
    }
}

/// Who the history says made a change that came by email.
fn sender_actor(email: &Email, from: &str) -> Actor {
    Actor {
        user_id: None,
        name: format!(
            "{} (online)",
            without_controls(email.from_name.as_deref().unwrap_or(from))
        ),
    }
}

fn without_controls(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}
