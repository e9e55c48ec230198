//! Reports people read: the performance measures for a period and the Tenant Satisfaction
//! Measures for a year, as tables, one accessible chart with its data, and CSV.

use crate::html::{FormState, long_date};
use crate::session::Reader;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::measures::{Measures, Period, Tsm};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/reports", get(index))
        .route("/staff/reports/measures.csv", get(measures_csv))
        .route("/staff/reports/tsm", get(tsm_page))
        .route("/staff/reports/open", get(open_page))
        .route("/staff/reports/open.csv", get(open_csv))
        .route("/staff/reports/benchmark.json", get(benchmark_json))
        .route("/staff/reports/compare", get(compare_form).post(compare))
}

/// One table of a report: a heading and its rows of label and value.
pub(crate) struct Section {
    pub(crate) title: String,
    pub(crate) rows: Vec<(String, String)>,
}

/// A horizontal bar chart drawn as SVG, described for screen readers, with the same
/// numbers in a table beside it.
pub(crate) struct Chart {
    id: String,
    title: String,
    bars: Vec<ChartBar>,
    height: u32,
}

pub(crate) struct ChartBar {
    label: String,
    value: u32,
    y: u32,
    width: u32,
}

const BAR_HEIGHT: u32 = 28;
const CHART_WIDTH: u32 = 360;

fn chart(
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

fn label_of<T: Copy>(
    parse: fn(&str) -> Result<T, String>,
    name: fn(T) -> &'static str,
) -> impl Fn(&str) -> String {
    move |k: &str| parse(k).map(name).unwrap_or(k).to_string()
}

fn pct(v: Option<f64>) -> String {
    v.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "no responses".into())
}

fn money(pence: i64) -> String {
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
        title: "Open at the end of the period".into(),
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
fn who_complains(m: &Measures, profile: &Profile) -> Section {
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

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    layout: Layout,
    form: FormState,
    areas: crate::forms::Options,
    quick: Vec<(String, String)>,
    heading: String,
    sections: Vec<Section>,
    chart: Chart,
    csv_href: String,
    benchmark_href: String,
    tsm_year: i16,
}

fn query_of(q: &BTreeMap<String, String>) -> String {
    let pairs: Vec<(&String, &String)> = q
        .iter()
        .filter(|(k, _)| ["from", "to", "service_area"].contains(&k.as_str()))
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

async fn chosen(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    q: &BTreeMap<String, String>,
) -> Result<(Period, Measures), AppError> {
    let today = state.app.today();
    let this_year =
        Period::financial_year(Period::financial_year_of(today)).map_err(AppError::Internal)?;
    let period = match (q.get("from"), q.get("to")) {
        (Some(from), Some(to)) => redress_app::reports::parse_period(from, to)?,
        _ => Period::new(this_year.from, today.min(this_year.to)).map_err(AppError::Internal)?,
    };
    let m = state
        .app
        .measures(
            &Principal::staff(&signed.user),
            period,
            q.get("service_area").map(String::as_str),
        )
        .await?;
    Ok((period, m))
}

async fn index(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(&state, e),
    };
    let mut form = FormState {
        values: q.clone(),
        ..Default::default()
    };
    let (period, m) = match chosen(&state, &signed, &q).await {
        Ok(x) => x,
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            let today = state.app.today();
            match Period::financial_year(Period::financial_year_of(today))
                .and_then(|y| Period::new(y.from, today.min(y.to)))
            {
                Ok(p) => match state
                    .app
                    .measures(&Principal::staff(&signed.user), p, None)
                    .await
                {
                    Ok(m) => (p, m),
                    Err(e) => return error_page(&state, e),
                },
                Err(e) => return error_page(&state, AppError::Internal(e)),
            }
        }
        Err(e) => return error_page(&state, e),
    };
    let profile = match state.app.customer_profile().await {
        Ok(p) => p,
        Err(e) => return error_page(&state, e),
    };
    form.values
        .entry("from".into())
        .or_insert(period.from.to_string());
    form.values
        .entry("to".into())
        .or_insert(period.to.to_string());
    let year = Period::financial_year_of(state.app.today());
    let mut quick = Vec::new();
    for (label, p) in [
        (
            Period::financial_year_label(year),
            Period::financial_year(year),
        ),
        (
            Period::financial_year_label(year - 1),
            Period::financial_year(year - 1),
        ),
    ]
    .into_iter()
    .chain((1..=4).map(|n| {
        (
            format!("Quarter {n} of {}", Period::financial_year_label(year)),
            Period::quarter(year, n),
        )
    })) {
        if let Ok(p) = p {
            quick.push((format!("/staff/reports?from={}&to={}", p.from, p.to), label));
        }
    }
    let channel = label_of(redress_domain::contact::Channel::parse, |k| k.label());
    let heading = match &m.service_area {
        Some(area) => format!(
            "{area}: {} to {}",
            long_date(period.from),
            long_date(period.to)
        ),
        None => format!("{} to {}", long_date(period.from), long_date(period.to)),
    };
    render(
        form.status(),
        &ReportsPage {
            layout: Layout::staff(&state, &signed, "Reports", &form),
            areas: std::iter::once((String::new(), "All service areas".to_string()))
                .chain(areas.iter().map(|a| (a.id.clone(), a.name.clone())))
                .collect(),
            quick,
            heading,
            sections: sections(&m, &profile),
            chart: chart("channels", "How contacts arrived", &m.channels, &channel),
            csv_href: format!("/staff/reports/measures.csv?{}", query_of(&form.values)),
            benchmark_href: format!("/staff/reports/benchmark.json?{}", query_of(&form.values)),
            tsm_year: Period::financial_year_of(period.to),
            form,
        },
    )
}

