//! What the store hands back besides domain types: pages, list rows, filters, sessions.

use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::contact::{Contact, ContactKind, ContactStatus, Reference};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// Open, with a deadline before `today`.
    Overdue { today: Date },
    /// Open, with a deadline on or before `by` and not overdue.
    DueBy { today: Date, by: Date },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFilter {
    pub kind: Option<ContactKind>,
    pub status: Option<ContactStatus>,
    pub service_area: Option<String>,
    pub stage: Option<u8>,
    /// Cases where this user is the complaints officer or the current stage's case worker.
    pub assignee: Option<String>,
    pub due: Option<DueFilter>,
    /// Free text: a reference, a name, words from the summary.
    pub search: Option<String>,
    /// Only cases in these service areas (a service manager's own); empty means none.
    pub areas: Option<Vec<String>>,
    /// Only open cases (received or acknowledged).
    pub open: bool,
    /// Only new contacts nobody has taken yet: received, with no officer or case worker.
    pub awaiting_triage: bool,
    /// Only cases with a dissatisfied survey answer waiting to be followed up.
    pub follow_up: bool,
    /// Only cases with a safeguarding concern nobody has reviewed yet.
    pub safeguarding_due: bool,
    /// Only cases with a hazard to decide on, or steps of one still to record.
    pub hazard_open: bool,
    /// Only cases with emails from the resident nobody has read yet.
    pub emails_waiting: bool,
    pub page: u32,
    pub per_page: u32,
    /// Count matches up to this many (`COUNT_UP_TO` when not given), or to the page after
    /// the one asked for if that is further.
    pub count_up_to: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match; when `more` is set, counting stopped here and there are more.
    pub total: i64,
    /// Counting stopped at `total`: a list of a large history is not counted to the end,
    /// so its pages cost the same at a thousand cases or a million.
    pub more: bool,
    pub page: u32,
    pub per_page: u32,
    /// Something searchable was typed, so the cases come most recently added first rather
    /// than in the list's working order.
    pub newest_first: bool,
}

/// The case list counts matches up to this many (or to the page after the one asked for,
/// if further on), and says "more than" beyond.
pub const COUNT_UP_TO: i64 = 10_000;

/// The most cases one page holds: a download of the case list as CSV; the JSON API and the
/// staff pages ask for far fewer.
pub const MOST_PER_PAGE: u32 = 10_000;

impl<T> Page<T> {
    /// The pages there are, or, when `more` is set, the pages counted (there is at least
    /// one more after them).
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        let counted = u32::try_from((self.total + per - 1) / per)
            .unwrap_or(u32::MAX)
            .max(1);
        if self.more {
            counted.saturating_add(1)
        } else {
            counted
        }
    }
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactSummary {
    pub reference: Reference,
    pub kind: ContactKind,
    pub status: ContactStatus,
    pub stage: u8,
    pub received_on: Date,
    pub name: Option<String>,
    /// The service area's name (not its id), for showing.
    pub service_area: Option<String>,
    pub summary: String,
    pub acknowledge_by: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub respond_by: Option<Date>,
    pub priority: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    New(Contact),
    /// The submission key was seen before: this is the contact it made.
    Existing(Contact),
}

impl Inserted {
    pub fn contact(&self) -> &Contact {
        match self {
            Inserted::New(c) | Inserted::Existing(c) => c,
        }
    }

    pub fn into_contact(self) -> Contact {
        match self {
            Inserted::New(c) | Inserted::Existing(c) => c,
        }
    }
}

/// A change to a draft letter: its words and who made them, its approval (`Some(None)`
/// withdraws one), where it goes, and its status once released (`pending` for email,
/// `to-print` for post, `discarded`). `seen` is the subject and body the change was made
/// against: if the letter says something else by the time it is saved, nothing is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterChange {
    pub subject: Option<String>,
    pub body: Option<String>,
    pub edited_by: Option<String>,
    pub approved_by: Option<Option<String>>,
    /// Recipient, delivery and large print, from the case as it is when the letter goes.
    pub address: Option<(String, redress_domain::letter::Delivery, bool)>,
    pub status: Option<&'static str>,
    pub seen: Option<(String, String)>,
    /// Held to be transcribed or translated: into what, and by when.
    pub convert: Option<(String, jiff::civil::Date)>,
}

/// A letter or email as kept on the case, with its sending progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredLetter {
    pub id: String,
    pub contact_id: String,
    pub reference: Reference,
    pub kind: redress_domain::letter::LetterKind,
    pub delivery: redress_domain::letter::Delivery,
    pub recipient: String,
    pub large_print: bool,
    pub subject: String,
    pub body: String,
    pub created_at: jiff::Timestamp,
    pub status: String,
    pub attempts: i64,
    pub sent_at: Option<jiff::Timestamp>,
    pub last_error: Option<String>,
    /// A draft's author (the user whose step wrote it) and its last editor: approval is by
    /// someone else.
    pub drafted_by: Option<String>,
    pub edited_by: Option<String>,
    pub approved_by: Option<String>,
    /// What it must be transcribed or translated into before it goes, and by when.
    pub convert: Option<String>,
    pub convert_by: Option<jiff::civil::Date>,
    /// When it went in that form.
    pub converted_at: Option<jiff::Timestamp>,
    /// The language it was written in (the first, when in both).
    pub language: redress_domain::language::Language,
}

/// An open case with a deadline coming up or passed, for reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    pub contact_id: String,
    pub reference: Reference,
    pub status: ContactStatus,
    pub acknowledge_by: Option<Date>,
    pub respond_by: Option<Date>,
    pub officer_id: Option<String>,
    pub handler_id: Option<String>,
}

/// Who a restriction applies to, and how they are recognised on other cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestrictedPerson<'a> {
    /// The case the restriction was recorded from.
    pub contact_id: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone_digits: Option<&'a str>,
}

/// Open cases per member of staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub user_id: String,
    pub name: String,
    pub as_officer: i64,
    pub as_case_worker: i64,
    pub overdue: i64,
}

/// A remedy or ombudsman order not yet done, from any case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenAction {
    pub reference: Reference,
    pub service_area: Option<String>,
    /// `remedy`, `order` or `panel` (the Tenants Panel's input).
    pub kind: String,
    pub item_id: i64,
    pub description: String,
    pub owner: Option<String>,
    pub due: Date,
    pub amount_pence: Option<i64>,
}

impl OpenAction {
    /// What it is, in words for a list of things to follow up.
    pub fn label(&self) -> &'static str {
        match self.kind.as_str() {
            "order" => "Ombudsman order",
            "panel" => "Tenants Panel input",
            _ => "Remedy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// What search matches against, kept in the search table beside each contact.
pub(crate) fn search_body(c: &Contact) -> String {
    let d = &c.detail;
    let mut parts: Vec<&str> = vec![c.reference.as_str(), d.summary.as_str()];
    if let Some(p) = &d.person {
        parts.push(p.name.as_str());
        parts.extend(p.email.as_deref());
        parts.extend(p.postcode.as_deref());
    }
    if let Some(r) = &d.representative {
        parts.push(r.name.as_str());
    }
    parts.extend(d.outcome_wanted.as_ref().map(|t| t.as_str()));
    parts.extend(d.property_ref.as_ref().map(|t| t.as_str()));
    parts.extend(d.staff_named.as_ref().map(|t| t.as_str()));
    parts.join("\n")
}
