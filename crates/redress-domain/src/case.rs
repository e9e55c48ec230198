//! A recorded contact and its lifecycle (complaints.md §3–4): assignment, acknowledgement,
//! extensions, pauses, responses, escalation, withdrawal, decline and closure. Every change
//! goes through `Contact::apply`, which either returns the events describing the change or
//! refuses with a message and leaves the contact as it was.

use crate::calendar::WorkingCalendar;
use crate::choice;
use crate::contact::{ContactKind, ContactStatus, NewContact, Reference, uk_date};
use crate::event::{Actor, Event, EventKind};
use crate::remedy::{
    Determination, Note, Order, Payment, PaymentKind, Pence, Referral, Remedy, RemedyKind,
};
use crate::scheme::{Ombudsman, Scheme, SchemeError};
use jiff::Timestamp;
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

/// A member of staff named on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub user_id: String,
    pub name: String,
}

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

/// An entry in the investigation log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNote {
    pub kind: NoteKind,
    pub on: Date,
    pub by: String,
    pub text: String,
}

/// A contact as recorded, with its current state and clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub id: String,
    pub reference: Reference,
    pub status: ContactStatus,
    pub scheme: String,
    pub detail: NewContact,
    pub received_on: Date,
    pub case: CaseState,
    pub closed_on: Option<Date>,
    /// The stored revision this state was read at; a save of an older one is refused.
    pub version: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContactError {
    #[error("Only a complaint can be {0}")]
    NotAComplaint(&'static str),
    #[error("A case that is {0} cannot be {1}")]
    WrongState(&'static str, &'static str),
    #[error("The date cannot be before {0}")]
    TooEarly(&'static str),
    #[error("The date cannot be in the future")]
    InFuture,
    /// A rule was broken; names the field the message belongs beside.
    #[error("{1}")]
    Rule(&'static str, String),
    /// A required field was left empty; names the field.
    #[error("Enter {1}")]
    Missing(&'static str, &'static str),
    #[error(transparent)]
    Scheme(#[from] SchemeError),
}

impl ContactError {
    /// The form field a message belongs to, so it can be shown beside it.
    pub fn field(&self) -> &'static str {
        match self {
            ContactError::Missing(field, _) | ContactError::Rule(field, _) => field,
            _ => "on",
        }
    }
}

/// A change someone asks for. Dates are the real dates things happened, which may be
/// earlier than today when staff catch up on paperwork.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    AssignOfficer {
        to: Assignee,
        reason: Option<String>,
    },
    AssignHandler {
        to: Assignee,
        reason: Option<String>,
    },
    Acknowledge {
        on: Date,
        understanding: String,
        outcome_wanted: String,
    },
    Extend {
        on: Date,
        to: Date,
        reason: String,
        resident_told_on: Date,
        good_reason: Option<String>,
    },
    Pause {
        on: Date,
        reason: String,
    },
    Resume {
        on: Date,
    },
    Respond {
        on: Date,
        points: Vec<PointDecision>,
        reasons: String,
        outstanding_actions: Option<String>,
        early_resolution: bool,
    },
    Escalate {
        requested_on: Date,
        reason: Option<String>,
    },
    RefuseEscalation {
        on: Date,
        reason: String,
    },
    Withdraw {
        on: Date,
        reason: String,
    },
    Close {
        on: Date,
    },
    OverrideTimeLimit {
        reason: String,
    },
    Decline {
        on: Date,
        reason: DeclineReason,
        explanation: String,
    },
    AddAttachment {
        id: String,
        name: String,
        file_type: crate::attachment::FileType,
        size: u64,
        description: String,
    },
    Reclassify {
        to: ContactKind,
        route: Option<crate::contact::OtherRoute>,
        explanation: String,
    },
    Link {
        relation: LinkRelation,
        reference: Option<Reference>,
        agency: Option<String>,
        their_reference: Option<String>,
    },
    SetServiceArea {
        id: String,
        name: String,
    },
    PassOn {
        on: Date,
        to: String,
        manager: String,
    },
    ReplyToComment {
        on: Date,
        text: String,
    },
    DecideComment {
        on: Date,
        outcome: CommentOutcome,
        reason: Option<String>,
    },
    AddNote {
        kind: NoteKind,
        on: Date,
        text: String,
    },
    AddRemedy {
        kind: RemedyKind,
        description: String,
        owner: Assignee,
        due: Date,
        payment: Option<(PaymentKind, Pence)>,
    },
    NoteRemedy {
        id: u32,
        on: Date,
        text: String,
    },
    CompleteRemedy {
        id: u32,
        on: Date,
    },
    ApprovePayment {
        id: u32,
        on: Date,
    },
    RecordPayment {
        id: u32,
        on: Date,
    },
    ReferToOmbudsman {
        on: Date,
        ombudsman: Ombudsman,
        their_reference: Option<String>,
    },
    RecordDetermination {
        on: Date,
        determination: Determination,
        summary: String,
    },
    AddOrder {
        description: String,
        due: Date,
    },
    ComplyOrder {
        id: u32,
        on: Date,
        evidence: String,
    },
    /// Records a satisfaction survey the person answered.
    RecordSurvey {
        answer: crate::survey::SurveyAnswer,
    },
    /// Records the complaint's root cause and what was learned.
    RecordLearning {
        root_cause: crate::learning::RootCause,
        lessons: String,
    },
    /// Tells the case (and so the person) about a service improvement it led to.
    ImprovementNews {
        improvement: crate::learning::Improvement,
    },
    /// Records what authority the representative has to act for the person.
    RecordAuthority {
        authority: crate::person::Authority,
    },
    /// Replaces the words of one investigation note (numbered from 0).
    RedactNote {
        index: usize,
        reason: String,
    },
    /// Removes a file from the case.
    RedactAttachment {
        id: String,
        reason: String,
    },
}

/// What a decision needs besides the case itself.
pub struct Context<'a> {
    pub scheme: &'a Scheme,
    pub calendar: &'a WorkingCalendar,
    pub actor: Actor,
    pub at: Timestamp,
    pub today: Date,
}

impl Context<'_> {
    pub(crate) fn event(
        &self,
        kind: EventKind,
        summary: String,
        detail: serde_json::Value,
    ) -> Event {
        Event {
            kind,
            at: self.at,
            actor: self.actor.clone(),
            summary: readable_dates(&summary),
            detail,
        }
    }
}

