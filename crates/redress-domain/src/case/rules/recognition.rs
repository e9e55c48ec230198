//! What staff make of the recognition assistant's reading: "This may be a complaint" set
//! aside with a reason, and a possible hazard confirmed (starting its legal clocks where
//! Awaab's Law applies) or set aside, then each step of a confirmed one recorded.

use super::{check_date, required};
use crate::case::{Contact, ContactError, Context};
use crate::event::{Event, EventKind};
use crate::hazard::{Hazard, HazardKind, HazardStep, Urgency};
use crate::organisation::Tenure;
use crate::scheme::Scheme;
use jiff::Timestamp;
use jiff::civil::Date;

pub(super) fn accepts_dismiss_suggestion(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    match &c.case.suggestion {
        Some(s) if s.may_be_complaint(c.detail.kind) => Ok(()),
        _ => Err(ContactError::Rule(
            "reason",
            "There is no suggestion that this is a complaint to answer".into(),
        )),
    }
}

/// Whatever became of the contact: the landlord's duty to the home does not end with it.
pub(super) fn accepts_confirm_hazard(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.case.hazard.is_some() {
        return Err(ContactError::Rule(
            "kind",
            "A hazard is already confirmed on this case".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_dismiss_hazard(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.case.hazard_suggestion.is_none()
        || c.case.hazard.is_some()
        || c.case.hazard_dismissed.is_some()
    {
        return Err(ContactError::Rule(
            "reason",
            "There is no possible hazard waiting for a decision".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_record_hazard_step(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.case.hazard.is_none() {
        return Err(ContactError::Rule(
            "step",
            "Confirm the hazard before recording its steps".into(),
        ));
    }
    Ok(())
}

/// The day Awaab's Law came into force: a hazard the landlord knew of before it has no
/// legal clocks (it still needs putting right).
pub const AWAABS_LAW_FROM: jiff::civil::Date = jiff::civil::date(2025, 10, 27);

/// Awaab's Law covers social homes in England: a case under the Housing Ombudsman's
/// scheme (England), unless the resident is a shared owner, leaseholder or not a resident,
/// for hazards reported from the day it came into force.
pub fn awaabs_law_applies(c: &Contact) -> bool {
    c.received_on >= AWAABS_LAW_FROM
        && c.scheme.starts_with("hos")
        && !matches!(
            c.detail.tenure,
            Some(Tenure::LowCostHomeOwnership | Tenure::Leaseholder | Tenure::NotAResident)
        )
}

/// The steps that count for a hazard this urgent.
pub fn steps_for(urgency: Urgency) -> &'static [HazardStep] {
    match urgency {
        Urgency::Emergency => &[HazardStep::Investigated, HazardStep::MadeSafe],
        Urgency::Significant => &[
            HazardStep::Investigated,
            HazardStep::SummarySent,
            HazardStep::SafetyWorkDone,
            HazardStep::FurtherWorkBegun,
            HazardStep::FurtherWorkStarted,
        ],
    }
}

impl Contact {
    /// A hazard that needs someone: suggested and not yet decided, or confirmed with steps
    /// still to record.
    pub fn hazard_open(&self) -> bool {
        match &self.case.hazard {
            Some(h) => steps_for(h.urgency)
                .iter()
                .any(|s| !h.steps.iter().any(|(done, _)| done == s)),
            None => self.case.hazard_suggestion.is_some() && self.case.hazard_dismissed.is_none(),
        }
    }

    pub(in crate::case) fn dismiss_suggestion(
        &mut self,
        on: Date,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_dismiss_suggestion(self, ctx.scheme)?;
        check_date(on, self.received_on, "it was received", ctx.today)?;
        let reason = required(&reason, "reason", "why it is not a complaint")?;
        if let Some(s) = self.case.suggestion.as_mut() {
            s.decision = Some(crate::recognition::Decision {
                raised: false,
                on,
                by: ctx.actor.name.clone(),
                reason: Some(reason.clone()),
            });
        }
        Ok(ctx.event(
            EventKind::SuggestionDismissed,
            format!("Not a complaint: {reason}"),
            serde_json::json!({"on": on, "reason": reason}),
        ))
    }

    /// Marks the suggestion answered when a complaint is raised from it (reclassified, or
    /// raised from a service request).
    pub(in crate::case) fn suggestion_raised(&mut self, ctx: &Context<'_>) {
        // A survey answer read as a complaint is answered by the complaint too.
        self.survey_suggestions_raised(ctx);
        if let Some(s) = self.case.suggestion.as_mut()
            && s.kind == crate::intake::ContactKind::Complaint
            && s.decision.is_none()
        {
            s.decision = Some(crate::recognition::Decision {
                raised: true,
                on: ctx.today,
                by: ctx.actor.name.clone(),
                reason: None,
            });
        }
    }

    /// Survey answers read as a complaint, answered by a complaint raised or escalated.
    pub(in crate::case) fn survey_suggestions_raised(&mut self, ctx: &Context<'_>) {
        for s in self.case.survey_suggestions.iter_mut() {
            if s.suggestion.decision.is_none() {
                s.suggestion.decision = Some(crate::recognition::Decision {
                    raised: true,
                    on: ctx.today,
                    by: ctx.actor.name.clone(),
                    reason: None,
                });
            }
        }
    }

    pub(in crate::case) fn confirm_hazard(
        &mut self,
        kind: HazardKind,
        urgency: Urgency,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_confirm_hazard(self, ctx.scheme)?;
        let awaabs_law = awaabs_law_applies(self);
        self.case.hazard = Some(Hazard {
            kind,
            urgency,
            aware_at: self.detail.received_at,
            confirmed_at: ctx.at,
            awaabs_law,
            steps: Vec::new(),
        });
        Ok(ctx.event(
            EventKind::HazardConfirmed,
            format!(
                "{} hazard confirmed: {}{}",
                urgency.label(),
                kind.label().to_lowercase(),
                if awaabs_law {
                    "; Awaab's Law timescales apply"
                } else {
                    ""
                }
            ),
            serde_json::json!({"kind": kind, "urgency": urgency, "awaabs_law": awaabs_law}),
        ))
    }

    pub(in crate::case) fn dismiss_hazard(
        &mut self,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_dismiss_hazard(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "why it is not a hazard")?;
        self.case.hazard_dismissed = Some(reason.clone());
        Ok(ctx.event(
            EventKind::HazardDismissed,
            format!("Possible hazard set aside: {reason}"),
            serde_json::json!({"reason": reason}),
        ))
    }

    pub(in crate::case) fn record_hazard_step(
        &mut self,
        step: HazardStep,
        at: Timestamp,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_record_hazard_step(self, ctx.scheme)?;
        let Some(hazard) = self.case.hazard.as_mut() else {
            return Err(ContactError::Rule("step", "There is no hazard".into()));
        };
        if !steps_for(hazard.urgency).contains(&step) {
            return Err(ContactError::Rule(
                "step",
                format!(
                    "\"{}\" is not a step of an {} hazard",
                    step.label(),
                    hazard.urgency.label().to_lowercase()
                ),
            ));
        }
        if hazard.steps.iter().any(|(s, _)| *s == step) {
            return Err(ContactError::Rule(
                "step",
                format!("\"{}\" is already recorded", step.label()),
            ));
        }
        let needs_investigation = step != HazardStep::Investigated
            && step != HazardStep::MadeSafe
            && !hazard
                .steps
                .iter()
                .any(|(s, _)| *s == HazardStep::Investigated);
        if needs_investigation {
            return Err(ContactError::Rule(
                "step",
                "Record the investigation first: the later timescales run from it".into(),
            ));
        }
        if at > ctx.at {
            return Err(ContactError::InFuture);
        }
        // Staff give a time to the minute: the minute it was reported counts.
        let reported = hazard.aware_at.as_second();
        if at.as_second() < reported - reported.rem_euclid(60) {
            return Err(ContactError::TooEarly("the hazard was reported"));
        }
        hazard.steps.push((step, at));
        Ok(ctx.event(
            EventKind::HazardStep,
            format!("Hazard: {}", step.label().to_lowercase()),
            serde_json::json!({"step": step, "at": at.to_string()}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::{Command, awaabs_law_applies};
    use jiff::civil::date;

    #[test]
    fn awaabs_law_runs_for_hazards_reported_from_the_day_it_came_into_force() {
        let confirm = || Command::ConfirmHazard {
            kind: crate::hazard::HazardKind::DampMould,
            urgency: crate::hazard::Urgency::Significant,
        };
        // Reported in March 2025: put right, but with no legal clocks.
        let mut before = received("");
        assert!(run(&mut before, confirm()).is_ok());
        assert_eq!(
            before.case.hazard.as_ref().map(|h| h.awaabs_law),
            Some(false)
        );
        let mut on_the_day = received("");
        on_the_day.received_on = date(2025, 10, 27);
        assert!(run(&mut on_the_day, confirm()).is_ok());
        assert_eq!(
            on_the_day.case.hazard.as_ref().map(|h| h.awaabs_law),
            Some(true)
        );
        let mut day_before = received("");
        day_before.received_on = date(2025, 10, 26);
        assert!(!awaabs_law_applies(&day_before));
    }
}
