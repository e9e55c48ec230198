//! The person a contact is from, their needs, and whoever acts for them.

use super::input::{ContactInput, optional_choice, yes};
use super::{MAX_MEDIUM, MAX_SHORT, Source, Who};
use crate::field::{FieldErrors, Text, parse_email, parse_phone, parse_postcode};
use crate::person::{
    Authority, ContactMethod, Needs, Person, PreferredFormat, Relationship, Representative,
};

impl ContactInput {
    pub(super) fn parse_needs(&self, e: &mut FieldErrors) -> Needs {
        Needs {
            preferred_contact: e.take_opt(
                "preferred_contact",
                optional_choice(&self.preferred_contact, ContactMethod::parse),
            ),
            preferred_format: e.take_opt(
                "preferred_format",
                optional_choice(&self.preferred_format, PreferredFormat::parse),
            ),
            language: e.take_opt(
                "language",
                Text::parse_line_optional(&self.language, "the language", MAX_SHORT),
            ),
            correspond_in: e
                .take_opt(
                    "correspond_in",
                    optional_choice(&self.correspond_in, crate::language::Language::parse),
                )
                .or_else(|| crate::language::Language::from_words(&self.language)),
            interpreter: yes(&self.interpreter),
            accessibility: e.take_opt(
                "needs",
                Text::parse_optional(&self.needs, "your needs", MAX_MEDIUM),
            ),
            vulnerabilities: e.take_opt(
                "vulnerabilities",
                Text::parse_optional(&self.vulnerabilities, "the circumstances", MAX_MEDIUM),
            ),
            adjustments: e.take_opt(
                "adjustments",
                Text::parse_optional(&self.adjustments, "the adjustments", MAX_MEDIUM),
            ),
            monitoring: {
                use crate::equality::{AgeBand, DisabilityAnswer, EthnicGroup, Monitoring};
                let m = Monitoring {
                    age: e.take_opt("age_band", optional_choice(&self.age_band, AgeBand::parse)),
                    disability: e.take_opt(
                        "disability",
                        optional_choice(&self.disability, DisabilityAnswer::parse),
                    ),
                    ethnic_group: e.take_opt(
                        "ethnic_group",
                        optional_choice(&self.ethnic_group, EthnicGroup::parse),
                    ),
                };
                (!m.is_empty()).then_some(m)
            },
        }
    }

    pub(super) fn parse_person(
        &self,
        who: Who,
        needs: Needs,
        e: &mut FieldErrors,
    ) -> Option<Person> {
        let name_prompt = if who == Who::Myself {
            "your full name"
        } else {
            "the full name of the person you are acting for"
        };
        let name = e.take("name", Text::parse_line(&self.name, name_prompt, MAX_SHORT));
        let email = e.take_opt("email", parse_email(&self.email));
        let phone = e.take_opt("phone", parse_phone(&self.phone));
        let address = e.take_opt(
            "address",
            Text::parse_optional(&self.address, "the address", MAX_MEDIUM),
        );
        let postcode = e.take_opt("postcode", parse_postcode(&self.postcode));
        let reachable = email.is_some() || phone.is_some() || address.is_some();
        let typed_any = [&self.email, &self.phone, &self.address]
            .iter()
            .any(|s| !s.trim().is_empty());
        if who == Who::Myself && !reachable && !typed_any {
            e.add(
                "email",
                "Enter an email address, telephone number or postal address so we can reply to you",
            );
        }
        match needs.preferred_contact {
            Some(ContactMethod::Email)
                if email.is_none() && e.get("email").is_none() && who == Who::Myself =>
            {
                e.add(
                    "email",
                    "Enter your email address, as you asked us to contact you by email",
                );
            }
            Some(ContactMethod::Phone | ContactMethod::Text)
                if phone.is_none() && e.get("phone").is_none() && who == Who::Myself =>
            {
                e.add(
                    "phone",
                    "Enter your telephone number, as you asked us to contact you by phone or text",
                );
            }
            Some(ContactMethod::Letter)
                if address.is_none() && e.get("address").is_none() && who == Who::Myself =>
            {
                e.add(
                    "address",
                    "Enter your address, as you asked us to write to you",
                );
            }
            _ => {}
        }
        Some(Person {
            name: name?,
            email,
            phone,
            address,
            postcode,
            needs,
        })
    }

    pub(super) fn parse_representative(
        &self,
        source: Source,
        e: &mut FieldErrors,
    ) -> Option<Representative> {
        let name = e.take(
            "rep_name",
            Text::parse_line(&self.rep_name, "your full name", MAX_SHORT),
        );
        let relationship = e.take(
            "rep_relationship",
            Relationship::parse(&self.rep_relationship),
        );
        let email = e.take_opt("rep_email", parse_email(&self.rep_email));
        let phone = e.take_opt("rep_phone", parse_phone(&self.rep_phone));
        if email.is_none()
            && phone.is_none()
            && self.rep_email.trim().is_empty()
            && self.rep_phone.trim().is_empty()
        {
            e.add(
                "rep_email",
                "Enter your email address or telephone number so we can reply to you",
            );
        }
        let authority = if self.rep_authority.trim().is_empty() && source == Source::PublicForm {
            Some(Authority::NotYetConfirmed)
        } else {
            e.take("rep_authority", Authority::parse(&self.rep_authority))
        };
        Some(Representative {
            name: name?,
            relationship: relationship?,
            email,
            phone,
            authority: authority?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn a_person_must_be_reachable_unless_anonymous() {
        let mut input = complaint_input();
        input.email.clear();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert!(
            errs.get("email")
                .is_some_and(|m| m.contains("so we can reply"))
        );
        let anon = ContactInput {
            kind: "compliment".into(),
            who: "anonymous".into(),
            summary: "Thank you to the caretaker.".into(),
            ..Default::default()
        };
        assert!(
            anon.parse(Source::PublicForm, now())
                .is_ok_and(|c| c.person.is_none())
        );
    }

    #[test]
    fn a_representative_needs_name_relationship_and_contact() {
        let mut input = complaint_input();
        input.who = "someone-else".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert!(errs.get("rep_name").is_some());
        assert!(errs.get("rep_relationship").is_some());
        assert!(errs.get("rep_email").is_some());
        input.rep_name = "Cllr Evans".into();
        input.rep_relationship = "councillor".into();
        input.rep_phone = "029 2087 2000".into();
        let ok = input.parse(Source::PublicForm, now());
        assert!(ok.is_ok_and(|c| {
            c.representative
                .is_some_and(|r| r.authority == Authority::NotYetConfirmed)
        }));
    }
}
