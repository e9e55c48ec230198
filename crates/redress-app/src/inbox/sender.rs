//! Who an email is from, as a new contact records them: the sender as the person, with
//! what an earlier case of theirs knew (details, needs), and whether they may be sent
//! another receipt this hour.

use super::message::Email;
use super::{RECEIPT_WINDOW, RECEIPTS_PER_HOUR};
use crate::{App, AppError};
use redress_domain::contact::{ContactInput, ContactKind, MAX_SUMMARY};
use redress_domain::event::Actor;
use redress_store::PersonQuery;

/// The longest display name taken as the person's name; a longer one (a sender's own
/// words in a receipt's "Dear …") is replaced by their address.
const LONGEST_NAME: usize = 100;

/// The sender's name as shown: one line, no control characters, not too long; or their
/// address.
pub(super) fn display_name(email: &Email, from: &str) -> String {
    let name = email
        .from_name
        .as_deref()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() || name.chars().count() > LONGEST_NAME {
        from.to_string()
    } else {
        name
    }
}

/// Who the history says made a change that came by email.
pub(super) fn sender_actor(email: &Email, from: &str) -> Actor {
    Actor {
        user_id: None,
        name: format!("{} (online)", display_name(email, from)),
    }
}

pub(super) fn without_controls(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

impl App {
    /// A new contact from an email: the kind the assistant reads it as, except that a
    /// complaint is a person's decision. One that reads as a complaint is recorded as a
    /// service request and flagged "This may be a complaint" for the officer to raise, so
    /// nothing machine-read starts the complaint clocks or tells the resident it is one.
    /// A sender known from an earlier case keeps the details and needs recorded there.
    /// Also says whether the sender has had as many receipts as they get in an hour.
    pub(super) async fn input_from(
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
            name: display_name(email, from),
            email: from.to_string(),
            summary: without_controls(&summary),
            preferred_contact: "email".into(),
            // Written in Welsh: answered in Welsh.
            correspond_in: if email.welsh {
                "cy".into()
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
            if let Some(l) = n.correspond_in.filter(|_| input.correspond_in.is_empty()) {
                input.correspond_in = l.as_str().into();
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
}
