//! Case studies for staff training, with nobody identifiable in them.

use crate::case::Contact;
use crate::event::Event;
use jiff::civil::Date;

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
    use super::super::test_support::*;
    use super::*;

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
}
