//! The root cause and lessons of a complaint, and news of the improvements it led to.

use crate::case::Context;
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::ContactKind;
use crate::learning::{Improvement, ImprovementStatus, Learning, RootCause};
use crate::scheme::Scheme;

pub(super) fn accepts_record_learning(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.detail.kind != ContactKind::Complaint {
        return Err(ContactError::NotAComplaint("given a root cause"));
    }
    super::not_erased(c, "lessons")
}

/// The person is told of an improvement whatever became of their case.
pub(super) fn accepts_improvement_news(_: &Contact, _: &Scheme) -> Result<(), ContactError> {
    Ok(())
}

impl Contact {
    pub(in crate::case) fn record_learning(
        &mut self,
        root_cause: RootCause,
        lessons: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_record_learning(self, ctx.scheme)?;
        let lessons = lessons.trim().to_string();
        if lessons.is_empty() {
            return Err(ContactError::Missing("lessons", "what was learned"));
        }
        self.case.learning = Some(Learning {
            root_cause,
            lessons: lessons.clone(),
            recorded_on: ctx.today,
        });
        Ok(ctx.event(
            EventKind::LearningRecorded,
            format!("Root cause: {}. Lessons: {lessons}", root_cause.label()),
            serde_json::json!({"root_cause": root_cause.as_str(), "lessons": lessons}),
        ))
    }

    /// Records on the case that it led to an improvement, or what became of it; the
    /// letter telling the person follows from the event.
    pub(in crate::case) fn improvement_news(
        &mut self,
        improvement: &Improvement,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_improvement_news(self, ctx.scheme)?;
        let (summary, words) = match improvement.status {
            ImprovementStatus::Implemented => (
                format!("Service improvement made: {}", improvement.title),
                improvement.description.to_string(),
            ),
            ImprovementStatus::Declined => (
                format!("Service improvement not going ahead: {}", improvement.title),
                improvement
                    .explanation
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            ),
            _ => (
                format!(
                    "Led to a proposed service improvement: {}",
                    improvement.title
                ),
                String::new(),
            ),
        };
        Ok(ctx.event(
            EventKind::ImprovementNews,
            summary,
            serde_json::json!({
                "improvement": improvement.id,
                "status": improvement.status.as_str(),
                "title": improvement.title.as_str(),
                "words": words,
            }),
        ))
    }
}