/// Summaries are read by people: "2025-03-04" becomes "4 March 2025". The event's detail
/// keeps the machine form.
fn readable_dates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..pos]);
        let candidate = rest.get(pos..pos + 10).unwrap_or("");
        let shaped = candidate.len() == 10
            && candidate.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match candidate.parse::<Date>() {
            Ok(d) if shaped => {
                out.push_str(&crate::calendar::long_date(d));
                rest = &rest[pos + 10..];
            }
            _ => {
                let next = rest[pos..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map(|n| pos + n)
                    .unwrap_or(rest.len());
                out.push_str(&rest[pos..next]);
                rest = &rest[next..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// How a deadline stands today, for the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    pub label: &'static str,
    pub due: Date,
    pub met_on: Option<Date>,
    /// Working days left (positive), or overdue (negative); `None` once met or paused.
    pub working_days_left: Option<i64>,
}

fn required(value: &str, field: &'static str, what: &'static str) -> Result<String, ContactError> {
    let v = value.trim();
    if v.is_empty() {
        Err(ContactError::Missing(field, what))
    } else if v.chars().count() > 10_000 {
        Err(ContactError::Rule(
            field,
            format!(
                "{} must be 10,000 characters or fewer",
                crate::field::capitalise(what)
            ),
        ))
    } else {
        Ok(v.to_string())
    }
}

fn optional(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Contact {
    /// Records a new contact. A complaint starts stage 1 of its scheme with both clocks set.
    pub fn receive(
        id: String,
        reference: Reference,
        detail: NewContact,
        scheme: &Scheme,
        calendar: &WorkingCalendar,
        actor: Actor,
    ) -> Result<(Contact, Event), ContactError> {
        let received_on = uk_date(detail.received_at);
        let mut case = CaseState::default();
        if detail.kind == ContactKind::Complaint {
            case.stages
                .push(new_stage(scheme, calendar, 1, received_on, None)?);
        }
        if detail.kind == ContactKind::Comment && detail.wants_reply {
            let due = calendar.add_working_days(received_on, COMMENT_REPLY_WORKING_DAYS);
            case.reply_by = Some(due.map_err(SchemeError::from)?);
        }
        let first = case.stages.first();
        let event = Event {
            kind: EventKind::Received,
            at: detail.received_at,
            actor,
            summary: format!(
                "{} received by {}",
                detail.kind.label(),
                detail.channel.label().to_lowercase()
            ),
            detail: serde_json::json!({
                "reference": reference.as_str(),
                "kind": detail.kind.as_str(),
                "channel": detail.channel.as_str(),
                "scheme": scheme.id,
                "acknowledge_by": first.and_then(|s| s.acknowledge_by).map(|d| d.to_string()),
                "respond_by": first.map(|s| s.respond_by.to_string()),
            }),
        };
        let contact = Contact {
            id,
            reference,
            status: ContactStatus::Received,
            scheme: scheme.id.clone(),
            received_on,
            case,
            closed_on: None,
            version: 0,
            detail,
        };
        Ok((contact, event))
    }

    /// The current stage number; 0 for contacts that are not complaints.
    pub fn stage(&self) -> u8 {
        u8::try_from(self.case.stages.len()).unwrap_or(u8::MAX)
    }

    pub fn current(&self) -> Option<&StageRecord> {
        self.case.stages.last()
    }

    fn current_mut(&mut self) -> Result<&mut StageRecord, ContactError> {
        self.case
            .stages
            .last_mut()
            .ok_or(ContactError::NotAComplaint("handled in stages"))
    }

    pub fn acknowledge_by(&self) -> Option<Date> {
        self.current().and_then(|s| s.acknowledge_by)
    }

    pub fn acknowledged_on(&self) -> Option<Date> {
        self.current().and_then(|s| s.acknowledged_on)
    }

    /// The current stage's response date, or for a comment the reply date.
    pub fn respond_by(&self) -> Option<Date> {
        self.current().map(|s| s.respond_by).or(self.case.reply_by)
    }

    pub fn responded_on(&self) -> Option<Date> {
        match self.current() {
            Some(s) => s.response.as_ref().map(|r| r.sent_on),
            None => self.case.reply.as_ref().map(|r| r.on),
        }
    }

    pub fn handler(&self) -> Option<&Assignee> {
        self.current().and_then(|s| s.handler.as_ref())
    }

    /// Top of the queue: safeguarding, or an anonymous complaint about a vulnerable group.
    pub fn is_priority(&self) -> bool {
        self.detail.safeguarding
            || (self.detail.person.is_none() && self.detail.about_vulnerable_group)
    }

    fn is_final_stage(&self, scheme: &Scheme) -> bool {
        usize::from(self.stage()) >= scheme.stages.len()
    }

    /// Who letters are addressed to: the representative acting for the person, or the
    /// person; empty for an anonymous contact.
    pub fn addressee(&self) -> String {
        self.detail
            .representative
            .as_ref()
            .map(|r| r.name.to_string())
            .or_else(|| self.detail.person.as_ref().map(|p| p.name.to_string()))
            .unwrap_or_default()
    }

    /// Whether the person may ask for the next stage now: a complaint answered (or closed)
    /// at a stage that is not the scheme's last.
    pub fn can_escalate(&self, scheme: &Scheme) -> bool {
        self.detail.kind == ContactKind::Complaint
            && matches!(
                self.status,
                ContactStatus::Responded | ContactStatus::Closed
            )
            && !self.is_final_stage(scheme)
    }

    /// The date a thing happened must be real: not before `floor`, not after today.
    fn check_date(
        on: Date,
        floor: Date,
        floor_name: &'static str,
        today: Date,
    ) -> Result<(), ContactError> {
        if on > today {
            return Err(ContactError::InFuture);
        }
        if on < floor {
            return Err(ContactError::TooEarly(floor_name));
        }
        Ok(())
    }

    fn require_complaint(&self, doing: &'static str) -> Result<(), ContactError> {
        if self.detail.kind == ContactKind::Complaint {
            Ok(())
        } else {
            Err(ContactError::NotAComplaint(doing))
        }
    }

    fn require_status(
        &self,
        allowed: &[ContactStatus],
        doing: &'static str,
    ) -> Result<(), ContactError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(ContactError::WrongState(self.status.lower(), doing))
        }
    }

    /// Applies a command: on success the contact has changed and the events say how; on
    /// failure nothing has changed.
    pub fn apply(
        &mut self,
        command: Command,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, ContactError> {
        let mut next = self.clone();
        let events = next.decide(command, ctx)?;
        *self = next;
        Ok(events)
    }

    fn decide(&mut self, command: Command, ctx: &Context<'_>) -> Result<Vec<Event>, ContactError> {
        use ContactStatus::*;
        let open = [Received, Acknowledged];
        let event = match command {
            Command::AssignOfficer { to, reason } => {
                self.require_status(&[Received, Acknowledged, Responded], "reassigned")?;
                let reason = optional(reason);
                if let Some(current) = &self.case.officer {
                    if current.user_id == to.user_id {
                        return Err(ContactError::Rule(
                            "to",
                            format!("{} is already the complaints officer", to.name),
                        ));
                    }
                    if reason.is_none() {
                        return Err(ContactError::Missing(
                            "reason",
                            "the reason for the reassignment",
                        ));
                    }
                }
                let summary = format!("Complaints officer: {}", to.name);
                let detail = serde_json::json!({"officer": to.user_id, "reason": reason});
                self.case.officer = Some(to);
                ctx.event(EventKind::Assigned, summary, detail)
            }
            Command::AssignHandler { to, reason } => {
                self.require_complaint("given a case worker")?;
                self.require_status(&open, "given a case worker")?;
                let reason = optional(reason);
                let stage = self.stage();
                let rule = ctx.scheme.stage(stage)?;
                if rule.different_handler
                    && let Some(previous) = self
                        .case
                        .stages
                        .iter()
                        .rev()
                        .skip(1)
                        .find_map(|s| s.handler.as_ref())
                    && previous.user_id == to.user_id
                {
                    return Err(ContactError::Rule(
                        "to",
                        format!(
                            "The stage {stage} handler must be a different person from the one who handled the earlier stage ({})",
                            previous.name
                        ),
                    ));
                }
                let current = self.current_mut()?;
                if let Some(existing) = &current.handler {
                    if existing.user_id == to.user_id {
                        return Err(ContactError::Rule(
                            "to",
                            format!("{} is already handling this stage", to.name),
                        ));
                    }
                    if reason.is_none() {
                        return Err(ContactError::Missing(
                            "reason",
                            "the reason for the reassignment",
                        ));
                    }
                }
                let summary = format!("Stage {stage} case worker: {}", to.name);
                let detail =
                    serde_json::json!({"stage": stage, "handler": to.user_id, "reason": reason});
                current.handler = Some(to);
                ctx.event(EventKind::Assigned, summary, detail)
            }
            Command::Acknowledge {
                on,
                understanding,
                outcome_wanted,
            } => {
                self.require_complaint("acknowledged")?;
                self.require_status(&[Received], "acknowledged")?;
                let understanding = required(
                    &understanding,
                    "understanding",
                    "your understanding of the complaint",
                )?;
                let outcome_wanted = required(
                    &outcome_wanted,
                    "outcome_wanted",
                    "the outcome the resident wants",
                )?;
                let stage = self.stage();
                let current = self.current_mut()?;
                Self::check_date(
                    on,
                    current.started_on,
                    "the complaint was received",
                    ctx.today,
                )?;
                let late = current.acknowledge_by.is_some_and(|due| on > due);
                if current.extensions.is_empty() {
                    let d =
                        ctx.scheme
                            .deadlines(ctx.calendar, stage, current.started_on, Some(on))?;
                    current.original_respond_by = d.respond_by;
                    current.respond_by = d.respond_by;
                    current.latest_extended_respond_by = d.latest_extended_respond_by;
                }
                current.acknowledged_on = Some(on);
                current.understanding = Some(understanding.clone());
                current.outcome_wanted = Some(outcome_wanted.clone());
                let respond_by = current.respond_by;
                self.status = Acknowledged;
                ctx.event(
                    EventKind::Acknowledged,
                    format!("Stage {stage} acknowledged on {on}{}; response due by {respond_by}", if late { " (late)" } else { "" }),
                    serde_json::json!({"stage": stage, "acknowledged_on": on, "respond_by": respond_by, "late": late,
                        "understanding": understanding, "outcome_wanted": outcome_wanted}),
                )
            }
            Command::Extend {
                on,
                to,
                reason,
                resident_told_on,
                good_reason,
            } => {
                self.require_complaint("extended")?;
                self.require_status(&open, "extended")?;
                let reason = required(&reason, "reason", "the reason for the extension")?;
                let good_reason = optional(good_reason);
                let stage = self.stage();
                let current = self.current_mut()?;
                Self::check_date(on, current.started_on, "the stage started", ctx.today)?;
                if on > current.respond_by {
                    return Err(ContactError::Rule(
                        "on",
                        format!(
                            "An extension must be agreed on or before the current response date ({})",
                            current.respond_by
                        ),
                    ));
                }
                if to <= current.respond_by {
                    return Err(ContactError::Rule(
                        "to",
                        format!(
                            "The new response date must be after the current one ({})",
                            current.respond_by
                        ),
                    ));
                }
                if resident_told_on < on || resident_told_on > ctx.today {
                    return Err(ContactError::Rule(
                        "resident_told_on",
                        "The date the resident was told must be between the date agreed and today"
                            .into(),
                    ));
                }
                let outside_code = current
                    .latest_extended_respond_by
                    .is_some_and(|cap| to > cap);
                if outside_code && good_reason.is_none() {
                    return Err(ContactError::Rule(
                        "good_reason",
                        format!(
                            "{to} is beyond the scheme's extension limit ({}): record a good reason to go further",
                            current
                                .latest_extended_respond_by
                                .map(|d| d.to_string())
                                .unwrap_or_default()
                        ),
                    ));
                }
                let from = current.respond_by;
                current.extensions.push(Extension {
                    agreed_on: on,
                    reason: reason.clone(),
                    from,
                    to,
                    resident_told_on,
                    outside_code,
                    good_reason: good_reason.clone(),
                });
                current.respond_by = to;
                ctx.event(
                    EventKind::Extended,
                    format!("Stage {stage} response date moved from {from} to {to}{}", if outside_code { " (outside the Code)" } else { "" }),
                    serde_json::json!({"stage": stage, "from": from, "to": to, "reason": reason,
                        "resident_told_on": resident_told_on, "outside_code": outside_code, "good_reason": good_reason}),
                )
            }
            Command::Pause { on, reason } => {
                self.require_status(&open, "paused")?;
                if self.case.paused.is_some() {
                    return Err(ContactError::Rule(
                        "on",
                        "The case is already paused".into(),
                    ));
                }
                let reason = required(&reason, "reason", "the procedure the case is waiting for")?;
                Self::check_date(on, self.received_on, "the contact was received", ctx.today)?;
                self.case.paused = Some(Pause {
                    since: on,
                    reason: reason.clone(),
                });
                ctx.event(
                    EventKind::Paused,
                    format!("Paused on {on} for a concurrent procedure: {reason}"),
                    serde_json::json!({"on": on, "reason": reason}),
                )
            }
            Command::Resume { on } => {
                let Some(pause) = self.case.paused.clone() else {
                    return Err(ContactError::Rule("on", "The case is not paused".into()));
                };
                Self::check_date(on, pause.since, "the pause began", ctx.today)?;
                self.case.paused = None;
                ctx.event(
                    EventKind::Resumed,
                    format!("Resumed on {on} (paused since {})", pause.since),
                    serde_json::json!({"on": on, "paused_since": pause.since}),
                )
            }
            Command::Respond {
                on,
                points,
                reasons,
                outstanding_actions,
                early_resolution,
            } => {
                self.require_complaint("responded to")?;
                self.require_status(&open, "responded to")?;
                if self.status == Received && !early_resolution {
                    return Err(ContactError::Rule(
                        "early_resolution",
                        "Acknowledge the complaint first, or record the response as an early resolution".into(),
                    ));
                }
                if early_resolution && self.stage() != 1 {
                    return Err(ContactError::Rule(
                        "early_resolution",
                        "Only a stage 1 complaint can be resolved early".into(),
                    ));
                }
                let points: Vec<PointDecision> = points
                    .into_iter()
                    .map(|p| PointDecision {
                        point: p.point.trim().to_string(),
                        upheld: p.upheld,
                    })
                    .filter(|p| !p.point.is_empty())
                    .collect();
                if points.is_empty() {
                    return Err(ContactError::Missing(
                        "points",
                        "at least one point of complaint and the decision on it",
                    ));
                }
                let reasons = required(&reasons, "reasons", "the reasons for the decision")?;
                let outstanding_actions = optional(outstanding_actions);
                let upheld = points.iter().filter(|p| p.upheld).count();
                let outcome = match upheld {
                    0 => Outcome::NotUpheld,
                    n if n == points.len() => Outcome::Upheld,
                    _ => Outcome::PartlyUpheld,
                };
                let stage = self.stage();
                let current = self.current_mut()?;
                Self::check_date(on, current.started_on, "the stage started", ctx.today)?;
                let late = on > current.respond_by;
                current.response = Some(StageResponse {
                    sent_on: on,
                    points: points.clone(),
                    outcome,
                    reasons: reasons.clone(),
                    outstanding_actions: outstanding_actions.clone(),
                    early_resolution,
                });
                self.status = Responded;
                ctx.event(
                    EventKind::Responded,
                    format!(
                        "Stage {stage} response sent on {on}: {}{}{}",
                        outcome.label().to_lowercase(),
                        if early_resolution { ", resolved early" } else { "" },
                        if late { " (late)" } else { "" }
                    ),
                    serde_json::json!({"stage": stage, "sent_on": on, "outcome": outcome, "points": points,
                        "reasons": reasons, "outstanding_actions": outstanding_actions,
                        "early_resolution": early_resolution, "late": late}),
                )
            }
            Command::Escalate {
                requested_on,
                reason,
            } => {
                self.require_complaint("escalated")?;
                self.require_status(&[Responded, Closed], "escalated")?;
                if self.is_final_stage(ctx.scheme) {
                    return Err(ContactError::Rule(
                        "requested_on",
                        format!(
                            "Stage {} is the final stage: the resident can now go to the {}",
                            self.stage(),
                            ctx.scheme
                                .ombudsman
                                .map(|o| o.name())
                                .unwrap_or("ombudsman")
                        ),
                    ));
                }
                let answered = self.responded_on().unwrap_or(self.received_on);
                Self::check_date(requested_on, answered, "the response was sent", ctx.today)?;
                let reason = optional(reason);
                let stage = self.stage() + 1;
                let record = new_stage(
                    ctx.scheme,
                    ctx.calendar,
                    stage,
                    requested_on,
                    reason.clone(),
                )?;
                let summary = format!(
                    "Escalated to stage {stage} at the resident's request on {requested_on}; acknowledge by {}, respond by {}",
                    record
                        .acknowledge_by
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into()),
                    record.respond_by
                );
                let detail = serde_json::json!({"stage": stage, "requested_on": requested_on, "reason": reason,
                    "acknowledge_by": record.acknowledge_by, "respond_by": record.respond_by});
                self.case.stages.push(record);
                self.status = Received;
                self.closed_on = None;
                ctx.event(EventKind::Escalated, summary, detail)
            }
            Command::RefuseEscalation { on, reason } => {
                self.require_complaint("refused escalation")?;
                self.require_status(&[Responded, Closed], "refused escalation")?;
                if self.is_final_stage(ctx.scheme) {
                    return Err(ContactError::Rule(
                        "reason",
                        "There is no further stage to refuse".into(),
                    ));
                }
                let reason = required(&reason, "reason", "the reason for refusing escalation")?;
                Self::check_date(
                    on,
                    self.responded_on().unwrap_or(self.received_on),
                    "the response was sent",
                    ctx.today,
                )?;
                self.case.escalation_refusals.push(EscalationRefusal {
                    on,
                    reason: reason.clone(),
                });
                let ombudsman = ctx
                    .scheme
                    .ombudsman
                    .map(|o| o.name())
                    .unwrap_or("ombudsman");
                ctx.event(
                    EventKind::EscalationRefused,
                    format!("Escalation refused on {on}: {reason}. Signposted to the {ombudsman}"),
                    serde_json::json!({"on": on, "reason": reason, "signposted_to": ombudsman}),
                )
            }
            Command::Withdraw { on, reason } => {
                self.require_status(&open, "withdrawn")?;
                let reason = required(&reason, "reason", "what the person said when withdrawing")?;
                Self::check_date(on, self.received_on, "the contact was received", ctx.today)?;
                self.status = Withdrawn;
                self.closed_on = Some(on);
                self.case.paused = None;
                self.case.withdrawal = Some(reason.clone());
                ctx.event(
                    EventKind::Withdrawn,
                    format!("Withdrawn on {on}: {reason}"),
                    serde_json::json!({"on": on, "reason": reason}),
                )
            }
            Command::Close { .. } if self.detail.kind == ContactKind::Comment => {
                return Err(ContactError::Rule(
                    "on",
                    "Record the comment's outcome instead: acted on, noted or not taken forward"
                        .into(),
                ));
            }
            Command::Close { on } => {
                let allowed: &[ContactStatus] = if self.detail.kind == ContactKind::Complaint {
                    &[Responded]
                } else {
                    &open
                };
                self.require_status(allowed, "closed")?;
                let floor = self.responded_on().unwrap_or(self.received_on);
                Self::check_date(on, floor, "the response was sent", ctx.today)?;
                self.status = Closed;
                self.closed_on = Some(on);
                self.case.paused = None;
                ctx.event(
                    EventKind::Closed,
                    format!("Closed on {on}"),
                    serde_json::json!({"on": on}),
                )
            }
            Command::OverrideTimeLimit { reason } => {
                self.require_complaint("accepted outside the time limit")?;
                self.require_status(&[Received], "accepted outside the time limit")?;
                let reason = required(&reason, "reason", "the good reason for accepting it late")?;
                self.case.time_limit_override = Some(reason.clone());
                ctx.event(
                    EventKind::TimeLimitOverridden,
                    format!("Accepted outside the time limit: {reason}"),
                    serde_json::json!({"reason": reason}),
                )
            }
            Command::Decline {
                on,
                reason,
                explanation,
            } => {
                self.require_complaint("declined")?;
                self.require_status(&[Received], "declined")?;
                if self.stage() != 1 {
                    return Err(ContactError::Rule(
                        "reason",
                        "Only a new complaint can be declined; refuse the escalation instead"
                            .into(),
                    ));
                }
                let explanation = required(
                    &explanation,
                    "explanation",
                    "the explanation for the resident",
                )?;
                Self::check_date(
                    on,
                    self.received_on,
                    "the complaint was received",
                    ctx.today,
                )?;
                if reason == DeclineReason::TimeLimit {
                    if let Some(r) = &self.case.time_limit_override {
                        return Err(ContactError::Rule(
                            "reason",
                            format!(
                                "A good reason for the delay was recorded ({r}): the time limit cannot be used to decline"
                            ),
                        ));
                    }
                    let months = ctx.scheme.time_limit_months.unwrap_or(12);
                    let limit = self.detail.issue_date.and_then(|d| {
                        d.checked_add(jiff::Span::new().months(i64::from(months)))
                            .ok()
                    });
                    match limit {
                        Some(limit) if self.received_on > limit => {}
                        Some(_) => {
                            return Err(ContactError::Rule(
                                "reason",
                                format!(
                                    "The complaint was made within the {months}-month time limit"
                                ),
                            ));
                        }
                        None => {
                            return Err(ContactError::Rule(
                                "reason",
                                "Record when the issue happened before declining it as too old"
                                    .into(),
                            ));
                        }
                    }
                }
                self.case.decline = Some(Decline {
                    on,
                    reason,
                    explanation: explanation.clone(),
                });
                self.status = ContactStatus::Declined;
                self.closed_on = Some(on);
                let ombudsman = ctx
                    .scheme
                    .ombudsman
                    .map(|o| o.name())
                    .unwrap_or("ombudsman");
                ctx.event(
                    EventKind::Declined,
                    format!("Not taken on: {}. The resident can ask the {ombudsman} to look at this decision", reason.label()),
                    serde_json::json!({"on": on, "reason": reason, "explanation": explanation, "signposted_to": ombudsman}),
                )
            }
            Command::AddAttachment {
                id,
                name,
                file_type,
                size,
                description,
            } => {
                let description = required(&description, "description", "what the file is")?;
                let name = crate::attachment::clean_name(&name);
                self.case.attachments.push(AttachmentInfo {
                    id: id.clone(),
                    name: name.clone(),
                    file_type,
                    size,
                    description: description.clone(),
                    added_on: ctx.today,
                    by: ctx.actor.name.clone(),
                    redacted_on: None,
                });
                ctx.event(
                    EventKind::AttachmentAdded,
                    format!("File added: {name} ({}, {} KB): {description}", file_type.label(), size.div_ceil(1024)),
                    serde_json::json!({"id": id, "name": name, "type": file_type, "size": size, "description": description}),
                )
            }
            Command::Reclassify {
                to,
                route,
                explanation,
            } => {
                if to == self.detail.kind {
                    return Err(ContactError::Rule(
                        "to",
                        format!("It is already a {}", to.label().to_lowercase()),
                    ));
                }
                self.require_status(&[Received], "reclassified")?;
                if self.acknowledged_on().is_some() || self.stage() > 1 {
                    return Err(ContactError::Rule(
                        "to",
                        "A complaint that has been acknowledged cannot be reclassified".into(),
                    ));
                }
                let explanation = required(
                    &explanation,
                    "explanation",
                    "the explanation for the person",
                )?;
                if to == ContactKind::OtherRoute && route.is_none() {
                    return Err(ContactError::Missing("route", "which route applies"));
                }
                let from = self.detail.kind;
                self.detail.kind = to;
                self.detail.other_route = if to == ContactKind::OtherRoute {
                    route
                } else {
                    None
                };
                self.case.stages.clear();
                self.case.reply_by = None;
                if to == ContactKind::Complaint {
                    // The clock runs from when the person first got in touch, not from triage.
                    self.case.stages.push(new_stage(
                        ctx.scheme,
                        ctx.calendar,
                        1,
                        self.received_on,
                        None,
                    )?);
                }
                if to == ContactKind::Comment && self.detail.wants_reply {
                    let due = ctx
                        .calendar
                        .add_working_days(self.received_on, COMMENT_REPLY_WORKING_DAYS);
                    self.case.reply_by = Some(due.map_err(SchemeError::from)?);
                }
                ctx.event(
                    EventKind::Reclassified,
                    format!(
                        "Reclassified from {} to {}{}: {explanation}",
                        from.label().to_lowercase(),
                        to.label().to_lowercase(),
                        route.filter(|_| to == ContactKind::OtherRoute).map(|r| format!(" ({})", r.label())).unwrap_or_default()
                    ),
                    serde_json::json!({"from": from, "to": to, "route": route, "explanation": explanation}),
                )
            }
            Command::Link {
                relation,
                reference,
                agency,
                their_reference,
            } => {
                let their_reference = optional(their_reference);
                let agency = optional(agency);
                match relation {
                    LinkRelation::OtherAgency => {
                        if agency.is_none() {
                            return Err(ContactError::Missing("agency", "the other agency"));
                        }
                    }
                    _ => {
                        let Some(r) = &reference else {
                            return Err(ContactError::Missing(
                                "reference",
                                "the reference of the other case",
                            ));
                        };
                        if *r == self.reference {
                            return Err(ContactError::Rule(
                                "reference",
                                "A case cannot be linked to itself".into(),
                            ));
                        }
                        if self
                            .case
                            .links
                            .iter()
                            .any(|l| l.reference.as_ref() == Some(r))
                        {
                            return Err(ContactError::Rule(
                                "reference",
                                format!("It is already linked to {r}"),
                            ));
                        }
                    }
                }
                let closes = matches!(
                    relation,
                    LinkRelation::EarlierIssue | LinkRelation::DuplicateOf
                );
                if closes {
                    self.require_status(&open, "linked and closed")?;
                    if self.acknowledged_on().is_some() || self.stage() > 1 {
                        return Err(ContactError::Rule(
                            "relation",
                            "Only a new contact can be closed as a repeat or duplicate".into(),
                        ));
                    }
                }
                let label = match (&reference, &agency) {
                    (Some(r), _) => r.to_string(),
                    (None, Some(a)) => format!(
                        "{a}{}",
                        their_reference
                            .as_ref()
                            .map(|t| format!(" ({t})"))
                            .unwrap_or_default()
                    ),
                    (None, None) => String::new(),
                };
                self.case.links.push(CaseLink {
                    relation,
                    reference: reference.clone(),
                    agency: agency.clone(),
                    their_reference: their_reference.clone(),
                });
                if closes {
                    self.status = Closed;
                    self.closed_on = Some(ctx.today);
                    self.case.paused = None;
                }
                ctx.event(
                    EventKind::Linked,
                    format!("{}: {label}{}", relation.label(), if closes { ". Closed here; handled on that case" } else { "" }),
                    serde_json::json!({"relation": relation, "reference": reference, "agency": agency, "their_reference": their_reference, "closed": closes}),
                )
            }
            Command::SetServiceArea { id, name } => {
                if self.detail.service_area.as_deref() == Some(id.as_str()) {
                    return Err(ContactError::Rule(
                        "area",
                        format!("It is already with {name}"),
                    ));
                }
                let from = self.detail.service_area.replace(id.clone());
                ctx.event(
                    EventKind::Routed,
                    format!("Passed to {name}"),
                    serde_json::json!({"from": from, "to": id}),
                )
            }
            Command::PassOn { on, to, manager } => {
                if self.detail.kind != ContactKind::Compliment {
                    return Err(ContactError::Rule(
                        "to",
                        "Only a compliment is passed on to the people it praises".into(),
                    ));
                }
                let to = required(&to, "to", "who the compliment was passed to")?;
                let manager = required(&manager, "manager", "their manager")?;
                Self::check_date(
                    on,
                    self.received_on,
                    "the compliment was received",
                    ctx.today,
                )?;
                self.case.passed_on.push(PassedOn {
                    on,
                    to: to.clone(),
                    manager: manager.clone(),
                });
                ctx.event(
                    EventKind::PassedOn,
                    format!("Compliment passed to {to} and their manager {manager} on {on}"),
                    serde_json::json!({"on": on, "to": to, "manager": manager}),
                )
            }
            Command::ReplyToComment { on, text } => {
                if self.detail.kind != ContactKind::Comment {
                    return Err(ContactError::Rule(
                        "text",
                        "Only a comment gets a reply here; answer a complaint with a response"
                            .into(),
                    ));
                }
                if !self.detail.wants_reply {
                    return Err(ContactError::Rule(
                        "text",
                        "The person did not ask for a reply".into(),
                    ));
                }
                if self.case.reply.is_some() {
                    return Err(ContactError::Rule(
                        "text",
                        "The reply is already recorded".into(),
                    ));
                }
                let text = required(&text, "text", "the reply")?;
                Self::check_date(on, self.received_on, "the comment was received", ctx.today)?;
                self.case.reply = Some(Reply {
                    on,
                    text: text.clone(),
                });
                let late = self.case.reply_by.is_some_and(|due| on > due);
                ctx.event(
                    EventKind::Replied,
                    format!("Reply sent on {on}{}", if late { " (late)" } else { "" }),
                    serde_json::json!({"on": on, "text": text, "late": late}),
                )
            }
            Command::DecideComment {
                on,
                outcome,
                reason,
            } => {
                if self.detail.kind != ContactKind::Comment {
                    return Err(ContactError::Rule(
                        "outcome",
                        "Only a comment has this outcome".into(),
                    ));
                }
                self.require_status(&open, "given an outcome")?;
                let reason = optional(reason);
                if outcome == CommentOutcome::NotTakenForward && reason.is_none() {
                    return Err(ContactError::Missing(
                        "reason",
                        "why it is not being taken forward",
                    ));
                }
                if self.detail.wants_reply && self.case.reply.is_none() {
                    return Err(ContactError::Rule(
                        "outcome",
                        "Record the reply first: the person asked for one".into(),
                    ));
                }
                Self::check_date(on, self.received_on, "the comment was received", ctx.today)?;
                self.case.comment_outcome = Some(CommentDecision {
                    on,
                    outcome,
                    reason: reason.clone(),
                });
                self.status = Closed;
                self.closed_on = Some(on);
                ctx.event(
                    EventKind::Closed,
                    format!(
                        "Comment {} on {on}{}",
                        outcome.label().to_lowercase(),
                        reason
                            .as_ref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    ),
                    serde_json::json!({"on": on, "outcome": outcome, "reason": reason}),
                )
            }
            Command::AddNote { kind, on, text } => {
                let text = required(&text, "text", "the note")?;
                Self::check_date(on, self.received_on, "the contact was received", ctx.today)?;
                self.case.notes.push(CaseNote {
                    kind,
                    on,
                    by: ctx.actor.name.clone(),
                    text: text.clone(),
                });
                ctx.event(
                    EventKind::NoteAdded,
                    format!("{} ({on}): {text}", kind.label()),
                    serde_json::json!({"kind": kind, "on": on, "text": text}),
                )
            }
            Command::AddRemedy {
                kind,
                description,
                owner,
                due,
                payment,
            } => {
                self.require_complaint("given a remedy")?;
                self.require_status(&[Acknowledged, Responded, Closed], "given a remedy")?;
                let description = required(&description, "description", "what will be done")?;
                if due < self.received_on {
                    return Err(ContactError::Rule(
                        "due",
                        "The due date cannot be before the complaint was received".into(),
                    ));
                }
                let payment = match (kind, payment) {
                    (RemedyKind::Financial, Some((kind, amount))) => Some(Payment {
                        kind,
                        amount,
                        approved_by: None,
                        approved_on: None,
                        paid_on: None,
                    }),
                    (RemedyKind::Financial, None) => {
                        return Err(ContactError::Missing("amount", "the amount"));
                    }
                    (_, Some(_)) => {
                        return Err(ContactError::Rule(
                            "kind",
                            "Only a financial remedy has an amount: choose Financial remedy".into(),
                        ));
                    }
                    (_, None) => None,
                };
                let id = u32::try_from(self.case.remedies.len() + 1).unwrap_or(u32::MAX);
                let money = payment
                    .as_ref()
                    .map(|p| format!(" ({} {})", p.amount, p.kind.label().to_lowercase()))
                    .unwrap_or_default();
                let summary = format!(
                    "Remedy {id}: {}{money}, owned by {}, due {due}",
                    kind.label(),
                    owner.name
                );
                let detail = serde_json::json!({"id": id, "kind": kind, "description": description, "owner": owner.user_id,
                    "due": due, "amount_pence": payment.as_ref().map(|p| p.amount.0), "payment_kind": payment.as_ref().map(|p| p.kind)});
                self.case.remedies.push(Remedy {
                    id,
                    kind,
                    description,
                    owner,
                    due,
                    done_on: None,
                    payment,
                    notes: Vec::new(),
                });
                ctx.event(EventKind::RemedyAdded, summary, detail)
            }
            Command::NoteRemedy { id, on, text } => {
                let text = required(&text, "text", "the update")?;
                let received = self.received_on;
                let remedy = self.remedy_mut(id)?;
                Self::check_date(on, received, "the complaint was received", ctx.today)?;
                remedy.notes.push(Note {
                    on,
                    by: ctx.actor.name.clone(),
                    text: text.clone(),
                });
                ctx.event(
                    EventKind::RemedyUpdated,
                    format!("Remedy {id}: {text}"),
                    serde_json::json!({"id": id, "on": on, "text": text}),
                )
            }
            Command::CompleteRemedy { id, on } => {
                let received = self.received_on;
                let remedy = self.remedy_mut(id)?;
                if remedy.done_on.is_some() {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("Remedy {id} is already delivered"),
                    ));
                }
                if remedy.payment.as_ref().is_some_and(|p| p.paid_on.is_none()) {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("Record the payment for remedy {id} first"),
                    ));
                }
                Self::check_date(on, received, "the complaint was received", ctx.today)?;
                remedy.done_on = Some(on);
                let late = on > remedy.due;
                ctx.event(
                    EventKind::RemedyDone,
                    format!(
                        "Remedy {id} delivered on {on}{}",
                        if late { " (late)" } else { "" }
                    ),
                    serde_json::json!({"id": id, "on": on, "late": late}),
                )
            }
            Command::ApprovePayment { id, on } => {
                let received = self.received_on;
                let remedy = self.remedy_mut(id)?;
                let Some(payment) = remedy.payment.as_mut() else {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("Remedy {id} has no payment"),
                    ));
                };
                if payment.approved_on.is_some() {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("The payment for remedy {id} is already approved"),
                    ));
                }
                Self::check_date(on, received, "the complaint was received", ctx.today)?;
                payment.approved_on = Some(on);
                payment.approved_by = Some(ctx.actor.name.clone());
                let amount = payment.amount;
                ctx.event(
                    EventKind::PaymentApproved,
                    format!(
                        "Payment of {amount} for remedy {id} approved by {} on {on}",
                        ctx.actor.name
                    ),
                    serde_json::json!({"id": id, "on": on, "amount_pence": amount.0}),
                )
            }
            Command::RecordPayment { id, on } => {
                let remedy = self.remedy_mut(id)?;
                let Some(payment) = remedy.payment.as_mut() else {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("Remedy {id} has no payment"),
                    ));
                };
                let Some(approved) = payment.approved_on else {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("The payment for remedy {id} must be approved before it is paid"),
                    ));
                };
                if payment.paid_on.is_some() {
                    return Err(ContactError::Rule(
                        "remedy",
                        format!("The payment for remedy {id} is already recorded"),
                    ));
                }
                Self::check_date(on, approved, "the payment was approved", ctx.today)?;
                payment.paid_on = Some(on);
                let amount = payment.amount;
                ctx.event(
                    EventKind::PaymentMade,
                    format!("Payment of {amount} for remedy {id} made on {on}"),
                    serde_json::json!({"id": id, "on": on, "amount_pence": amount.0}),
                )
            }
            Command::ReferToOmbudsman {
                on,
                ombudsman,
                their_reference,
            } => {
                self.require_complaint("referred to an ombudsman")?;
                self.require_status(
                    &[Responded, Closed, ContactStatus::Declined],
                    "referred to an ombudsman",
                )?;
                if !self.case.referrals.is_empty() {
                    return Err(ContactError::Rule(
                        "on",
                        "The referral is already recorded".into(),
                    ));
                }
                Self::check_date(
                    on,
                    self.received_on,
                    "the complaint was received",
                    ctx.today,
                )?;
                let their_reference = optional(their_reference);
                self.case.referrals.push(Referral {
                    referred_on: on,
                    ombudsman,
                    their_reference: their_reference.clone(),
                    determination: None,
                    determined_on: None,
                    summary: None,
                    orders: Vec::new(),
                });
                ctx.event(
                    EventKind::Referred,
                    format!("Referred to the {} on {on}{}", ombudsman.name(), their_reference.as_ref().map(|r| format!(" (their reference {r})")).unwrap_or_default()),
                    serde_json::json!({"on": on, "ombudsman": ombudsman, "their_reference": their_reference}),
                )
            }
            Command::RecordDetermination {
                on,
                determination,
                summary,
            } => {
                let summary = required(&summary, "summary", "a summary of the determination")?;
                let Some(referral) = self.case.referrals.last_mut() else {
                    return Err(ContactError::Rule(
                        "on",
                        "Record the referral to the ombudsman first".into(),
                    ));
                };
                if referral.determination.is_some() {
                    return Err(ContactError::Rule(
                        "on",
                        "The determination is already recorded".into(),
                    ));
                }
                Self::check_date(on, referral.referred_on, "the referral", ctx.today)?;
                referral.determination = Some(determination);
                referral.determined_on = Some(on);
                referral.summary = Some(summary.clone());
                ctx.event(
                    EventKind::Determined,
                    format!("{}: {}", referral.ombudsman.name(), determination.label().to_lowercase()),
                    serde_json::json!({"on": on, "determination": determination, "summary": summary}),
                )
            }
            Command::AddOrder { description, due } => {
                let description =
                    required(&description, "description", "what the ombudsman ordered")?;
                let Some(referral) = self.case.referrals.last_mut() else {
                    return Err(ContactError::Rule(
                        "description",
                        "Record the referral to the ombudsman first".into(),
                    ));
                };
                let Some(determined) = referral.determined_on else {
                    return Err(ContactError::Rule(
                        "description",
                        "Record the determination before its orders".into(),
                    ));
                };
                if due < determined {
                    return Err(ContactError::Rule(
                        "due",
                        "The due date cannot be before the determination".into(),
                    ));
                }
                let id = u32::try_from(referral.orders.len() + 1).unwrap_or(u32::MAX);
                referral.orders.push(Order {
                    id,
                    description: description.clone(),
                    due,
                    complied_on: None,
                    evidence: None,
                });
                ctx.event(
                    EventKind::OrderAdded,
                    format!("Order {id}: {description}, due {due}"),
                    serde_json::json!({"id": id, "description": description, "due": due}),
                )
            }
            Command::ComplyOrder { id, on, evidence } => {
                let evidence = required(&evidence, "evidence", "the evidence of compliance")?;
                let Some(order) = self
                    .case
                    .referrals
                    .last_mut()
                    .and_then(|r| r.orders.iter_mut().find(|o| o.id == id))
                else {
                    return Err(ContactError::Rule(
                        "order",
                        format!("There is no order {id}"),
                    ));
                };
                if order.complied_on.is_some() {
                    return Err(ContactError::Rule(
                        "order",
                        format!("Order {id} is already complied with"),
                    ));
                }
                Self::check_date(
                    on,
                    self.received_on,
                    "the complaint was received",
                    ctx.today,
                )?;
                order.complied_on = Some(on);
                order.evidence = Some(evidence.clone());
                let late = on > order.due;
                ctx.event(
                    EventKind::OrderComplied,
                    format!(
                        "Order {id} complied with on {on}{}",
                        if late { " (late)" } else { "" }
                    ),
                    serde_json::json!({"id": id, "on": on, "evidence": evidence, "late": late}),
                )
            }
            Command::RecordLearning {
                root_cause,
                lessons,
            } => self.record_learning(root_cause, lessons, ctx)?,
            Command::RecordSurvey { answer } => self.record_survey(answer, ctx)?,
            Command::ImprovementNews { improvement } => self.improvement_news(&improvement, ctx),
            Command::RecordAuthority { authority } => {
                let Some(rep) = self.detail.representative.as_mut() else {
                    return Err(ContactError::Rule(
                        "authority",
                        "There is no representative on this case".into(),
                    ));
                };
                if rep.authority == authority {
                    return Err(ContactError::Rule(
                        "authority",
                        format!("This is already recorded: {}", authority.label()),
                    ));
                }
                rep.authority = authority;
                ctx.event(
                    EventKind::AuthorityRecorded,
                    format!("Authority of {} to act: {}", rep.name, authority.label()),
                    serde_json::json!({"authority": authority}),
                )
            }
            Command::RedactNote { index, reason } => self.redact_note(index, reason, ctx)?,
            Command::RedactAttachment { id, reason } => self.redact_attachment(&id, reason, ctx)?,
        };
        Ok(vec![event])
    }

    fn remedy_mut(&mut self, id: u32) -> Result<&mut Remedy, ContactError> {
        self.case
            .remedies
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| ContactError::Rule("remedy", format!("There is no remedy {id}")))
    }

    /// The clocks as they stand on `today`.
    pub fn deadlines_on(&self, calendar: &WorkingCalendar, today: Date) -> Vec<DeadlineView> {
        let Some(stage) = self.current() else {
            return self
                .case
                .reply_by
                .map(|due| {
                    let replied = self.case.reply.as_ref().map(|r| r.on);
                    vec![DeadlineView {
                        label: "Reply by",
                        due,
                        met_on: replied,
                        working_days_left: (replied.is_none() && self.status.is_open())
                            .then(|| calendar.working_days_between(today, due)),
                    }]
                })
                .unwrap_or_default();
        };
        let running = self.status.is_open() && self.case.paused.is_none();
        let mut out = Vec::new();
        if let Some(due) = stage.acknowledge_by {
            out.push(DeadlineView {
                label: "Acknowledge by",
                due,
                met_on: stage.acknowledged_on,
                working_days_left: (stage.acknowledged_on.is_none() && running)
                    .then(|| calendar.working_days_between(today, due)),
            });
        }
        let responded = stage.response.as_ref().map(|r| r.sent_on);
        out.push(DeadlineView {
            label: "Respond by",
            due: stage.respond_by,
            met_on: responded,
            working_days_left: (responded.is_none() && running)
                .then(|| calendar.working_days_between(today, stage.respond_by)),
        });
        out
    }
}

