//! A recorded contact and its lifecycle (complaints.md §3–4): assignment, acknowledgement,
//! extensions, pauses, responses, escalation, withdrawal, decline and closure. Every change
//! goes through `Contact::apply`, which either returns the events describing the change or
//! refuses with a message and leaves the contact as it was.
//!
//! The rule for each command lives in `rules/`, one file per family; `Contact::allows`
//! asks the same checks those rules start with, so a menu offers only what they accept.

mod command;
mod context;
mod deadlines;
mod rules;
mod state;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

pub use crate::role::Assignee;
pub use command::{Command, CommandKind, LetterStep};
pub use context::Context;
pub use deadlines::DeadlineView;
pub use rules::{CORRECTABLE, awaabs_law_applies, steps_for};
pub use state::{
    AttachmentInfo, COMMENT_REPLY_WORKING_DAYS, CaseLink, CaseNote, CaseState, CommentDecision,
    CommentOutcome, Decline, DeclineReason, Erasure, EscalationRefusal, Extension, FollowUp,
    InboundEmail, LinkRelation, NoteKind, Outcome, PanelInput, PanelReview, PassedOn, Pause,
    PointDecision, REDACTED, RepeatDecision, Reply, SafeguardingReview, StageRecord, StageResponse,
    SurveySuggestion,
};

