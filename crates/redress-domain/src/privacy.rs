//! Personal data over a case's life: how long it is kept, erasing it while the figures
//! survive, redacting one note or file, and case studies with nobody identifiable in them.

use crate::case::Erasure;
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::field::Text;
use crate::intake::ContactKind;
use crate::person::{Needs, Person};
use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::{Deserialize, Serialize};

/// What erased free text reads as afterwards.
pub const ERASED: &str = "[erased]";
/// What a redacted passage reads as afterwards; a note's own rule, named here too for the history.
pub use crate::case::REDACTED;
/// Common practice rather than law: six years after closure, the limitation period for
/// most claims a complaint could turn into.
pub const DEFAULT_RETENTION_YEARS: u8 = 6;
/// Subject access requests are answered within one calendar month (extendable by two).
pub const SUBJECT_ACCESS_MONTHS: i8 = 1;

/// Years after closure that each kind of contact keeps its personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    pub years: Vec<(ContactKind, u8)>,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            years: ContactKind::ALL
                .iter()
                .map(|k| (*k, DEFAULT_RETENTION_YEARS))
                .collect(),
        }
    }
}

impl RetentionPolicy {
    pub fn years_for(&self, kind: ContactKind) -> u8 {
        self.years
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, y)| *y)
            .unwrap_or(DEFAULT_RETENTION_YEARS)
    }

    pub fn set(&mut self, kind: ContactKind, years: u8) {
        match self.years.iter_mut().find(|(k, _)| *k == kind) {
            Some(entry) => entry.1 = years,
            None => self.years.push((kind, years)),
        }
    }

    /// Cases of this kind closed before the returned date are due for erasure today.
    pub fn closed_before(&self, kind: ContactKind, today: Date) -> Date {
        let years = i16::from(self.years_for(kind));
        today.checked_sub(years.years()).unwrap_or(Date::MIN)
    }

    /// Reads the number of years typed into the settings form.
    pub fn parse_years(raw: &str) -> Result<u8, String> {
        match raw.trim().parse::<u8>() {
            Ok(y) if (1..=100).contains(&y) => Ok(y),
            _ => Err("Enter a whole number of years between 1 and 100".into()),
        }
    }
}

/// When a subject access request received on `received` must be answered.
pub fn subject_access_due(received: Date) -> Date {
    received
        .checked_add(Span::new().months(SUBJECT_ACCESS_MONTHS))
        .unwrap_or(received)
}

fn erased() -> String {
    ERASED.to_string()
}

fn erase_text(t: &mut Text) {
    *t = Text::from_trusted(erased());
}

fn erase_opt(s: &mut Option<String>) {
    if s.is_some() {
        *s = Some(erased());
    }
}

/// Names recorded for things the resident did online end "(online)"; they are the resident.
fn erase_if_resident(name: &mut String) {
    if name.ends_with("(online)") {
        *name = "Resident (online)".into();
    }
}

impl Contact {
    /// Whether the case's personal data may be erased now: a closed case, not yet erased.
    /// Erasure is not a case command, so this stands beside `allows` for the menu.
    pub fn may_erase(&self) -> bool {
        self.accepts_erasure().is_ok()
    }

    /// What `erase_personal_data` checks of the case before it looks at the reason given.
    pub fn accepts_erasure(&self) -> Result<(), ContactError> {
        if self.case.erased.is_some() {
            return Err(ContactError::Rule(
                "reason",
                "This case's personal data has already been erased".into(),
            ));
        }
        if self.closed_on.is_none() {
            return Err(ContactError::Rule(
                "reason",
                "This case is still open. Close it before erasing its personal data".into(),
            ));
        }
        Ok(())
    }

    /// Removes everything that identifies or describes the person, keeping what the
    /// figures are made of: kind, channel, dates, stages, outcomes, remedy kinds and amounts,
    /// service area, tenure and the flags.
    ///
    /// Only a closed case is erased (an open one is still being handled), once, for a
    /// recorded reason.
    pub fn erase_personal_data(&mut self, on: Date, reason: &str) -> Result<(), ContactError> {
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(ContactError::Missing(
                "reason",
                "why the personal data is being erased",
            ));
        }
        self.accepts_erasure()?;
        let erasure = Erasure { on, reason };
        let d = &mut self.detail;
        if let Some(p) = d.person.as_mut() {
            // The equality answers stay: with nothing left to say whose they are, they are
            // part of the figures (who complains), like the kind and the dates.
            let monitoring = p.needs.monitoring;
            *p = Person {
                name: Text::from_trusted(erased()),
                email: None,
                phone: None,
                address: None,
                postcode: None,
                needs: Needs {
                    monitoring,
                    ..Needs::default()
                },
            };
        }
        if let Some(r) = d.representative.as_mut() {
            erase_text(&mut r.name);
            r.email = None;
            r.phone = None;
        }
        d.property_ref = None;
        erase_text(&mut d.summary);
        d.outcome_wanted.as_mut().map(erase_text);
        d.staff_named.as_mut().map(erase_text);

