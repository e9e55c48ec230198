//! How residents reach the organisation: telephone, textphone or Relay UK, email, post and
//! opening hours, shown at the foot of every page and in every letter so nobody is told to
//! "call us" without a number; and where to turn at once when someone is at risk of harm.

use crate::field::{FieldErrors, Text, parse_email, parse_phone};
use std::collections::BTreeMap;

/// The ways to reach the organisation, as an administrator set them; empty when not set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub phone: String,
    /// A textphone number or how to call through Relay UK.
    pub textphone: String,
    pub email: String,
    pub address: String,
    pub hours: String,
    /// The safeguarding line to call when someone is at risk, and when it is answered.
    pub safeguarding_line: String,
    /// Where a confirmed hazard in a home is sent: the repairs service's email. Staff only.
    pub repairs_email: String,
}

/// The form's fields, in the order the settings page shows them: (field, what it is).
pub const FIELDS: &[(&str, &str)] = &[
    ("phone", "the telephone number"),
    ("textphone", "the textphone or Relay UK number"),
    ("email", "the email address"),
    ("address", "the postal address"),
    ("hours", "the opening hours"),
    ("safeguarding_line", "the safeguarding line"),
    ("repairs_email", "the repairs service's email for hazards"),
];

impl Reach {
    /// Reads the settings form; each field is optional, and each is checked at its field.
    pub fn parse(form: &BTreeMap<String, String>) -> Result<Reach, FieldErrors> {
        let get = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        let mut e = FieldErrors::new();
        let text = |e: &mut FieldErrors, field: &str, what: &str, max| {
            e.take(field, Text::parse_optional(get(field), what, max))
                .flatten()
                .map(Text::into_string)
                .unwrap_or_default()
        };
        let reach = Reach {
            phone: e
                .take("phone", parse_phone(get("phone")))
                .flatten()
                .unwrap_or_default(),
            textphone: text(&mut e, "textphone", "the textphone or Relay UK number", 100),
            email: e
                .take("email", parse_email(get("email")))
                .flatten()
                .unwrap_or_default(),
            address: text(&mut e, "address", "the postal address", 500),
            hours: text(&mut e, "hours", "the opening hours", 200),
            safeguarding_line: text(&mut e, "safeguarding_line", "the safeguarding line", 300),
            repairs_email: e
                .take("repairs_email", parse_email(get("repairs_email")))
                .flatten()
                .unwrap_or_default(),
        };
        e.into_result().map(|()| reach)
    }

    /// The values as the settings form shows them.
    pub fn fields(&self) -> [(&'static str, &str); 7] {
        [
            ("phone", &self.phone),
            ("textphone", &self.textphone),
            ("email", &self.email),
            ("address", &self.address),
            ("hours", &self.hours),
            ("safeguarding_line", &self.safeguarding_line),
            ("repairs_email", &self.repairs_email),
        ]
    }

    /// The postal address on one line, its lines separated by commas.
    pub fn address_on_one_line(&self) -> String {
        self.address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The telephone number as a `tel:` link takes it: digits and a leading `+`.
    pub fn tel(&self) -> String {
        self.phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        [&self.phone, &self.textphone, &self.email, &self.address]
            .iter()
            .all(|v| v.is_empty())
    }

    /// The ways to reach the organisation as lines of a letter's foot; empty when none
    /// are set.
    pub fn in_a_letter(&self) -> String {
        self.in_a_letter_in(crate::language::Language::English)
    }

    /// The ways to reach the organisation as a letter in that language ends.
    pub fn in_a_letter_in(&self, language: crate::language::Language) -> String {
        let welsh = language == crate::language::Language::Welsh;
        let label = |english: &'static str, cymraeg: &'static str| {
            if welsh { cymraeg } else { english }
        };
        let mut lines = Vec::new();
        if !self.phone.is_empty() {
            lines.push(format!("{} {}", label("Telephone:", "Ffôn:"), self.phone));
        }
        if !self.textphone.is_empty() {
            lines.push(format!(
                "{} {}",
                label("Textphone or Relay UK:", "Ffôn testun neu Relay UK:"),
                self.textphone
            ));
        }
        if !self.email.is_empty() {
            lines.push(format!("{} {}", label("Email:", "E-bost:"), self.email));
        }
        if !self.address.is_empty() {
            lines.push(format!(
                "{} {}",
                label("Write to:", "Ysgrifennu at:"),
                self.address.replace('\n', ", ")
            ));
        }
        if !self.hours.is_empty() {
            lines.push(format!(
                "{} {}",
                label("Opening hours:", "Oriau agor:"),
                self.hours
            ));
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn contact_details_are_checked_at_their_field_and_written_for_letters() {
        let bad = Reach::parse(&form(&[("phone", "call us"), ("email", "not@")]));
        let Err(errors) = bad else {
            unreachable!("refused")
        };
        assert!(errors.get("phone").is_some() && errors.get("email").is_some());
        let reach = Reach::parse(&form(&[
            ("phone", "0300 123 4567"),
            ("textphone", "18001 0300 123 4567"),
            ("email", "complaints@demo.example"),
            ("address", "1 High Street\nCardiff CF10 1AA"),
            ("hours", "Monday to Friday, 9am to 5pm"),
        ]));
        let Ok(reach) = reach else {
            unreachable!("{reach:?}")
        };
        assert_eq!(
            reach.in_a_letter(),
            "Telephone: 0300 123 4567\nTextphone or Relay UK: 18001 0300 123 4567\n\
             Email: complaints@demo.example\nWrite to: 1 High Street, Cardiff CF10 1AA\n\
             Opening hours: Monday to Friday, 9am to 5pm"
        );
        assert!(Reach::default().in_a_letter().is_empty());
        // A Welsh letter labels the same details in Welsh.
        assert_eq!(
            reach.in_a_letter_in(crate::language::Language::Welsh),
            "Ffôn: 0300 123 4567\nFfôn testun neu Relay UK: 18001 0300 123 4567\n\
             E-bost: complaints@demo.example\nYsgrifennu at: 1 High Street, Cardiff CF10 1AA\n\
             Oriau agor: Monday to Friday, 9am to 5pm"
        );
    }
}
