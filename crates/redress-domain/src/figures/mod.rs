//! The running totals the measures are read from.
//!
//! Counting a year's measures case by case means reading every case of the year; with a
//! large history that takes minutes. Instead each case is turned into dated figures (a
//! response sent on a day, on time or not; a closure on a day after so many days) and the
//! store keeps their totals per day. A period's measures then add up a few hundred days of
//! totals, whatever the number of cases. When a case changes its old figures are taken out
//! and its new ones put in, so the totals always equal counting the cases afresh: the
//! `measures::measures` function is that count, and the tests hold the two together.
//!
//! `of_case` turns a case into its figures; `totals` reads measures back from the sums.

mod of_case;
#[cfg(test)]
mod tests;
mod totals;

pub use of_case::of_case;
pub use totals::{AtPeriodEnd, Total, measures_from, stages_by_tenure};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a figure counts. Kept as text in the store.
pub mod measure {
    pub const RECEIVED: &str = "received";
    pub const CHANNEL: &str = "channel";
    pub const SURVEY: &str = "survey";
    pub const SURVEY_OUTCOME: &str = "survey-outcome";
    pub const MONITORING: &str = "monitoring";
    pub const MONITORING_ANSWER: &str = "monitoring-answer";
    pub const ROOT_CAUSE: &str = "root-cause";
    pub const DECLINED: &str = "declined";
    pub const WITHDRAWN: &str = "withdrawn";
    pub const CLOSED: &str = "closed";
    pub const CLOSED_SINCE: &str = "closed-since";
    pub const ESCALATION_REFUSED: &str = "escalation-refused";
    pub const PASSED_ON: &str = "passed-on";
    pub const FOLLOWED_UP: &str = "followed-up";
    /// The Tenants Panel asked for, on the day; and its input given, keyed `on-time` or
    /// `late` against its target.
    pub const PANEL_ASKED: &str = "panel-asked";
    pub const PANEL_INPUT: &str = "panel-input";
    pub const STAGE_STARTED: &str = "stage-started";
    pub const STAGE_STARTED_TENURE: &str = "stage-started-tenure";
    pub const ACKNOWLEDGED: &str = "acknowledged";
    pub const EXTENSION: &str = "extension";
    pub const RESPONSE: &str = "response";
    pub const REFERRAL: &str = "referral";
    pub const DETERMINATION: &str = "determination";
    pub const PAYMENT: &str = "payment";
    /// +1 on the day a complaint starts waiting inside its response date, -1 on the day
    /// it stops: the sum up to a day is how many were waiting inside target that day.
    pub const OPEN_WITHIN: &str = "open-within";
    /// The same for waiting past the response date.
    pub const OPEN_PAST: &str = "open-past";
    /// Who made a complaint (email or phone), for repeat complainants. Personal data: kept
    /// per case, never in the daily totals, and gone when the case is erased.
    pub const COMPLAINANT: &str = "complainant";
}

/// The measures summed up to a day rather than within a period.
pub const RUNNING: [&str; 2] = [measure::OPEN_WITHIN, measure::OPEN_PAST];

/// One dated figure of a case: `n` counts it, `a`, `b` and `c` carry what is summed with
/// it (on time or not, days taken, pence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: String,
    pub key: String,
    pub day: Date,
    pub n: i64,
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

/// A case's figures, with the service area they count under.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFigures {
    pub service_area: Option<String>,
    pub figures: Vec<Figure>,
}

impl CaseFigures {
    /// The person key of a complaint, if the case has one.
    pub fn complainant(&self) -> Option<(&str, Date)> {
        self.figures
            .iter()
            .find(|f| f.measure == measure::COMPLAINANT)
            .map(|f| (f.key.as_str(), f.day))
    }

    /// What the daily totals gain and lose when `self` replaces `old`, keyed by service
    /// area ("" for none), day, measure and key, in that order, with nothing that nets to
    /// zero. Complainants are left out: they are kept per case.
    pub fn changes_from(
        &self,
        old: &CaseFigures,
    ) -> BTreeMap<(String, Date, String, String), [i64; 4]> {
        let mut out: BTreeMap<(String, Date, String, String), [i64; 4]> = BTreeMap::new();
        for (side, sign) in [(old, -1), (self, 1)] {
            let area = side.service_area.clone().unwrap_or_default();
            for f in side
                .figures
                .iter()
                .filter(|f| f.measure != measure::COMPLAINANT)
            {
                let t = out
                    .entry((area.clone(), f.day, f.measure.clone(), f.key.clone()))
                    .or_default();
                for (slot, v) in t.iter_mut().zip([f.n, f.a, f.b, f.c]) {
                    *slot += sign * v;
                }
            }
        }
        out.retain(|_, t| t.iter().any(|v| *v != 0));
        out
    }
}
