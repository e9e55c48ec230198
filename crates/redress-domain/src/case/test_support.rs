//! Fixtures shared by the case tests: a scheme, a calendar, cases as received, and
//! commands run on today's date.

use super::*;
use crate::Division;
use crate::intake::{ContactInput, Source};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use proptest::prelude::*;

pub(crate) fn hos() -> Scheme {
    Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0))
}

pub(crate) fn calendar() -> WorkingCalendar {
    WorkingCalendar::standard(Division::EnglandAndWales)
}

pub(crate) fn received(issue_date: &str) -> Contact {
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "phone".into(),
        who: "myself".into(),
        name: "Aled Jones".into(),
        phone: "029 2087 2000".into(),
        summary: "The boiler keeps breaking down".into(),
        issue_date: issue_date.into(),
        received_date: "2025-03-03".into(),
        received_time: "10:00".into(),
        ..Default::default()
    };
    let now: Timestamp = "2025-06-30T12:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let detail = input.parse(Source::Staff, now).map_err(|e| e.to_string());
    let made = detail.and_then(|d| {
        Contact::receive(
            "c1".into(),
            Reference::new(ContactKind::Complaint, 2025, 1),
            d,
            &hos(),
            &calendar(),
            Actor::system(),
        )
        .map_err(|e| e.to_string())
    });
    match made {
        Ok((c, _)) => c,
        Err(e) => unreachable!("fixture: {e}"),
    }
}

pub(crate) fn person(n: u8) -> Assignee {
    Assignee {
        user_id: format!("u{n}"),
        name: format!("Officer {n}"),
    }
}

pub(crate) fn run(contact: &mut Contact, command: Command) -> Result<Vec<Event>, ContactError> {
    let scheme = hos();
    let cal = calendar();
    let ctx = Context {
        scheme: &scheme,
        calendar: &cal,
        actor: Actor::system(),
        at: Timestamp::UNIX_EPOCH,
        today: date(2025, 6, 30),
        payment_approval_above: None,
    };
    contact.apply(command, &ctx)
}

pub(crate) fn respond(on: Date) -> Command {
    Command::Respond {
        on,
        points: vec![
            PointDecision {
                point: "Missed appointments".into(),
                upheld: true,
            },
            PointDecision {
                point: "Rude engineer".into(),
                upheld: false,
            },
        ],
        reasons: "The visits were missed; the call recording shows the engineer was polite.".into(),
        outstanding_actions: Some("Replace the boiler by 30 April".into()),
        early_resolution: false,
    }
}

pub(crate) fn acknowledge(on: Date) -> Command {
    Command::Acknowledge {
        on,
        understanding: "Boiler repairs missed".into(),
        outcome_wanted: "A working boiler".into(),
    }
}

pub(crate) fn contact(kind: &str, wants_reply: bool) -> Contact {
    let input = ContactInput {
        kind: kind.into(),
        channel: "email".into(),
        who: "myself".into(),
        name: "Carys Price".into(),
        email: "carys@example.org".into(),
        summary: "The caretaker was wonderful".into(),
        wants_reply: if wants_reply {
            "yes".into()
        } else {
            String::new()
        },
        received_date: "2025-03-03".into(),
        ..Default::default()
    };
    let now: Timestamp = "2025-06-30T12:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let made = input
        .parse(Source::Staff, now)
        .map_err(|e| e.to_string())
        .and_then(|d| {
            Contact::receive(
                "c2".into(),
                Reference::new(ContactKind::Comment, 2025, 1),
                d,
                &hos(),
                &calendar(),
                Actor::system(),
            )
            .map_err(|e| e.to_string())
        });
    match made {
        Ok((c, _)) => c,
        Err(e) => unreachable!("fixture: {e}"),
    }
}

pub(crate) fn any_command() -> impl Strategy<Value = Command> {
    let day = (0i64..80).prop_map(|n| {
        date(2025, 3, 3)
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(date(2025, 3, 3))
    });
    let text = prop::sample::select(vec![String::new(), "Because".to_string()]);
    let who = (1u8..4).prop_map(person);
    prop_oneof![
        (who.clone(), text.clone()).prop_map(|(to, r)| Command::AssignOfficer {
            to,
            reason: Some(r)
        }),
        (who, text.clone()).prop_map(|(to, r)| Command::AssignHandler {
            to,
            reason: Some(r)
        }),
        (day.clone(), text.clone()).prop_map(|(on, t)| Command::Acknowledge {
            on,
            understanding: t.clone(),
            outcome_wanted: "x".into()
        }),
        (
            day.clone(),
            day.clone(),
            day.clone(),
            text.clone(),
            any::<bool>()
        )
            .prop_map(|(on, to, told, reason, good)| Command::Extend {
                on,
                to,
                reason,
                resident_told_on: told,
                good_reason: good.then(|| "Good".to_string()),
            }),
        (day.clone(), text.clone()).prop_map(|(on, reason)| Command::Pause { on, reason }),
        day.clone().prop_map(|on| Command::Resume { on }),
        (day.clone(), any::<bool>(), any::<bool>()).prop_map(|(on, upheld, early)| {
            Command::Respond {
                on,
                points: vec![PointDecision {
                    point: "A point".into(),
                    upheld,
                }],
                reasons: "Reasons".into(),
                outstanding_actions: None,
                early_resolution: early,
            }
        }),
        (day.clone(), text.clone()).prop_map(|(requested_on, r)| Command::Escalate {
            requested_on,
            reason: Some(r)
        }),
        (day.clone(), text.clone())
            .prop_map(|(on, reason)| Command::RefuseEscalation { on, reason }),
        (day.clone(), text.clone()).prop_map(|(on, reason)| Command::Withdraw { on, reason }),
        day.clone().prop_map(|on| Command::Close { on }),
        (day.clone(), text.clone(), 0u32..15)
            .prop_map(|(on, why, within)| Command::AskTenantsPanel { on, why, within }),
        (day.clone(), text.clone()).prop_map(|(on, input)| Command::RecordPanelInput { on, input }),
        (day, prop::sample::select(DeclineReason::ALL.to_vec())).prop_map(|(on, reason)| {
            Command::Decline {
                on,
                reason,
                explanation: "Explained".into(),
            }
        }),
    ]
}
