//! Which letter a change calls for, in the organisation's wording.

use super::ombudsman_contact;
use super::welsh as welsh_words;
use super::writing::{Writing, write};
use super::{Letter, LetterKind, PLACEHOLDERS, Sender, Template, delivery_for};
use crate::case::Contact;
use crate::event::{Event, EventKind};
use crate::intake::ContactKind;
use crate::language::Language;
use crate::scheme::{Ombudsman, Scheme};
use std::collections::BTreeMap;

/// The letter, if any, that a change calls for. `template` gives the organisation's
/// wording for a kind (falling back to the default).
pub fn letter_for(
    contact: &Contact,
    event: &Event,
    scheme: &Scheme,
    sender: &Sender,
    template: &dyn Fn(LetterKind, Language) -> Option<Template>,
) -> Option<Letter> {
    let stage = contact.current();
    let final_stage = usize::from(contact.stage()) >= scheme.stages.len();
    let kind = match (event.kind, contact.detail.kind, stage) {
        (EventKind::PassedOn, ContactKind::Compliment, _) => LetterKind::ComplimentThanks,
        (EventKind::Replied, ContactKind::Comment, _) => LetterKind::CommentReply,
        (EventKind::Reclassified, _, _) => LetterKind::Reclassified,
        // Only a contact taken from the mailbox asks for one: a form shows its reference.
        (EventKind::Received, _, _) if event.detail["receipt"] == true => LetterKind::EmailReceipt,
        (EventKind::Paused, _, _) => LetterKind::Paused,
        (EventKind::Resumed, _, _) => LetterKind::Resumed,
        (EventKind::ImprovementNews, _, _) => match event.detail["status"].as_str() {
            Some("implemented") => LetterKind::ImprovementMade,
            Some("declined") => LetterKind::ImprovementDeclined,
            _ => return None,
        },
        (_, ContactKind::Complaint, Some(stage)) => match event.kind {
            EventKind::Acknowledged if stage.stage == 1 => LetterKind::Acknowledgement,
            EventKind::Acknowledged => LetterKind::EscalationAcknowledgement,
            EventKind::Extended => LetterKind::Extension,
            EventKind::Declined => LetterKind::Decline,
            EventKind::Responded if final_stage => LetterKind::FinalResponse,
            EventKind::Responded => LetterKind::StageResponse,
            _ => return None,
        },
        _ => return None,
    };
    let (delivery, recipient, large_print) = delivery_for(contact)?;
    let writing = Writing::for_choice(contact.language(), sender.welsh_first);
    let values = |language: Language| values(contact, event, scheme, sender, kind, language);
    Some(write(kind, writing, template, &values).into_letter(
        kind,
        delivery,
        recipient,
        large_print,
    ))
}