use crate::calendar::{WorkingCalendar, uk_date};
use crate::event::{Actor, Event, EventKind};
use crate::intake::{ContactKind, ContactStatus, NewContact, Reference};
use crate::scheme::{Scheme, SchemeError};
use jiff::civil::Date;
use serde::Serialize;

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
            case.stages.push(deadlines::new_stage(
                scheme,
                calendar,
                1,
                received_on,
                None,
            )?);
        }
        if detail.kind == ContactKind::Comment && detail.wants_reply {
            let due = calendar.add_working_days(received_on, COMMENT_REPLY_WORKING_DAYS);
            case.reply_by = Some(due.map_err(SchemeError::from)?);
        }
        let read = crate::recognition::recognise(&match &detail.outcome_wanted {
            Some(outcome) => format!("{}\n{}", detail.summary.as_str(), outcome.as_str()),
            None => detail.summary.as_str().to_string(),
        });
        case.suggestion = Some(read.suggestion());
        case.hazard_suggestion = read.hazard.clone();
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
                "suggested": {"kind": read.kind.as_str(), "confidence": read.confidence},
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

    /// The next date the organisation must meet on an open case: the acknowledgement while
    /// it is due, then the response (or a comment's reply). The case list sorts by it and
    /// shows it, so "most urgent first" means the deadline an officer sees.
    pub fn next_deadline(&self) -> Option<Date> {
        if !self.status.is_open() {
            return None;
        }
        match self.current() {
            Some(s) if s.acknowledged_on.is_none() && s.acknowledge_by.is_some() => {
                s.acknowledge_by
            }
            Some(s) => s.response.is_none().then_some(s.respond_by),
            None => self.case.reply_by.filter(|_| self.case.reply.is_none()),
        }
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

    /// A priority concern nobody has reviewed yet: it stays at the top of My work.
    pub fn safeguarding_review_due(&self) -> bool {
        self.is_priority()
            && self.status.is_open()
            && self.case.safeguarding_review.is_none()
            && self.case.erased.is_none()
    }

    /// The language its person chose for letters and pages, if they said. A case from
    /// before the choice was asked for says Welsh where its language needs did.
    pub fn language(&self) -> Option<crate::language::Language> {
        self.detail.person.as_ref()?.needs.language()
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

    /// Hands each command to its rule. Every rule runs the check `allows` asks, before
    /// anything changes; where a command's own details were checked first before, they
    /// still are, so the messages people see are unchanged.
    fn decide(&mut self, command: Command, ctx: &Context<'_>) -> Result<Vec<Event>, ContactError> {
        use Command as C;
        let event = match command {
            C::AssignOfficer { to, reason } => self.assign_officer(to, reason, ctx),
            C::AssignHandler { to, reason } => self.assign_handler(to, reason, ctx),
            C::Acknowledge {
                on,
                understanding,
                outcome_wanted,
            } => self.acknowledge(on, understanding, outcome_wanted, ctx),
            C::Extend {
                on,
                to,
                reason,
                resident_told_on,
                good_reason,
            } => self.extend(on, to, reason, resident_told_on, good_reason, ctx),
            C::Pause { on, reason } => self.pause(on, reason, ctx),
            C::Resume { on } => self.resume(on, ctx),
            C::Respond {
                on,
                points,
                reasons,
                outstanding_actions,
                early_resolution,
            } => self.respond(
                on,
                points,
                reasons,
                outstanding_actions,
                early_resolution,
                ctx,
            ),
            C::Escalate {
                requested_on,
                reason,
            } => self.escalate(requested_on, reason, ctx),
            C::RefuseEscalation { on, reason } => self.refuse_escalation(on, reason, ctx),
            C::Withdraw { on, reason } => self.withdraw(on, reason, ctx),
            C::Close { on } => self.close(on, ctx),
            C::OverrideTimeLimit { reason } => self.override_time_limit(reason, ctx),
            C::Decline {
                on,
                reason,
                explanation,
            } => self.decline(on, reason, explanation, ctx),
            C::AddAttachment {
                id,
                name,
                file_type,
                size,
                description,
            } => self.add_attachment(id, name, file_type, size, description, ctx),
            C::Reclassify {
                to,
                route,
                explanation,
            } => self.reclassify(to, route, explanation, ctx),
            C::Link {
                relation,
                reference,
                agency,
                their_reference,
            } => self.link(relation, reference, agency, their_reference, ctx),
            C::SetServiceArea { id, name } => self.set_service_area(id, name, ctx),
            C::PassOn {
                on,
                to,
                manager,
                notify,
            } => self.pass_on(on, (to, manager), notify, ctx),
            C::ReplyToComment { on, text } => self.reply_to_comment(on, text, ctx),
            C::DecideComment {
                on,
                outcome,
                reason,
            } => self.decide_comment(on, outcome, reason, ctx),
            C::AddNote { kind, on, text } => self.add_note(kind, on, text, ctx),
            C::AddRemedy {
                kind,
                description,
                owner,
                due,
                payment,
            } => self.add_remedy(kind, description, owner, due, payment, ctx),
            C::NoteRemedy { id, on, text } => self.note_remedy(id, on, text, ctx),
            C::CompleteRemedy { id, on } => self.complete_remedy(id, on, ctx),
            C::ApprovePayment { id, on } => self.approve_payment(id, on, ctx),
            C::RecordPayment { id, on } => self.record_payment(id, on, ctx),
            C::ReferToOmbudsman {
                on,
                ombudsman,
                their_reference,
            } => self.refer_to_ombudsman(on, ombudsman, their_reference, ctx),
            C::RecordDetermination {
                on,
                determination,
                summary,
            } => self.record_determination(on, determination, summary, ctx),
            C::AddOrder { description, due } => self.add_order(description, due, ctx),
            C::ComplyOrder { id, on, evidence } => self.comply_order(id, on, evidence, ctx),
            C::RecordSurvey { answer } => self.record_survey(answer, ctx),
            C::RecordLearning {
                root_cause,
                lessons,
            } => self.record_learning(root_cause, lessons, ctx),
            C::ImprovementNews { improvement } => self.improvement_news(&improvement, ctx),
            C::RecordAuthority { authority } => self.record_authority(authority, ctx),
            C::RedactNote { index, reason } => self.redact_note(index, reason, ctx),
            C::RedactAttachment { id, reason } => self.redact_attachment(&id, reason, ctx),
            C::Correct { values, reason } => self.correct(values, reason, ctx),
            C::FollowUpSurvey { stage, on, note } => self.follow_up_survey(stage, on, note, ctx),
            C::ReviewSafeguarding { on, note } => self.review_safeguarding(on, note, ctx),
            C::AskTenantsPanel { on, why, within } => self.ask_tenants_panel(on, why, within, ctx),
            C::RecordPanelInput { on, input } => self.record_panel_input(on, input, ctx),
            C::CheckLetter {
                letter_id,
                subject,
                step,
            } => self.check_letter(letter_id, subject, step, ctx),
            C::DismissSuggestion { on, reason } => self.dismiss_suggestion(on, reason, ctx),
            C::ConfirmHazard { kind, urgency } => self.confirm_hazard(kind, urgency, ctx),
            C::DismissHazard { reason } => self.dismiss_hazard(reason, ctx),
            C::RecordHazardStep { step, at } => self.record_hazard_step(step, at, ctx),
            C::RecordEmail {
                key,
                from,
                subject,
                text,
                files,
            } => self.record_email(key, (from, subject, text), files, ctx),
            C::MarkEmailsRead => self.mark_emails_read(ctx),
            C::TreatAsNew { reason } => self.treat_as_new(reason, ctx),
            C::DismissSurveySuggestion { reason } => self.dismiss_survey_suggestion(reason, ctx),
        }?;
        Ok(vec![event])
    }

    /// Whether the case accepts a command of this kind now, whatever its details; a command
    /// it accepts may still be refused for what it says (a date in the future, a missing
    /// reason).
    pub fn allows(&self, kind: CommandKind, scheme: &Scheme) -> bool {
        self.accepts(kind, scheme).is_ok()
    }

    /// Why the case does not accept a command of this kind now, as the rule itself says it.
    pub fn accepts(&self, kind: CommandKind, scheme: &Scheme) -> Result<(), ContactError> {
        rules::accepts(self, kind, scheme)
    }

    /// Every kind of command the case accepts now, in declaration order.
    pub fn allowed_commands(&self, scheme: &Scheme) -> Vec<CommandKind> {
        CommandKind::ALL
            .into_iter()
            .filter(|&kind| self.allows(kind, scheme))
            .collect()
    }
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
