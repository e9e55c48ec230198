//! What a case holds beyond what was received: its stages, people, remedies, referrals,
//! notes and files, and the choices staff pick from when they record them.

use crate::choice;
use crate::intake::Reference;
use crate::remedy::{Referral, Remedy};
use crate::role::Assignee;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

choice!(
    /// The overall outcome of a stage response.
    Outcome, "the outcome" {
        Upheld = "upheld": "Upheld",
        PartlyUpheld = "partly-upheld": "Partly upheld",
        NotUpheld = "not-upheld": "Not upheld",
    }
);

choice!(
    /// What an investigation note records (complaints.md §4.3 step 2).
    NoteKind, "the kind of note" {
        Note = "note": "Note",
        CallWithResident = "call-with-resident": "Call with the resident",
        FollowUpCall = "follow-up-call": "Follow-up call with the resident",
        StaffContact = "staff-contact": "Contact with staff",
        ContractorContact = "contractor-contact": "Contact with a contractor",
        Visit = "visit": "Visit or inspection",
                Evidence = "evidence": "Evidence received",
        FromResident = "from-resident": "Information from the resident",
    }
);

choice!(
    /// How one case relates to another (complaints.md §3–4).
    LinkRelation, "how the cases relate" {
        Related = "related": "Related case",
        EarlierIssue = "earlier-issue": "Raised before: handled on the earlier case",
        DuplicateOf = "duplicate-of": "Duplicate of",
        RaisedFrom = "raised-from": "Complaint raised from this request",
        ComplaintRaised = "complaint-raised": "Complaint raised about this request",
        OtherAgency = "other-agency": "Another agency's case",
    }
);

choice!(
    /// What became of a comment (seed 002).
    CommentOutcome, "the outcome" {
        ActedOn = "acted-on": "Acted on",
        Noted = "noted": "Noted",
        NotTakenForward = "not-taken-forward": "Not taken forward",
    }
);

choice!(
    /// Why a complaint is not taken on (complaints.md §3). No blanket exclusions.
    DeclineReason, "the reason" {
        TimeLimit = "time-limit": "Raised after the scheme's time limit without a good reason",
        LegalProceedings = "legal-proceedings": "Legal proceedings have started",
        InsuranceClaim = "insurance-claim": "Being claimed through the insurers",
        OutsideControl = "outside-control": "Outside the organisation's control",
        AlreadyConsidered = "already-considered": "Already considered under the complaints procedure",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub agreed_on: Date,
    pub reason: String,
    pub from: Date,
    pub to: Date,
    pub resident_told_on: Date,
    /// Beyond the scheme's cap: allowed only with a recorded good reason.
    pub outside_code: bool,
    pub good_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointDecision {
    pub point: String,
    pub upheld: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageResponse {
    pub sent_on: Date,
    pub points: Vec<PointDecision>,
    pub outcome: Outcome,
    pub reasons: String,
    /// Actions still to do, with their dates, in plain words.
    pub outstanding_actions: Option<String>,
    /// Resolved at the first point of contact, still logged as a complaint.
    pub early_resolution: bool,
}

/// One stage of a complaint: its clock, handler and answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub stage: u8,
    /// Receipt for stage 1; the escalation request for later stages.
    pub started_on: Date,
    pub escalation_reason: Option<String>,
    pub handler: Option<Assignee>,
    pub acknowledge_by: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub understanding: Option<String>,
    pub outcome_wanted: Option<String>,
    /// The response date before any extension.
    pub original_respond_by: Date,
    pub respond_by: Date,
    pub latest_extended_respond_by: Option<Date>,
    pub extensions: Vec<Extension>,
    pub response: Option<StageResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub since: Date,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decline {
    pub on: Date,
    pub reason: DeclineReason,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRefusal {
    pub on: Date,
    pub reason: String,
}

/// Everything about handling the case beyond what was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CaseState {
    pub officer: Option<Assignee>,
    pub stages: Vec<StageRecord>,
    pub paused: Option<Pause>,
    pub time_limit_override: Option<String>,
    pub decline: Option<Decline>,
    pub withdrawal: Option<String>,
    pub escalation_refusals: Vec<EscalationRefusal>,
    pub remedies: Vec<Remedy>,
    pub referrals: Vec<Referral>,
    pub notes: Vec<CaseNote>,
    /// Comments where the person asked for a reply: when it is due, and the reply.
    pub reply_by: Option<Date>,
    pub reply: Option<Reply>,
    /// Compliments: who they were passed to.
    pub passed_on: Vec<PassedOn>,
    pub comment_outcome: Option<CommentDecision>,
    pub links: Vec<CaseLink>,
    pub attachments: Vec<AttachmentInfo>,
    /// Set once personal data has been erased, at the end of retention or on request.
    pub erased: Option<Erasure>,
    /// The root cause and lessons, recorded once the complaint is understood.
    pub learning: Option<crate::learning::Learning>,
    /// Satisfaction surveys answered, one per stage (stage 0 for comments and compliments).
    pub surveys: Vec<crate::survey::SurveyAnswer>,
    /// Dissatisfied survey answers, each followed up by a person.
    pub follow_ups: Vec<FollowUp>,
    /// The review of a safeguarding concern: when, by whom, and what was done.
    pub safeguarding_review: Option<SafeguardingReview>,
    /// The Tenants Panel's look at the stage 1 response, where the resident asked for it.
    pub panel: Option<PanelReview>,
    /// What the recognition assistant read the contact as when it arrived.
    pub suggestion: Option<crate::recognition::Suggestion>,
    /// A hazard the assistant found in what the resident wrote, until staff decide.
    pub hazard_suggestion: Option<crate::recognition::HazardSuggestion>,
    /// A hazard staff confirmed, with its steps.
    pub hazard: Option<crate::hazard::Hazard>,
    /// Why staff set the suggested hazard aside.
    pub hazard_dismissed: Option<String>,
    /// Emails the resident sent about this case after it was opened, oldest first.
    pub emails: Vec<InboundEmail>,
    /// Staff looked at the earlier cases this contact might repeat and decided it is new.
    pub treated_as_new: Option<RepeatDecision>,
    /// Survey answers whose words read as a complaint, and what staff made of each.
    pub survey_suggestions: Vec<SurveySuggestion>,
}

/// A survey answer the recognition assistant read as dissatisfaction with the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySuggestion {
    /// The survey's stage (0 for a comment or compliment).
    pub stage: u8,
    pub suggestion: crate::recognition::Suggestion,
}

/// An email about the case, added as correspondence: threaded by the reference in its
/// subject or by answering an email Redress sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundEmail {
    /// Which message it was (a hash of its Message-ID), so a copy is taken once.
    pub key: String,
    pub at: jiff::Timestamp,
    pub from: String,
    pub subject: String,
    pub text: String,
    /// Names of the files it carried: each kept on the case, or noted there as refused.
    pub files: Vec<String>,
    /// Until someone working the case has read it, it shows as new correspondence.
    pub read: bool,
}

/// A possible repeat looked at and set aside: the contact is a new matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatDecision {
    pub on: Date,
    pub by: String,
    pub reason: String,
}