        let c = &mut self.case;
        for stage in &mut c.stages {
            erase_opt(&mut stage.escalation_reason);
            erase_opt(&mut stage.understanding);
            erase_opt(&mut stage.outcome_wanted);
            for x in &mut stage.extensions {
                x.reason = erased();
                erase_opt(&mut x.good_reason);
            }
            if let Some(r) = stage.response.as_mut() {
                r.reasons = erased();
                erase_opt(&mut r.outstanding_actions);
                for p in &mut r.points {
                    p.point = erased();
                }
            }
        }
        if let Some(p) = c.paused.as_mut() {
            p.reason = erased();
        }
        erase_opt(&mut c.time_limit_override);
        if let Some(d) = c.decline.as_mut() {
            d.explanation = erased();
        }
        erase_opt(&mut c.withdrawal);
        for r in &mut c.escalation_refusals {
            r.reason = erased();
        }
        for r in &mut c.remedies {
            r.description = erased();
            for n in &mut r.notes {
                n.text = erased();
            }
        }
        for f in &mut c.referrals {
            erase_opt(&mut f.summary);
            for o in &mut f.orders {
                o.description = erased();
                erase_opt(&mut o.evidence);
            }
        }
        for n in &mut c.notes {
            n.text = erased();
            erase_if_resident(&mut n.by);
        }
        if let Some(r) = c.reply.as_mut() {
            r.text = erased();
        }
        if let Some(o) = c.comment_outcome.as_mut() {
            erase_opt(&mut o.reason);
        }
        for l in &mut c.links {
            erase_opt(&mut l.their_reference);
        }
        if let Some(l) = c.learning.as_mut() {
            l.lessons = erased();
        }
        for a in &mut c.surveys {
            erase_opt(&mut a.why);
            erase_opt(&mut a.better);
        }
        for a in &mut c.attachments {
            a.name = erased();
            a.description = erased();
            erase_if_resident(&mut a.by);
            a.redacted_on.get_or_insert(erasure.on);
        }
        c.erased = Some(erasure);
        Ok(())
    }
}

/// What a redaction takes away, read before it is applied: the words to take out of the
/// history too, and the file whose bytes go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Removed {
    pub texts: Vec<String>,
    pub file: Option<String>,
}

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

