//! The rules for each command, one file per family. Every file pairs a command's
//! `accepts_…` check (what the case must be like, whatever the details) with the decision
//! itself, which runs that same check; `Contact::allows` asks the checks alone, so a menu
//! and the rule cannot disagree.

mod assignment;
mod authority;
mod closing;
mod correction;
mod correspondence;
mod escalation;
mod feedback;
mod learning;
mod letters;
mod notes;
mod ombudsman;
mod panel;
mod recognition;
mod remedies;
mod stage;
mod surveys;
mod triage;

pub use correction::CORRECTABLE;
pub use recognition::{awaabs_law_applies, steps_for};

use super::{CommandKind, Contact, ContactError, StageRecord};
use crate::intake::{ContactKind, ContactStatus};
use crate::scheme::Scheme;
use jiff::civil::Date;

/// A case still being handled.
const OPEN: [ContactStatus; 2] = [ContactStatus::Received, ContactStatus::Acknowledged];

/// Whether the case accepts a command of this kind as it stands, and if not, why not.
pub(super) fn accepts(c: &Contact, kind: CommandKind, scheme: &Scheme) -> Result<(), ContactError> {
    use CommandKind as K;
    match kind {
        K::AssignOfficer => assignment::accepts_assign_officer(c, scheme),
        K::AssignHandler => assignment::accepts_assign_handler(c, scheme),
        K::Acknowledge => stage::accepts_acknowledge(c, scheme),
        K::Extend => stage::accepts_extend(c, scheme),
        K::Pause => stage::accepts_pause(c, scheme),
        K::Resume => stage::accepts_resume(c, scheme),
        K::Respond => stage::accepts_respond(c, scheme),
        K::Escalate => escalation::accepts_escalate(c, scheme),
        K::RefuseEscalation => escalation::accepts_refuse_escalation(c, scheme),
        K::Withdraw => closing::accepts_withdraw(c, scheme),
        K::Close => closing::accepts_close(c, scheme),
        K::OverrideTimeLimit => closing::accepts_override_time_limit(c, scheme),
        K::Decline => closing::accepts_decline(c, scheme),
        K::AddAttachment => notes::accepts_add_attachment(c, scheme),
        K::Reclassify => triage::accepts_reclassify(c, scheme),
        K::Link => triage::accepts_link(c, scheme),
        K::SetServiceArea => triage::accepts_set_service_area(c, scheme),
        K::PassOn => feedback::accepts_pass_on(c, scheme),
        K::ReplyToComment => feedback::accepts_reply_to_comment(c, scheme),
        K::DecideComment => feedback::accepts_decide_comment(c, scheme),
        K::AddNote => notes::accepts_add_note(c, scheme),
        K::AddRemedy => remedies::accepts_add_remedy(c, scheme),
        K::NoteRemedy => remedies::accepts_note_remedy(c, scheme),
        K::CompleteRemedy => remedies::accepts_complete_remedy(c, scheme),
        K::ApprovePayment => remedies::accepts_approve_payment(c, scheme),
        K::RecordPayment => remedies::accepts_record_payment(c, scheme),
        K::ReferToOmbudsman => ombudsman::accepts_refer_to_ombudsman(c, scheme),
        K::RecordDetermination => ombudsman::accepts_record_determination(c, scheme),
        K::AddOrder => ombudsman::accepts_add_order(c, scheme),
        K::ComplyOrder => ombudsman::accepts_comply_order(c, scheme),
        K::RecordSurvey => surveys::accepts_record_survey(c, scheme),
        K::RecordLearning => learning::accepts_record_learning(c, scheme),
        K::ImprovementNews => learning::accepts_improvement_news(c, scheme),
        K::RecordAuthority => authority::accepts_record_authority(c, scheme),
        K::RedactNote => notes::accepts_redact_note(c, scheme),
        K::RedactAttachment => notes::accepts_redact_attachment(c, scheme),
        K::Correct => correction::accepts_correct(c, scheme),
        K::FollowUpSurvey => surveys::accepts_follow_up_survey(c, scheme),
        K::CheckLetter => letters::accepts_check_letter(c, scheme),
        K::AskTenantsPanel => panel::accepts_ask_tenants_panel(c, scheme),
        K::RecordPanelInput => panel::accepts_record_panel_input(c, scheme),
        K::ReviewSafeguarding => correction::accepts_review_safeguarding(c, scheme),
        K::DismissSuggestion => recognition::accepts_dismiss_suggestion(c, scheme),
        K::ConfirmHazard => recognition::accepts_confirm_hazard(c, scheme),
        K::DismissHazard => recognition::accepts_dismiss_hazard(c, scheme),
        K::RecordHazardStep => recognition::accepts_record_hazard_step(c, scheme),
        K::RecordEmail => correspondence::accepts_record_email(c, scheme),
        K::MarkEmailsRead => correspondence::accepts_mark_emails_read(c, scheme),
        K::TreatAsNew => correspondence::accepts_treat_as_new(c, scheme),
        K::DismissSurveySuggestion => surveys::accepts_dismiss_survey_suggestion(c, scheme),
    }
}

/// A required free-text answer, trimmed and kept to a length a letter can carry.
fn required(value: &str, field: &'static str, what: &'static str) -> Result<String, ContactError> {
    let v = value.trim();
    if v.is_empty() {
        Err(ContactError::Missing(field, what))
    } else if v
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        // Nothing typed contains them, and some databases refuse them.
        Err(ContactError::Rule(
            field,
            format!(
                "{} must not contain control characters",
                crate::field::capitalise(what)
            ),
        ))
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

/// Words on an erased case would be personal data again, so nothing new is written there.
fn not_erased(c: &Contact, field: &'static str) -> Result<(), ContactError> {
    match c.case.erased {
        Some(_) => Err(ContactError::Rule(
            field,
            "This case's personal data has been erased".into(),
        )),
        None => Ok(()),
    }
}

impl Contact {
    fn current_mut(&mut self) -> Result<&mut StageRecord, ContactError> {
        self.case
            .stages
            .last_mut()
            .ok_or(ContactError::NotAComplaint("handled in stages"))
    }

    fn is_final_stage(&self, scheme: &Scheme) -> bool {
        usize::from(self.stage()) >= scheme.stages.len()
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
}
