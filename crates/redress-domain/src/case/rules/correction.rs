//! Correcting what was recorded when a contact came in: the person's details, tenure,
//! needs and the safeguarding flag. Each correction keeps the old and new values in the
//! history, and the figures are counted again from the corrected case (CH01 by tenure).

use super::not_erased;
use crate::case::Context;
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::field::{Text, parse_email, parse_phone, parse_postcode};
use crate::intake::{MAX_MEDIUM, MAX_SHORT};
use crate::organisation::Tenure;
use crate::person::{ContactMethod, PreferredFormat};
use crate::scheme::Scheme;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The details that can be corrected: (form field, what it is called).
pub const CORRECTABLE: &[(&str, &str)] = &[
    ("name", "Name"),
    ("email", "Email address"),
    ("phone", "Phone number"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("tenure", "Tenure"),
    ("property_ref", "Property reference"),
    ("preferred_contact", "How they want to be contacted"),
    ("preferred_format", "Format"),
    ("language", "Language"),
    ("accessibility", "Accessibility needs"),
    ("vulnerabilities", "Vulnerabilities"),
    ("adjustments", "Reasonable adjustments"),
    ("safeguarding", "Safeguarding concern"),
];

/// The fields that describe the person, which an anonymous contact does not have.
const PERSONAL: &[&str] = &[
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "preferred_contact",
    "preferred_format",
    "language",
    "accessibility",
    "vulnerabilities",
    "adjustments",
];

/// A safeguarding concern is reviewed once, while one is flagged and not yet reviewed.
pub(super) fn accepts_review_safeguarding(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    not_erased(c, "note")?;
    if c.safeguarding_review_due() {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "note",
            "No safeguarding concern on this case is waiting for review".into(),
        ))
    }
}

/// Details can be corrected on any case whose personal data is still held.
pub(super) fn accepts_correct(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    not_erased(c, "reason")
}

fn opt_text(raw: &str, what: &str, max: usize) -> Result<Option<Text>, String> {
    Text::parse_optional(raw, what, max)
}

fn choice<T>(raw: &str, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw.trim()).map(Some)
    }
}

fn shown<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