fn new_stage(
    scheme: &Scheme,
    calendar: &WorkingCalendar,
    stage: u8,
    started_on: Date,
    escalation_reason: Option<String>,
) -> Result<StageRecord, ContactError> {
    let d = scheme.deadlines(calendar, stage, started_on, None)?;
    Ok(StageRecord {
        stage,
        started_on,
        escalation_reason,
        handler: None,
        acknowledge_by: d.acknowledge_by,
        acknowledged_on: None,
        understanding: None,
        outcome_wanted: None,
        original_respond_by: d.respond_by,
        respond_by: d.respond_by,
        latest_extended_respond_by: d.latest_extended_respond_by,
        extensions: Vec::new(),
        response: None,
    })
}

impl ContactStatus {
    pub(crate) fn lower(self) -> &'static str {
        match self {
            ContactStatus::Received => "awaiting acknowledgement",
            ContactStatus::Acknowledged => "being investigated",
            ContactStatus::Responded => "answered",
            ContactStatus::Closed => "closed",
            ContactStatus::Withdrawn => "withdrawn",
            ContactStatus::Declined => "declined",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Division;
    use crate::contact::{ContactInput, Source};
    use jiff::civil::date;
    use proptest::prelude::*;

    fn hos() -> Scheme {
        Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0))
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::standard(Division::EnglandAndWales)
    }

    fn received(issue_date: &str) -> Contact {
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            phone: "029 2087 2000".into(),
            summary: "The boiler keeps breaking down".into(),
            issue_date: issue_date.into(),
            received_date: "2025-03-03".into(),
            received_time: "10:00".into(),
            ..Default::default()
        };
        let now: Timestamp = "2025-06-30T12:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let detail = input.parse(Source::Staff, now).map_err(|e| e.to_string());
        let made = detail.and_then(|d| {
            Contact::receive(
                "c1".into(),
                Reference::new(ContactKind::Complaint, 2025, 1),
                d,
                &hos(),
                &calendar(),
                Actor::system(),
            )
            .map_err(|e| e.to_string())
        });
        match made {
            Ok((c, _)) => c,
            Err(e) => unreachable!("fixture: {e}"),
        }
    }

    fn person(n: u8) -> Assignee {
        Assignee {
            user_id: format!("u{n}"),
            name: format!("Officer {n}"),
        }
    }

    fn run(contact: &mut Contact, command: Command) -> Result<Vec<Event>, ContactError> {
        let scheme = hos();
        let cal = calendar();
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: Timestamp::UNIX_EPOCH,
            today: date(2025, 6, 30),
        };
        contact.apply(command, &ctx)
    }

    fn respond(on: Date) -> Command {
        Command::Respond {
            on,
            points: vec![
                PointDecision {
                    point: "Missed appointments".into(),
                    upheld: true,
                },
                PointDecision {
                    point: "Rude engineer".into(),
                    upheld: false,
                },
            ],
            reasons: "The visits were missed; the call recording shows the engineer was polite."
                .into(),
            outstanding_actions: Some("Replace the boiler by 30 April".into()),
            early_resolution: false,
        }
    }

    fn acknowledge(on: Date) -> Command {
        Command::Acknowledge {
            on,
            understanding: "Boiler repairs missed".into(),
            outcome_wanted: "A working boiler".into(),
        }
    }

    #[test]
    fn summaries_use_readable_dates() {
        assert_eq!(
            readable_dates("Due 2025-03-04, ref CMP-2025-000001"),
            "Due 4 March 2025, ref CMP-2025-000001"
        );
        assert_eq!(
            readable_dates("2025-02-30 and 12345"),
            "2025-02-30 and 12345"
        );
    }

    #[test]
    fn a_complaint_through_both_stages() {
        let mut c = received("2025-02-20");
        assert_eq!(
            (c.stage(), c.acknowledge_by(), c.respond_by()),
            (1, Some(date(2025, 3, 10)), Some(date(2025, 3, 24)))
        );
        assert!(
            run(&mut c, respond(date(2025, 3, 5)))
                .is_err_and(|e| e.to_string().contains("Acknowledge the complaint first"))
        );
        assert!(
            run(
                &mut c,
                Command::AssignHandler {
                    to: person(1),
                    reason: None
                }
            )
            .is_ok()
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        // Acknowledged early: ten working days from 4 March.
        assert_eq!(c.respond_by(), Some(date(2025, 3, 18)));
        assert!(run(&mut c, respond(date(2025, 3, 17))).is_ok());
        let response = c.current().and_then(|s| s.response.clone());
        assert_eq!(response.map(|r| r.outcome), Some(Outcome::PartlyUpheld));
        assert!(
            run(
                &mut c,
                Command::Close {
                    on: date(2025, 3, 17)
                }
            )
            .is_ok()
        );
        assert_eq!(c.status, ContactStatus::Closed);

        // The resident escalates; no reason is needed.
        assert!(
            run(
                &mut c,
                Command::Escalate {
                    requested_on: date(2025, 3, 20),
                    reason: None
                }
            )
            .is_ok()
        );
        assert_eq!(
            (c.stage(), c.status, c.closed_on),
            (2, ContactStatus::Received, None)
        );
        assert_eq!(c.acknowledge_by(), Some(date(2025, 3, 27)));
        let same = run(
            &mut c,
            Command::AssignHandler {
                to: person(1),
                reason: None,
            },
        );
        assert!(same.is_err_and(|e| e.to_string().contains("different person")));
        assert!(
            run(
                &mut c,
                Command::AssignHandler {
                    to: person(2),
                    reason: None
                }
            )
            .is_ok()
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 24))).is_ok());
        assert_eq!(
            c.respond_by(),
            Some(date(2025, 4, 23)),
            "20 working days, skipping Easter"
        );
        assert!(run(&mut c, respond(date(2025, 4, 15))).is_ok());
        let again = run(
            &mut c,
            Command::Escalate {
                requested_on: date(2025, 4, 16),
                reason: None,
            },
        );
        assert!(again.is_err_and(|e| e.to_string().contains("Housing Ombudsman")));
    }

    #[test]
    fn extensions_within_and_beyond_the_cap() {
        let mut c = received("");
        assert!(run(&mut c, acknowledge(date(2025, 3, 10))).is_ok());
        assert_eq!(c.respond_by(), Some(date(2025, 3, 24)));
        let extend = |to, good_reason: Option<&str>| Command::Extend {
            on: date(2025, 3, 20),
            to,
            reason: "Waiting for the contractor's report".into(),
            resident_told_on: date(2025, 3, 20),
            good_reason: good_reason.map(str::to_string),
        };
        // The cap is ten working days after 24 March: 7 April.
        let beyond = run(&mut c, extend(date(2025, 4, 8), None));
        assert!(
            beyond.as_ref().is_err_and(|e| e.field() == "good_reason"),
            "{beyond:?}"
        );
        assert!(run(&mut c, extend(date(2025, 4, 7), None)).is_ok());
        assert!(c.current().is_some_and(|s| !s.extensions[0].outside_code));
        let late = Command::Extend {
            on: date(2025, 4, 8),
            to: date(2025, 4, 20),
            reason: "More time".into(),
            resident_told_on: date(2025, 4, 8),
            good_reason: None,
        };
        assert!(run(&mut c, late).is_err_and(|e| {
            e.to_string()
                .contains("on or before the current response date")
        }));
        let with_reason = Command::Extend {
            on: date(2025, 4, 1),
            to: date(2025, 4, 30),
            reason: "Structural survey needed".into(),
            resident_told_on: date(2025, 4, 1),
            good_reason: Some("The resident asked us to wait for the survey".into()),
        };
        assert!(run(&mut c, with_reason).is_ok());
        assert!(
            c.current()
                .is_some_and(|s| s.extensions[1].outside_code && s.respond_by == date(2025, 4, 30))
        );
    }

    #[test]
    fn declining_needs_a_valid_reason() {
        let mut recent = received("2025-01-10");
        let decline = |reason| Command::Decline {
            on: date(2025, 3, 4),
            reason,
            explanation: "Explained in the letter".into(),
        };
        assert!(
            run(&mut recent, decline(DeclineReason::TimeLimit))
                .is_err_and(|e| e.to_string().contains("within the 12-month"))
        );
        let mut old = received("2023-06-01");
        assert!(
            run(
                &mut old,
                Command::OverrideTimeLimit {
                    reason: "In hospital for most of the year".into()
                }
            )
            .is_ok()
        );
        assert!(run(&mut old, decline(DeclineReason::TimeLimit)).is_err());
        let mut old = received("2023-06-01");
        assert!(run(&mut old, decline(DeclineReason::TimeLimit)).is_ok());
        assert_eq!(old.status, ContactStatus::Declined);
        assert!(run(&mut old, acknowledge(date(2025, 3, 5))).is_err());
    }

    #[test]
    fn pauses_are_shown_and_stop_the_countdown_display() {
        let mut c = received("");
        assert!(
            run(
                &mut c,
                Command::Pause {
                    on: date(2025, 3, 4),
                    reason: "Disciplinary investigation".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::Pause {
                    on: date(2025, 3, 4),
                    reason: "again".into()
                }
            )
            .is_err()
        );
        assert!(
            c.deadlines_on(&calendar(), date(2025, 3, 5))
                .iter()
                .all(|d| d.working_days_left.is_none())
        );
        assert!(
            run(
                &mut c,
                Command::Resume {
                    on: date(2025, 3, 3)
                }
            )
            .is_err_and(|e| e == ContactError::TooEarly("the pause began"))
        );
        assert!(
            run(
                &mut c,
                Command::Resume {
                    on: date(2025, 3, 6)
                }
            )
            .is_ok()
        );
        assert_eq!(
            c.deadlines_on(&calendar(), date(2025, 3, 5))[0].working_days_left,
            Some(3)
        );
    }

    #[test]
    fn refused_commands_change_nothing() {
        let mut c = received("");
        let before = c.clone();
        assert!(
            run(&mut c, acknowledge(date(2025, 7, 1))).is_err_and(|e| e == ContactError::InFuture)
        );
        assert!(
            run(
                &mut c,
                Command::Acknowledge {
                    on: date(2025, 3, 4),
                    understanding: " ".into(),
                    outcome_wanted: "x".into()
                }
            )
            .is_err_and(|e| e.field() == "understanding")
        );
        assert_eq!(c, before);
    }

    #[test]
    fn remedies_are_followed_through_and_payments_approved_before_paid() {
        let mut c = received("");
        let add = |kind, payment| Command::AddRemedy {
            kind,
            description: "Pay for the damaged carpet".into(),
            owner: person(3),
            due: date(2025, 4, 1),
            payment,
        };
        assert!(
            run(&mut c, add(RemedyKind::Apology, None))
                .is_err_and(|e| e.to_string().contains("cannot be given a remedy")
                    || e.to_string().contains("awaiting acknowledgement"))
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        assert!(
            run(&mut c, add(RemedyKind::Financial, None)).is_err_and(|e| e.field() == "amount")
        );
        assert!(
            run(
                &mut c,
                add(
                    RemedyKind::Apology,
                    Some((PaymentKind::Goodwill, Pence(5_000)))
                )
            )
            .is_err_and(|e| e.field() == "kind")
        );
        assert!(
            run(
                &mut c,
                add(
                    RemedyKind::Financial,
                    Some((PaymentKind::Compensation, Pence(25_000)))
                )
            )
            .is_ok()
        );
        assert!(run(&mut c, add(RemedyKind::Apology, None)).is_ok());
        assert!(c.case.remedies[0].is_overdue(date(2025, 4, 2)));
        assert!(
            run(
                &mut c,
                Command::CompleteRemedy {
                    id: 1,
                    on: date(2025, 3, 20)
                }
            )
            .is_err_and(|e| e.to_string().contains("payment"))
        );
        assert!(
            run(
                &mut c,
                Command::RecordPayment {
                    id: 1,
                    on: date(2025, 3, 20)
                }
            )
            .is_err_and(|e| e.to_string().contains("approved"))
        );
        assert!(
            run(
                &mut c,
                Command::ApprovePayment {
                    id: 1,
                    on: date(2025, 3, 18)
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::RecordPayment {
                    id: 1,
                    on: date(2025, 3, 17)
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::RecordPayment {
                    id: 1,
                    on: date(2025, 3, 20)
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::NoteRemedy {
                    id: 2,
                    on: date(2025, 3, 20),
                    text: "Letter drafted".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::CompleteRemedy {
                    id: 1,
                    on: date(2025, 3, 21)
                }
            )
            .is_ok()
        );
        assert!(!c.case.remedies[0].is_overdue(date(2025, 4, 2)));
        assert!(
            run(
                &mut c,
                Command::CompleteRemedy {
                    id: 9,
                    on: date(2025, 3, 21)
                }
            )
            .is_err_and(|e| e.to_string().contains("no remedy 9"))
        );
    }

    #[test]
    fn an_ombudsman_referral_with_determination_and_orders() {
        let mut c = received("");
        let refer = Command::ReferToOmbudsman {
            on: date(2025, 5, 1),
            ombudsman: Ombudsman::Housing,
            their_reference: Some("202501234".into()),
        };
        assert!(
            run(&mut c, refer.clone()).is_err(),
            "not before the complaints procedure has answered"
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        assert!(run(&mut c, respond(date(2025, 3, 10))).is_ok());
        let order = Command::AddOrder {
            description: "Apologise in writing".into(),
            due: date(2025, 7, 1),
        };
        assert!(run(&mut c, order.clone()).is_err());
        assert!(run(&mut c, refer.clone()).is_ok());
        assert!(run(&mut c, refer).is_err());
        assert!(run(&mut c, order.clone()).is_err_and(|e| e.to_string().contains("determination")));
        let determined = Command::RecordDetermination {
            on: date(2025, 6, 1),
            determination: Determination::Maladministration,
            summary: "Repairs handling was poor".into(),
        };
        assert!(run(&mut c, determined).is_ok());
        assert!(run(&mut c, order).is_ok());
        assert!(
            run(
                &mut c,
                Command::ComplyOrder {
                    id: 1,
                    on: date(2025, 6, 20),
                    evidence: " ".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::ComplyOrder {
                    id: 1,
                    on: date(2025, 6, 20),
                    evidence: "Letter of 20 June".into()
                }
            )
            .is_ok()
        );
        let referral = &c.case.referrals[0];
        assert_eq!(
            referral.determination,
            Some(Determination::Maladministration)
        );
        assert_eq!(referral.orders[0].complied_on, Some(date(2025, 6, 20)));
    }

    fn contact(kind: &str, wants_reply: bool) -> Contact {
        let input = ContactInput {
            kind: kind.into(),
            channel: "email".into(),
            who: "myself".into(),
            name: "Carys Price".into(),
            email: "carys@example.org".into(),
            summary: "The caretaker was wonderful".into(),
            wants_reply: if wants_reply {
                "yes".into()
            } else {
                String::new()
            },
            received_date: "2025-03-03".into(),
            ..Default::default()
        };
        let now: Timestamp = "2025-06-30T12:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let made = input
            .parse(Source::Staff, now)
            .map_err(|e| e.to_string())
            .and_then(|d| {
                Contact::receive(
                    "c2".into(),
                    Reference::new(ContactKind::Comment, 2025, 1),
                    d,
                    &hos(),
                    &calendar(),
                    Actor::system(),
                )
                .map_err(|e| e.to_string())
            });
        match made {
            Ok((c, _)) => c,
            Err(e) => unreachable!("fixture: {e}"),
        }
    }

    #[test]
    fn comments_get_a_reply_only_when_asked_and_an_outcome() {
        let mut quiet = contact("comment", false);
        assert_eq!(quiet.respond_by(), None);
        assert!(
            run(
                &mut quiet,
                Command::ReplyToComment {
                    on: date(2025, 3, 4),
                    text: "Thanks".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut quiet,
                Command::Close {
                    on: date(2025, 3, 4)
                }
            )
            .is_err_and(|e| e.to_string().contains("outcome"))
        );
        let not_forward = Command::DecideComment {
            on: date(2025, 3, 4),
            outcome: CommentOutcome::NotTakenForward,
            reason: None,
        };
        assert!(run(&mut quiet, not_forward).is_err_and(|e| e.field() == "reason"));
        assert!(
            run(
                &mut quiet,
                Command::DecideComment {
                    on: date(2025, 3, 4),
                    outcome: CommentOutcome::Noted,
                    reason: None
                }
            )
            .is_ok()
        );
        assert_eq!(quiet.status, ContactStatus::Closed);

        let mut asked = contact("comment", true);
        assert_eq!(
            asked.respond_by(),
            Some(date(2025, 3, 17)),
            "ten working days to reply"
        );
        assert_eq!(
            asked.deadlines_on(&calendar(), date(2025, 3, 3))[0].label,
            "Reply by"
        );
        let decide = Command::DecideComment {
            on: date(2025, 3, 5),
            outcome: CommentOutcome::ActedOn,
            reason: None,
        };
        assert!(
            run(&mut asked, decide.clone()).is_err_and(|e| e.to_string().contains("reply first"))
        );
        assert!(
            run(
                &mut asked,
                Command::ReplyToComment {
                    on: date(2025, 3, 5),
                    text: "We will post the schedule".into()
                }
            )
            .is_ok()
        );
        assert_eq!(asked.responded_on(), Some(date(2025, 3, 5)));
        assert!(run(&mut asked, decide).is_ok());
    }

    #[test]
    fn compliments_are_passed_on_and_contacts_routed() {
        let mut c = contact("compliment", false);
        assert!(
            run(
                &mut c,
                Command::PassOn {
                    on: date(2025, 3, 4),
                    to: "Huw, caretaking".into(),
                    manager: " ".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::PassOn {
                    on: date(2025, 3, 4),
                    to: "Huw, caretaking".into(),
                    manager: "Gareth Hughes".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::SetServiceArea {
                    id: "a3".into(),
                    name: "Estate services".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::SetServiceArea {
                    id: "a3".into(),
                    name: "Estate services".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::Close {
                    on: date(2025, 3, 5)
                }
            )
            .is_ok()
        );
        let mut complaint = received("");
        assert!(
            run(
                &mut complaint,
                Command::PassOn {
                    on: date(2025, 3, 4),
                    to: "x".into(),
                    manager: "y".into()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn triage_reclassifies_and_links() {
        let mut c = received("");
        let to_request = Command::Reclassify {
            to: ContactKind::ServiceRequest,
            route: None,
            explanation: "A first report of a repair".into(),
        };
        assert!(run(&mut c, to_request).is_ok());
        assert_eq!(
            (c.detail.kind, c.stage(), c.respond_by()),
            (ContactKind::ServiceRequest, 0, None)
        );
        let back = Command::Reclassify {
            to: ContactKind::Complaint,
            route: None,
            explanation: "The resident is unhappy with the delay".into(),
        };
        assert!(run(&mut c, back).is_ok());
        assert_eq!(
            c.acknowledge_by(),
            Some(date(2025, 3, 10)),
            "the clock still runs from first contact"
        );
        let route = Command::Reclassify {
            to: ContactKind::OtherRoute,
            route: None,
            explanation: "Whistleblowing".into(),
        };
        assert!(run(&mut c, route).is_err_and(|e| e.field() == "route"));
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        let late = Command::Reclassify {
            to: ContactKind::Comment,
            route: None,
            explanation: "x".into(),
        };
        assert!(run(&mut c, late).is_err());

        let other = Reference::new(ContactKind::Complaint, 2025, 7);
        let link = |relation, reference: Option<Reference>| Command::Link {
            relation,
            reference,
            agency: None,
            their_reference: None,
        };
        assert!(run(&mut c, link(LinkRelation::Related, Some(other.clone()))).is_ok());
        assert!(
            run(&mut c, link(LinkRelation::Related, Some(other.clone())))
                .is_err_and(|e| e.to_string().contains("already linked"))
        );
        let itself = c.reference.clone();
        assert!(run(&mut c, link(LinkRelation::Related, Some(itself))).is_err());
        assert!(
            run(&mut c, link(LinkRelation::OtherAgency, None))
                .is_err_and(|e| e.field() == "agency")
        );
        let agency = Command::Link {
            relation: LinkRelation::OtherAgency,
            reference: None,
            agency: Some("Cardiff Council".into()),
            their_reference: Some("CC/99".into()),
        };
        assert!(run(&mut c, agency).is_ok());
        assert!(
            run(
                &mut c,
                link(
                    LinkRelation::DuplicateOf,
                    Some(Reference::new(ContactKind::Complaint, 2025, 8))
                )
            )
            .is_err(),
            "acknowledged cases are not closed as duplicates"
        );

        let mut repeat = received("");
        assert!(run(&mut repeat, link(LinkRelation::EarlierIssue, Some(other))).is_ok());
        assert_eq!(repeat.status, ContactStatus::Closed);
    }

    fn any_command() -> impl Strategy<Value = Command> {
        let day = (0i64..80).prop_map(|n| {
            date(2025, 3, 3)
                .checked_add(jiff::Span::new().days(n))
                .unwrap_or(date(2025, 3, 3))
        });
        let text = prop::sample::select(vec![String::new(), "Because".to_string()]);
        let who = (1u8..4).prop_map(person);
        prop_oneof![
            (who.clone(), text.clone()).prop_map(|(to, r)| Command::AssignOfficer {
                to,
                reason: Some(r)
            }),
            (who, text.clone()).prop_map(|(to, r)| Command::AssignHandler {
                to,
                reason: Some(r)
            }),
            (day.clone(), text.clone()).prop_map(|(on, t)| Command::Acknowledge {
                on,
                understanding: t.clone(),
                outcome_wanted: "x".into()
            }),
            (
                day.clone(),
                day.clone(),
                day.clone(),
                text.clone(),
                any::<bool>()
            )
                .prop_map(|(on, to, told, reason, good)| Command::Extend {
                    on,
                    to,
                    reason,
                    resident_told_on: told,
                    good_reason: good.then(|| "Good".to_string()),
                }),
            (day.clone(), text.clone()).prop_map(|(on, reason)| Command::Pause { on, reason }),
            day.clone().prop_map(|on| Command::Resume { on }),
            (day.clone(), any::<bool>(), any::<bool>()).prop_map(|(on, upheld, early)| {
                Command::Respond {
                    on,
                    points: vec![PointDecision {
                        point: "A point".into(),
                        upheld,
                    }],
                    reasons: "Reasons".into(),
                    outstanding_actions: None,
                    early_resolution: early,
                }
            }),
            (day.clone(), text.clone()).prop_map(|(requested_on, r)| Command::Escalate {
                requested_on,
                reason: Some(r)
            }),
            (day.clone(), text.clone())
                .prop_map(|(on, reason)| Command::RefuseEscalation { on, reason }),
            (day.clone(), text.clone()).prop_map(|(on, reason)| Command::Withdraw { on, reason }),
            day.clone().prop_map(|on| Command::Close { on }),
            (day, prop::sample::select(DeclineReason::ALL.to_vec())).prop_map(|(on, reason)| {
                Command::Decline {
                    on,
                    reason,
                    explanation: "Explained".into(),
                }
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn lifecycle_invariants_hold(commands in prop::collection::vec(any_command(), 1..40)) {
            let mut c = received("2023-01-01");
            for command in commands {
                let before = c.clone();
                let is_escalation = matches!(command, Command::Escalate { .. });
                match run(&mut c, command) {
                    // A refused command leaves the case exactly as it was.
                    Err(_) => prop_assert_eq!(&c, &before),
                    // Every change is described by at least one event.
                    Ok(events) => {
                        prop_assert!(!events.is_empty());
                        prop_assert!(c != before);
                    }
                }
                // No due date before the stage began, and no stage before receipt.
                for s in &c.case.stages {
                    prop_assert!(s.started_on >= c.received_on);
                    prop_assert!(s.acknowledge_by.is_none_or(|d| d >= s.started_on));
                    prop_assert!(s.respond_by >= s.started_on);
                }
                // A closed case reopens only by escalation; withdrawn and declined stay so.
                if before.status == ContactStatus::Closed && c.status != ContactStatus::Closed {
                    prop_assert!(is_escalation);
                }
                if matches!(before.status, ContactStatus::Withdrawn | ContactStatus::Declined) {
                    prop_assert_eq!(c.status, before.status);
                }
                // Money is approved before it is paid, and paid before the remedy counts as done.
                for r in &c.case.remedies {
                    if let Some(p) = &r.payment {
                        prop_assert!(p.paid_on.is_none() || p.approved_on.is_some_and(|a| p.paid_on >= Some(a)));
                        prop_assert!(r.done_on.is_none() || p.paid_on.is_some());
                    }
                }
                // The stage 2 handler is never the stage 1 handler.
                let handlers: Vec<Option<&str>> = c.case.stages.iter().map(|s| s.handler.as_ref().map(|h| h.user_id.as_str())).collect();
                for pair in handlers.windows(2) {
                    if let [Some(a), Some(b)] = pair {
                        prop_assert_ne!(a, b);
                    }
                }
            }
        }
    }
}
