//! Trends: every key measure by quarter for two years and by year for three, overall or for
//! one service area, as tables, charts with the same figures, and CSV.

use super::sections::{BAR_HEIGHT, CHART_WIDTH, Chart, ChartBar, money};
use super::words::Words;
use crate::html::FormState;
use crate::session::Reader;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::{Query, State};
use redress_app::access::Principal;
use redress_app::trends::{TrendPoint, Trends};
use redress_domain::measures::Measures;
use std::collections::BTreeMap;

/// One row of a trend table: its label's key, and how a period's figure is written.
type Row = (&'static str, fn(&Measures, Words) -> String);

/// The measures followed over time: what an audit committee compares quarter on quarter.
const ROWS: [Row; 10] = [
    ("report-new-complaints", |m, _| m.new_complaints.to_string()),
    ("report-trend-escalated", |m, _| {
        m.received_by_stage
            .get(&2)
            .copied()
            .unwrap_or(0)
            .to_string()
    }),
    ("report-trend-stage-1-responses", |m, _| {
        responses(m, 1).to_string()
    }),
    ("report-trend-stage-1-on-time", |m, w| {
        w.pct(on_time(m, 1), "report-no-responses")
    }),
    ("report-trend-stage-2-responses", |m, _| {
        responses(m, 2).to_string()
    }),
    ("report-trend-stage-2-on-time", |m, w| {
        w.pct(on_time(m, 2), "report-no-responses")
    }),
    ("report-closed", |m, _| m.closed.to_string()),
    ("report-average-working-days", |m, w| {
        m.average_working_days_to_close
            .map_or_else(|| w.t("report-none-closed"), |d| format!("{d:.1}"))
    }),
    ("report-trend-compensation", |m, _| {
        money(m.compensation.total_pence)
    }),
    ("report-trend-satisfied-stage-1", |m, w| {
        w.pct(
            m.satisfaction_by_stage.get(&1).and_then(|s| s.handling_pct),
            "report-no-answers",
        )
    }),
];

fn responses(m: &Measures, stage: u8) -> u32 {
    m.timeliness_by_stage.get(&stage).map_or(0, |t| t.responses)
}

fn on_time(m: &Measures, stage: u8) -> Option<f64> {
    m.timeliness_by_stage
        .get(&stage)
        .and_then(|t| t.on_time_pct)
}

/// A table with a column for each period and a row for each measure.
pub(crate) struct TrendTable {
    pub(crate) caption: String,
    pub(crate) periods: Vec<String>,
    pub(crate) rows: Vec<(String, Vec<String>)>,
    pub(crate) chart: Chart,
}

/// A period's name: "Q1 2025/26" reads "Ch1 2025/26" in Welsh.
fn label(p: &TrendPoint, w: Words) -> String {
    let name = match p.label.strip_prefix('Q') {
        Some(rest) => w.tf("report-quarter", &[("rest", rest.to_string())]),
        None => p.label.clone(),
    };
    if p.to_date {
        w.tf("report-to-date", &[("period", name)])
    } else {
        name
    }
}

pub(crate) fn table(id: &str, caption: &str, points: &[TrendPoint], w: Words) -> TrendTable {
    let max = points
        .iter()
        .map(|p| p.measures.new_complaints)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, p)| ChartBar {
            label: label(p, w),
            value: p.measures.new_complaints,
            y: u32::try_from(i).unwrap_or(0) * BAR_HEIGHT,
            width: p.measures.new_complaints.saturating_mul(CHART_WIDTH) / max,
        })
        .collect::<Vec<_>>();
    TrendTable {
        caption: caption.to_string(),
        periods: points.iter().map(|p| label(p, w)).collect(),
        rows: ROWS
            .iter()
            .map(|(key, value)| {
                (
                    w.t(key),
                    points.iter().map(|p| value(&p.measures, w)).collect(),
                )
            })
            .collect(),
        chart: Chart {
            id: format!("{id}-chart"),
            title: w.tf("report-trend-chart", &[("caption", caption.to_lowercase())]),
            height: u32::try_from(bars.len()).unwrap_or(0) * BAR_HEIGHT,
            bars,
        },
    }
}

#[derive(Template)]
#[template(path = "trends.html")]
struct TrendsPage {
    layout: Layout,
    form: FormState,
    areas: crate::forms::Options,
    heading: String,
    tables: Vec<TrendTable>,
    csv_href: String,
}

async fn trends_for(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    q: &BTreeMap<String, String>,
) -> Result<Trends, redress_app::AppError> {
    state
        .app
        .trends(
            &Principal::staff(&signed.user),
            q.get("service_area").map(String::as_str),
        )
        .await
}

pub(crate) async fn trends_page(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let trends = trends_for(&state, &signed, &q).await?;
    let heading = match &trends.service_area {
        Some(a) => format!("Trends: {a}"),
        None => "Trends".to_string(),
    };
    let area = q.get("service_area").cloned().unwrap_or_default();
    let csv_href = if area.is_empty() {
        "/staff/reports/trends.csv".to_string()
    } else {
        format!(
            "/staff/reports/trends.csv?{}",
            serde_urlencoded::to_string([("service_area", &area)]).unwrap_or_default()
        )
    };
    let form = FormState {
        values: q,
        ..Default::default()
    };
    Ok(render(
        axum::http::StatusCode::OK,
        &TrendsPage {
            layout: Layout::staff(&state, &signed, &heading, &form),
            areas: std::iter::once((String::new(), "All service areas".to_string()))
                .chain(
                    state
                        .app
                        .service_areas()
                        .await?
                        .into_iter()
                        .map(|a| (a.id, a.name)),
                )
                .collect(),
            form,
            tables: vec![
                table("quarters", "By quarter", &trends.quarters, Words::ENGLISH),
                table("years", "By financial year", &trends.years, Words::ENGLISH),
            ],
            heading,
            csv_href,
        },
    ))
}

pub(crate) async fn trends_csv(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let trends = trends_for(&state, &signed, &q).await?;
    let mut header = vec!["period", "from", "to", "to_date"];
    let names: Vec<String> = ROWS.iter().map(|(key, _)| Words::ENGLISH.t(key)).collect();
    header.extend(names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = trends
        .quarters
        .iter()
        .chain(&trends.years)
        .map(|p| {
            let mut row = vec![
                p.label.clone(),
                p.period.from.to_string(),
                p.period.to.to_string(),
                if p.to_date { "yes" } else { "no" }.to_string(),
            ];
            row.extend(
                ROWS.iter()
                    .map(|(_, value)| value(&p.measures, Words::ENGLISH)),
            );
            row
        })
        .collect();
    Ok(crate::download::csv("trends.csv", &header, &rows))
}