/// A council tenant unhappy with the stage 1 response asked the local Tenants Panel to
/// examine the complaint and the response and give its input to the service (seed 002).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelReview {
    pub asked_on: Date,
    /// What the resident is unhappy with in the response.
    pub why: String,
    /// The panel's own target for its input, in working days from the request.
    pub due_by: Date,
    pub input: Option<PanelInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelInput {
    pub on: Date,
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeguardingReview {
    pub on: Date,
    pub by: String,
    pub note: String,
}

/// A dissatisfied survey answer to follow up with the person, and how it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub stage: u8,
    pub raised_on: Date,
    pub done_on: Option<Date>,
    pub by: Option<String>,
    pub note: Option<String>,
}

/// When and why a case's personal data was erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    pub on: Date,
    pub reason: String,
}

/// A file kept with the case; the bytes are stored beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: String,
    pub name: String,
    pub file_type: crate::attachment::FileType,
    pub size: u64,
    pub description: String,
    pub added_on: Date,
    pub by: String,
    /// The file was removed (redacted or erased); its bytes are gone.
    #[serde(default)]
    pub redacted_on: Option<Date>,
}

/// A link to another case here, or to another agency's case (multi-agency complaints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLink {
    pub relation: LinkRelation,
    pub reference: Option<Reference>,
    pub agency: Option<String>,
    pub their_reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub on: Date,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassedOn {
    pub on: Date,
    pub to: String,
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDecision {
    pub on: Date,
    pub outcome: CommentOutcome,
    pub reason: Option<String>,
}

/// Working days to reply to a comment when a reply was asked for. Not set by any Code: a
/// product default, the same as a stage 1 response.
pub const COMMENT_REPLY_WORKING_DAYS: u32 = 10;

/// What a redacted note says in place of its words, and a removed file in place of its name.
pub const REDACTED: &str = "[redacted]";

/// An entry in the investigation log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNote {
    pub kind: NoteKind,
    pub on: Date,
    pub by: String,
    pub text: String,
}