/// Rewrites a history entry after erasure: what kind of change, when and by whom stay;
/// the words that may describe the person go.
pub fn erase_event(event: &mut Event) {
    event.summary = event.kind.label().to_string();
    event.detail = serde_json::json!({ "erased": true });
    erase_if_resident(&mut event.actor.name);
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

/// The personal details a case study must not show, longest first so "Aled Jones" goes
/// before "Aled".
fn identifiers(contact: &Contact) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let d = &contact.detail;
    let mut name = |n: &str, label: &'static str| {
        out.push((n.to_string(), label));
        for part in n.split_whitespace().filter(|p| p.chars().count() > 2) {
            out.push((part.to_string(), label));
        }
    };
    if let Some(p) = &d.person {
        name(p.name.as_str(), "[resident]");
    }
    if let Some(r) = &d.representative {
        name(r.name.as_str(), "[representative]");
    }
    for a in [&contact.case.officer].into_iter().flatten().chain(
        contact
            .case
            .stages
            .iter()
            .filter_map(|s| s.handler.as_ref()),
    ) {
        name(&a.name, "[officer]");
    }
    if let Some(s) = &d.staff_named {
        name(s.as_str(), "[staff member]");
    }
    if let Some(p) = &d.person {
        for (v, label) in [
            (p.email.clone(), "[email]"),
            (p.phone.clone(), "[phone]"),
            (p.postcode.clone(), "[postcode]"),
            (p.address.as_ref().map(|a| a.to_string()), "[address]"),
        ] {
            if let Some(v) = v {
                out.push((v, label));
            }
        }
        if let Some(a) = &p.address {
            for line in a.as_str().lines().filter(|l| !l.trim().is_empty()) {
                out.push((line.trim().to_string(), "[address]"));
            }
        }
    }
    if let Some(r) = &d.representative {
        for (v, label) in [(r.email.clone(), "[email]"), (r.phone.clone(), "[phone]")] {
            if let Some(v) = v {
                out.push((v, label));
            }
        }
    }
    if let Some(p) = &d.property_ref {
        out.push((p.to_string(), "[property]"));
    }
    out.sort_by_key(|(v, _)| std::cmp::Reverse(v.chars().count()));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn anonymise(text: &str, ids: &[(String, &'static str)]) -> String {
    let mut out = text.to_string();
    for (value, label) in ids {
        out = replace_ignoring_case(&out, value, label);
    }
    out
}

fn replace_ignoring_case(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return haystack.to_string();
    }
    let lower_hay = haystack.to_lowercase();
    let lower_needle = needle.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; fall back to an exact match then.
    if lower_hay.len() != haystack.len() || lower_needle.len() != needle.len() {
        return haystack.replace(needle, with);
    }
    let mut out = String::with_capacity(haystack.len());
    let mut at = 0;
    while let Some(pos) = lower_hay[at..].find(&lower_needle) {
        out.push_str(&haystack[at..at + pos]);
        out.push_str(with);
        at += pos + needle.len();
    }
    out.push_str(&haystack[at..]);
    out
}

/// A case told for staff training: what happened and when, in days from receipt, with
/// names, contact details, addresses and references taken out. Staff read it through
/// before using it, since free text can identify someone in ways no rule can catch.
pub fn case_study(contact: &Contact, history: &[Event], area: Option<&str>) -> String {
    let ids = identifiers(contact);
    let clean = |s: &str| anonymise(s, &ids);
    let d = &contact.detail;
    let day = |date: Date| {
        let days = (date - contact.received_on).get_days();
        format!("day {days}")
    };
    let mut out = String::new();
    out.push_str(&format!(
        "Case study: a {} received by {}\n",
        d.kind.label().to_lowercase(),
        d.channel.label().to_lowercase()
    ));
    if let Some(area) = area {
        out.push_str(&format!("Service: {area}\n"));
    }
    if let Some(t) = d.tenure {
        out.push_str(&format!("Tenure: {}\n", t.label()));
    }
    if d.representative.is_some() {
        out.push_str("Made by a representative on the resident's behalf\n");
    }
    if d.person.as_ref().is_some_and(|p| p.needs.has_any()) {
        out.push_str("The resident had needs or adjustments recorded\n");
    }
    out.push_str(&format!("Outcome: {}\n\n", contact.status.label()));
    out.push_str(&format!("What was raised\n{}\n", clean(d.summary.as_str())));
    if let Some(o) = &d.outcome_wanted {
        out.push_str(&format!("\nWhat they wanted\n{}\n", clean(o.as_str())));
    }
    for stage in &contact.case.stages {
        out.push_str(&format!("\nStage {}\n", stage.stage));
        if let Some(u) = &stage.understanding {
            out.push_str(&format!("Understanding: {}\n", clean(u)));
        }
        for x in &stage.extensions {
            out.push_str(&format!(
                "Extended on {} to {}: {}\n",
                day(x.agreed_on),
                day(x.to),
                clean(&x.reason)
            ));
        }
        if let Some(r) = &stage.response {
            out.push_str(&format!(
                "Response on {} ({} working-day target date was {}): {}\n",
                day(r.sent_on),
                stage.stage,
                day(stage.respond_by),
                r.outcome.label()
            ));
            for p in &r.points {
                let verdict = if p.upheld { "upheld" } else { "not upheld" };
                out.push_str(&format!("- {}: {verdict}\n", clean(&p.point)));
            }
            out.push_str(&format!("Reasons: {}\n", clean(&r.reasons)));
        }
    }
    if !contact.case.remedies.is_empty() {
        out.push_str("\nPutting things right\n");
        for r in &contact.case.remedies {
            let amount = r
                .payment
                .as_ref()
                .map(|p| format!(" ({})", p.amount))
                .unwrap_or_default();
            out.push_str(&format!(
                "- {}{amount}: {}\n",
                r.kind.label(),
                clean(&r.description)
            ));
        }
    }
    out.push_str("\nTimeline\n");
    for e in history {
        let date = crate::calendar::uk_date(e.at);
        out.push_str(&format!("- {}: {}\n", day(date), e.kind.label()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseState, Context};
    use crate::event::Actor;
    use crate::intake::{ContactInput, Reference, Source};
    use crate::{Division, Scheme, WorkingCalendar};
    use jiff::Timestamp;
    use jiff::civil::date;

    const MARK: &str = "Zebedee";

    fn contact() -> Contact {
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
                "outcome": "dissatisfied", "why": MARK, "better": MARK}]
        });
        match serde_json::from_value::<CaseState>(state) {
            Ok(state) => c.case = state,
            Err(e) => unreachable!("fixture state: {e}"),
        }
        c
    }

    #[test]
    fn erasure_leaves_nothing_personal_but_keeps_the_figures() {
        let mut c = contact();
        assert!(serde_json::to_string(&c).is_ok_and(|s| s.matches(MARK).count() > 25));
        let refused = |c: &mut Contact, reason: &str| {
            c.erase_personal_data(date(2031, 4, 1), reason)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(refused(&mut c, "Asked").contains("still open"));
        assert!(!c.may_erase());
        c.closed_on = Some(date(2025, 4, 1));
        assert!(c.may_erase());
        assert_eq!(
            refused(&mut c, " "),
            "Enter why the personal data is being erased"
        );
        assert!(
            c.erase_personal_data(date(2031, 4, 1), "Retention period ended")
                .is_ok()
        );
        assert!(refused(&mut c, "Again").contains("already been erased"));
        assert!(!c.may_erase());
        let json = serde_json::to_string(&c).unwrap_or_default();
        assert!(!json.contains(MARK), "{json}");
        assert!(!json.contains("example.com"));
        assert!(!json.contains("CF10"));
        assert!(!json.contains("2087"));
        // The figures survive.
        assert_eq!(c.detail.kind, ContactKind::Complaint);
        assert_eq!(c.received_on, date(2025, 3, 3));
        let stage = &c.case.stages[0];
        assert_eq!(stage.response.as_ref().map(|r| r.points.len()), Some(1));
        assert_eq!(
            c.case.remedies[0].payment.as_ref().map(|p| p.amount.0),
            Some(15000)
        );
        assert_eq!(c.case.attachments[0].redacted_on, Some(date(2031, 4, 1)));
        assert!(c.detail.representative.is_some());
        assert_eq!(
            c.case.surveys[0].outcome,
            Some(crate::survey::Rating::Dissatisfied)
        );
        assert_eq!(
            c.detail
                .person
                .as_ref()
                .and_then(|p| p.needs.monitoring)
                .and_then(|m| m.age),
            Some(crate::equality::AgeBand::From35To44),
            "who complains is counted after erasure too"
        );
        assert_eq!(
            c.case.erased.as_ref().map(|e| e.reason.as_str()),
            Some("Retention period ended")
        );
    }

    #[test]
    fn case_studies_leave_out_who_it_was() {
        let c = contact();
        let text = case_study(&c, &[], Some("Repairs"));
        for gone in [
            "Zebedee",
            "Quill",
            "zebedee@example.com",
            "CF10 1AA",
            "029 2087 2000",
            "PROP-",
            "Officer One",
        ] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
        assert!(
            text.contains("[resident]'s boiler keeps breaking down"),
            "{text}"
        );
        assert!(text.contains("Service: Repairs"));
        assert!(text.contains("Upheld"), "{text}");
    }

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
    fn retention_counts_years_from_closure() {
        let mut p = RetentionPolicy::default();
        assert_eq!(
            p.closed_before(ContactKind::Complaint, date(2031, 4, 1)),
            date(2025, 4, 1)
        );
        p.set(ContactKind::Compliment, 2);
        assert_eq!(
            p.closed_before(ContactKind::Compliment, date(2031, 4, 1)),
            date(2029, 4, 1)
        );
        assert!(RetentionPolicy::parse_years("0").is_err());
        assert_eq!(RetentionPolicy::parse_years(" 7 "), Ok(7));
        assert_eq!(subject_access_due(date(2026, 1, 31)), date(2026, 2, 28));
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
