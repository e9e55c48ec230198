//! A contact of any kind — complaint, service request, comment, compliment, other route —
//! from the moment it is received (complaints.md §2).

use crate::choice;
use crate::field::{FieldErrors, Text, parse_email, parse_phone, parse_postcode};
use crate::organisation::Tenure;
use crate::person::{
    Authority, ContactMethod, Needs, Person, PreferredFormat, Relationship, Representative,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use crate::calendar::{uk_date, uk_time_zone};
pub use crate::case::{Contact, ContactError, DeadlineView};

choice!(
    ContactKind, "what you want to tell us" {
        Complaint = "complaint": "Complaint",
        ServiceRequest = "service-request": "Service request",
        Comment = "comment": "Comment",
        Compliment = "compliment": "Compliment",
        OtherRoute = "other-route": "Other statutory route",
    }
);

impl ContactKind {
    /// The letters at the front of a reference.
    pub fn prefix(self) -> &'static str {
        match self {
            ContactKind::Complaint => "CMP",
            ContactKind::ServiceRequest => "SRQ",
            ContactKind::Comment => "CMT",
            ContactKind::Compliment => "CPL",
            ContactKind::OtherRoute => "OSR",
        }
    }

    pub fn from_prefix(prefix: &str) -> Option<ContactKind> {
        ContactKind::ALL
            .iter()
            .copied()
            .find(|k| k.prefix() == prefix)
    }
}

choice!(
    /// Every way a contact can arrive; the service must be the same whichever is used.
    Channel, "how it was received" {
        WebForm = "web-form": "Online form",
        Email = "email": "Email",
        Phone = "phone": "Phone",
        Textphone = "textphone": "Textphone or Minicom",
        Letter = "letter": "Letter",
        InPerson = "in-person": "In person",
        LeafletForm = "leaflet-form": "Leaflet response form",
        SocialMedia = "social-media": "Social media",
        Chatbot = "chatbot": "Chatbot",
        ViaAdvocate = "via-advocate": "Through an advocate",
        ViaSolicitor = "via-solicitor": "Through a solicitor",
        ViaCouncillorOrMp = "via-councillor-or-mp": "Through a councillor or MP",
        Api = "api": "Another system (API)",
    }
);

choice!(
    ContactStatus, "a status" {
        Received = "received": "Received",
        Acknowledged = "acknowledged": "Acknowledged",
        Responded = "responded": "Responded",
        Closed = "closed": "Closed",
        Withdrawn = "withdrawn": "Withdrawn",
        Declined = "declined": "Not taken on",
    }
);

impl ContactStatus {
    pub fn is_open(self) -> bool {
        matches!(self, ContactStatus::Received | ContactStatus::Acknowledged)
    }
}

choice!(
    /// Matters with their own statutory route (seed 002), recorded and signposted.
    OtherRoute, "the route" {
        Whistleblowing = "whistleblowing": "Whistleblowing",
        HealthAndSafety = "health-and-safety": "Health and safety",
        Planning = "planning": "Planning decisions and appeals",
        CouncillorConduct = "councillor-conduct": "Councillor conduct",
        AdultSocialCare = "adult-social-care": "Adult social care (statutory)",
        ChildrenSocialCare = "children-social-care": "Children's social care (statutory)",
        SchoolAdmissions = "school-admissions": "School admissions and exclusions",
        SenAppeal = "sen-appeal": "Special educational needs appeals",
        InformationRights = "information-rights": "Freedom of information and data protection",
        ParkingFine = "parking-fine": "Parking fines",
        BenefitClaim = "benefit-claim": "Benefit claims",
    }
);

choice!(
    /// Who is getting in touch, as asked on the public form.
    Who, "who the complaint, comment or compliment is for" {
        Myself = "myself": "Myself",
        SomeoneElse = "someone-else": "Someone else (I am acting for them)",
        Anonymous = "anonymous": "I want to stay anonymous",
    }
);

/// A human-friendly reference, e.g. `CMP-2026-000123`: unique per organisation and kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reference(String);

