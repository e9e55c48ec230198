//! Hazards in the home raised through what residents write, and the legal clocks a
//! confirmed one starts where Awaab's Law applies (social homes in England, from 27 October
//! 2025: the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025).
//!
//! - Emergency hazard: investigate and make safe within 24 hours of becoming aware, in
//!   clock hours, whatever the day.
//! - Significant hazard: investigate within 10 working days of becoming aware; a written
//!   summary to the resident within 3 working days of the investigation ending; relevant
//!   safety work within 5 working days of it; further work begun (or steps taken to begin
//!   it) within 5 working days and physically started within 12 weeks.
//!
//! Working days here are those of the law: weekends and bank holidays excluded, never the
//! organisation's own closure days, which the law does not know.

use crate::calendar::{CalendarError, WorkingCalendar};
use crate::choice;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

choice!(
    HazardKind, "the kind of hazard" {
        DampMould = "damp-mould": "Damp and mould",
        Leak = "leak": "Water leak",
        Heating = "heating": "No heating or hot water",
        Gas = "gas": "Gas",
        Electrical = "electrical": "Electrical",
        Structural = "structural": "Structural danger",
        Fire = "fire": "Fire safety",
        Pests = "pests": "Pests",
        Other = "other": "Other hazard",
    }
);

choice!(
    Urgency, "how urgent the hazard is" {
        Emergency = "emergency": "Emergency",
        Significant = "significant": "Significant",
    }
);

choice!(
    /// The steps a confirmed hazard's clocks follow, in order.
    HazardStep, "the step" {
        Investigated = "investigated": "Investigation finished",
        MadeSafe = "made-safe": "Made safe",
        SummarySent = "summary-sent": "Written summary sent to the resident",
        SafetyWorkDone = "safety-work-done": "Safety work done",
        FurtherWorkBegun = "further-work-begun": "Further work begun (steps taken)",
        FurtherWorkStarted = "further-work-started": "Further work physically started",
    }
);

/// What the law asks by when, for one hazard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub step: HazardStep,
    /// For the 24-hour clock: the moment; otherwise the day.
    pub due_at: Option<Timestamp>,
    pub due_on: Option<Date>,
    /// When it was done, if it was.
    pub done_on: Option<Date>,
    pub done_at: Option<Timestamp>,
}

impl Clock {
    /// Met (done in time), missed (done late, or not done and past due), or still running.
    pub fn met(&self, now: Timestamp, today: Date) -> Option<bool> {
        match (self.due_at, self.due_on) {
            (Some(due), _) => match self.done_at {
                Some(done) => Some(done <= due),
                None if now > due => Some(false),
                None => None,
            },
            (None, Some(due)) => match self.done_on {
                Some(done) => Some(done <= due),
                None if today > due => Some(false),
                None => None,
            },
            (None, None) => None,
        }
    }
}

/// A hazard recorded on a case once staff confirm it, with the dates its steps were done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub urgency: Urgency,
    /// When the organisation became aware: the contact's receipt.
    pub aware_at: Timestamp,
    pub confirmed_at: Timestamp,
    /// Whether Awaab's Law applies (a social home in England); otherwise the hazard is
    /// passed on without legal clocks.
    pub awaabs_law: bool,
    #[serde(default)]
    pub steps: Vec<(HazardStep, Timestamp)>,
}

