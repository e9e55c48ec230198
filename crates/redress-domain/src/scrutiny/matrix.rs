//! The scoring matrix: every business area scored on performance, satisfaction,
//! complaints and business criticality, plus points for each accepted Community Call for
//! Scrutiny, so the team can choose the year's exercises from a ranking. Bands and weights
//! are the organisation's to set; every score keeps the figure and evidence behind it.

use crate::FieldErrors;
use crate::choice;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

choice!(
    Criterion, "the measure" {
        Performance = "performance": "Performance: key indicators met (%)",
        Satisfaction = "satisfaction": "Satisfaction with complaint handling (%)",
        Complaints = "complaints": "Complaints received",
        Upheld = "upheld": "Complaints upheld in full or part (%)",
        Late = "late": "Responses later than the Code allows (%)",
        Repeat = "repeat": "Residents complaining more than once",
        Critical = "critical": "Business criticality (0 not critical to 4 essential)",
    }
);

impl Criterion {
    /// Checks a figure entered for this measure against what the measure can be: a share
    /// from 0 to 100, a criticality from 0 to 4, or a count, which is a whole number.
    pub fn check(self, value: f64) -> Result<f64, String> {
        let whole = value.fract() == 0.0;
        let ok = value.is_finite()
            && match self {
                Criterion::Performance
                | Criterion::Satisfaction
                | Criterion::Upheld
                | Criterion::Late => (0.0..=100.0).contains(&value),
                Criterion::Critical => whole && (0.0..=4.0).contains(&value),
                Criterion::Complaints | Criterion::Repeat => {
                    whole && (0.0..=1_000_000.0).contains(&value)
                }
            };
        if ok {
            return Ok(value);
        }
        Err(match self {
            Criterion::Critical => {
                "Enter business criticality as a whole number from 0 (not critical) to 4 (essential)"
            }
            Criterion::Complaints | Criterion::Repeat => "Enter a count: a whole number, like 12",
            _ => "Enter a percentage from 0 to 100, like 82.5",
        }
        .to_string())
    }

    /// Whether Redress can work this out from its own complaint and survey data.
    pub fn computed(self) -> bool {
        !matches!(self, Criterion::Performance | Criterion::Critical)
    }
}

/// How a figure becomes points: four ascending edges make five bands (0 to 4), counted
/// upwards when a higher figure is worse (complaints), downwards when lower is worse
/// (satisfaction); the band times the weight is the points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub weight: u32,
    pub edges: [f64; 4],
    pub higher_is_worse: bool,
}