impl Reference {
    pub fn new(kind: ContactKind, year: i16, number: i64) -> Reference {
        Reference(format!("{}-{year}-{number:06}", kind.prefix()))
    }

    /// Accepts any case and surrounding spaces, as people type references.
    pub fn parse(s: &str) -> Option<Reference> {
        let s = s.trim().to_ascii_uppercase();
        let mut parts = s.split('-');
        let (Some(prefix), Some(year), Some(number), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let valid = ContactKind::from_prefix(prefix).is_some()
            && year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && number.len() >= 6
            && number.chars().all(|c| c.is_ascii_digit());
        valid.then_some(Reference(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn from_trusted(s: String) -> Reference {
        Reference(s)
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a contact is being entered: the public form offers fewer choices than staff have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    PublicForm,
    Staff,
    Api,
}

/// Everything a form or API call sends, as typed. `parse` turns it into a `NewContact` or
/// a message for each wrong field; field names match the form's input names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub kind: String,
    pub channel: String,
    pub who: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub rep_name: String,
    pub rep_relationship: String,
    pub rep_email: String,
    pub rep_phone: String,
    pub rep_authority: String,
    pub summary: String,
    pub outcome_wanted: String,
    /// YYYY-MM-DD.
    pub issue_date: String,
    pub property_ref: String,
    pub tenure: String,
    pub service_area: String,
    pub preferred_contact: String,
    pub preferred_format: String,
    pub language: String,
    pub interpreter: String,
    pub needs: String,
    pub vulnerabilities: String,
    pub adjustments: String,
    /// Equality monitoring, all optional.
    pub age_band: String,
    pub disability: String,
    pub ethnic_group: String,
    pub safeguarding: String,
    pub about_vulnerable_group: String,
    pub wants_reply: String,
    pub staff_named: String,
    pub other_route: String,
    /// Staff entry only: when it actually arrived, YYYY-MM-DD and HH:MM (UK time).
    pub received_date: String,
    pub received_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewContact {
    pub kind: ContactKind,
    pub channel: Channel,
    pub received_at: Timestamp,
    /// `None` for an anonymous contact.
    pub person: Option<Person>,
    pub representative: Option<Representative>,
    pub service_area: Option<String>,
    pub property_ref: Option<Text>,
    pub tenure: Option<Tenure>,
    pub summary: Text,
    pub outcome_wanted: Option<Text>,
    pub issue_date: Option<Date>,
    pub safeguarding: bool,
    pub about_vulnerable_group: bool,
    pub wants_reply: bool,
    pub staff_named: Option<Text>,
    pub other_route: Option<OtherRoute>,
}

pub const MAX_SUMMARY: usize = 10_000;
pub const MAX_SHORT: usize = 200;
pub const MAX_MEDIUM: usize = 2_000;

fn yes(s: &str) -> bool {
    matches!(s.trim(), "yes" | "true" | "on" | "1")
}

fn optional_choice<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// A date in YYYY-MM-DD that is real, not in the future and not absurdly old.
pub fn parse_past_date(raw: &str, today: Date, what: &str) -> Result<Option<Date>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let date: Date = s
        .parse()
        .map_err(|_| format!("{} must be a real date", crate::field::capitalise(what)))?;
    if date > today {
        return Err(format!(
            "{} must be today or in the past",
            crate::field::capitalise(what)
        ));
    }
    if date.year() < 1900 {
        return Err(format!(
            "{} must be after 1900",
            crate::field::capitalise(what)
        ));
    }
    Ok(Some(date))
}

impl ContactInput {
    pub fn parse(&self, source: Source, now: Timestamp) -> Result<NewContact, FieldErrors> {
        let mut e = FieldErrors::new();
        let today = uk_date(now);

        let kind = e.take("kind", ContactKind::parse(&self.kind));
        if source == Source::PublicForm
            && kind.is_some_and(|k| {
                !matches!(
                    k,
                    ContactKind::Complaint | ContactKind::Comment | ContactKind::Compliment
                )
            })
        {
            e.add("kind", "Select complaint, comment or compliment");
        }
        let channel = match source {
            Source::PublicForm => Some(Channel::WebForm),
            Source::Api if self.channel.trim().is_empty() => Some(Channel::Api),
            _ => e.take("channel", Channel::parse(&self.channel)),
        };
        let who = if source == Source::PublicForm || !self.who.trim().is_empty() {
            e.take("who", Who::parse(&self.who))
        } else {
            Some(if self.name.trim().is_empty() {
                Who::Anonymous
            } else {
                Who::Myself
            })
        };

        let received_at = self.parse_received(source, now, today, &mut e);

        let summary = e.take(
            "summary",
            Text::parse(&self.summary, summary_prompt(kind), MAX_SUMMARY),
        );
        let outcome_wanted = e.take_opt(
            "outcome_wanted",
            Text::parse_optional(&self.outcome_wanted, "the outcome you want", MAX_MEDIUM),
        );
        let issue_date = e.take_opt(
            "issue_date",
            parse_past_date(&self.issue_date, today, "the date it happened"),
        );
        let property_ref = e.take_opt(
            "property_ref",
            Text::parse_optional(
                &self.property_ref,
                "the property or tenancy reference",
                MAX_SHORT,
            ),
        );
        let tenure = e.take_opt("tenure", optional_choice(&self.tenure, Tenure::parse));
        let staff_named = e.take_opt(
            "staff_named",
            Text::parse_optional(&self.staff_named, "the staff member or team", MAX_SHORT),
        );
        let other_route = e.take_opt(
            "other_route",
            optional_choice(&self.other_route, OtherRoute::parse),
        );
        if kind == Some(ContactKind::OtherRoute)
            && other_route.is_none()
            && e.get("other_route").is_none()
        {
            e.add("other_route", "Select the route");
        }
        let service_area = Some(self.service_area.trim().to_string()).filter(|s| !s.is_empty());

        let needs = self.parse_needs(&mut e);
        let (person, representative) = match who {
            Some(Who::Anonymous) => {
                // Details typed for an anonymous contact would be silently dropped: say so.
                for (field, value) in [
                    ("name", &self.name),
                    ("email", &self.email),
                    ("phone", &self.phone),
                    ("address", &self.address),
                ] {
                    if !value.trim().is_empty() {
                        e.add(field, "Leave your name and contact details empty if you want to stay anonymous, or choose who this is for");
                    }
                }
                (None, None)
            }
            Some(w) => {
                let person = self.parse_person(w, needs, &mut e);
                let rep = if w == Who::SomeoneElse {
                    self.parse_representative(source, &mut e)
                } else {
                    None
                };
                (person, rep)
            }
            None => (None, None),
        };

        let (Some(kind), Some(channel), Some(received_at), Some(summary)) =
            (kind, channel, received_at, summary)
        else {
            return Err(e);
        };
        e.into_result()?;
        Ok(NewContact {
            kind,
            channel,
            received_at,
            person,
            representative,
            service_area,
            property_ref,
            tenure,
            summary,
            outcome_wanted,
            issue_date,
            safeguarding: yes(&self.safeguarding),
            about_vulnerable_group: yes(&self.about_vulnerable_group),
            wants_reply: yes(&self.wants_reply),
            staff_named,
            other_route,
        })
    }

    fn parse_received(
        &self,
        source: Source,
        now: Timestamp,
        today: Date,
        e: &mut FieldErrors,
    ) -> Option<Timestamp> {
        if source == Source::PublicForm
            || (self.received_date.trim().is_empty() && self.received_time.trim().is_empty())
        {
            return Some(now);
        }
        let date = match parse_past_date(&self.received_date, today, "the date received") {
            Ok(Some(d)) => d,
            Ok(None) => {
                e.add("received_date", "Enter the date it was received");
                return None;
            }
            Err(m) => {
                e.add("received_date", m);
                return None;
            }
        };
        let time = if self.received_time.trim().is_empty() {
            jiff::civil::Time::midnight()
        } else {
            match self.received_time.trim().parse::<jiff::civil::Time>() {
                Ok(t) => t,
                Err(_) => {
                    e.add(
                        "received_time",
                        "Enter the time as hours and minutes, like 14:30",
                    );
                    return None;
                }
            }
        };
        match date.to_datetime(time).to_zoned_datetime(uk_time_zone()) {
            Ok(z) if z.timestamp() <= now => Some(z.timestamp()),
            Ok(_) => {
                e.add("received_time", "The time received must be in the past");
                None
            }
            Err(_) => {
                e.add("received_time", "Enter a real time");
                None
            }
        }
    }

    fn parse_needs(&self, e: &mut FieldErrors) -> Needs {
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
                Text::parse_optional(&self.language, "the language", MAX_SHORT),
            ),
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

    fn parse_person(&self, who: Who, needs: Needs, e: &mut FieldErrors) -> Option<Person> {
        let name_prompt = if who == Who::Myself {
            "your full name"
        } else {
            "the full name of the person you are acting for"
        };
        let name = e.take("name", Text::parse(&self.name, name_prompt, MAX_SHORT));
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

    fn parse_representative(&self, source: Source, e: &mut FieldErrors) -> Option<Representative> {
        let name = e.take(
            "rep_name",
            Text::parse(&self.rep_name, "your full name", MAX_SHORT),
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

fn summary_prompt(kind: Option<ContactKind>) -> &'static str {
    match kind {
        Some(ContactKind::Complaint) => "what went wrong",
        Some(ContactKind::Compliment) => "what you want to thank us for",
        Some(ContactKind::Comment) => "your comment",
        _ => "what happened, or what you want to say",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2024-12-20T10:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn complaint_input() -> ContactInput {
        ContactInput {
            kind: "complaint".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            email: "aled@example.org".into(),
            summary: "The repair to my ceiling was booked three times and nobody came.".into(),
            ..Default::default()
        }
    }

    #[test]
    fn empty_public_form_names_each_field() {
        let errs = ContactInput::default()
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(errs.get("kind"), Some("Select what you want to tell us"));
        assert_eq!(
            errs.get("who"),
            Some("Select who the complaint, comment or compliment is for")
        );
        assert_eq!(
            errs.get("summary"),
            Some("Enter what happened, or what you want to say")
        );
    }

    #[test]
    fn public_form_cannot_choose_staff_only_kinds_or_channels() {
        let mut input = complaint_input();
        input.kind = "service-request".into();
        input.channel = "letter".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.get("kind"),
            Some("Select complaint, comment or compliment")
        );
        let ok = complaint_input().parse(Source::PublicForm, now());
        assert_eq!(ok.map(|c| c.channel), Ok(Channel::WebForm));
    }

    #[test]
    fn future_and_impossible_dates_are_refused() {
        let mut input = complaint_input();
        input.issue_date = "2025-01-01".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.get("issue_date"),
            Some("The date it happened must be today or in the past")
        );
        input.issue_date = "2024-02-30".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.get("issue_date"),
            Some("The date it happened must be a real date")
        );
    }

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

    #[test]
    fn staff_entry_keeps_the_real_time_of_receipt() {
        let mut input = complaint_input();
        input.channel = "phone".into();
        input.received_date = "2024-12-19".into();
        input.received_time = "16:45".into();
        let c = input.parse(Source::Staff, now());
        assert_eq!(
            c.map(|c| c.received_at.to_string()),
            Ok("2024-12-19T16:45:00Z".into())
        );
        input.channel = "carrier-pigeon".into();
        let errs = input.parse(Source::Staff, now()).err().unwrap_or_default();
        assert_eq!(
            errs.get("channel"),
            Some("Select how it was received from the list")
        );
    }

    #[test]
    fn references_parse_loosely_and_format_strictly() {
        assert_eq!(
            Reference::parse(" cmp-2026-000123 ").map(|r| r.to_string()),
            Some("CMP-2026-000123".into())
        );
        assert!(Reference::parse("XYZ-2026-000123").is_none());
        assert!(Reference::parse("CMP-26-000123").is_none());
        assert_eq!(
            Reference::new(ContactKind::Compliment, 2026, 7).as_str(),
            "CPL-2026-000007"
        );
    }
}
