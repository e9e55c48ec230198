//! The tables of the measures report, one section a theme, and its one chart with the data beside it.

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

pub(crate) fn pct(v: Option<f64>) -> String {
    v.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "no responses".into())
}

pub(crate) fn money(pence: i64) -> String {
    redress_domain::remedy::Pence(pence).to_string()
}

/// The measures as tables, in the order the quarterly report reads.
/// The customer profile: percentages by (question, answer).
pub(crate) type Profile = BTreeMap<(String, String), f64>;

pub(crate) fn sections(m: &Measures, profile: &Profile) -> Vec<Section> {
    let kind = label_of(redress_domain::contact::ContactKind::parse, |k| k.label());
    let channel = label_of(redress_domain::contact::Channel::parse, |k| k.label());
    let outcome = label_of(redress_domain::case::Outcome::parse, |k| k.label());
    let decline = label_of(redress_domain::case::DeclineReason::parse, |k| k.label());
    let determination = label_of(redress_domain::remedy::Determination::parse, |k| k.label());
    let count = |n: u32| n.to_string();
    let mut out = vec![Section {
        title: "Received".into(),
        rows: m
            .received_by_kind
            .iter()
            .map(|(k, n)| (format!("{}s", kind(k)), count(*n)))
            .chain([("New complaints".to_string(), count(m.new_complaints))])
            .chain(
                m.received_by_stage
                    .iter()
                    .map(|(s, n)| (format!("Taken on at stage {s}"), count(*n))),
            )
            .chain([(
                "People with more than one complaint".to_string(),
                count(m.repeat_complainants),
            )])
            .collect(),
    }];
    let mut timeliness = vec![(
        "Acknowledged on time".to_string(),
        format!("{} of {}", m.acknowledged_on_time, m.acknowledgements),
    )];
    for (stage, t) in &m.timeliness_by_stage {
        timeliness.push((format!("Stage {stage} responses"), count(t.responses)));
        timeliness.push((
            format!(
                "Stage {stage} within the Code's timescales (extensions within the Code count)"
            ),
            format!("{} ({} of {})", pct(t.on_time_pct), t.on_time, t.responses),
        ));
        timeliness.push((
            format!("Stage {stage} by the original date (no extensions)"),
            format!(
                "{} ({} of {})",
                pct(t.on_time_strict_pct),
                t.on_time_strict,
                t.responses
            ),
        ));
    }
    timeliness.push(("Extensions agreed".into(), count(m.extensions)));
    timeliness.push((
        "Extensions beyond the Code's limit".into(),
        count(m.extensions_outside_code),
    ));
    out.push(Section {
        title: "Timeliness".into(),
        rows: timeliness,
    });
    out.push(Section {
        title: match m.open_as_at {
            Some(today) => format!(
                "Open on {}, as the period has not ended",
                crate::html::long_date(today)
            ),
            None => "Open at the end of the period".into(),
        },
        rows: vec![
            ("Within target".into(), count(m.open_within_target)),
            ("Past target".into(), count(m.open_past_target)),
        ],
    });
    let average = |v: Option<f64>| {
        v.map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| "none closed".into())
    };
    out.push(Section {
        title: "Closed".into(),
        rows: vec![
            ("Closed".into(), count(m.closed)),
            (
                "Average days to close".into(),
                average(m.average_days_to_close),
            ),
            (
                "Average working days to close".into(),
                average(m.average_working_days_to_close),
            ),
            ("Withdrawn".into(), count(m.withdrawn)),
        ],
    });
    out.push(Section {
        title: "Outcomes".into(),
        rows: m
            .outcomes_by_stage
            .iter()
            .flat_map(|(stage, o)| o.iter().map(move |(k, n)| (*stage, k, *n)))
            .map(|(stage, k, n)| (format!("Stage {stage}: {}", outcome(k)), count(n)))
            .collect(),
    });
    out.push(Section {
        title: "Not taken on or not escalated".into(),
        rows: m
            .declined_by_reason
            .iter()
            .map(|(k, n)| (format!("Not taken on: {}", decline(k)), count(*n)))
            .chain([(
                "Escalation refused".to_string(),
                count(m.escalations_refused),
            )])
            .collect(),
    });
    let panel = m.tenants_panel;
    if panel.asked > 0 || panel.given > 0 {
        out.push(Section {
            title: "The Tenants Panel".into(),
            rows: vec![
                (
                    "Residents who asked for the panel's input on a stage 1 response".into(),
                    count(panel.asked),
                ),
                ("Inputs the panel gave".into(), count(panel.given)),
                (
                    "Given by the panel's target date".into(),
                    count(panel.given_on_time),
                ),
            ],
        });
    }
    out.push(Section {
        title: "The ombudsman".into(),
        rows: std::iter::once(("Referrals".to_string(), count(m.ombudsman_referrals)))
            .chain(
                m.ombudsman_determinations
                    .iter()
                    .map(|(k, n)| (format!("Determination: {}", determination(k)), count(*n))),
            )
            .collect(),
    });
    out.push(Section {
        title: "Compensation awarded".into(),
        rows: std::iter::once((
            "Total".to_string(),
            format!(
                "{} ({} payments)",
                money(m.compensation.total_pence),
                m.compensation.payments
            ),
        ))
        .chain(m.compensation.by_outcome_pence.iter().map(|(k, p)| {
            (
                format!("Where the outcome was {}", outcome(k).to_lowercase()),
                money(*p),
            )
        }))
        .chain(
            m.compensation
                .by_service_area_pence
                .iter()
                .map(|(k, p)| (format!("In {k}"), money(*p))),
        )
        .collect(),
    });
    let satisfied = |part: u32, whole: u32, p: Option<f64>| {
        format!(
            "{} ({part} of {whole})",
            pct(p).replace("no responses", "no answers")
        )
    };
    let mut satisfaction = Vec::new();
    for (stage, sat) in &m.satisfaction_by_stage {
        satisfaction.push((
            format!("Stage {stage}: satisfied with how it was handled"),
            satisfied(sat.satisfied_with_handling, sat.responses, sat.handling_pct),
        ));
        satisfaction.push((
            format!("Stage {stage}: satisfied with the outcome"),
            satisfied(
                sat.satisfied_with_outcome,
                sat.outcome_answers,
                sat.outcome_pct,
            ),
        ));
    }
    for (k, sat) in &m.satisfaction_by_outcome {
        satisfaction.push((
            format!(
                "Where the complaint was {}: satisfied with handling / outcome",
                outcome(k).to_lowercase()
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
            "Comments and compliments: satisfied with how they were dealt with".into(),
            satisfied(
                m.feedback.satisfied_with_handling,
                m.feedback.responses,
                m.feedback.handling_pct,
            ),
        ));
    }
    satisfaction.push((
        "Unhappy survey answers followed up with the person".into(),
        count(m.survey_follow_ups),
    ));
    satisfaction.push((
        "Compliments passed on to the people they praise".into(),
        count(m.compliments_passed_on),
    ));
    out.push(Section {
        title: "Satisfaction".into(),
        rows: satisfaction,
    });
    let cause = label_of(redress_domain::learning::RootCause::parse, |k| k.label());
    out.push(Section {
        title: "Learning".into(),
        rows: std::iter::once((
            "Service improvements made".to_string(),
            count(m.improvements_implemented),
        ))
        .chain(
            m.root_causes
                .iter()
                .map(|(k, n)| (format!("Root cause: {}", cause(k)), count(*n))),
        )
        .collect(),
    });
    out.push(Section {
        title: "How contacts arrived".into(),
        rows: m
            .channels
            .iter()
            .map(|(k, n)| (channel(k), count(*n)))
            .collect(),
    });
    out.push(who_complains(m, profile));
    out.retain(|s| !s.rows.is_empty());
    out
}

