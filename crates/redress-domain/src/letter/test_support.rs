//! Fixtures shared by the letter tests: an acknowledged complaint and its event.

use crate::case::Contact;
use crate::event::{Event, EventKind};
use crate::intake::ContactKind;
use crate::scheme::Scheme;

pub(crate) fn complaint(preferred_contact: &str, format: &str) -> (Contact, Scheme) {
    complaint_under("hos-2024", preferred_contact, format, "")
}

/// A complaint under a scheme, its person writing in `correspond_in` (`en`, `cy` or empty).
pub(crate) fn complaint_under(
    scheme: &str,
    preferred_contact: &str,
    format: &str,
    correspond_in: &str,
) -> (Contact, Scheme) {
    use crate::calendar::{Division, WorkingCalendar};
    use crate::case::{Command, Context};
    use crate::event::Actor;
    use crate::intake::{ContactInput, Reference, Source};
    use jiff::civil::date;
    let scheme = Scheme::find_built_in(scheme).unwrap_or_else(|_| Scheme::built_in().remove(0));
    let cal = WorkingCalendar::standard(Division::EnglandAndWales);
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "phone".into(),
        who: "myself".into(),
        name: "Aled Jones".into(),
        email: "aled@example.org".into(),
        address: "1 High Street, Cardiff".into(),
        postcode: "CF10 1AA".into(),
        summary: "Nobody came to fix the leak".into(),
        preferred_contact: preferred_contact.into(),
        preferred_format: format.into(),
        correspond_in: correspond_in.into(),
        received_date: "2025-03-03".into(),
        ..Default::default()
    };
    let now: jiff::Timestamp = "2025-06-30T12:00:00Z"
        .parse()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let made = input
        .parse(Source::Staff, now)
        .map_err(|e| e.to_string())
        .and_then(|d| {
            Contact::receive(
                "c".into(),
                Reference::new(ContactKind::Complaint, 2025, 1),
                d,
                &scheme,
                &cal,
                Actor::system(),
            )
            .map_err(|e| e.to_string())
        });
    let Ok((mut c, _)) = made else {
        unreachable!("fixture")
    };
    let ctx = Context {
        scheme: &scheme,
        calendar: &cal,
        actor: Actor::system(),
        at: now,
        today: date(2025, 6, 30),
        payment_approval_above: None,
    };
    let ack = Command::Acknowledge {
        on: date(2025, 3, 4),
        understanding: "Repairs were missed".into(),
        outcome_wanted: "A repair".into(),
    };
    assert!(c.apply(ack, &ctx).is_ok());
    (c, scheme)
}

pub(crate) fn acknowledged_event() -> Event {
    Event {
        kind: EventKind::Acknowledged,
        at: jiff::Timestamp::UNIX_EPOCH,
        actor: crate::event::Actor::system(),
        summary: String::new(),
        detail: serde_json::Value::Null,
    }
}