impl Hazard {
    fn done(&self, step: HazardStep) -> Option<Timestamp> {
        self.steps
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, at)| *at)
    }

    /// The clocks as they stand: none when the law does not apply.
    pub fn clocks(&self, calendar: &WorkingCalendar) -> Result<Vec<Clock>, CalendarError> {
        if !self.awaabs_law {
            return Ok(Vec::new());
        }
        let day = |t: Timestamp| crate::calendar::uk_date(t);
        let at = |step| self.done(step);
        let by_hours = |step: HazardStep| Clock {
            step,
            due_at: self
                .aware_at
                .checked_add(SignedDuration::from_hours(24))
                .ok(),
            due_on: None,
            done_on: at(step).map(day),
            done_at: at(step),
        };
        let by_day = |step: HazardStep, due: Option<Date>| Clock {
            step,
            due_at: None,
            due_on: due,
            done_on: at(step).map(day),
            done_at: at(step),
        };
        match self.urgency {
            Urgency::Emergency => Ok(vec![
                by_hours(HazardStep::Investigated),
                by_hours(HazardStep::MadeSafe),
            ]),
            Urgency::Significant => {
                let aware = day(self.aware_at);
                let investigate = calendar.add_working_days(aware, 10)?;
                // The later clocks run from the day the investigation ended.
                let ended = at(HazardStep::Investigated).map(day);
                let after = |days: u32| -> Result<Option<Date>, CalendarError> {
                    ended
                        .map(|d| calendar.add_working_days(d, days))
                        .transpose()
                };
                let twelve_weeks =
                    ended.and_then(|d| d.checked_add(jiff::Span::new().weeks(12)).ok());
                Ok(vec![
                    by_day(HazardStep::Investigated, Some(investigate)),
                    by_day(HazardStep::SummarySent, after(3)?),
                    by_day(HazardStep::SafetyWorkDone, after(5)?),
                    by_day(HazardStep::FurtherWorkBegun, after(5)?),
                    by_day(HazardStep::FurtherWorkStarted, twelve_weeks),
                ])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Division;
    use jiff::civil::date;

    fn at(d: Date, hour: i8) -> Timestamp {
        d.at(hour, 0, 0, 0)
            .to_zoned_datetime(crate::calendar::uk_time_zone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn hazard(urgency: Urgency, aware: Timestamp) -> Hazard {
        Hazard {
            kind: HazardKind::DampMould,
            urgency,
            aware_at: aware,
            confirmed_at: aware,
            awaabs_law: true,
            steps: Vec::new(),
        }
    }

    #[test]
    fn an_emergency_runs_24_clock_hours_through_a_weekend() {
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        // Friday 18:30 before a bank holiday weekend: due Saturday 18:30 all the same.
        let friday = at(date(2026, 5, 1), 18);
        let clocks = hazard(Urgency::Emergency, friday)
            .clocks(&cal)
            .unwrap_or_default();
        assert_eq!(clocks.len(), 2);
        assert_eq!(clocks[0].due_at, Some(at(date(2026, 5, 2), 18)));
        let mut h = hazard(Urgency::Emergency, friday);
        h.steps
            .push((HazardStep::MadeSafe, at(date(2026, 5, 2), 17)));
        let clocks = h.clocks(&cal).unwrap_or_default();
        let now = at(date(2026, 5, 3), 9);
        assert_eq!(
            clocks[1].met(now, date(2026, 5, 3)),
            Some(true),
            "made safe in time"
        );
        assert_eq!(
            clocks[0].met(now, date(2026, 5, 3)),
            Some(false),
            "not investigated in time"
        );
    }

    #[test]
    fn a_significant_hazard_counts_working_days_and_bank_holidays() {
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        // Reported Thursday 17 December 2026: ten working days skip Christmas Day, Boxing Day
        // (observed Monday 28th) and New Year's Day.
        let mut h = hazard(Urgency::Significant, at(date(2026, 12, 17), 10));
        let clocks = h.clocks(&cal).unwrap_or_default();
        assert_eq!(clocks[0].due_on, Some(date(2027, 1, 5)));
        assert_eq!(
            clocks[1].due_on, None,
            "no summary clock before the investigation ends"
        );
        // Investigated on Friday 8 January 2027 (late): the summary is due in 3 working days,
        // safety work in 5, further work started within 12 weeks.
        h.steps
            .push((HazardStep::Investigated, at(date(2027, 1, 8), 11)));
        let clocks = h.clocks(&cal).unwrap_or_default();
        assert_eq!(
            clocks[0].met(Timestamp::UNIX_EPOCH, date(2027, 1, 8)),
            Some(false)
        );
        assert_eq!(clocks[1].due_on, Some(date(2027, 1, 13)));
        assert_eq!(clocks[2].due_on, Some(date(2027, 1, 15)));
        assert_eq!(clocks[3].due_on, Some(date(2027, 1, 15)));
        assert_eq!(clocks[4].due_on, Some(date(2027, 4, 2)));
        assert_eq!(
            clocks[1].met(Timestamp::UNIX_EPOCH, date(2027, 1, 12)),
            None,
            "still running"
        );
    }

    #[test]
    fn no_clocks_where_the_law_does_not_apply() {
        let cal = WorkingCalendar::standard(Division::EnglandAndWales);
        let mut h = hazard(Urgency::Significant, at(date(2026, 12, 17), 10));
        h.awaabs_law = false;
        assert_eq!(h.clocks(&cal).map(|c| c.len()), Ok(0));
    }
}
