//! The tables of the measures report, one section a theme, and its one chart with the data beside it.

use super::words::Words;
use redress_domain::measures::Measures;
use std::collections::BTreeMap;

/// One table of a report: a heading and its rows of label and value.
pub(crate) struct Section {
    pub(crate) title: String,
    pub(crate) rows: Vec<(String, String)>,
}

/// A horizontal bar chart drawn as SVG, described for screen readers, with the same
/// numbers in a table beside it.
pub(crate) struct Chart {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) bars: Vec<ChartBar>,
    pub(crate) height: u32,
}

pub(crate) struct ChartBar {
    pub(crate) label: String,
    pub(crate) value: u32,
    pub(crate) y: u32,
    pub(crate) width: u32,
}

pub(crate) const BAR_HEIGHT: u32 = 28;

pub(crate) const CHART_WIDTH: u32 = 360;

pub(crate) fn chart(
    id: &str,
    title: &str,
    data: &BTreeMap<String, u32>,
    label: &dyn Fn(&str) -> String,
) -> Chart {
    let max = data.values().copied().max().unwrap_or(0).max(1);
    let bars = data
        .iter()
        .enumerate()
        .map(|(i, (k, v))| ChartBar {
            label: label(k),
            value: *v,
            y: u32::try_from(i).unwrap_or(0) * BAR_HEIGHT,
            width: v.saturating_mul(CHART_WIDTH) / max,
        })
        .collect::<Vec<_>>();
    Chart {
        id: id.into(),
        title: title.into(),
        height: u32::try_from(bars.len()).unwrap_or(0) * BAR_HEIGHT,
        bars,
    }
}

pub(crate) fn label_of<T: Copy>(
    parse: fn(&str) -> Result<T, String>,
    name: fn(T) -> &'static str,
) -> impl Fn(&str) -> String {
    move |k: &str| parse(k).map(name).unwrap_or(k).to_string()
}

pub(crate) fn money(pence: i64) -> String {
    redress_domain::remedy::Pence(pence).to_string()
}

/// The customer profile: percentages by (question, answer).
pub(crate) type Profile = BTreeMap<(String, String), f64>;

fn stage(w: Words, key: &str, stage: u8) -> String {
    w.tf(key, &[("stage", stage.to_string())])
}