/// Who complained, against the customer profile; nothing for small numbers.
pub(crate) fn who_complains(m: &Measures, profile: &Profile) -> Section {
    let mut rows = Vec::new();
    if m.monitoring_answers < redress_domain::equality::MIN_ANSWERS {
        if m.new_complaints > 0 {
            rows.push((
                "Equality monitoring".to_string(),
                format!(
                    "{} complainants answered; fewer than {} are not broken down",
                    m.monitoring_answers,
                    redress_domain::equality::MIN_ANSWERS
                ),
            ));
        }
    } else {
        for (q, label, answers) in redress_domain::equality::questions() {
            let Some(counts) = m.who_complains.get(q) else {
                continue;
            };
            let answered: u32 = counts.values().sum();
            for (a, answer) in answers {
                let n = counts.get(a).copied().unwrap_or(0);
                let share = pct(Some(f64::from(n) * 100.0 / f64::from(answered.max(1))));
                let against = profile
                    .get(&(q.to_string(), a.to_string()))
                    .map(|p| format!(" (customers: {p:.1}%)"))
                    .unwrap_or_default();
                rows.push((
                    format!("{label}: {answer}"),
                    format!("{share} of those who answered{against}"),
                ));
            }
        }
    }
    Section {
        title: "Who complains".into(),
        rows,
    }
}
