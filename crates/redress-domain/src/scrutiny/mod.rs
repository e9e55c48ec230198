//! Resident scrutiny (scrutiny.md): the Community Call for Scrutiny a resident or a group
//! of residents raises, the routes to its acceptance (petition, individual evidence, or a
//! failure significant enough that the form alone is accepted), the Customer Scrutiny
//! Team's meetings and decisions, and the appeal to a Link Group panel. The scoring of
//! business areas and the annual programme of exercises are in `matrix` and `programme`.
//!
//! A request is kept as its current state plus the list of events that made it: every
//! step is a `Step` checked here against the state and then applied, so the history a
//! requester or an auditor reads is the same record the rules ran on.

pub mod appeal;
pub mod matrix;
pub mod meeting;
pub mod petition;
pub mod programme;
pub mod report;
mod request;
pub mod response;
pub mod welsh;

pub use request::{FollowUp, Request, RequestAnswers, RequestForm, Status};

use crate::calendar::long_date;
use crate::choice;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The reference a requester quotes: CCS, the year it was started, and a number.
pub fn reference(year: i16, number: i64) -> String {
    format!("CCS-{year}-{number:04}")
}

choice!(
    /// How a request reaches the team (scrutiny.md, Routes).
    Route, "the route" {
        Petition = "petition": "Petition: residents sign to show support",
        Individual = "individual": "Individual request: an officer gathers the evidence",
        SignificantFailure = "significant-failure": "Significant failure: the form alone is accepted",
    }
);

choice!(
    /// What the Customer Scrutiny Team decided.
    Outcome, "the decision" {
        NotYet = "not-yet": "Not accepted yet: other avenues have not been exhausted",
        Referred = "referred": "Referred to a Service Review Group",
        Accepted = "accepted": "Accepted for scrutiny",
        SeriousFailure = "serious-failure": "Serious failure: immediate recommendations",
    }
);

choice!(
    /// Formats the form or our replies can be had in, on request.
    Format, "a format" {
        LargePrint = "large-print": "Large print",
        Braille = "braille": "Braille",
        Audio = "audio": "Audio",
    }
);

/// The team's decision, with its reasons (always recorded) and what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub reasons: Text,
    /// The Service Review Group a referral goes to.
    pub review_group: Option<Text>,
    /// Immediate recommendations for a serious failure.
    pub recommendations: Option<Text>,
    pub decided_on: Date,
    pub meeting_id: Option<String>,
    /// When the requester was told, and how: the appeal window runs from here.
    pub sent_on: Option<Date>,
    pub sent_by: Option<String>,
}

/// The appeal to a Link Group panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    pub received_on: Date,
    pub grounds: Text,
    pub panel: Vec<String>,
    /// Where the panel upheld the appeal, the decision it put in place of the team's.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    pub upheld: Option<bool>,
    pub reasons: Option<Text>,
    pub decided_on: Option<Date>,
    pub sent_on: Option<Date>,
}

/// One step in a request's life, as recorded in its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum Step {
    DraftSaved,
    Submitted {
        form: RequestForm,
        /// The day a form that came on paper was received, when staff logged it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_paper: Option<Date>,
    },
    /// A file kept with the request: a scan of the paper form, or evidence.
    FileAdded {
        name: String,
        description: String,
    },
    Acknowledged {
        on: Date,
    },
    OfficerAssigned {
        user_id: String,
        name: String,
    },
    RouteSet {
        route: Route,
        threshold: Option<u32>,
        /// Postcode areas, districts or sectors whose residents may sign; empty means
        /// any affected customer.
        eligible: Vec<String>,
    },
    Signed {
        name: String,
        paper: bool,
        count: u32,
    },
    EvidenceRecorded {
        evidence: Text,
        /// The officer who added it (empty in histories from before it was kept).
        #[serde(default)]
        by: String,
    },
    /// Ready for the team: the threshold was met, the evidence gathered, or the form
    /// alone accepted.
    Ready {
        why: String,
    },
    OnAgenda {
        meeting_id: String,
        meeting_on: Date,
    },
    /// The meeting it was on was cancelled before the team decided.
    OffAgenda,
    /// The business area the request is about, as staff or the team record it.
    AreaSet {
        area: Option<String>,
    },
    Considered {
        on: Date,
    },
    Decided {
        decision: Decision,
    },
    Informed {
        on: Date,
        how: String,
    },
    StaffNote {
        action: Text,
    },
    AppealReceived {
        on: Date,
        grounds: Text,
    },
    PanelSet {
        members: Vec<String>,
    },
    AppealDecided {
        upheld: bool,
        reasons: Text,
        on: Date,
        /// An upheld appeal's decision, which takes the place of the team's.
        #[serde(default)]
        decision: Option<Decision>,
    },
    AppealSent {
        on: Date,
        how: String,
    },
    /// Who follows a referral or a serious failure's recommendations up, and by when.
    FollowUpSet {
        owner: Text,
        due: Date,
    },
    /// What came of it.
    FollowUpDone {
        outcome: Text,
        on: Date,
    },
}

