//! Learning from complaints (reporting.md): the root cause and lessons of each complaint,
//! and the register of service improvements they led to — proposed, agreed, implemented or
//! declined with an explanation — with the people whose complaints led to them told.

use crate::FieldErrors;
use crate::choice;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

choice!(
    RootCause, "the root cause" {
        Communication = "communication": "Communication: not told, not kept updated, not listened to",
        RepairsDelay = "repairs-delay": "Repairs not done, late or missed appointments",
        RepairsQuality = "repairs-quality": "Quality of work",
        StaffConduct = "staff-conduct": "Staff attitude or behaviour",
        Contractor = "contractor": "A contractor's performance",
        PolicyOrProcedure = "policy-or-procedure": "A policy or procedure that did not work",
        PolicyNotFollowed = "policy-not-followed": "A policy or procedure not followed",
        Records = "records": "Records or information wrong or missing",
        Systems = "systems": "IT systems",
        NoFault = "no-fault": "No fault found",
        Other = "other": "Something else",
    }
);

choice!(
    ImprovementStatus, "the status" {
        Proposed = "proposed": "Proposed",
        Agreed = "agreed": "Agreed",
        Implemented = "implemented": "Implemented",
        Declined = "declined": "Not going ahead",
    }
);

impl ImprovementStatus {
    /// Implemented and declined are decisions the people who suggested it have been told of.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ImprovementStatus::Implemented | ImprovementStatus::Declined
        )
    }
}

/// What a complaint taught the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learning {
    pub root_cause: RootCause,
    pub lessons: String,
    pub recorded_on: Date,
}

/// One entry in the service improvement register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Improvement {
    pub id: String,
    /// What changes, in a line residents will understand.
    pub title: Text,
    pub description: Text,
    pub service_area: Option<String>,
    pub status: ImprovementStatus,
    pub proposed_on: Date,
    pub decided_on: Option<Date>,
    pub implemented_on: Option<Date>,
    /// Why it is not going ahead; given to the people whose complaints suggested it.
    pub explanation: Option<Text>,
}

impl Improvement {
    pub fn parse(
        id: String,
        title: &str,
        description: &str,
        service_area: Option<String>,
        today: Date,
    ) -> Result<Improvement, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take("title", Text::parse(title, "what will change", 200));
        let description = e.take(
            "description",
            Text::parse(description, "the detail of the change and why", 4_000),
        );
        match (title, description) {
            (Some(title), Some(description)) if e.is_empty() => Ok(Improvement {
                id,
                title,
                description,
                service_area: service_area.filter(|a| !a.is_empty()),
                status: ImprovementStatus::Proposed,
                proposed_on: today,
                decided_on: None,
                implemented_on: None,
                explanation: None,
            }),
            _ => Err(e),
        }
    }

    /// Moves the improvement on. Implemented and declined are final: people have been told.
    pub fn set_status(
        &mut self,
        status: ImprovementStatus,
        on: Date,
        explanation: &str,
        today: Date,
    ) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.status.is_final() {
            e.add(
                "status",
                format!(
                    "This improvement is already {}",
                    self.status.label().to_lowercase()
                ),
            );
            return Err(e);
        }
        if status == self.status {
            e.add(
                "status",
                format!("It is already {}", status.label().to_lowercase()),
            );
        }
        if on > today {
            e.add("on", "The date cannot be in the future");
        }
        if on < self.proposed_on {
            e.add("on", "The date cannot be before it was proposed");
        }
        let explanation = Text::parse_optional(explanation, "the explanation", 4_000)
            .unwrap_or_else(|m| {
                e.add("explanation", m);
                None
            });
        if status == ImprovementStatus::Declined && explanation.is_none() {
            e.add(
                "explanation",
                "Enter why it is not going ahead: the people who suggested it will be told",
            );
        }
        if !e.is_empty() {
            return Err(e);
        }
        match status {
            ImprovementStatus::Proposed => {}
            ImprovementStatus::Agreed => self.decided_on = Some(on),
            ImprovementStatus::Implemented => {
                self.decided_on.get_or_insert(on);
                self.implemented_on = Some(on);
            }
            ImprovementStatus::Declined => {
                self.decided_on = Some(on);
                self.explanation = explanation;
            }
        }
        self.status = status;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn proposal() -> Improvement {
        match Improvement::parse(
            "i1".into(),
            "Text reminders the day before a repair visit",
            "Three complaints about missed appointments.",
            None,
            date(2026, 1, 5),
        ) {
            Ok(i) => i,
            Err(e) => unreachable!("{e:?}"),
        }
    }

    #[test]
    fn an_improvement_moves_from_proposed_to_implemented_once() {
        assert!(Improvement::parse("x".into(), " ", " ", None, date(2026, 1, 5)).is_err());
        let mut i = proposal();
        let today = date(2026, 3, 1);
        assert!(
            i.set_status(ImprovementStatus::Agreed, date(2026, 1, 4), "", today)
                .is_err(),
            "before proposed"
        );
        assert!(
            i.set_status(ImprovementStatus::Agreed, date(2026, 3, 2), "", today)
                .is_err(),
            "in the future"
        );
        assert!(
            i.set_status(ImprovementStatus::Agreed, date(2026, 1, 20), "", today)
                .is_ok()
        );
        assert!(
            i.set_status(ImprovementStatus::Implemented, date(2026, 2, 20), "", today)
                .is_ok()
        );
        assert_eq!(
            (i.decided_on, i.implemented_on),
            (Some(date(2026, 1, 20)), Some(date(2026, 2, 20)))
        );
        assert!(
            i.set_status(
                ImprovementStatus::Declined,
                date(2026, 2, 21),
                "Cost",
                today
            )
            .is_err()
        );
    }

    #[test]
    fn declining_needs_an_explanation() {
        let mut i = proposal();
        let today = date(2026, 3, 1);
        let e = i.set_status(ImprovementStatus::Declined, date(2026, 2, 1), " ", today);
        assert!(e.is_err_and(|e| e.get("explanation").is_some()));
        assert!(
            i.set_status(
                ImprovementStatus::Declined,
                date(2026, 2, 1),
                "The supplier cannot send texts",
                today
            )
            .is_ok()
        );
        assert_eq!(
            i.explanation.map(|t| t.into_string()),
            Some("The supplier cannot send texts".into())
        );
    }
}
