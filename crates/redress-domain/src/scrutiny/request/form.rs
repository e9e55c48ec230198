//! The form a resident sends, and how they want to be written to.

use super::{LONG, RequestAnswers, SHORT};
use crate::FieldErrors;
use crate::field::{Text, parse_email, parse_phone, parse_postcode};
use crate::letter::Delivery;
use crate::person::ContactMethod;
use crate::scrutiny::Format;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A sent form: every field checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    pub name: Text,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Text>,
    pub postcode: Option<String>,
    pub preferred_contact: ContactMethod,
    pub format: Option<Format>,
    /// A language other than English the requester reads, if they asked for one.
    #[serde(default)]
    pub language: Option<Text>,
    /// Whether they are written to in English or Welsh; `None` when they did not say.
    #[serde(default)]
    pub correspond_in: Option<crate::language::Language>,
    pub help_wanted: bool,
    /// The business area (service area id) the concerns are about, if the resident knows.
    pub business_area: Option<String>,
    pub concerns: Text,
    pub actions_taken: Text,
    pub failures: Text,
    pub affected: Text,
    pub affected_why: Option<Text>,
    pub resolution: Text,
    /// The typed name that signs the form.
    pub signature: Text,
    pub signed_on: Date,
}

fn answer<'a>(a: &'a RequestAnswers, k: &str) -> &'a str {
    a.get(k).map(String::as_str).unwrap_or("")
}

impl RequestForm {
    /// Checks the answers; every message names the field it is about.
    pub fn parse(a: &RequestAnswers, today: Date) -> Result<RequestForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take(
            "name",
            Text::parse(answer(a, "name"), "your full name", SHORT),
        );
        let email = e.take_opt("email", parse_email(answer(a, "email")));
        let phone = e.take_opt("phone", parse_phone(answer(a, "phone")));
        let address = e.take_opt(
            "address",
            Text::parse_optional(answer(a, "address"), "your address", 500),
        );
        let postcode = e.take_opt("postcode", parse_postcode(answer(a, "postcode")));
        let preferred = e.take(
            "preferred_contact",
            ContactMethod::parse(answer(a, "preferred_contact")),
        );
        match preferred {
            Some(ContactMethod::Email) if email.is_none() && e.get("email").is_none() => e.add(
                "email",
                "Enter your email address, as you asked us to email you",
            ),
            Some(ContactMethod::Phone | ContactMethod::Text | ContactMethod::Textphone)
                if phone.is_none() && e.get("phone").is_none() =>
            {
                e.add(
                    "phone",
                    "Enter your telephone number, as you asked us to call you",
                )
            }
            Some(ContactMethod::Letter | ContactMethod::InPerson)
                if address.is_none() && e.get("address").is_none() =>
            {
                e.add(
                    "address",
                    "Enter your address, as you asked us to write to you",
                )
            }
            _ => {}
        }
        let format = match answer(a, "format").trim() {
            "" | "standard" => None,
            f => e.take("format", Format::parse(f)),
        };
        let language = e
            .take_opt(
                "language",
                Text::parse_optional(answer(a, "language"), "the language", 60),
            )
            .filter(|l| !l.as_str().eq_ignore_ascii_case("english"));
        let mut text = |key: &str, what: &str| e.take(key, Text::parse(answer(a, key), what, LONG));
        let concerns = text("concerns", "your concerns");
        let actions_taken = text(
            "actions_taken",
            "what you have already done to try to resolve them",
        );
        let failures = text("failures", "the service failures you have experienced");
        let affected = text("affected", "who is affected");
        let resolution = text(
            "resolution",
            "what we would need to do to resolve your concerns",
        );
        let affected_why = e.take_opt(
            "affected_why",
            Text::parse_optional(answer(a, "affected_why"), "why they are affected", LONG),
        );
        let signature = e.take(
            "signature",
            Text::parse(answer(a, "signature"), "your name to sign the form", SHORT),
        );
        if let (Some(n), Some(s)) = (&name, &signature)
            && !same_name(n.as_str(), s.as_str())
        {
            e.add("signature", "Sign with the same name you gave at the start");
        }
        if answer(a, "declaration") != "yes" {
            e.add(
                "declaration",
                "Confirm that what you have told us is true to the best of your knowledge",
            );
        }
        let business_area =
            Some(answer(a, "business_area").trim().to_string()).filter(|s| !s.is_empty());
        match (
            name,
            preferred,
            concerns,
            actions_taken,
            failures,
            affected,
            resolution,
            signature,
        ) {
            (
                Some(name),
                Some(preferred_contact),
                Some(concerns),
                Some(actions_taken),
                Some(failures),
                Some(affected),
                Some(resolution),
                Some(signature),
            ) if e.is_empty() => Ok(RequestForm {
                name,
                email,
                phone,
                address,
                postcode,
                preferred_contact,
                format,
                correspond_in: crate::language::Language::parse(answer(a, "correspond_in"))
                    .ok()
                    .or_else(|| {
                        language
                            .as_ref()
                            .and_then(|l| crate::language::Language::from_words(l.as_str()))
                    }),
                language,
                help_wanted: answer(a, "help") == "yes",
                business_area,
                concerns,
                actions_taken,
                failures,
                affected,
                affected_why,
                resolution,
                signature,
                signed_on: today,
            }),
            _ => Err(e),
        }
    }
}