impl Band {
    pub fn band(&self, value: f64) -> u32 {
        let n = if self.higher_is_worse {
            self.edges.iter().filter(|e| value >= **e).count()
        } else {
            self.edges.iter().filter(|e| value < **e).count()
        };
        n as u32
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixSettings {
    pub bands: BTreeMap<Criterion, Band>,
    pub points_per_call: u32,
}

impl Default for MatrixSettings {
    fn default() -> Self {
        let b = |weight, edges, higher_is_worse| Band {
            weight,
            edges,
            higher_is_worse,
        };
        MatrixSettings {
            bands: [
                (
                    Criterion::Performance,
                    b(2, [60.0, 70.0, 80.0, 90.0], false),
                ),
                (
                    Criterion::Satisfaction,
                    b(2, [40.0, 50.0, 60.0, 70.0], false),
                ),
                (Criterion::Complaints, b(1, [5.0, 10.0, 20.0, 40.0], true)),
                (Criterion::Upheld, b(1, [20.0, 35.0, 50.0, 65.0], true)),
                (Criterion::Late, b(1, [5.0, 10.0, 20.0, 30.0], true)),
                (Criterion::Repeat, b(1, [1.0, 3.0, 5.0, 10.0], true)),
                (Criterion::Critical, b(3, [1.0, 2.0, 3.0, 4.0], true)),
            ]
            .into_iter()
            .collect(),
            points_per_call: 5,
        }
    }
}

impl MatrixSettings {
    /// The settings in words, for the history of changes: each measure's weight and band
    /// edges, and the points for an accepted call.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Criterion::ALL
            .iter()
            .map(|c| {
                let b = self.band(*c);
                format!(
                    "{}: weight {}, edges {}",
                    c.label(),
                    b.weight,
                    b.edges
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        parts.push(format!(
            "{} points for each accepted call",
            self.points_per_call
        ));
        parts.join("; ")
    }

    pub fn band(&self, c: Criterion) -> Band {
        self.bands
            .get(&c)
            .cloned()
            .or_else(|| MatrixSettings::default().bands.get(&c).cloned())
            .unwrap_or(Band {
                weight: 0,
                edges: [0.0; 4],
                higher_is_worse: true,
            })
    }

    /// From the settings form: `weight_<criterion>` and `edges_<criterion>` ("60, 70, 80,
    /// 90"), and `points_per_call`.
    pub fn parse(form: &BTreeMap<String, String>) -> Result<MatrixSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let get = |k: &str| form.get(k).map(|s| s.trim()).unwrap_or("");
        let mut bands = BTreeMap::new();
        for c in Criterion::ALL {
            let wk = format!("weight_{}", c.as_str());
            let weight = match get(&wk).parse::<u32>() {
                Ok(w) if w <= 10 => Some(w),
                _ => {
                    e.add(
                        wk,
                        format!(
                            "Enter a weight from 0 to 10 for {}",
                            c.label().to_lowercase()
                        ),
                    );
                    None
                }
            };
            let ek = format!("edges_{}", c.as_str());
            let edges: Vec<f64> = get(&ek)
                .split(',')
                .filter_map(|p| p.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .collect();
            let ascending = edges.windows(2).all(|w| w[0] < w[1]);
            let edges = match <[f64; 4]>::try_from(edges) {
                Ok(a) if ascending => Some(a),
                _ => {
                    e.add(
                        ek,
                        format!(
                            "Enter four numbers in rising order for {}, separated by commas, like 5, 10, 20, 40",
                            c.label().to_lowercase()
                        ),
                    );
                    None
                }
            };
            if let (Some(weight), Some(edges)) = (weight, edges) {
                let higher_is_worse = MatrixSettings::default().band(*c).higher_is_worse;
                bands.insert(
                    *c,
                    Band {
                        weight,
                        edges,
                        higher_is_worse,
                    },
                );
            }
        }
        let points_per_call = match get("points_per_call").parse::<u32>() {
            Ok(p) if p <= 100 => p,
            _ => {
                e.add(
                    "points_per_call",
                    "Enter the points for each accepted call, from 0 to 100",
                );
                0
            }
        };
        e.into_result()?;
        Ok(MatrixSettings {
            bands,
            points_per_call,
        })
    }
}

choice!(
    Source, "where the figure came from" {
        Computed = "computed": "From Redress's own records",
        Entered = "entered": "Entered by the team",
        Missing = "missing": "Not available",
    }
);

/// One figure in an area's score, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub criterion: Criterion,
    pub value: Option<f64>,
    pub source: Source,
    pub evidence: String,
    pub band: u32,
    pub points: u32,
}

/// An area's score in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaScore {
    pub area_id: String,
    pub area: String,
    pub lines: Vec<Line>,
    pub accepted_calls: u32,
    pub call_points: u32,
    pub total: u32,
}

/// Scores one area from its figures. A missing figure scores nothing, and says so.
pub fn score(
    settings: &MatrixSettings,
    area_id: &str,
    area: &str,
    figures: Vec<(Criterion, Option<f64>, Source, String)>,
    accepted_calls: u32,
) -> AreaScore {
    let lines: Vec<Line> = figures
        .into_iter()
        .map(|(criterion, value, source, evidence)| {
            let b = settings.band(criterion);
            let band = value.map(|v| b.band(v)).unwrap_or(0);
            Line {
                criterion,
                value,
                source: if value.is_none() {
                    Source::Missing
                } else {
                    source
                },
                evidence,
                band,
                points: band * b.weight,
            }
        })
        .collect();
    let call_points = accepted_calls * settings.points_per_call;
    AreaScore {
        area_id: area_id.into(),
        area: area.into(),
        total: lines.iter().map(|l| l.points).sum::<u32>() + call_points,
        lines,
        accepted_calls,
        call_points,
    }
}

/// Highest score first; ties by name so the order is stable.
pub fn rank(mut scores: Vec<AreaScore>) -> Vec<AreaScore> {
    scores.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.area.cmp(&b.area)));
    scores
}

