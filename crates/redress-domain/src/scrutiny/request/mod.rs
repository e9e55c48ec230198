//! The Community Call for Scrutiny form and the life of one request. A request moves by
//! steps: each is checked by a method in the file for its part of the journey (the form
//! in `form`, sending to being ready in `intake`, the team's agenda and decision in
//! `decision`, the appeal in `appeals`) and then applied in `apply`.

mod appeals;
mod apply;
mod decision;
mod follow_up;
mod form;
mod intake;
#[cfg(test)]
mod test_support;

pub use follow_up::FollowUp;
pub use form::RequestForm;

use super::{Appeal, Decision, Route};
use crate::FieldErrors;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const SHORT: usize = 200;
const LONG: usize = 6_000;

/// Where a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Draft,
    Submitted,
    Acknowledged,
    /// Gathering signatures or evidence.
    Collecting,
    /// Waiting for (or on the agenda of) the next meeting.
    Ready,
    Decided,
    Appealed,
    Closed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft (not sent)",
            Status::Submitted => "Received",
            Status::Acknowledged => "Acknowledged",
            Status::Collecting => "Gathering signatures or evidence",
            Status::Ready => "Ready for the Customer Scrutiny Team",
            Status::Decided => "Decided",
            Status::Appealed => "Appeal under way",
            Status::Closed => "Closed",
        }
    }
}

/// What a resident typed, kept as typed so a saved draft comes back exactly.
pub type RequestAnswers = BTreeMap<String, String>;

/// One Community Call for Scrutiny.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    pub reference: String,
    pub status: Status,
    /// What was typed, while a draft.
    pub answers: RequestAnswers,
    pub form: Option<RequestForm>,
    pub received_on: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub officer: Option<(String, String)>,
    pub route: Option<Route>,
    pub threshold: Option<u32>,
    pub eligible: Vec<String>,
    pub signatures: u32,
    /// The latest evidence; every entry is in `evidence_log`.
    pub evidence: Option<Text>,
    /// Each piece of evidence as it was added: nothing added is ever replaced.
    #[serde(default)]
    pub evidence_log: Vec<EvidenceEntry>,
    pub meeting: Option<(String, Date)>,
    pub considered_on: Option<Date>,
    pub actions: Vec<Text>,
    pub decision: Option<Decision>,
    pub appeal: Option<Appeal>,
    /// Following a referral or a serious failure's recommendations to its outcome.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
}

/// One piece of evidence an officer added to an individual request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceEntry {
    pub on: Date,
    pub by: String,
    pub text: Text,
}

fn refuse(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(field, message);
    e
}

fn text(field: &str, raw: &str, what: &str) -> Result<Text, FieldErrors> {
    Text::parse(raw, what, LONG).map_err(|m| refuse(field, m))
}

fn not_future(field: &str, on: Date, today: Date) -> Result<(), FieldErrors> {
    if on > today {
        Err(refuse(field, "The date cannot be in the future"))
    } else {
        Ok(())
    }
}

impl Request {
    /// The language the requester asked to be written to in: on the sent form, or as
    /// chosen so far on a draft.
    pub fn language(&self) -> Option<crate::language::Language> {
        self.form
            .as_ref()
            .and_then(|f| f.correspond_in)
            .or_else(|| {
                self.answers
                    .get("correspond_in")
                    .and_then(|l| crate::language::Language::parse(l).ok())
            })
    }

    pub fn draft(id: String, reference: String, answers: RequestAnswers) -> Request {
        Request {
            id,
            reference,
            status: Status::Draft,
            answers,
            form: None,
            received_on: None,
            acknowledged_on: None,
            officer: None,
            route: None,
            threshold: None,
            eligible: Vec::new(),
            signatures: 0,
            evidence: None,
            evidence_log: Vec::new(),
            meeting: None,
            considered_on: None,
            actions: Vec::new(),
            decision: None,
            appeal: None,
            follow_up: None,
        }
    }

    fn expect(&self, allowed: &[Status], field: &str, what: &str) -> Result<(), FieldErrors> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(refuse(
                field,
                format!(
                    "{what} cannot be done now: the request is {}",
                    self.status.label().to_lowercase()
                ),
            ))
        }
    }
}
