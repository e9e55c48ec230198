//! Satisfaction surveys answered, one per stage.

use crate::case::Context;
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::ContactKind;
use crate::scheme::Scheme;
use crate::survey::SurveyAnswer;

/// Which survey it is comes with the answer, so there is nothing to check beforehand.
pub(super) fn accepts_record_survey(_: &Contact, _: &Scheme) -> Result<(), ContactError> {
    Ok(())
}

impl Contact {
    pub(in crate::case) fn record_survey(
        &mut self,
        answer: SurveyAnswer,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        if self.case.surveys.iter().any(|s| s.stage == answer.stage) {
            return Err(ContactError::Rule(
                "handling",
                "This survey has already been answered".into(),
            ));
        }
        let about = if answer.stage == 0 {
            "Feedback".to_string()
        } else {
            format!("Satisfaction survey, stage {}", answer.stage)
        };
        let outcome = answer
            .outcome
            .map(|o| format!("; outcome: {}", o.label().to_lowercase()))
            .unwrap_or_default();
        let summary = format!(
            "{about}: handling: {}{outcome}",
            answer.handling.label().to_lowercase()
        );
        let detail = serde_json::to_value(&answer).unwrap_or_default();
        self.case.surveys.push(answer);
        Ok(ctx.event(EventKind::SurveyAnswered, summary, detail))
    }

    /// Which survey, if any, an event calls for: the complaint stage just answered, or 0
    /// for a comment replied to or a compliment passed on.
    pub fn survey_after(&self, event: &Event) -> Option<u8> {
        match (event.kind, self.detail.kind) {
            (EventKind::Responded, ContactKind::Complaint) => Some(self.stage()),
            (EventKind::Replied, ContactKind::Comment)
            | (EventKind::PassedOn, ContactKind::Compliment) => Some(0),
            _ => None,
        }
    }
}
