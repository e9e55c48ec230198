//! Performance measures for a period, from the cases themselves (reporting.md): volumes,
//! timeliness per stage in two readings, cases open within and past target, closures and
//! time to close, outcomes, refusals, the ombudsman, compensation, repeat complainants,
//! channels, and the Tenant Satisfaction Measures CH01 and CH02.
//!
//! Every figure comes with the counts it is made of, so a reader can check it by hand.

use crate::calendar::WorkingCalendar;
use crate::case::Contact;
use crate::case::StageRecord;
use crate::intake::{ContactKind, ContactStatus};
use crate::organisation::{HomesCount, Tenure};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// A reporting period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    pub fn new(from: Date, to: Date) -> Result<Period, String> {
        if to < from {
            return Err("The end of the period must not be before its start".into());
        }
        Ok(Period { from, to })
    }

    /// The financial year 1 April `start_year` to 31 March the year after.
    pub fn financial_year(start_year: i16) -> Result<Period, String> {
        let from = Date::new(start_year, 4, 1).map_err(|e| e.to_string())?;
        let to = Date::new(start_year + 1, 3, 31).map_err(|e| e.to_string())?;
        Ok(Period { from, to })
    }

    /// The financial year a date falls in, by the calendar year it starts in.
    pub fn financial_year_of(d: Date) -> i16 {
        if d.month() >= 4 {
            d.year()
        } else {
            d.year() - 1
        }
    }

    /// "2025/26" for the year starting in April 2025.
    pub fn financial_year_label(start_year: i16) -> String {
        format!("{start_year}/{:02}", (start_year + 1) % 100)
    }

    /// Quarter 1 to 4 of the financial year starting in April `start_year`.
    pub fn quarter(start_year: i16, quarter: u8) -> Result<Period, String> {
        if !(1..=4).contains(&quarter) {
            return Err("A quarter is 1, 2, 3 or 4".into());
        }
        let year = Period::financial_year(start_year)?;
        let from = year
            .from
            .checked_add((i32::from(quarter) * 3 - 3).months())
            .map_err(|e| e.to_string())?;
        let to = from
            .checked_add(3.months())
            .and_then(|d| d.checked_sub(1.day()))
            .map_err(|e| e.to_string())?;
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
}

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

/// The latest response date the Code allows for the stage: the original date, moved by
/// extensions agreed within the Code's limits (an extension beyond them is recorded, but
/// a response in it is late).
pub fn code_respond_by(stage: &StageRecord) -> Date {
    stage
        .extensions
        .iter()
        .filter(|x| !x.outside_code)
        .map(|x| x.to)
        .fold(stage.original_respond_by, Date::max)
}

/// Whether the complaint was taken on (a declined complaint never entered the procedure).
fn taken_on(c: &Contact) -> bool {
    c.case.decline.is_none()
}

/// The stage a complaint was at on a date, if it was waiting for a response then.
fn awaiting_response_on(c: &Contact, d: Date) -> Option<&StageRecord> {
    if !taken_on(c) {
        return None;
    }
    let stage = c.case.stages.iter().rev().find(|s| s.started_on <= d)?;
    if stage.response.as_ref().is_some_and(|r| r.sent_on <= d) {
        return None;
    }
    let ended = matches!(c.status, ContactStatus::Withdrawn | ContactStatus::Declined)
        && c.closed_on.is_some_and(|on| on <= d);
    (!ended).then_some(stage)
}

/// Complaints waiting for a response on a date, with the stage they are at.
pub fn awaiting_response(contacts: &[Contact], on: Date) -> Vec<(&Contact, &StageRecord)> {
    contacts
        .iter()
        .filter(|c| c.detail.kind == ContactKind::Complaint && c.received_on <= on)
        .filter_map(|c| awaiting_response_on(c, on).map(|s| (c, s)))
        .collect()
}

pub(crate) fn person_key(c: &Contact) -> Option<String> {
    let p = c.detail.person.as_ref()?;
    p.email
        .as_ref()
        .map(|e| e.to_lowercase())
        .or_else(|| p.phone.as_deref().and_then(crate::field::phone_digits))
}

/// The outcome of a stage's response, as a survey about that stage is reported under.
pub(crate) fn stage_outcome(c: &Contact, stage: u8) -> String {
    c.case
        .stages
        .iter()
        .find(|s| s.stage == stage)
        .and_then(|s| s.response.as_ref())
        .map(|r| r.outcome.as_str().to_string())
        .unwrap_or_else(|| "no-response".into())
}