/// The measures as tables, in the order the quarterly report reads, in `w`'s language.
pub(crate) fn sections(m: &Measures, profile: &Profile, w: Words) -> Vec<Section> {
    let count = |n: u32| n.to_string();
    let with = |key: &str, name: &str, value: String| w.tf(key, &[(name, value)]);
    let mut out = vec![Section {
        title: w.t("report-received"),
        rows: m
            .received_by_kind
            .iter()
            .map(|(k, n)| (w.choice("kinds", k), count(*n)))
            .chain([(w.t("report-new-complaints"), count(m.new_complaints))])
            .chain(
                m.received_by_stage
                    .iter()
                    .map(|(s, n)| (stage(w, "report-taken-on-at-stage", *s), count(*n))),
            )
            .chain([(
                w.t("report-repeat-complainants"),
                count(m.repeat_complainants),
            )])
            .collect(),
    }];
    let mut timeliness = vec![(
        w.t("report-acknowledged-on-time"),
        w.of(m.acknowledged_on_time, m.acknowledgements),
    )];
    let figure = |p: Option<f64>, part: u32, whole: u32| {
        format!(
            "{} ({})",
            w.pct(p, "report-no-responses"),
            w.of(part, whole)
        )
    };
    for (s, t) in &m.timeliness_by_stage {
        timeliness.push((stage(w, "report-stage-responses", *s), count(t.responses)));
        timeliness.push((
            stage(w, "report-stage-within-code", *s),
            figure(t.on_time_pct, t.on_time, t.responses),
        ));
        timeliness.push((
            stage(w, "report-stage-original-date", *s),
            figure(t.on_time_strict_pct, t.on_time_strict, t.responses),
        ));
    }
    timeliness.push((w.t("report-extensions"), count(m.extensions)));
    timeliness.push((
        w.t("report-extensions-beyond-code"),
        count(m.extensions_outside_code),
    ));
    out.push(Section {
        title: w.t("report-timeliness"),
        rows: timeliness,
    });
    out.push(Section {
        title: match m.open_as_at {
            Some(today) => with("report-open-on", "date", w.0.long_date(today)),
            None => w.t("report-open-at-end"),
        },
        rows: vec![
            (w.t("report-within-target"), count(m.open_within_target)),
            (w.t("report-past-target"), count(m.open_past_target)),
        ],
    });
    let average = |v: Option<f64>| {
        v.map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| w.t("report-none-closed"))
    };
    out.push(Section {
        title: w.t("report-closed"),
        rows: vec![
            (w.t("report-closed"), count(m.closed)),
            (w.t("report-average-days"), average(m.average_days_to_close)),
            (
                w.t("report-average-working-days"),
                average(m.average_working_days_to_close),
            ),
            (w.t("report-withdrawn"), count(m.withdrawn)),
        ],
    });
    out.push(Section {
        title: w.t("report-outcomes"),
        rows: m
            .outcomes_by_stage
            .iter()
            .flat_map(|(stage, o)| o.iter().map(move |(k, n)| (*stage, k, *n)))
            .map(|(s, k, n)| {
                (
                    w.tf(
                        "report-stage-outcome",
                        &[
                            ("stage", s.to_string()),
                            ("outcome", w.choice("outcome", k)),
                        ],
                    ),
                    count(n),
                )
            })
            .collect(),
    });
    out.push(Section {
        title: w.t("report-not-taken-on"),
        rows: m
            .declined_by_reason
            .iter()
            .map(|(k, n)| {
                (
                    with("report-declined-for", "reason", w.choice("decline", k)),
                    count(*n),
                )
            })
            .chain([(
                w.t("report-escalation-refused"),
                count(m.escalations_refused),
            )])
            .collect(),
    });
    let panel = m.tenants_panel;
    if panel.asked > 0 || panel.given > 0 {
        out.push(Section {
            title: w.t("report-panel"),
            rows: vec![
                (w.t("report-panel-asked"), count(panel.asked)),
                (w.t("report-panel-given"), count(panel.given)),
                (w.t("report-panel-on-time"), count(panel.given_on_time)),
            ],
        });
    }
    out.push(Section {
        title: w.t("report-ombudsman"),
        rows: std::iter::once((w.t("report-referrals"), count(m.ombudsman_referrals)))
            .chain(m.ombudsman_determinations.iter().map(|(k, n)| {
                (
                    with(
                        "report-determination",
                        "determination",
                        w.choice("determination", k),
                    ),
                    count(*n),
                )
            }))
            .collect(),
    });
    out.push(Section {
        title: w.t("report-compensation"),
        rows: std::iter::once((
            w.t("report-compensation-total"),
            w.tf(
                "report-payments",
                &[
                    ("total", money(m.compensation.total_pence)),
                    ("payments", m.compensation.payments.to_string()),
                ],
            ),
        ))
        .chain(m.compensation.by_outcome_pence.iter().map(|(k, p)| {
            (
                with(
                    "report-where-outcome",
                    "outcome",
                    w.choice("outcome", k).to_lowercase(),
                ),
                money(*p),
            )
        }))
        .chain(
            m.compensation
                .by_service_area_pence
                .iter()
                .map(|(k, p)| (with("report-in-area", "area", k.clone()), money(*p))),
        )
        .collect(),
    });
    let satisfied = |part: u32, whole: u32, p: Option<f64>| {
        format!("{} ({})", w.pct(p, "report-no-answers"), w.of(part, whole))
    };
    let mut satisfaction = Vec::new();
    for (s, sat) in &m.satisfaction_by_stage {
        satisfaction.push((
            stage(w, "report-satisfied-handling", *s),
            satisfied(sat.satisfied_with_handling, sat.responses, sat.handling_pct),
        ));
        satisfaction.push((
            stage(w, "report-satisfied-outcome", *s),
            satisfied(
                sat.satisfied_with_outcome,
                sat.outcome_answers,
                sat.outcome_pct,
            ),
        ));
    }
    for (k, sat) in &m.satisfaction_by_outcome {
        satisfaction.push((
            with(
                "report-satisfied-where",
                "outcome",
                w.choice("outcome", k).to_lowercase(),
            ),
            format!(
                "{} / {}",
                satisfied(sat.satisfied_with_handling, sat.responses, sat.handling_pct),
                satisfied(
                    sat.satisfied_with_outcome,
                    sat.outcome_answers,
                    sat.outcome_pct
                )
            ),
        ));
    }
    if m.feedback.responses > 0 {
        satisfaction.push((
            w.t("report-satisfied-feedback"),
            satisfied(
                m.feedback.satisfied_with_handling,
                m.feedback.responses,
                m.feedback.handling_pct,
            ),
        ));
    }
    satisfaction.push((w.t("report-survey-follow-ups"), count(m.survey_follow_ups)));
    satisfaction.push((
        w.t("report-compliments-passed-on"),
        count(m.compliments_passed_on),
    ));
    out.push(Section {
        title: w.t("report-satisfaction"),
        rows: satisfaction,
    });
    out.push(Section {
        title: w.t("report-learning"),
        rows: std::iter::once((
            w.t("report-improvements-made"),
            count(m.improvements_implemented),
        ))
        .chain(m.root_causes.iter().map(|(k, n)| {
            (
                with("report-root-cause", "cause", w.choice("cause", k)),
                count(*n),
            )
        }))
        .collect(),
    });
    out.push(Section {
        title: w.t("report-channels"),
        rows: m
            .channels
            .iter()
            .map(|(k, n)| (w.choice("channel", k), count(*n)))
            .collect(),
    });
    out.push(who_complains(m, profile, w));
    out.retain(|s| !s.rows.is_empty());
    out
}

/// Who complained, against the customer profile; nothing for small numbers.
pub(crate) fn who_complains(m: &Measures, profile: &Profile, w: Words) -> Section {
    let mut rows = Vec::new();
    if m.monitoring_answers < redress_domain::equality::MIN_ANSWERS {
        if m.new_complaints > 0 {
            rows.push((
                w.t("report-monitoring"),
                w.tf(
                    "report-monitoring-few",
                    &[
                        ("answered", m.monitoring_answers.to_string()),
                        ("least", redress_domain::equality::MIN_ANSWERS.to_string()),
                    ],
                ),
            ));
        }
    } else {
        for (q, _, answers) in redress_domain::equality::questions() {
            let Some(counts) = m.who_complains.get(q) else {
                continue;
            };
            let answered: u32 = counts.values().sum();
            for (a, _) in answers {
                let n = counts.get(a).copied().unwrap_or(0);
                let share = format!("{:.1}%", f64::from(n) * 100.0 / f64::from(answered.max(1)));
                let figure = match profile.get(&(q.to_string(), a.to_string())) {
                    Some(p) => w.tf(
                        "report-share-against",
                        &[("share", share), ("customers", format!("{p:.1}%"))],
                    ),
                    None => w.tf("report-share", &[("share", share)]),
                };
                rows.push((
                    format!(
                        "{}: {}",
                        w.choice("question", q),
                        w.t(&format!("option-{q}-{a}"))
                    ),
                    figure,
                ));
            }
        }
    }
    Section {
        title: w.t("report-who-complains"),
        rows,
    }
}