#[cfg(test)]
mod tests {

    #[test]
    fn entered_figures_must_fit_their_measure() {
        assert!(Criterion::Critical.check(7.0).is_err());
        assert!(Criterion::Critical.check(2.5).is_err());
        assert_eq!(Criterion::Critical.check(4.0), Ok(4.0));
        assert!(Criterion::Performance.check(150.0).is_err());
        assert_eq!(Criterion::Performance.check(82.5), Ok(82.5));
        assert!(Criterion::Complaints.check(3.5).is_err());
        assert!(Criterion::Satisfaction.check(-1.0).is_err());
        assert!(Criterion::Late.check(f64::NAN).is_err());
    }
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bands_count_up_for_complaints_and_down_for_satisfaction() {
        let s = MatrixSettings::default();
        assert_eq!(s.band(Criterion::Complaints).band(3.0), 0);
        assert_eq!(s.band(Criterion::Complaints).band(10.0), 2);
        assert_eq!(s.band(Criterion::Complaints).band(400.0), 4);
        assert_eq!(s.band(Criterion::Satisfaction).band(95.0), 0);
        assert_eq!(s.band(Criterion::Satisfaction).band(55.0), 2);
        assert_eq!(s.band(Criterion::Satisfaction).band(10.0), 4);
    }

    #[test]
    fn an_accepted_call_adds_points_and_ranks_the_area_higher() {
        let s = MatrixSettings::default();
        let figures = || {
            vec![(
                Criterion::Complaints,
                Some(12.0),
                Source::Computed,
                "12 complaints".to_string(),
            )]
        };
        let repairs = score(&s, "r", "Repairs", figures(), 1);
        let estates = score(&s, "e", "Estates", figures(), 0);
        assert_eq!(repairs.total, estates.total + 5);
        let ranked = rank(vec![estates, repairs]);
        assert_eq!(ranked[0].area, "Repairs");
        let missing = score(
            &s,
            "x",
            "X",
            vec![(Criterion::Performance, None, Source::Entered, String::new())],
            0,
        );
        assert_eq!(missing.lines[0].source, Source::Missing);
        assert_eq!(missing.total, 0);
    }

    #[test]
    fn settings_refuse_edges_out_of_order() {
        let mut form: BTreeMap<String, String> = BTreeMap::new();
        for c in Criterion::ALL {
            form.insert(format!("weight_{}", c.as_str()), "2".into());
            form.insert(format!("edges_{}", c.as_str()), "1, 2, 3, 4".into());
        }
        form.insert("points_per_call".into(), "3".into());
        assert_eq!(MatrixSettings::parse(&form).unwrap().points_per_call, 3);
        form.insert("edges_late".into(), "4, 3, 2, 1".into());
        form.insert("weight_upheld".into(), "eleven".into());
        let e = MatrixSettings::parse(&form).unwrap_err();
        assert!(e.get("edges_late").is_some() && e.get("weight_upheld").is_some());
    }

    proptest! {
        #[test]
        fn worse_figures_never_score_fewer_points(a in 0.0f64..200.0, b in 0.0f64..200.0) {
            let s = MatrixSettings::default();
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            for c in Criterion::ALL {
                let band = s.band(*c);
                if band.higher_is_worse {
                    prop_assert!(band.band(hi) >= band.band(lo));
                } else {
                    prop_assert!(band.band(lo) >= band.band(hi));
                }
                prop_assert!(band.band(a) <= 4);
            }
        }
    }
}