/// The outcome of the latest response, as compensation is reported under.
pub(crate) fn latest_outcome(c: &Contact) -> String {
    c.case
        .stages
        .iter()
        .rev()
        .find_map(|s| s.response.as_ref())
        .map(|r| r.outcome.as_str().to_string())
        .unwrap_or_else(|| "no-response".into())
}

/// The measures for the contacts given (already narrowed to a service area if wanted).
/// `area_name` turns a service area id into its name for the compensation breakdown.
pub fn measures(
    contacts: &[Contact],
    period: Period,
    calendar: &WorkingCalendar,
    area_name: &dyn Fn(Option<&str>) -> String,
) -> Measures {
    let mut m = Measures {
        period: Some(period),
        ..Default::default()
    };
    let mut close_days = Vec::new();
    let mut close_working_days = Vec::new();
    let mut by_person: BTreeMap<String, u32> = BTreeMap::new();
    for c in contacts {
        let d = &c.detail;
        if period.contains(c.received_on) {
            *m.received_by_kind
                .entry(d.kind.as_str().to_string())
                .or_default() += 1;
            *m.channels
                .entry(d.channel.as_str().to_string())
                .or_default() += 1;
        }
        for a in c
            .case
            .surveys
            .iter()
            .filter(|a| period.contains(a.answered_on))
        {
            if a.stage == 0 {
                m.feedback.add(a);
                continue;
            }
            m.satisfaction_by_stage.entry(a.stage).or_default().add(a);
            m.satisfaction_by_outcome
                .entry(stage_outcome(c, a.stage))
                .or_default()
                .add(a);
        }
        if d.kind != ContactKind::Complaint {
            continue;
        }
        if period.contains(c.received_on) {
            m.new_complaints += 1;
            if let Some(answers) = d
                .person
                .as_ref()
                .and_then(|p| p.needs.monitoring)
                .filter(|a| !a.is_empty())
            {
                m.monitoring_answers += 1;
                for (q, a) in answers.answers() {
                    *m.who_complains
                        .entry(q.to_string())
                        .or_default()
                        .entry(a.to_string())
                        .or_default() += 1;
                }
            }
            if let Some(key) = person_key(c) {
                *by_person.entry(key).or_default() += 1;
            }
        }
        if let Some(l) = c
            .case
            .learning
            .as_ref()
            .filter(|l| period.contains(l.recorded_on))
        {
            *m.root_causes
                .entry(l.root_cause.as_str().to_string())
                .or_default() += 1;
        }
        if let Some(decline) = &c.case.decline
            && period.contains(decline.on)
        {
            *m.declined_by_reason
                .entry(decline.reason.as_str().to_string())
                .or_default() += 1;
        }
        if c.status == ContactStatus::Withdrawn && c.closed_on.is_some_and(|on| period.contains(on))
        {
            m.withdrawn += 1;
        }
        if c.status == ContactStatus::Closed
            && let Some(closed) = c.closed_on.filter(|on| period.contains(*on))
        {
            m.closed += 1;
            close_days.push(i64::from((closed - c.received_on).get_days()));
            close_working_days.push(calendar.working_days_between(c.received_on, closed));
        }
        m.escalations_refused += u32::try_from(
            c.case
                .escalation_refusals
                .iter()
                .filter(|r| period.contains(r.on))
                .count(),
        )
        .unwrap_or(u32::MAX);
        if taken_on(c) {
            for s in &c.case.stages {
                if period.contains(s.started_on) {
                    *m.received_by_stage.entry(s.stage).or_default() += 1;
                }
                if let (Some(on), Some(by)) = (s.acknowledged_on, s.acknowledge_by)
                    && period.contains(on)
                {
                    m.acknowledgements += 1;
                    if on <= by {
                        m.acknowledged_on_time += 1;
                    }
                }
                for x in s.extensions.iter().filter(|x| period.contains(x.agreed_on)) {
                    m.extensions += 1;
                    if x.outside_code {
                        m.extensions_outside_code += 1;
                    }
                }
                if let Some(r) = s.response.as_ref().filter(|r| period.contains(r.sent_on)) {
                    let t = m.timeliness_by_stage.entry(s.stage).or_default();
                    t.responses += 1;
                    if r.sent_on <= code_respond_by(s) {
                        t.on_time += 1;
                    }
                    if r.sent_on <= s.original_respond_by {
                        t.on_time_strict += 1;
                    }
                    *m.outcomes_by_stage
                        .entry(s.stage)
                        .or_default()
                        .entry(r.outcome.as_str().to_string())
                        .or_default() += 1;
                }
            }
            if let Some(s) = awaiting_response_on(c, period.to)
                && c.received_on <= period.to
            {
                if period.to <= s.respond_by {
                    m.open_within_target += 1;
                } else {
                    m.open_past_target += 1;
                }
            }
        }
        for f in &c.case.referrals {
            if period.contains(f.referred_on) {
                m.ombudsman_referrals += 1;
            }
            if let (Some(det), Some(on)) = (f.determination, f.determined_on)
                && period.contains(on)
            {
                *m.ombudsman_determinations
                    .entry(det.as_str().to_string())
                    .or_default() += 1;
            }
        }
        let outcome = latest_outcome(c);
        for p in c.case.remedies.iter().filter_map(|r| r.payment.as_ref()) {
            if p.approved_on.is_some_and(|on| period.contains(on)) {
                let comp = &mut m.compensation;
                comp.payments += 1;
                comp.total_pence += p.amount.0;
                *comp.by_outcome_pence.entry(outcome.clone()).or_default() += p.amount.0;
                *comp
                    .by_service_area_pence
                    .entry(area_name(d.service_area.as_deref()))
                    .or_default() += p.amount.0;
            }
        }
    }
    m.finish();
    let average = |v: &[i64]| {
        (!v.is_empty()).then(|| {
            let total: i64 = v.iter().sum();
            // Counts of days stay far below 2^52, so the conversion is exact.
            round1(total as f64 / v.len() as f64)
        })
    };
    m.average_days_to_close = average(&close_days);
    m.average_working_days_to_close = average(&close_working_days);
    m.repeat_complainants =
        u32::try_from(by_person.values().filter(|n| **n >= 2).count()).unwrap_or(u32::MAX);
    m
}