async fn measures_csv(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let (period, m) = match chosen(&state, &signed, &q).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, e),
    };
    let profile = match state.app.customer_profile().await {
        Ok(p) => p,
        Err(e) => return error_page(&state, e),
    };
    let rows: Vec<Vec<String>> = sections(&m, &profile)
        .into_iter()
        .flat_map(|s| {
            let title = s.title;
            s.rows
                .into_iter()
                .map(move |(label, value)| vec![title.clone(), label, value])
        })
        .collect();
    crate::download::csv(
        &format!("measures-{}-{}.csv", period.from, period.to),
        &["section", "measure", "value"],
        &rows,
    )
}

#[derive(Template)]
#[template(path = "tsm.html")]
struct TsmPage {
    layout: Layout,
    form: FormState,
    title: String,
    ch01: TsmRows,
    ch02: TsmRows,
    homes: Vec<(String, String)>,
    no_homes: bool,
}

/// Rows of a TSM table: the measure, the figure, and the counts it is made of.
pub(crate) type TsmRows = Vec<(String, String, String)>;

pub(crate) fn tsm_rows(t: &Tsm) -> (TsmRows, TsmRows) {
    let per = |v: Option<f64>| {
        v.map(|x| format!("{x:.1}"))
            .unwrap_or_else(|| "no homes recorded".into())
    };
    let tenure = label_of(redress_domain::organisation::Tenure::parse, |k| k.label());
    let mut ch01 = vec![
        (
            "CH01 stage 1 complaints per 1,000 homes".to_string(),
            per(t.ch01_stage1_per_1000),
            format!(
                "{} complaints, {} homes",
                t.stage1_complaints, t.homes_total
            ),
        ),
        (
            "CH01 stage 2 complaints per 1,000 homes".to_string(),
            per(t.ch01_stage2_per_1000),
            format!(
                "{} complaints, {} homes",
                t.stage2_complaints, t.homes_total
            ),
        ),
    ];
    for (k, v) in &t.ch01_stage1_per_1000_by_tenure {
        ch01.push((
            format!("Stage 1 per 1,000 homes: {}", tenure(k)),
            format!("{v:.1}"),
            format!(
                "{} complaints",
                t.stage1_complaints_by_tenure.get(k).copied().unwrap_or(0)
            ),
        ));
    }
    for (k, v) in &t.ch01_stage2_per_1000_by_tenure {
        ch01.push((
            format!("Stage 2 per 1,000 homes: {}", tenure(k)),
            format!("{v:.1}"),
            format!(
                "{} complaints",
                t.stage2_complaints_by_tenure.get(k).copied().unwrap_or(0)
            ),
        ));
    }
    let ch02 = vec![
        (
            "CH02 stage 1 responses within the Code's timescales".to_string(),
            pct(t.ch02_stage1_pct),
            format!(
                "{} of {} (extensions within the Code count as on time)",
                t.stage1_on_time, t.stage1_responses
            ),
        ),
        (
            "CH02 stage 1, strict reading".to_string(),
            pct(t.ch02_stage1_pct_strict),
            format!(
                "{} of {} (only by the original date)",
                t.stage1_on_time_strict, t.stage1_responses
            ),
        ),
        (
            "CH02 stage 2 responses within the Code's timescales".to_string(),
            pct(t.ch02_stage2_pct),
            format!(
                "{} of {} (extensions within the Code count as on time)",
                t.stage2_on_time, t.stage2_responses
            ),
        ),
        (
            "CH02 stage 2, strict reading".to_string(),
            pct(t.ch02_stage2_pct_strict),
            format!(
                "{} of {} (only by the original date)",
                t.stage2_on_time_strict, t.stage2_responses
            ),
        ),
    ];
    (ch01, ch02)
}

