//! A complaint full of personal details, shared by the privacy tests.

use crate::case::{CaseState, Contact};
use crate::event::Actor;
use crate::intake::{ContactInput, ContactKind, Reference, Source};
use crate::{Division, Scheme, WorkingCalendar};
use jiff::Timestamp;

pub(crate) const MARK: &str = "Zebedee";

pub(crate) fn contact() -> Contact {
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "email".into(),
        who: "someone-else".into(),
        name: format!("{MARK} Quill"),
        email: "zebedee@example.com".into(),
        phone: "029 2087 2000".into(),
        address: format!("1 {MARK} Road\nCardiff"),
        postcode: "CF10 1AA".into(),
        property_ref: format!("PROP-{MARK}"),
        summary: format!("{MARK}'s boiler keeps breaking down"),
        outcome_wanted: format!("{MARK} wants a new boiler"),
        staff_named: format!("{MARK} the engineer"),
        vulnerabilities: format!("{MARK} uses a wheelchair"),
        age_band: "35-44".into(),
        rep_name: format!("{MARK} Advocate"),
        rep_relationship: "advocate".into(),
        rep_email: "advocate@example.com".into(),
        rep_authority: "written-consent".into(),
        received_date: "2025-03-03".into(),
        received_time: "10:00".into(),
        ..Default::default()
    };
    let now: Timestamp = "2025-06-30T12:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let scheme = Scheme::built_in().remove(0);
    let cal = WorkingCalendar::standard(Division::EnglandAndWales);
    let made = input
        .parse(Source::Staff, now)
        .map_err(|e| e.to_string())
        .and_then(|d| {
            Contact::receive(
                "c1".into(),
                Reference::new(ContactKind::Complaint, 2025, 1),
                d,
                &scheme,
                &cal,
                Actor::system(),
            )
            .map_err(|e| e.to_string())
        });
    let mut c = match made {
        Ok((c, _)) => c,
        Err(e) => unreachable!("fixture: {e}"),
    };
    // Every free-text field of the case state carries the marker.
    let state = serde_json::json!({
        "stages": [{
            "stage": 1, "started_on": "2025-03-03", "escalation_reason": MARK,
            "handler": {"user_id": "u1", "name": "Officer One"},
            "acknowledge_by": "2025-03-10", "acknowledged_on": "2025-03-04",
            "understanding": MARK, "outcome_wanted": MARK,
            "original_respond_by": "2025-03-17", "respond_by": "2025-03-17",
            "extensions": [{"agreed_on": "2025-03-10", "reason": MARK, "from": "2025-03-17",
                "to": "2025-03-31", "resident_told_on": "2025-03-10", "outside_code": true,
                "good_reason": MARK}],
            "response": {"sent_on": "2025-03-20", "points": [{"point": MARK, "upheld": true}],
                "outcome": "upheld", "reasons": MARK, "outstanding_actions": MARK,
                "early_resolution": false}
        }],
        "paused": {"since": "2025-03-05", "reason": MARK},
        "time_limit_override": MARK,
        "withdrawal": MARK,
        "escalation_refusals": [{"on": "2025-04-01", "reason": MARK}],
        "remedies": [{"id": 1, "kind": "action", "description": MARK,
            "owner": {"user_id": "u1", "name": "Officer One"}, "due": "2025-04-01",
            "notes": [{"on": "2025-03-21", "by": "Officer One", "text": MARK}],
            "payment": {"kind": "compensation", "amount": 15000}}],
        "referrals": [{"referred_on": "2025-05-01", "ombudsman": "housing", "summary": MARK,
            "orders": [{"id": 1, "description": MARK, "due": "2025-06-01", "evidence": MARK}]}],
        "notes": [{"kind": "from-resident", "on": "2025-03-05", "by": format!("{MARK} (online)"), "text": MARK}],
        "reply": {"on": "2025-03-06", "text": MARK},
        "comment_outcome": {"on": "2025-03-06", "outcome": "noted", "reason": MARK},
        "links": [{"relation": "related", "agency": "Council", "their_reference": MARK}],
        "attachments": [{"id": "a1", "name": format!("{MARK}.pdf"), "file_type": "pdf", "size": 10,
            "description": MARK, "added_on": "2025-03-05", "by": format!("{MARK} (online)")}],
        "learning": {"root_cause": "communication", "lessons": MARK, "recorded_on": "2025-03-21"},
        "surveys": [{"stage": 1, "answered_on": "2025-03-25", "handling": "satisfied",
            "outcome": "dissatisfied", "why": MARK, "better": MARK}],
        "emails": [{"key": "k1", "at": "2025-03-26T10:00:00Z", "from": format!("{MARK}@example.com"),
            "subject": MARK, "text": MARK, "files": [format!("{MARK}.jpg")], "read": false}],
        "treated_as_new": {"on": "2025-03-04", "by": "Officer One", "reason": MARK},
        "survey_suggestions": [{"stage": 1, "suggestion": {"kind": "complaint", "confidence": 80,
            "reasons": [MARK], "decision": {"raised": false, "on": "2025-03-26", "by": "Officer One", "reason": MARK}}}]
    });
    match serde_json::from_value::<CaseState>(state) {
        Ok(state) => c.case = state,
        Err(e) => unreachable!("fixture state: {e}"),
    }
    c
}
