//! Optional equality monitoring (seed 001 §3.1.1): so an organisation can check its
//! complaints service is used by a fair representation of the people it serves. Asked
//! only on the public form, always optional, never shown on a case, and reported only in
//! aggregate — and not at all for small numbers.

use crate::choice;
use serde::{Deserialize, Serialize};

choice!(
    AgeBand, "an age band" {
        Under25 = "under-25": "Under 25",
        From25To34 = "25-34": "25 to 34",
        From35To44 = "35-44": "35 to 44",
        From45To54 = "45-54": "45 to 54",
        From55To64 = "55-64": "55 to 64",
        From65To74 = "65-74": "65 to 74",
        Over75 = "75-plus": "75 or over",
        PreferNot = "prefer-not": "Prefer not to say",
    }
);

choice!(
    DisabilityAnswer, "an answer about disability" {
        Yes = "yes": "Yes",
        No = "no": "No",
        PreferNot = "prefer-not": "Prefer not to say",
    }
);

choice!(
    /// The broad ethnic groups used by the census in England and Wales.
    EthnicGroup, "an ethnic group" {
        Asian = "asian": "Asian, Asian British or Asian Welsh",
        Black = "black": "Black, Black British, Black Welsh, Caribbean or African",
        Mixed = "mixed": "Mixed or multiple ethnic groups",
        White = "white": "White",
        Other = "other": "Other ethnic group",
        PreferNot = "prefer-not": "Prefer not to say",
    }
);

/// The person's answers, each optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Monitoring {
    pub age: Option<AgeBand>,
    pub disability: Option<DisabilityAnswer>,
    pub ethnic_group: Option<EthnicGroup>,
}

impl Monitoring {
    pub fn is_empty(&self) -> bool {
        self.age.is_none() && self.disability.is_none() && self.ethnic_group.is_none()
    }

    /// Each answer given, as (question, answer) identifiers for counting.
    pub fn answers(&self) -> Vec<(&'static str, &'static str)> {
        [
            self.age.map(|a| ("age", a.as_str())),
            self.disability.map(|a| ("disability", a.as_str())),
            self.ethnic_group.map(|a| ("ethnic-group", a.as_str())),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A question: its identifier, its label, and its answers as (identifier, label).
pub type Question = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

/// The questions and their answers, for forms, profiles and reports.
pub fn questions() -> Vec<Question> {
    vec![
        (
            "age",
            "Age",
            AgeBand::ALL
                .iter()
                .map(|a| (a.as_str(), a.label()))
                .collect(),
        ),
        (
            "disability",
            "Disabled or long-term health condition",
            DisabilityAnswer::ALL
                .iter()
                .map(|a| (a.as_str(), a.label()))
                .collect(),
        ),
        (
            "ethnic-group",
            "Ethnic group",
            EthnicGroup::ALL
                .iter()
                .map(|a| (a.as_str(), a.label()))
                .collect(),
        ),
    ]
}

/// Below this many answers, who complained is not reported: a handful of people could be
/// recognised from it.
pub const MIN_ANSWERS: u32 = 10;