/// The Tenant Satisfaction Measures on complaints for one financial year.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tsm {
    /// The financial year, by the calendar year it starts in.
    pub year: i16,
    pub period: Option<Period>,
    pub homes: BTreeMap<String, i64>,
    pub homes_total: i64,
    pub stage1_complaints: u32,
    pub stage2_complaints: u32,
    pub stage1_complaints_by_tenure: BTreeMap<String, u32>,
    pub stage2_complaints_by_tenure: BTreeMap<String, u32>,
    pub ch01_stage1_per_1000: Option<f64>,
    pub ch01_stage2_per_1000: Option<f64>,
    pub ch01_stage1_per_1000_by_tenure: BTreeMap<String, f64>,
    pub ch01_stage2_per_1000_by_tenure: BTreeMap<String, f64>,
    pub stage1_responses: u32,
    pub stage1_on_time: u32,
    pub stage1_on_time_strict: u32,
    pub stage2_responses: u32,
    pub stage2_on_time: u32,
    pub stage2_on_time_strict: u32,
    /// Main figure: responses inside an extension agreed within the Code count as on time.
    pub ch02_stage1_pct: Option<f64>,
    pub ch02_stage2_pct: Option<f64>,
    /// Strict figure: only responses by the original date count as on time.
    pub ch02_stage1_pct_strict: Option<f64>,
    pub ch02_stage2_pct_strict: Option<f64>,
}

/// The tenures the Regulator reports CH01 for.
const TSM_TENURES: [Tenure; 2] = [Tenure::LowCostRental, Tenure::LowCostHomeOwnership];

/// The homes the TSM count for a financial year, by tenure (leaseholders are not counted).
pub fn tsm_homes(homes: &[HomesCount], year: i16) -> BTreeMap<String, i64> {
    homes
        .iter()
        .filter(|h| h.year == year && TSM_TENURES.contains(&h.tenure))
        .map(|h| (h.tenure.as_str().to_string(), h.homes))
        .collect()
}