async fn tsm_page(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut form = FormState {
        values: q.clone(),
        ..Default::default()
    };
    let default_year = Period::financial_year_of(state.app.today()) - 1;
    let year = match q.get("year") {
        Some(raw) => match redress_app::reports::parse_year(raw) {
            Ok(y) => y,
            Err(AppError::Invalid(e)) => {
                form.errors = e;
                default_year
            }
            Err(e) => return error_page(&state, e),
        },
        None => default_year,
    };
    form.values.entry("year".into()).or_insert(year.to_string());
    let t = match state.app.tsm(&Principal::staff(&signed.user), year).await {
        Ok(t) => t,
        Err(e) => return error_page(&state, e),
    };
    let tenure = label_of(redress_domain::organisation::Tenure::parse, |k| k.label());
    let (ch01, ch02) = tsm_rows(&t);
    render(
        form.status(),
        &TsmPage {
            layout: Layout::staff(&state, &signed, "Tenant Satisfaction Measures", &form),
            title: format!(
                "Tenant Satisfaction Measures {}",
                Period::financial_year_label(year)
            ),
            no_homes: t.homes_total == 0,
            homes: t
                .homes
                .iter()
                .map(|(k, v)| (tenure(k), v.to_string()))
                .collect(),
            ch01,
            ch02,
            form,
        },
    )
}

async fn benchmark_json(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let (period, _) = match chosen(&state, &signed, &q).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, e),
    };
    match state
        .app
        .benchmark(&Principal::staff(&signed.user), period)
        .await
    {
        Ok(b) => crate::download::attachment(
            "application/json",
            &format!("benchmark-{}-{}.json", period.from, period.to),
            serde_json::to_string_pretty(&b).unwrap_or_default(),
        ),
        Err(e) => error_page(&state, e),
    }
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    layout: Layout,
    form: FormState,
    csrf: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
}

fn compare_page(
    state: &AppState,
    signed: &Signed,
    form: FormState,
    benchmarks: &[redress_domain::benchmark::Benchmark],
) -> Response {
    let columns = benchmarks
        .iter()
        .map(|b| {
            format!(
                "{} ({} to {})",
                b.organisation,
                long_date(b.from),
                long_date(b.to)
            )
        })
        .collect();
    let rows = redress_domain::benchmark::FIGURES
        .iter()
        .map(|(key, label)| {
            (
                label.to_string(),
                benchmarks
                    .iter()
                    .map(|b| match b.figures.get(*key).copied().flatten() {
                        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
                        Some(v) => format!("{v:.1}"),
                        None => "–".into(),
                    })
                    .collect(),
            )
        })
        .collect();
    render(
        form.status(),
        &ComparePage {
            layout: Layout::staff(state, signed, "Compare with other organisations", &form),
            csrf: signed.csrf_token.clone(),
            columns,
            rows,
            form,
        },
    )
}

async fn compare_form(State(state): State<AppState>, Reader(signed): Reader) -> Response {
    compare_page(&state, &signed, FormState::default(), &[])
}

