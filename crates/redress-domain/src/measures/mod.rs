//! Performance measures for a period, from the cases themselves (reporting.md): volumes,
//! timeliness per stage in two readings, cases open within and past target, closures and
//! time to close, outcomes, refusals, the ombudsman, compensation, repeat complainants,
//! channels, and the Tenant Satisfaction Measures CH01 and CH02.
//!
//! Every figure comes with the counts it is made of, so a reader can check it by hand.
//!
//! The figures themselves are here; the reporting period is in `period`, what is read
//! from one case in `cases`, the count over a period in `count`, and the Tenant
//! Satisfaction Measures in `tsm`.

mod cases;
mod count;
mod period;
mod tsm;

pub use cases::{awaiting_response, code_respond_by};
pub(crate) use cases::{latest_outcome, person_key, stage_outcome};
pub use count::measures;
pub use period::Period;
pub use tsm::{Tsm, tsm, tsm_from, tsm_homes};

use serde::Serialize;
use std::collections::BTreeMap;

/// Responses sent in the period at one stage, and how many were in time.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeliness {
    pub responses: u32,
    /// Sent by the response date, counting extensions that are within the Code.
    pub on_time: u32,
    /// Sent by the response date before any extension.
    pub on_time_strict: u32,
    pub on_time_pct: Option<f64>,
    pub on_time_strict_pct: Option<f64>,
}

/// Survey answers received in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Satisfaction {
    pub responses: u32,
    pub satisfied_with_handling: u32,
    /// Answers to the outcome question (complaints only).
    pub outcome_answers: u32,
    pub satisfied_with_outcome: u32,
    pub handling_pct: Option<f64>,
    pub outcome_pct: Option<f64>,
}

impl Satisfaction {
    fn add(&mut self, a: &crate::survey::SurveyAnswer) {
        self.responses += 1;
        if a.handling.is_satisfied() {
            self.satisfied_with_handling += 1;
        }
        if let Some(o) = a.outcome {
            self.outcome_answers += 1;
            if o.is_satisfied() {
                self.satisfied_with_outcome += 1;
            }
        }
    }

    pub(crate) fn finish(&mut self) {
        self.handling_pct = pct(self.satisfied_with_handling, self.responses);
        self.outcome_pct = pct(self.satisfied_with_outcome, self.outcome_answers);
    }
}

/// Money in pence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Compensation {
    pub payments: u32,
    pub total_pence: i64,
    pub by_outcome_pence: BTreeMap<String, i64>,
    pub by_service_area_pence: BTreeMap<String, i64>,
}

/// The Tenants Panel's reviews in a period (seed 002).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PanelCounts {
    /// Residents who asked for the panel's input.
    pub asked: u32,
    /// Inputs the panel gave, and how many by the panel's target date.
    pub given: u32,
    pub given_on_time: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Measures {
    pub period: Option<Period>,
    pub service_area: Option<String>,
    /// Every contact received in the period, by kind.
    pub received_by_kind: BTreeMap<String, u32>,
    /// Complaints received in the period, including any not taken on.
    pub new_complaints: u32,
    /// Complaints taken on at each stage in the period (stage 2 is the escalation request).
    pub received_by_stage: BTreeMap<u8, u32>,
    /// At the end of the period: complaints awaiting a response and still inside the
    /// response date, and those past it.
    pub open_within_target: u32,
    pub open_past_target: u32,
    /// For a period that has not ended: the day the open figures are as at (today), since
    /// counting at a future date would call cases late that are not late yet.
    pub open_as_at: Option<jiff::civil::Date>,
    pub acknowledgements: u32,
    pub acknowledged_on_time: u32,
    pub timeliness_by_stage: BTreeMap<u8, Timeliness>,
    pub outcomes_by_stage: BTreeMap<u8, BTreeMap<String, u32>>,
    pub extensions: u32,
    pub extensions_outside_code: u32,
    pub closed: u32,
    pub average_days_to_close: Option<f64>,
    pub average_working_days_to_close: Option<f64>,
    pub withdrawn: u32,
    pub declined_by_reason: BTreeMap<String, u32>,
    pub escalations_refused: u32,
    pub ombudsman_referrals: u32,
    pub ombudsman_determinations: BTreeMap<String, u32>,
    pub compensation: Compensation,
    /// People (by email address or phone number) with two or more complaints received in
    /// the period.
    pub repeat_complainants: u32,
    pub channels: BTreeMap<String, u32>,
    /// Root causes recorded in the period.
    pub root_causes: BTreeMap<String, u32>,
    /// Service improvements implemented in the period (from the register).
    pub improvements_implemented: u32,
    /// Complaint surveys answered in the period, by stage.
    pub satisfaction_by_stage: BTreeMap<u8, Satisfaction>,
    /// The same, by the outcome of the stage the survey was about, since people rarely
    /// separate how a complaint was handled from whether it was upheld.
    pub satisfaction_by_outcome: BTreeMap<String, Satisfaction>,
    /// Feedback on comments and compliments answered in the period.
    pub feedback: Satisfaction,
    /// Compliments passed on to the people they praise in the period.
    pub compliments_passed_on: u32,
    /// Dissatisfied survey answers followed up with the person in the period.
    pub survey_follow_ups: u32,
    /// Tenants Panel reviews of stage 1 responses asked for and given in the period.
    pub tenants_panel: PanelCounts,
    /// Complainants in the period who answered any equality question.
    pub monitoring_answers: u32,
    /// Their answers by question; left empty below `equality::MIN_ANSWERS` answers, so
    /// nobody can be recognised.
    pub who_complains: BTreeMap<String, BTreeMap<String, u32>>,
}

impl Measures {
    /// Percentages from the counts, and the equality answers withheld when too few people
    /// gave them for nobody to be recognised.
    pub(crate) fn finish(&mut self) {
        for s in self
            .satisfaction_by_stage
            .values_mut()
            .chain(self.satisfaction_by_outcome.values_mut())
        {
            s.finish();
        }
        self.feedback.finish();
        for t in self.timeliness_by_stage.values_mut() {
            t.on_time_pct = pct(t.on_time, t.responses);
            t.on_time_strict_pct = pct(t.on_time_strict, t.responses);
        }
        if self.monitoring_answers < crate::equality::MIN_ANSWERS {
            self.who_complains.clear();
        }
    }
}

pub(crate) fn pct(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| round1(f64::from(part) * 100.0 / f64::from(whole)))
}

/// Figures are given to one decimal place, as in the TSM return.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
