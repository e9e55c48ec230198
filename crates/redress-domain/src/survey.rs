//! Satisfaction surveys (reporting.md): at the end of each complaint stage, and after a
//! comment or compliment is dealt with, the person is asked — separately — how satisfied
//! they are with how it was handled and (for complaints) with the outcome, why, and how it
//! could have been better.

use crate::FieldErrors;
use crate::choice;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

choice!(
    Rating, "an answer" {
        VerySatisfied = "very-satisfied": "Very satisfied",
        Satisfied = "satisfied": "Satisfied",
        Neither = "neither": "Neither satisfied nor dissatisfied",
        Dissatisfied = "dissatisfied": "Dissatisfied",
        VeryDissatisfied = "very-dissatisfied": "Very dissatisfied",
    }
);

impl Rating {
    pub fn is_satisfied(self) -> bool {
        matches!(self, Rating::VerySatisfied | Rating::Satisfied)
    }

    pub fn is_dissatisfied(self) -> bool {
        matches!(self, Rating::Dissatisfied | Rating::VeryDissatisfied)
    }
}

/// One completed survey, kept with the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    /// The complaint stage it is about; 0 for a comment or compliment.
    pub stage: u8,
    pub answered_on: Date,
    pub handling: Rating,
    /// Asked for complaints only.
    pub outcome: Option<Rating>,
    pub why: Option<String>,
    pub better: Option<String>,
}

impl SurveyAnswer {
    /// Reads the survey form. `asks_outcome` is true for complaints.
    pub fn parse(
        stage: u8,
        asks_outcome: bool,
        handling: &str,
        outcome: &str,
        why: &str,
        better: &str,
        today: Date,
    ) -> Result<SurveyAnswer, FieldErrors> {
        let mut e = FieldErrors::new();
        let handling = e.take(
            "handling",
            Rating::parse(handling)
                .map_err(|_| "Select how satisfied you are with how it was handled".to_string()),
        );
        let outcome = if asks_outcome {
            e.take(
                "outcome",
                Rating::parse(outcome)
                    .map_err(|_| "Select how satisfied you are with the outcome".to_string()),
            )
            .map(Some)
        } else {
            Some(None)
        };
        let why = e
            .take("why", Text::parse_optional(why, "why", 2_000))
            .flatten()
            .map(Text::into_string);
        let better = e
            .take(
                "better",
                Text::parse_optional(better, "how we could do better", 2_000),
            )
            .flatten()
            .map(Text::into_string);
        match (handling, outcome) {
            (Some(handling), Some(outcome)) if e.is_empty() => Ok(SurveyAnswer {
                stage,
                answered_on: today,
                handling,
                outcome,
                why,
                better,
            }),
            _ => Err(e),
        }
    }

    /// Whether the person should be told how to complain (or escalate).
    pub fn dissatisfied(&self) -> bool {
        self.handling.is_dissatisfied() || self.outcome.is_some_and(Rating::is_dissatisfied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn both_questions_are_asked_of_complaints_only() {
        let today = date(2026, 1, 10);
        let missing = SurveyAnswer::parse(1, true, "", "", "", "", today);
        assert!(missing.is_err_and(|e| e.get("handling").is_some() && e.get("outcome").is_some()));
        let comment = SurveyAnswer::parse(0, false, "satisfied", "", " ", "", today);
        assert!(comment.is_ok_and(|a| a.outcome.is_none() && a.why.is_none() && !a.dissatisfied()));
        let unhappy = SurveyAnswer::parse(
            1,
            true,
            "satisfied",
            "very-dissatisfied",
            "Still broken",
            "",
            today,
        );
        assert!(
            unhappy.is_ok_and(|a| a.dissatisfied() && a.why.as_deref() == Some("Still broken"))
        );
    }
}