impl Step {
    /// Whether the requester sees this step when following their request: staff notes
    /// stay with staff.
    pub fn shown_to_requester(&self) -> bool {
        // Decisions show once they are sent (as "told of the decision"), not before.
        !matches!(
            self,
            Step::StaffNote { .. }
                | Step::FileAdded { .. }
                | Step::FollowUpSet { .. }
                | Step::FollowUpDone { .. }
                | Step::Considered { .. }
                | Step::Decided { .. }
                | Step::AppealDecided { .. }
        )
    }

    /// The line a history shows for this step.
    pub fn describe(&self) -> String {
        match self {
            Step::DraftSaved => "Draft saved".into(),
            Step::Submitted { on_paper: None, .. } => "Request sent".into(),
            Step::Submitted {
                on_paper: Some(on), ..
            } => format!(
                "Request received on paper on {} and logged by staff",
                long_date(*on)
            ),
            Step::FileAdded { name, description } => format!("File added: {description} ({name})"),
            Step::Acknowledged { on } => format!("Received and acknowledged on {}", long_date(*on)),
            Step::OfficerAssigned { name, .. } => format!("Support officer assigned: {name}"),
            Step::RouteSet {
                route, threshold, ..
            } => match threshold {
                Some(n) => format!("Route: {}; {n} signatures needed", route.label()),
                None => format!("Route: {}", route.label()),
            },
            Step::Signed { paper, count, .. } => format!(
                "Signature {} ({count} so far)",
                if *paper {
                    "entered from a paper petition"
                } else {
                    "added online"
                }
            ),
            Step::EvidenceRecorded { .. } => "Evidence recorded".into(),
            Step::Ready { why } => format!("Ready for the Customer Scrutiny Team: {why}"),
            Step::OnAgenda { meeting_on, .. } => {
                format!(
                    "Placed on the agenda of the meeting on {}",
                    long_date(*meeting_on)
                )
            }
            Step::OffAgenda => "Taken off the agenda: the meeting was cancelled".into(),
            Step::AreaSet { area } => match area {
                Some(_) => "Business area recorded".into(),
                None => "Business area cleared".into(),
            },
            Step::Considered { on } => format!("Considered on {}", long_date(*on)),
            Step::Decided { decision } => format!("Decision: {}", decision.outcome.label()),
            Step::Informed { on, how } => format!(
                "Requester told of the decision on {} ({how})",
                long_date(*on)
            ),
            Step::StaffNote { .. } => "Action recorded".into(),
            Step::AppealReceived { on, .. } => format!("Appeal received on {}", long_date(*on)),
            Step::PanelSet { members } => format!("Appeal panel of {} set", members.len()),
            Step::AppealDecided {
                upheld, decision, ..
            } => match decision {
                Some(d) if *upheld => format!(
                    "Appeal panel's final decision: appeal upheld; the decision is now: {}",
                    d.outcome.label()
                ),
                _ => format!(
                    "Appeal panel's final decision: appeal {}",
                    if *upheld { "upheld" } else { "not upheld" }
                ),
            },
            Step::FollowUpSet { owner, due } => {
                format!("Follow-up owned by {owner}, due {}", long_date(*due))
            }
            Step::FollowUpDone { on, .. } => {
                format!("Follow-up finished on {}: outcome recorded", long_date(*on))
            }
            Step::AppealSent { on, how } => {
                format!(
                    "Requester told of the panel's decision on {} ({how})",
                    long_date(*on)
                )
            }
        }
    }
}
