//! The Tenant Satisfaction Measures on complaints (CH01 and CH02).

use super::cases::taken_on;
use super::{Measures, Period, measures, round1};
use crate::calendar::WorkingCalendar;
use crate::case::Contact;
use crate::intake::ContactKind;
use crate::organisation::{HomesCount, Tenure};
use serde::Serialize;
use std::collections::BTreeMap;

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
