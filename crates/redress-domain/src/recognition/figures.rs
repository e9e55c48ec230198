//! How the recognition assistant did, and what came of the hazards it found, for reports:
//! how often its reading matched the kind staff settled on, what became of "This may be a
//! complaint", and how many hazards were confirmed and whether each legal clock was met.

use crate::calendar::WorkingCalendar;
use crate::contact::{Contact, ContactKind};
use crate::hazard::{HazardStep, Urgency};
use jiff::Timestamp;
use jiff::civil::Date;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Contacts the assistant read.
    pub read: usize,
    /// Of those, read as the kind they are recorded as now.
    pub right: usize,
    /// Flagged "This may be a complaint" (recorded as something else).
    pub flagged: usize,
    pub raised: usize,
    pub dismissed: usize,
    pub waiting: usize,
    /// Survey answers read as a complaint, and what became of them.
    pub survey_flagged: usize,
    pub survey_raised: usize,
    pub survey_dismissed: usize,
    /// Possible hazards found in what residents wrote.
    pub hazards_found: usize,
    pub hazards_dismissed: usize,
    pub hazards_confirmed: usize,
    /// Confirmed on complaints (rather than on requests and other contacts).
    pub through_complaints: usize,
    pub emergencies: usize,
    /// Under Awaab's Law: each step's clocks (met, missed, still running).
    pub clocks: Vec<(HazardStep, usize, usize, usize)>,
}

pub fn figures(
    contacts: &[Contact],
    calendar: &WorkingCalendar,
    now: Timestamp,
    today: Date,
) -> Figures {
    let mut f = Figures::default();
    for c in contacts {
        if let Some(s) = &c.case.suggestion {
            f.read += 1;
            if s.kind == c.detail.kind {
                f.right += 1;
            }
            match &s.decision {
                Some(d) if d.raised => f.raised += 1,
                Some(_) => f.dismissed += 1,
                None if s.may_be_complaint(c.detail.kind) => f.waiting += 1,
                None => {}
            }
        }
        for s in &c.case.survey_suggestions {
            f.survey_flagged += 1;
            match &s.suggestion.decision {
                Some(d) if d.raised => f.survey_raised += 1,
                Some(_) => f.survey_dismissed += 1,
                None => {}
            }
        }
        if c.case.hazard_suggestion.is_some() {
            f.hazards_found += 1;
        }
        if c.case.hazard_dismissed.is_some() {
            f.hazards_dismissed += 1;
        }
        let Some(h) = &c.case.hazard else { continue };
        f.hazards_confirmed += 1;
        if c.detail.kind == ContactKind::Complaint {
            f.through_complaints += 1;
        }
        if h.urgency == Urgency::Emergency {
            f.emergencies += 1;
        }
        for clock in h.clocks(calendar).unwrap_or_default() {
            if clock.due_at.is_none() && clock.due_on.is_none() {
                continue;
            }
            let i = match f.clocks.iter().position(|(s, ..)| *s == clock.step) {
                Some(i) => i,
                None => {
                    f.clocks.push((clock.step, 0, 0, 0));
                    f.clocks.len() - 1
                }
            };
            if let Some(row) = f.clocks.get_mut(i) {
                match clock.met(now, today) {
                    Some(true) => row.1 += 1,
                    Some(false) => row.2 += 1,
                    None => row.3 += 1,
                }
            }
        }
    }
    f.flagged = f.raised + f.dismissed + f.waiting;
    f.clocks
        .sort_by_key(|(s, ..)| HazardStep::ALL.iter().position(|x| x == s));
    f
}
