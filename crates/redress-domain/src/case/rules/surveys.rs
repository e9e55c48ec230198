//! Satisfaction surveys answered, one per stage.

use crate::case::{Contact, ContactError};
use crate::case::{Context, FollowUp, SurveySuggestion};
use crate::event::{Event, EventKind};
use crate::intake::ContactKind;
use crate::scheme::Scheme;
use crate::survey::SurveyAnswer;
use jiff::civil::Date;

/// Which survey it is comes with the answer, so there is nothing to check beforehand.
pub(super) fn accepts_record_survey(_: &Contact, _: &Scheme) -> Result<(), ContactError> {
    Ok(())
}

/// Answered once for each survey answer that reads as a complaint.
pub(super) fn accepts_dismiss_survey_suggestion(
    c: &Contact,
    _: &Scheme,
) -> Result<(), ContactError> {
    super::not_erased(c, "reason")?;
    if c.survey_suggestion_waiting().is_some() {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "reason",
            "No survey answer is waiting to be read as a complaint or not".into(),
        ))
    }
}

/// A follow-up is recorded only where a dissatisfied answer is waiting for one.
pub(super) fn accepts_follow_up_survey(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    super::not_erased(c, "note")?;
    if c.follow_up_open() {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "note",
            "No dissatisfied survey answer is waiting to be followed up".into(),
        ))
    }
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
        // Someone unhappy with how it went is contacted, not just counted.
        let summary = if answer.dissatisfied() {
            self.case.follow_ups.push(FollowUp {
                stage: answer.stage,
                raised_on: answer.answered_on,
                done_on: None,
                by: None,
                note: None,
            });
            format!("{summary}. Dissatisfied: to be followed up")
        } else {
            summary
        };
        // What they wrote is read like any contact: dissatisfaction in a survey answer may
        // be a complaint nobody has made yet.
        let words = [answer.why.as_deref(), answer.better.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        let reading = (!words.trim().is_empty()).then(|| crate::recognition::recognise(&words));
        let summary = match reading.filter(|r| r.kind == ContactKind::Complaint) {
            Some(r) => {
                self.case.survey_suggestions.push(SurveySuggestion {
                    stage: answer.stage,
                    suggestion: r.suggestion(),
                });
                format!("{summary}. What they wrote may be a complaint")
            }
            None => summary,
        };
        self.case.surveys.push(answer);
        Ok(ctx.event(EventKind::SurveyAnswered, summary, detail))
    }

    /// A survey answer that reads as a complaint and nobody has answered yet (none once
    /// the case is erased: there is nobody left to raise it for).
    pub fn survey_suggestion_waiting(&self) -> Option<&SurveySuggestion> {
        if self.case.erased.is_some() {
            return None;
        }
        self.case
            .survey_suggestions
            .iter()
            .find(|s| s.suggestion.decision.is_none())
    }

    pub(in crate::case) fn dismiss_survey_suggestion(
        &mut self,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_dismiss_survey_suggestion(self, ctx.scheme)?;
        let reason = super::required(&reason, "reason", "why it is not a complaint")?;
        let mut stage = 0;
        if let Some(s) = self
            .case
            .survey_suggestions
            .iter_mut()
            .find(|s| s.suggestion.decision.is_none())
        {
            stage = s.stage;
            s.suggestion.decision = Some(crate::recognition::Decision {
                raised: false,
                on: ctx.today,
                by: ctx.actor.name.clone(),
                reason: Some(reason.clone()),
            });
        }
        Ok(ctx.event(
            EventKind::SuggestionDismissed,
            format!("Survey answer not a complaint: {reason}"),
            serde_json::json!({"survey": stage, "reason": reason}),
        ))
    }

    /// A dissatisfied survey answer nobody has followed up yet.
    pub fn follow_up_open(&self) -> bool {
        self.case.follow_ups.iter().any(|f| f.done_on.is_none())
    }

    pub(in crate::case) fn follow_up_survey(
        &mut self,
        stage: u8,
        on: Date,
        note: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_follow_up_survey(self, ctx.scheme)?;
        let note = super::required(&note, "note", "what was done to follow it up")?;
        let Some(f) = self
            .case
            .follow_ups
            .iter_mut()
            .find(|f| f.stage == stage && f.done_on.is_none())
        else {
            return Err(ContactError::Rule(
                "note",
                "That survey answer has no follow-up waiting".into(),
            ));
        };
        super::check_date(on, f.raised_on, "the survey was answered", ctx.today)?;
        f.done_on = Some(on);
        f.by = Some(ctx.actor.name.clone());
        f.note = Some(note.clone());
        Ok(ctx.event(
            EventKind::FollowedUp,
            format!("Survey answer followed up on {on}: {note}"),
            serde_json::json!({"stage": stage, "on": on, "note": note}),
        ))
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

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::survey::{Rating, SurveyAnswer};
    use jiff::civil::date;

    #[test]
    fn a_dissatisfied_answer_waits_for_a_follow_up() {
        let mut c = received("");
        let follow_up = |on| Command::FollowUpSurvey {
            stage: 1,
            on,
            note: "Rang to talk it through".into(),
        };
        assert!(run(&mut c, follow_up(date(2025, 3, 10))).is_err());
        let answer = SurveyAnswer {
            stage: 1,
            answered_on: date(2025, 3, 10),
            handling: Rating::VeryDissatisfied,
            outcome: Some(Rating::Dissatisfied),
            why: None,
            better: None,
        };
        let events = run(&mut c, Command::RecordSurvey { answer });
        assert!(events.is_ok_and(|e| e[0].summary.contains("to be followed up")));
        assert!(c.follow_up_open());
        assert!(
            run(&mut c, follow_up(date(2025, 3, 9))).is_err(),
            "not before the answer came"
        );
        assert!(run(&mut c, follow_up(date(2025, 3, 11))).is_ok());
        assert!(!c.follow_up_open());
        assert!(run(&mut c, follow_up(date(2025, 3, 12))).is_err());
    }
}
