//! Measures read back from the kept totals.

use super::measure;
use crate::calendar::WorkingCalendar;
use crate::intake::ContactKind;
use crate::measures::{Measures, Period, Satisfaction, round1};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Totals of one measure and key in one service area over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub measure: String,
    pub key: String,
    pub service_area: Option<String>,
    pub n: i64,
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

/// What the store adds up for a period, besides the totals within it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AtPeriodEnd {
    /// Sums of the running measures up to the period's last day.
    pub open_within_target: i64,
    pub open_past_target: i64,
    /// People with two or more complaints received in the period (counted separately,
    /// and left at zero where it is not needed, as for the TSM).
    pub repeat_complainants: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn add_to(s: &mut Satisfaction, t: &Total) {
    s.responses += count(t.n);
    s.satisfied_with_handling += count(t.a);
    s.outcome_answers += count(t.b);
    s.satisfied_with_outcome += count(t.c);
}

/// The measures from a period's totals, the same as `measures` counts from the cases.
pub fn measures_from(
    totals: &[Total],
    end: &AtPeriodEnd,
    period: Period,
    calendar: &WorkingCalendar,
    area_name: &dyn Fn(Option<&str>) -> String,
) -> Measures {
    let mut m = Measures {
        period: Some(period),
        ..Default::default()
    };
    let (mut close_days, mut closes) = (0i64, 0i64);
    let mut working = 0i64;
    // Working days from the period's start to a day, so that the working days between a
    // receipt and a closure are the difference of the two, summed per day.
    let from_start = |d: &str| {
        d.parse::<Date>()
            .map(|d| calendar.working_days_between(period.from, d))
            .unwrap_or(0)
    };
    for t in totals {
        let n = count(t.n);
        let key = t.key.clone();
        match t.measure.as_str() {
            measure::RECEIVED => {
                *m.received_by_kind.entry(key).or_default() += n;
                if t.key == ContactKind::Complaint.as_str() {
                    m.new_complaints += n;
                }
            }
            measure::CHANNEL => *m.channels.entry(key).or_default() += n,
            measure::SURVEY => match t.key.parse::<u8>() {
                Ok(0) => add_to(&mut m.feedback, t),
                Ok(stage) => add_to(m.satisfaction_by_stage.entry(stage).or_default(), t),
                Err(_) => {}
            },
            measure::SURVEY_OUTCOME => add_to(m.satisfaction_by_outcome.entry(key).or_default(), t),
            measure::MONITORING => m.monitoring_answers += n,
            measure::MONITORING_ANSWER => {
                if let Some((q, a)) = t.key.split_once('|') {
                    *m.who_complains
                        .entry(q.to_string())
                        .or_default()
                        .entry(a.to_string())
                        .or_default() += n;
                }
            }
            measure::ROOT_CAUSE => *m.root_causes.entry(key).or_default() += n,
            measure::DECLINED => *m.declined_by_reason.entry(key).or_default() += n,
            measure::WITHDRAWN => m.withdrawn += n,
            measure::CLOSED => {
                m.closed += n;
                closes += t.n;
                close_days += t.a;
                working += t.n * from_start(&t.key);
            }
            measure::CLOSED_SINCE => working -= t.n * from_start(&t.key),
            measure::ESCALATION_REFUSED => m.escalations_refused += n,
            measure::PASSED_ON => m.compliments_passed_on += n,
            measure::FOLLOWED_UP => m.survey_follow_ups += n,
            measure::PANEL_ASKED => m.tenants_panel.asked += n,
            measure::PANEL_INPUT => {
                m.tenants_panel.given += n;
                if t.key == "on-time" {
                    m.tenants_panel.given_on_time += n;
                }
            }
            measure::STAGE_STARTED => {
                if let Ok(stage) = t.key.parse::<u8>() {
                    *m.received_by_stage.entry(stage).or_default() += n;
                }
            }
            measure::ACKNOWLEDGED => {
                m.acknowledgements += n;
                m.acknowledged_on_time += count(t.a);
            }
            measure::EXTENSION => {
                m.extensions += n;
                m.extensions_outside_code += count(t.a);
            }
            measure::RESPONSE => {
                if let Some((stage, outcome)) = t.key.split_once('|')
                    && let Ok(stage) = stage.parse::<u8>()
                {
                    let s = m.timeliness_by_stage.entry(stage).or_default();
                    s.responses += n;
                    s.on_time += count(t.a);
                    s.on_time_strict += count(t.b);
                    *m.outcomes_by_stage
                        .entry(stage)
                        .or_default()
                        .entry(outcome.to_string())
                        .or_default() += n;
                }
            }
            measure::REFERRAL => m.ombudsman_referrals += n,
            measure::DETERMINATION => *m.ombudsman_determinations.entry(key).or_default() += n,
            measure::PAYMENT => {
                let comp = &mut m.compensation;
                comp.payments += n;
                comp.total_pence += t.a;
                *comp.by_outcome_pence.entry(key).or_default() += t.a;
                *comp
                    .by_service_area_pence
                    .entry(area_name(t.service_area.as_deref()))
                    .or_default() += t.a;
            }
            _ => {}
        }
    }
    m.finish();
    // Counts of days stay far below 2^52, so the conversions are exact.
    let average = |total: i64| (closes > 0).then(|| round1(total as f64 / closes as f64));
    m.average_days_to_close = average(close_days);
    m.average_working_days_to_close = average(working);
    m.open_within_target = count(end.open_within_target);
    m.open_past_target = count(end.open_past_target);
    m.repeat_complainants = count(end.repeat_complainants);
    m
}

/// Cases of each TSM tenure starting stage 1 and stage 2 in the totals.
pub fn stages_by_tenure(totals: &[Total]) -> [BTreeMap<String, u32>; 2] {
    let mut out: [BTreeMap<String, u32>; 2] = Default::default();
    for t in totals
        .iter()
        .filter(|t| t.measure == measure::STAGE_STARTED_TENURE)
    {
        if let Some((stage, tenure)) = t.key.split_once('|')
            && let Ok(stage) = stage.parse::<usize>()
            && let Some(counts) = out.get_mut(stage.wrapping_sub(1))
        {
            *counts.entry(tenure.to_string()).or_default() += count(t.n);
        }
    }
    out
}