impl RequestForm {
    /// How to write to the requester: email when that is how they want to hear and they
    /// asked for no other format; a printed letter (large print when asked) to their
    /// address when they want post or a format; `None` when they want a call, or gave
    /// nowhere to write.
    pub fn delivery(&self) -> Option<(Delivery, String, bool)> {
        let large_print = self.format == Some(Format::LargePrint);
        let other_format = self.format.is_some();
        let by_email = self.preferred_contact == ContactMethod::Email;
        match (&self.email, &self.address) {
            (Some(email), _) if by_email && !other_format => {
                Some((Delivery::Email, email.clone(), large_print))
            }
            (_, Some(address))
                if other_format
                    || by_email
                    || matches!(
                        self.preferred_contact,
                        ContactMethod::Letter | ContactMethod::InPerson
                    ) =>
            {
                let mut block = vec![self.name.to_string(), address.to_string()];
                block.extend(self.postcode.clone());
                Some((Delivery::Post, block.join("\n"), large_print))
            }
            (Some(email), None) if by_email => Some((Delivery::Email, email.clone(), large_print)),
            _ => None,
        }
    }
}

impl RequestForm {
    /// What letters to the requester must be turned into before they go, as for a
    /// complaint: Braille, audio, or a translation. Large print is printed as it is.
    pub fn conversion(&self) -> Option<String> {
        match (self.format, &self.language) {
            (Some(Format::Braille), _) => Some("Braille".into()),
            (Some(Format::Audio), _) => Some("Audio".into()),
            // Welsh letters are written in Welsh: nothing to translate.
            (_, Some(language))
                if crate::language::Language::from_words(language.as_str()).is_none() =>
            {
                Some(format!("Translation into {language}"))
            }
            _ => None,
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_form_names_each_missing_field() {
        let e = RequestForm::parse(&RequestAnswers::new(), date(2026, 3, 2)).unwrap_err();
        for field in [
            "name",
            "preferred_contact",
            "concerns",
            "actions_taken",
            "failures",
            "affected",
            "resolution",
            "signature",
            "declaration",
        ] {
            assert!(e.get(field).is_some(), "{field} should be asked for");
        }
        let mut a = answers();
        a.insert("signature".into(), "Someone Else".into());
        a.insert("preferred_contact".into(), "phone".into());
        let e = RequestForm::parse(&a, date(2026, 3, 2)).unwrap_err();
        assert_eq!(
            e.get("signature"),
            Some("Sign with the same name you gave at the start")
        );
        assert!(e.get("phone").is_some());
    }

    #[test]
    fn the_requester_is_written_to_as_they_asked() {
        let form = |extra: &[(&str, &str)]| {
            let mut a = answers();
            for (k, v) in extra {
                a.insert(k.to_string(), v.to_string());
            }
            RequestForm::parse(&a, date(2026, 3, 2)).unwrap()
        };
        let by = |f: &RequestForm| f.delivery();
        assert_eq!(
            by(&form(&[])),
            Some((Delivery::Email, "ada@example.org".into(), false))
        );
        let large = form(&[("address", "1 Oak House"), ("format", "large-print")]);
        assert_eq!(
            by(&large),
            Some((Delivery::Post, "Ada Lovelace\n1 Oak House".into(), true))
        );
        let letter = form(&[("preferred_contact", "letter"), ("address", "1 Oak House")]);
        assert_eq!(by(&letter).map(|d| d.0), Some(Delivery::Post));
        let braille_no_address = form(&[("format", "braille")]);
        assert_eq!(
            by(&braille_no_address).map(|d| d.0),
            Some(Delivery::Email),
            "nowhere else to write"
        );
        let phone = form(&[("preferred_contact", "phone"), ("phone", "029 2087 2000")]);
        assert_eq!(by(&phone), None, "staff call them");
    }

    #[test]
    fn braille_audio_and_other_languages_are_converted_before_they_go() {
        let form = |extra: &[(&str, &str)]| {
            let mut a = answers();
            for (k, v) in extra {
                a.insert(k.to_string(), v.to_string());
            }
            RequestForm::parse(&a, date(2026, 3, 2)).unwrap()
        };
        assert_eq!(form(&[]).conversion(), None);
        assert_eq!(form(&[("format", "large-print")]).conversion(), None);
        assert_eq!(
            form(&[("format", "braille")]).conversion().as_deref(),
            Some("Braille")
        );
        assert_eq!(
            form(&[("format", "audio"), ("language", "Polish")])
                .conversion()
                .as_deref(),
            Some("Audio")
        );
        assert_eq!(
            form(&[("language", "Polish")]).conversion().as_deref(),
            Some("Translation into Polish")
        );
        assert_eq!(form(&[("language", " English ")]).conversion(), None);
    }
}