/// What a letter's placeholders say about this case, in `language`.
fn values(
    contact: &Contact,
    event: &Event,
    scheme: &Scheme,
    sender: &Sender,
    kind: LetterKind,
    language: Language,
) -> BTreeMap<&'static str, String> {
    let welsh = language == Language::Welsh;
    let long = |d| language.long_date(d);
    let stage = contact.current();
    let person_name = contact.addressee();
    let ombudsman = scheme.ombudsman.unwrap_or(Ombudsman::Housing);
    let mut v: BTreeMap<&'static str, String> = BTreeMap::new();
    v.insert("name", person_name);
    v.insert("reference", contact.reference.to_string());
    v.insert("received", long(contact.received_on));
    v.insert(
        "kind",
        if welsh {
            welsh_words::contact_kind(contact.detail.kind).to_string()
        } else {
            contact.detail.kind.label().to_lowercase()
        },
    );
    v.insert("summary", contact.detail.summary.to_string());
    v.insert(
        "reply",
        contact
            .case
            .reply
            .as_ref()
            .map(|r| r.text.clone())
            .unwrap_or_default(),
    );
    if let Some(explanation) = event.detail.get("explanation").and_then(|e| e.as_str()) {
        v.insert("explanation", explanation.to_string());
    }
    if let Some(stage) = stage {
        v.insert("started", long(stage.started_on));
        v.insert("stage", stage.stage.to_string());
        // At a later stage, what is still unresolved is what the person said when they
        // asked to escalate, not the original complaint.
        v.insert(
            "understanding",
            stage
                .understanding
                .clone()
                .or_else(|| stage.escalation_reason.clone())
                .unwrap_or_else(|| contact.detail.summary.to_string()),
        );
        v.insert(
            "outcome_wanted",
            stage
                .outcome_wanted
                .clone()
                .or_else(|| {
                    contact
                        .detail
                        .outcome_wanted
                        .as_ref()
                        .map(|t| t.to_string())
                })
                .unwrap_or_default(),
        );
        v.insert(
            "handler",
            stage
                .handler
                .as_ref()
                .map(|h| h.name.clone())
                .unwrap_or_else(|| {
                    if welsh {
                        welsh_words::PHRASES.handler.into()
                    } else {
                        "Our complaints team".into()
                    }
                }),
        );
        v.insert("respond_by", long(stage.respond_by));
        v.insert(
            "extension_reason",
            stage
                .extensions
                .last()
                .map(|x| x.reason.clone())
                .unwrap_or_default(),
        );
    }

    if let Some(d) = &contact.case.decline {
        v.insert(
            "decline_reason",
            if welsh {
                welsh_words::decline_reason(d.reason).to_string()
            } else {
                d.reason.label().to_lowercase()
            },
        );
        v.insert("explanation", d.explanation.clone());
    }
    if let Some(r) = stage.and_then(|s| s.response.as_ref()) {
        let decisions: Vec<String> = r
            .points
            .iter()
            .map(|p| {
                format!(
                    "- {}: {}",
                    p.point,
                    match (welsh, p.upheld) {
                        (true, upheld) => welsh_words::point(upheld),
                        (false, true) => "upheld",
                        (false, false) => "not upheld",
                    }
                )
            })
            .collect();
        v.insert("decisions", decisions.join("\n"));
        v.insert(
            "outcome",
            if welsh {
                welsh_words::outcome(r.outcome).to_string()
            } else {
                r.outcome.label().to_lowercase()
            },
        );
        v.insert("reasons", r.reasons.clone());
        v.insert(
            "outstanding_actions",
            r.outstanding_actions
                .as_ref()
                .map(|a| {
                    let heading = if welsh {
                        welsh_words::PHRASES.still_to_do
                    } else {
                        "What we will still do:"
                    };
                    format!("{heading}\n{a}")
                })
                .unwrap_or_default(),
        );
    }
    let remedies: Vec<String> = contact
        .case
        .remedies
        .iter()
        .map(|r| {
            let money = r
                .payment
                .as_ref()
                .map(|p| {
                    let what = if welsh {
                        welsh_words::payment(p.kind).to_string()
                    } else {
                        p.kind.label().to_lowercase()
                    };
                    format!(" ({} {what})", p.amount)
                })
                .unwrap_or_default();
            // "Two visits." reads "Two visits, by…", not "visits., by".
            let what = r.description.trim_end_matches(['.', ' ']);
            let by = if welsh { welsh_words::PHRASES.by } else { "by" };
            format!("- {what}{money}, {by} {}", long(r.due))
        })
        .collect();
    if !remedies.is_empty() {
        v.insert(
            "remedies",
            format!(
                "{}\n{}",
                if welsh {
                    welsh_words::PHRASES.remedies
                } else {
                    "To put things right we will:"
                },
                remedies.join("\n")
            ),
        );
    }
    if welsh {
        v.insert("ombudsman", welsh_words::ombudsman(ombudsman).to_string());
        v.insert(
            "ombudsman_contact",
            welsh_words::ombudsman_contact(ombudsman).to_string(),
        );
    } else {
        v.insert("ombudsman", ombudsman.name().to_string());
        v.insert(
            "ombudsman_contact",
            ombudsman_contact(ombudsman).to_string(),
        );
    }
    v.insert("organisation", sender.organisation.clone());
    // The organisation's details as written, with labels in the letter's language.
    v.insert(
        "contact_details",
        if welsh && !sender.reach.is_empty() {
            sender.reach.in_a_letter_in(language)
        } else {
            sender.contact_details.clone()
        },
    );
    for (key, value) in contact_placeholders(&sender.reach) {
        v.insert(key, value);
    }
    if let Some(s) = sender.signatory(kind) {
        v.insert("signatory", s.name.clone());
        v.insert("job_title", s.job_title.clone());
        let lines = [s.name.trim(), s.job_title.trim()];
        let signed: Vec<&str> = lines.into_iter().filter(|l| !l.is_empty()).collect();
        v.insert("signature", signed.join("\n"));
    }
    if let Some(paused) = &contact.case.paused {
        v.insert("pause_reason", paused.reason.clone());
    }
    if event.kind == EventKind::ImprovementNews {
        let text = |k: &str| event.detail[k].as_str().unwrap_or_default().to_string();
        v.insert("improvement", text("title"));
        v.insert("change", text("words"));
    }
    // A placeholder with nothing to say for this case is left out, never printed as
    // {{…}}; only a misspelt one in edited wording stays, and is refused before sending.
    for key in PLACEHOLDERS {
        if *key != "link" {
            v.entry(key).or_default();
        }
    }
    v
}