/// The TSM counted straight from the cases (see `figures` for how they are read from
/// running totals).
pub fn tsm(
    contacts: &[Contact],
    year: i16,
    homes: &[HomesCount],
    calendar: &WorkingCalendar,
) -> Result<Tsm, String> {
    let period = Period::financial_year(year)?;
    let m = measures(contacts, period, calendar, &|_| String::new());
    let mut by_tenure: [BTreeMap<String, u32>; 2] = Default::default();
    for c in contacts
        .iter()
        .filter(|c| c.detail.kind == ContactKind::Complaint && taken_on(c))
    {
        let Some(tenure) = c.detail.tenure.filter(|t| TSM_TENURES.contains(t)) else {
            continue;
        };
        for s in c
            .case
            .stages
            .iter()
            .filter(|s| period.contains(s.started_on))
        {
            if let Some(counts) = by_tenure.get_mut(usize::from(s.stage).wrapping_sub(1)) {
                *counts.entry(tenure.as_str().to_string()).or_default() += 1;
            }
        }
    }
    tsm_from(&m, by_tenure, year, homes)
}

/// The TSM from the year's measures and the complaints starting stage 1 and stage 2 by
/// tenure.
pub fn tsm_from(
    m: &Measures,
    by_tenure: [BTreeMap<String, u32>; 2],
    year: i16,
    homes: &[HomesCount],
) -> Result<Tsm, String> {
    let period = Period::financial_year(year)?;
    let mut t = Tsm {
        year,
        period: Some(period),
        ..Default::default()
    };
    t.homes = tsm_homes(homes, year);
    t.homes_total = t.homes.values().sum();
    t.stage1_complaints = m.received_by_stage.get(&1).copied().unwrap_or(0);
    t.stage2_complaints = m.received_by_stage.get(&2).copied().unwrap_or(0);
    let per_1000 = |n: u32, homes: i64| {
        // Numbers of homes stay far below 2^52, so the conversion is exact.
        (homes > 0).then(|| round1(f64::from(n) * 1000.0 / homes as f64))
    };
    t.ch01_stage1_per_1000 = per_1000(t.stage1_complaints, t.homes_total);
    t.ch01_stage2_per_1000 = per_1000(t.stage2_complaints, t.homes_total);
    let [stage1_by_tenure, stage2_by_tenure] = by_tenure;
    for (tenure, homes) in &t.homes {
        let s1 = stage1_by_tenure.get(tenure).copied().unwrap_or(0);
        let s2 = stage2_by_tenure.get(tenure).copied().unwrap_or(0);
        if let Some(v) = per_1000(s1, *homes) {
            t.ch01_stage1_per_1000_by_tenure.insert(tenure.clone(), v);
        }
        if let Some(v) = per_1000(s2, *homes) {
            t.ch01_stage2_per_1000_by_tenure.insert(tenure.clone(), v);
        }
    }
    t.stage1_complaints_by_tenure = stage1_by_tenure;
    t.stage2_complaints_by_tenure = stage2_by_tenure;
    let stage = |n: u8| m.timeliness_by_stage.get(&n).cloned().unwrap_or_default();
    let (s1, s2) = (stage(1), stage(2));
    t.stage1_responses = s1.responses;
    t.stage1_on_time = s1.on_time;
    t.stage1_on_time_strict = s1.on_time_strict;
    t.stage2_responses = s2.responses;
    t.stage2_on_time = s2.on_time;
    t.stage2_on_time_strict = s2.on_time_strict;
    t.ch02_stage1_pct = s1.on_time_pct;
    t.ch02_stage2_pct = s2.on_time_pct;
    t.ch02_stage1_pct_strict = s1.on_time_strict_pct;
    t.ch02_stage2_pct_strict = s2.on_time_strict_pct;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_follow_the_financial_year() {
        let y = Period::financial_year(2025).unwrap_or(Period {
            from: Date::MIN,
            to: Date::MIN,
        });
        assert_eq!((y.from, y.to), (date(2025, 4, 1), date(2026, 3, 31)));
        let q4 = Period::quarter(2025, 4).map(|p| (p.from, p.to));
        assert_eq!(q4, Ok((date(2026, 1, 1), date(2026, 3, 31))));
        assert_eq!(Period::financial_year_of(date(2026, 3, 31)), 2025);
        assert_eq!(Period::financial_year_of(date(2026, 4, 1)), 2026);
        assert_eq!(Period::financial_year_label(2099), "2099/00");
        let q1 = Period::quarter(2025, 1).map(|p| (p.from, p.to));
        assert_eq!(q1, Ok((date(2025, 4, 1), date(2025, 6, 30))));
        assert!(Period::quarter(2025, 5).is_err());
        assert!(Period::new(date(2025, 5, 1), date(2025, 4, 1)).is_err());
        assert_eq!(round1(100.0 * 2.0 / 3.0), 66.7);
    }
}
