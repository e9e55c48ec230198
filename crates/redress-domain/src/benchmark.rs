//! A common format for comparing complaint figures with other organisations (seed 001
//! §6.4): each organisation exports its figures for a period as a small JSON file; files
//! can be combined into one list and compared side by side. Only rates and counts, never
//! a case or a person. The format is documented in docs/reporting.md.

use crate::measures::{Measures, Period};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FORMAT: &str = "redress-benchmark";
pub const VERSION: u32 = 1;

/// One organisation's figures for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    pub format: String,
    pub version: u32,
    pub organisation: String,
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    /// Homes owned (low-cost rental and home ownership), when known.
    pub homes: Option<i64>,
    pub figures: BTreeMap<String, Option<f64>>,
}

/// The figures, in the order they are compared, with their labels.
pub const FIGURES: &[(&str, &str)] = &[
    ("new_complaints", "New complaints"),
    ("complaints_per_1000_homes", "Complaints per 1,000 homes"),
    ("stage1_received", "Taken on at stage 1"),
    ("stage2_received", "Escalated to stage 2"),
    ("acknowledged_on_time_pct", "Acknowledged on time (%)"),
    (
        "stage1_on_time_pct",
        "Stage 1 within the Code's timescales (%)",
    ),
    (
        "stage1_on_time_strict_pct",
        "Stage 1 by the original date (%)",
    ),
    (
        "stage2_on_time_pct",
        "Stage 2 within the Code's timescales (%)",
    ),
    (
        "stage2_on_time_strict_pct",
        "Stage 2 by the original date (%)",
    ),
    ("upheld_pct", "Stage 1 responses upheld in full or part (%)"),
    (
        "average_working_days_to_close",
        "Average working days to close",
    ),
    ("satisfied_handling_pct", "Satisfied with handling (%)"),
    ("satisfied_outcome_pct", "Satisfied with outcome (%)"),
    (
        "compensation_per_complaint",
        "Compensation per complaint (£)",
    ),
    ("ombudsman_referrals", "Referred to the ombudsman"),
    ("improvements_implemented", "Service improvements made"),
];

fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| crate::measures::round1(f64::from(part) * 100.0 / f64::from(whole)))
}

impl Benchmark {
    pub fn from_measures(
        organisation: &str,
        m: &Measures,
        period: Period,
        homes: Option<i64>,
    ) -> Benchmark {
        let s1 = m.timeliness_by_stage.get(&1).cloned().unwrap_or_default();
        let s2 = m.timeliness_by_stage.get(&2).cloned().unwrap_or_default();
        let stage1_outcomes = m.outcomes_by_stage.get(&1);
        let outcome = |k: &str| stage1_outcomes.and_then(|o| o.get(k)).copied().unwrap_or(0);
        let upheld = outcome("upheld") + outcome("partly-upheld");
        let responses: u32 = stage1_outcomes.map(|o| o.values().sum()).unwrap_or(0);
        let satisfaction = m.satisfaction_by_stage.get(&1).cloned().unwrap_or_default();
        let count = |n: u32| Some(f64::from(n));
        let mut figures = BTreeMap::new();
        let mut put = |k: &str, v: Option<f64>| {
            figures.insert(k.to_string(), v);
        };
        put("new_complaints", count(m.new_complaints));
        put(
            "complaints_per_1000_homes",
            homes.filter(|h| *h > 0).map(|h| {
                // Numbers of homes stay far below 2^52, so the conversion is exact.
                crate::measures::round1(f64::from(m.new_complaints) * 1000.0 / h as f64)
            }),
        );
        put(
            "stage1_received",
            count(m.received_by_stage.get(&1).copied().unwrap_or(0)),
        );
        put(
            "stage2_received",
            count(m.received_by_stage.get(&2).copied().unwrap_or(0)),
        );
        put(
            "acknowledged_on_time_pct",
            share(m.acknowledged_on_time, m.acknowledgements),
        );
        put("stage1_on_time_pct", s1.on_time_pct);
        put("stage1_on_time_strict_pct", s1.on_time_strict_pct);
        put("stage2_on_time_pct", s2.on_time_pct);
        put("stage2_on_time_strict_pct", s2.on_time_strict_pct);
        put("upheld_pct", share(upheld, responses));
        put(
            "average_working_days_to_close",
            m.average_working_days_to_close,
        );
        put("satisfied_handling_pct", satisfaction.handling_pct);
        put("satisfied_outcome_pct", satisfaction.outcome_pct);
        put(
            "compensation_per_complaint",
            (m.new_complaints > 0).then(|| {
                // Pence totals stay far below 2^52, so the conversion is exact.
                (m.compensation.total_pence as f64 / 100.0 / f64::from(m.new_complaints) * 100.0)
                    .round()
                    / 100.0
            }),
        );
        put("ombudsman_referrals", count(m.ombudsman_referrals));
        put(
            "improvements_implemented",
            count(m.improvements_implemented),
        );
        Benchmark {
            format: FORMAT.into(),
            version: VERSION,
            organisation: organisation.into(),
            from: period.from,
            to: period.to,
            homes,
            figures,
        }
    }

    /// Reads a file holding one organisation's figures or a list of them.
    pub fn parse_file(json: &str) -> Result<Vec<Benchmark>, String> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("The file is not valid JSON: {e}"))?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            one => vec![one],
        };
        if items.is_empty() {
            return Err("The file holds no organisations".into());
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let b: Benchmark = serde_json::from_value(v)
                    .map_err(|e| format!("Entry {}: not a benchmark file ({e})", i + 1))?;
                if b.format != FORMAT || b.version != VERSION {
                    return Err(format!(
                        "Entry {}: format {} version {} is not one Redress reads ({FORMAT} version {VERSION})",
                        i + 1,
                        b.format,
                        b.version
                    ));
                }
                Ok(b)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn figures_round_trip_and_foreign_files_are_refused() {
        let mut m = Measures {
            new_complaints: 12,
            acknowledgements: 4,
            acknowledged_on_time: 3,
            ..Default::default()
        };
        m.compensation.total_pence = 30_000;
        let period = Period {
            from: date(2025, 4, 1),
            to: date(2026, 3, 31),
        };
        let b = Benchmark::from_measures("Cartref", &m, period, Some(2400));
        assert_eq!(b.figures["complaints_per_1000_homes"], Some(5.0));
        assert_eq!(b.figures["acknowledged_on_time_pct"], Some(75.0));
        assert_eq!(b.figures["compensation_per_complaint"], Some(25.0));
        assert_eq!(b.figures["stage1_on_time_pct"], None);
        let json = serde_json::to_string(&vec![b.clone(), b.clone()]).unwrap_or_default();
        assert_eq!(Benchmark::parse_file(&json).map(|v| v.len()), Ok(2));
        let one = serde_json::to_string(&b).unwrap_or_default();
        assert_eq!(Benchmark::parse_file(&one), Ok(vec![b]));
        assert!(Benchmark::parse_file("{\"format\": \"other\"}").is_err());
        assert!(Benchmark::parse_file("[]").is_err());
        assert!(Benchmark::parse_file("not json").is_err());
    }
}