/// The placeholders for each way of reaching the organisation.
pub fn contact_placeholders(reach: &crate::reach::Reach) -> [(&'static str, String); 5] {
    [
        ("contact_phone", reach.phone.clone()),
        ("contact_textphone", reach.textphone.clone()),
        ("contact_email", reach.email.clone()),
        ("contact_address", reach.address.replace('\n', ", ")),
        ("contact_hours", reach.hours.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::letter::*;

    #[test]
    fn an_acknowledgement_by_email_says_what_was_understood_and_when() {
        let (c, scheme) = complaint("email", "");
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            &Sender::named("Demo Homes"),
            &built_in_wording,
        );
        let Some(letter) = letter else {
            unreachable!("a letter is due")
        };
        assert_eq!(
            (letter.kind, letter.delivery, letter.recipient.as_str()),
            (
                LetterKind::Acknowledgement,
                Delivery::Email,
                "aled@example.org"
            )
        );
        assert_eq!(
            letter.subject,
            "We have received your complaint CMP-2025-000001"
        );
        assert!(letter.body.starts_with("Dear Aled Jones"));
        assert!(letter.body.contains("Repairs were missed"));
        assert!(letter.body.contains("by 18 March 2025"), "{}", letter.body);
        assert!(!letter.body.contains("{{"));
    }

    #[test]
    fn a_pause_and_its_end_are_written_signed_with_the_organisation_s_details() {
        use crate::calendar::{Division, WorkingCalendar};
        use crate::case::{Command, Context};
        use crate::event::Actor;
        use jiff::civil::date;
        let (mut c, scheme) = complaint("letter", "");
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: jiff::Timestamp::UNIX_EPOCH,
            today: date(2025, 6, 30),
            payment_approval_above: None,
        };
        let sender = Sender {
            organisation: "Demo Homes".into(),
            contact_details: "Telephone 0300 123 4567".into(),
            signatories: vec![(
                None,
                Signatory {
                    name: "Jo Bloggs".into(),
                    job_title: "Complaints Manager".into(),
                },
            )],
            ..Sender::default()
        };
        let paused = c.apply(
            Command::Pause {
                on: date(2025, 3, 5),
                reason: "A disciplinary investigation into the visit".into(),
            },
            &ctx,
        );
        let letter = paused
            .ok()
            .and_then(|e| letter_for(&c, &e[0], &scheme, &sender, &built_in_wording));
        let Some(letter) = letter else {
            unreachable!("pausing writes to the resident")
        };
        assert_eq!(
            (letter.kind, letter.delivery),
            (LetterKind::Paused, Delivery::Post)
        );
        assert!(
            letter
                .body
                .contains("A disciplinary investigation into the visit")
        );
        assert!(
            letter
                .body
                .contains("We still aim to send you our response by")
        );
        assert!(
            letter
                .body
                .contains("Jo Bloggs\nComplaints Manager\nDemo Homes\n\nTelephone 0300 123 4567"),
            "{}",
            letter.body
        );
        assert!(!letter.body.contains("{{"));
        let resumed = c.apply(
            Command::Resume {
                on: date(2025, 3, 6),
            },
            &ctx,
        );
        let letter = resumed
            .ok()
            .and_then(|e| letter_for(&c, &e[0], &scheme, &sender, &built_in_wording));
        assert!(letter.is_some_and(|l| l.kind == LetterKind::Resumed && !l.body.contains("{{")));
    }

    #[test]
    fn remedies_read_cleanly_and_nothing_is_left_unfilled() {
        let (mut c, scheme) = complaint("email", "");
        c.case.remedies.push(crate::remedy::Remedy {
            id: 1,
            kind: crate::remedy::RemedyKind::Action,
            description: "Two visits.".into(),
            owner: crate::case::Assignee {
                user_id: "u".into(),
                name: "Repairs".into(),
            },
            due: jiff::civil::date(2025, 4, 1),
            done_on: None,
            payment: None,
            notes: Vec::new(),
        });
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            &Sender::named("Demo Homes"),
            &|_, _| {
                Some(Template {
                    subject: "{{reference}}".into(),
                    body: "{{remedies}}\n{{outstanding_actions}}\n{{signature}}".into(),
                })
            },
        );
        assert_eq!(
            letter.map(|l| l.body),
            Some("To put things right we will:\n- Two visits, by 1 April 2025".into())
        );
    }

    #[test]
    fn comment_replies_and_compliment_thanks_are_sent() {
        use crate::calendar::{Division, WorkingCalendar};
        use crate::case::{Command, Context};
        use crate::event::Actor;
        use crate::intake::{ContactInput, Reference, Source};
        use jiff::civil::date;
        let scheme =
            Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0));
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let now: jiff::Timestamp = "2025-06-30T12:00:00Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: now,
            today: date(2025, 6, 30),
            payment_approval_above: None,
        };
        let make = |kind: &str| {
            let input = ContactInput {
                kind: kind.into(),
                channel: "email".into(),
                who: "myself".into(),
                name: "Carys Price".into(),
                email: "carys@example.org".into(),
                summary: "Please post the grass cutting dates".into(),
                wants_reply: "yes".into(),
                received_date: "2025-03-03".into(),
                ..Default::default()
            };
            let d = input.parse(Source::Staff, now).map_err(|e| e.to_string());
            d.and_then(|d| {
                Contact::receive(
                    "c".into(),
                    Reference::new(ContactKind::Comment, 2025, 1),
                    d,
                    &scheme,
                    &cal,
                    Actor::system(),
                )
                .map_err(|e| e.to_string())
            })
        };
        let Ok((mut comment, _)) = make("comment") else {
            unreachable!("fixture")
        };
        let events = comment.apply(
            Command::ReplyToComment {
                on: date(2025, 3, 5),
                text: "We will put them in the lobby.".into(),
            },
            &ctx,
        );
        let letter = events.ok().and_then(|e| {
            letter_for(
                &comment,
                &e[0],
                &scheme,
                &Sender::named("Demo Homes"),
                &built_in_wording,
            )
        });
        assert!(letter.is_some_and(|l| l.kind == LetterKind::CommentReply
            && l.body.contains("We will put them in the lobby.")
            && l.body.contains("grass cutting")));
        let Ok((mut compliment, _)) = make("compliment") else {
            unreachable!("fixture")
        };
        let events = compliment.apply(
            Command::PassOn {
                on: date(2025, 3, 5),
                to: "Huw".into(),
                manager: "Gareth".into(),
                notify: Vec::new(),
            },
            &ctx,
        );
        let letter = events.ok().and_then(|e| {
            letter_for(
                &compliment,
                &e[0],
                &scheme,
                &Sender::named("Demo Homes"),
                &built_in_wording,
            )
        });
        assert!(letter.is_some_and(
            |l| l.kind == LetterKind::ComplimentThanks && l.delivery == Delivery::Email
        ));
    }
}