impl Contact {
    /// The value a correction form starts from, for each correctable field.
    pub fn correctable_values(&self) -> BTreeMap<&'static str, String> {
        let d = &self.detail;
        let p = d.person.as_ref();
        let needs = p.map(|p| &p.needs);
        let mut v = BTreeMap::new();
        v.insert("name", p.map(|p| p.name.to_string()).unwrap_or_default());
        v.insert("email", p.and_then(|p| p.email.clone()).unwrap_or_default());
        v.insert("phone", p.and_then(|p| p.phone.clone()).unwrap_or_default());
        v.insert("address", p.map(|p| shown(&p.address)).unwrap_or_default());
        v.insert(
            "postcode",
            p.and_then(|p| p.postcode.clone()).unwrap_or_default(),
        );
        v.insert(
            "tenure",
            d.tenure.map(|t| t.as_str().to_string()).unwrap_or_default(),
        );
        v.insert("property_ref", shown(&d.property_ref));
        v.insert(
            "preferred_contact",
            needs
                .and_then(|n| n.preferred_contact)
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        );
        v.insert(
            "preferred_format",
            needs
                .and_then(|n| n.preferred_format)
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        );
        v.insert(
            "language",
            needs.map(|n| shown(&n.language)).unwrap_or_default(),
        );
        v.insert(
            "accessibility",
            needs.map(|n| shown(&n.accessibility)).unwrap_or_default(),
        );
        v.insert(
            "vulnerabilities",
            needs.map(|n| shown(&n.vulnerabilities)).unwrap_or_default(),
        );
        v.insert(
            "adjustments",
            needs.map(|n| shown(&n.adjustments)).unwrap_or_default(),
        );
        v.insert(
            "safeguarding",
            if d.safeguarding { "yes" } else { "no" }.to_string(),
        );
        v
    }

    /// Applies the corrected values given (fields left out stay as they are) and records
    /// each change with its old and new value.
    pub(in crate::case) fn correct(
        &mut self,
        values: BTreeMap<String, String>,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_correct(self, ctx.scheme)?;
        let reason = super::required(&reason, "reason", "why the details are being corrected")?;
        let before = self.correctable_values();
        let mut changes = Vec::new();
        for (field, label) in CORRECTABLE {
            let Some(raw) = values.get(*field) else {
                continue;
            };
            let old = before.get(field).cloned().unwrap_or_default();
            if raw.trim() == old.trim() {
                continue;
            }
            self.set_corrected(field, raw)
                .map_err(|m| ContactError::Rule(field, m))?;
            let new = self
                .correctable_values()
                .get(field)
                .cloned()
                .unwrap_or_default();
            if new != old {
                changes.push((*field, *label, old, new));
            }
        }
        if changes.is_empty() {
            return Err(ContactError::Rule(
                "reason",
                "Nothing has changed: change a detail before saving".into(),
            ));
        }
        let shown = |field: &str, v: &str| -> String {
            let label = match field {
                "tenure" => Tenure::parse(v).map(|t| t.label()).ok(),
                "preferred_contact" => ContactMethod::parse(v).map(|t| t.label()).ok(),
                "preferred_format" => PreferredFormat::parse(v).map(|t| t.label()).ok(),
                _ => None,
            };
            match (label, v) {
                (_, "") => "not recorded".to_string(),
                (Some(l), _) => l.to_string(),
                (None, v) => v.to_string(),
            }
        };
        let summary = format!(
            "Details corrected: {}. Reason: {reason}",
            changes
                .iter()
                .map(|(f, label, old, new)| format!(
                    "{} from \"{}\" to \"{}\"",
                    label.to_lowercase(),
                    shown(f, old),
                    shown(f, new)
                ))
                .collect::<Vec<_>>()
                .join("; ")
        );
        let detail = serde_json::json!({
            "reason": reason,
            "changes": changes.iter().map(|(f, _, old, new)| serde_json::json!({
                "field": f, "old": old, "new": new,
            })).collect::<Vec<_>>(),
        });
        Ok(ctx.event(EventKind::Corrected, summary, detail))
    }

    pub(in crate::case) fn review_safeguarding(
        &mut self,
        on: Date,
        note: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_review_safeguarding(self, ctx.scheme)?;
        let note = super::required(&note, "note", "what was decided and done")?;
        super::check_date(on, self.received_on, "the contact was received", ctx.today)?;
        self.case.safeguarding_review = Some(crate::case::SafeguardingReview {
            on,
            by: ctx.actor.name.clone(),
            note: note.clone(),
        });
        Ok(ctx.event(
            EventKind::SafeguardingReviewed,
            format!("Safeguarding reviewed on {on}: {note}"),
            serde_json::json!({"on": on, "note": note}),
        ))
    }

    fn set_corrected(&mut self, field: &str, raw: &str) -> Result<(), String> {
        let d = &mut self.detail;
        if PERSONAL.contains(&field) && d.person.is_none() {
            return Err(
                "This contact was made anonymously: there is no person's detail to correct".into(),
            );
        }
        match field {
            "tenure" => d.tenure = choice(raw, Tenure::parse)?,
            "property_ref" => d.property_ref = opt_text(raw, "the property reference", MAX_SHORT)?,
            "safeguarding" => {
                let flagged = match raw.trim() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err("Select yes or no".into()),
                };
                // A concern raised again is a new concern: it needs its own review.
                if flagged && !d.safeguarding {
                    self.case.safeguarding_review = None;
                }
                self.detail.safeguarding = flagged;
            }
            _ => {
                let Some(p) = d.person.as_mut() else {
                    return Err(format!("{field} cannot be corrected"));
                };
                match field {
                    "name" => p.name = Text::parse_line(raw, "the person's name", MAX_SHORT)?,
                    "email" => p.email = parse_email(raw)?,
                    "phone" => p.phone = parse_phone(raw)?,
                    "address" => p.address = opt_text(raw, "the address", MAX_MEDIUM)?,
                    "postcode" => p.postcode = parse_postcode(raw)?,
                    "preferred_contact" => {
                        p.needs.preferred_contact = choice(raw, ContactMethod::parse)?
                    }
                    "preferred_format" => {
                        p.needs.preferred_format = choice(raw, PreferredFormat::parse)?
                    }
                    "language" => p.needs.language = opt_text(raw, "the language", MAX_SHORT)?,
                    "accessibility" => {
                        p.needs.accessibility = opt_text(raw, "accessibility needs", MAX_MEDIUM)?
                    }
                    "vulnerabilities" => {
                        p.needs.vulnerabilities = opt_text(raw, "vulnerabilities", MAX_MEDIUM)?
                    }
                    "adjustments" => {
                        p.needs.adjustments = opt_text(raw, "reasonable adjustments", MAX_MEDIUM)?
                    }
                    _ => return Err(format!("{field} cannot be corrected")),
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::{Command, ContactError};
    use crate::event::EventKind;
    use std::collections::BTreeMap;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_correction_records_old_and_new_values() {
        let mut c = received("");
        let events = run(
            &mut c,
            Command::Correct {
                values: values(&[
                    ("tenure", "low-cost-home-ownership"),
                    ("email", "new@example.org"),
                ]),
                reason: "Resident rang to say".into(),
            },
        );
        let Ok(events) = events else {
            unreachable!("{events:?}")
        };
        assert_eq!(events[0].kind, EventKind::Corrected);
        assert!(
            events[0].summary.contains("tenure from"),
            "{}",
            events[0].summary
        );
        assert!(events[0].summary.contains("Shared ownership or other"));
        assert_eq!(
            c.detail.person.as_ref().and_then(|p| p.email.as_deref()),
            Some("new@example.org")
        );
        assert_eq!(
            c.detail.tenure.map(|t| t.as_str()),
            Some("low-cost-home-ownership")
        );
        let changes = events[0].detail["changes"].as_array().map(Vec::len);
        assert_eq!(changes, Some(2));
    }

    #[test]
    fn a_bad_value_is_refused_at_its_field_and_nothing_changes() {
        let mut c = received("");
        let before = c.clone();
        let refused = run(
            &mut c,
            Command::Correct {
                values: values(&[
                    ("tenure", "low-cost-home-ownership"),
                    ("email", "not an email"),
                ]),
                reason: "Typo".into(),
            },
        );
        assert!(matches!(refused, Err(ContactError::Rule("email", _))));
        assert_eq!(c, before);
        let same = c
            .correctable_values()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let unchanged = run(
            &mut c,
            Command::Correct {
                values: same,
                reason: "No change".into(),
            },
        );
        assert!(
            matches!(unchanged, Err(ContactError::Rule("reason", m)) if m.contains("Nothing has changed"))
        );
        let no_reason = run(
            &mut c,
            Command::Correct {
                values: values(&[("safeguarding", "yes")]),
                reason: " ".into(),
            },
        );
        assert!(matches!(no_reason, Err(ContactError::Missing("reason", _))));
    }
}
