//! A contact of any kind — complaint, service request, comment, compliment, other route —
//! from the moment it is received (complaints.md §2).
//!
//! The kinds, channels and statuses a contact has, and what was received; `input` parses a
//! form or API call into that, `people` the person and representative within it, and
//! `reference` the reference a contact is known by. The lifecycle is in `case`; the
//! public paths are in `contact`, which names both.

mod input;
mod people;
mod reference;
#[cfg(test)]
mod test_support;

pub use input::{ContactInput, parse_past_date};
pub use reference::Reference;

use crate::choice;
use crate::field::Text;
use crate::organisation::Tenure;
use crate::person::{Person, Representative};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

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

/// Where a contact is being entered: the public form offers fewer choices than staff have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    PublicForm,
    Staff,
    Api,
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