/// Shows this organisation's figures beside those in an uploaded benchmark file, for
/// the period the file covers.
async fn compare(
    State(state): State<AppState>,
    Reader(signed): Reader,
    headers: axum::http::HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let (mut form, file) = crate::forms::read_upload(&mut multipart).await;
    if let Err(r) = crate::session::require(
        &state,
        &signed,
        redress_domain::role::Permission::ViewReports,
        Some((&headers, &form.values)),
    ) {
        return r;
    }
    let text = file
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    if text.trim().is_empty() {
        form.errors.add("file", "Select a benchmark file (JSON)");
        return compare_page(&state, &signed, form, &[]);
    }
    let theirs = match redress_domain::benchmark::Benchmark::parse_file(&text) {
        Ok(b) => b,
        Err(m) => {
            form.errors.add("file", m);
            return compare_page(&state, &signed, form, &[]);
        }
    };
    let first = &theirs[0];
    let period = match Period::new(first.from, first.to) {
        Ok(p) => p,
        Err(m) => {
            form.errors.add("file", m);
            return compare_page(&state, &signed, form, &[]);
        }
    };
    let ours = match state
        .app
        .benchmark(&Principal::staff(&signed.user), period)
        .await
    {
        Ok(b) => b,
        Err(e) => return error_page(&state, e),
    };
    let all: Vec<_> = std::iter::once(ours).chain(theirs).collect();
    compare_page(&state, &signed, form, &all)
}

/// Open complaints in bands of risk, for management meetings.
struct Band {
    title: String,
    rows: Vec<OpenRow>,
}

struct OpenRow {
    reference: String,
    stage: u8,
    service_area: String,
    handler: Option<String>,
    respond_by: String,
    working_days_left: i64,
}

#[derive(Template)]
#[template(path = "open_complaints.html")]
struct OpenPage {
    layout: Layout,
    bands: Vec<Band>,
    total: usize,
    links: bool,
}

async fn open_csv(State(state): State<AppState>, Reader(signed): Reader) -> Response {
    match state
        .app
        .open_complaints(&Principal::staff(&signed.user))
        .await
    {
        Ok(open) => crate::download::csv(
            &format!("open-complaints-{}.csv", state.app.today()),
            &[
                "reference",
                "stage",
                "service_area",
                "handled_by",
                "respond_by",
                "working_days_left",
            ],
            &open
                .into_iter()
                .map(|o| {
                    vec![
                        o.reference,
                        o.stage.to_string(),
                        o.service_area,
                        o.handler.unwrap_or_default(),
                        o.respond_by.to_string(),
                        o.working_days_left.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => error_page(&state, e),
    }
}

async fn open_page(State(state): State<AppState>, Reader(signed): Reader) -> Response {
    let open = match state
        .app
        .open_complaints(&Principal::staff(&signed.user))
        .await
    {
        Ok(o) => o,
        Err(e) => return error_page(&state, e),
    };
    let total = open.len();
    let mut bands = vec![
        Band {
            title: "Past the response date".into(),
            rows: Vec::new(),
        },
        Band {
            title: "Due within 2 working days".into(),
            rows: Vec::new(),
        },
        Band {
            title: "Due within 5 working days".into(),
            rows: Vec::new(),
        },
        Band {
            title: "Due later".into(),
            rows: Vec::new(),
        },
    ];
    for o in open {
        let band = match o.working_days_left {
            d if d < 0 => 0,
            0..=2 => 1,
            3..=5 => 2,
            _ => 3,
        };
        if let Some(b) = bands.get_mut(band) {
            b.rows.push(OpenRow {
                respond_by: long_date(o.respond_by),
                reference: o.reference,
                stage: o.stage,
                service_area: o.service_area,
                handler: o.handler,
                working_days_left: o.working_days_left,
            });
        }
    }
    render(
        StatusCode::OK,
        &OpenPage {
            layout: Layout::staff(
                &state,
                &signed,
                "Open complaints by risk of breach",
                &FormState::default(),
            ),
            bands,
            total,
            links: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewCases),
        },
    )
}
