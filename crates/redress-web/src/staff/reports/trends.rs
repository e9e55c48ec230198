//! Trends: every key measure by quarter for two years and by year for three, overall or for
//! one service area, as tables, charts with the same figures, and CSV.

use super::sections::{BAR_HEIGHT, CHART_WIDTH, Chart, ChartBar, money, pct};
use crate::html::FormState;
use crate::session::Reader;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::{Query, State};
use redress_app::access::Principal;
use redress_app::trends::{TrendPoint, Trends};
use redress_domain::measures::Measures;
use std::collections::BTreeMap;

/// One row of a trend table: its name, and how a period's figure is written.
type Row = (&'static str, fn(&Measures) -> String);

/// The measures followed over time: what an audit committee compares quarter on quarter.
const ROWS: [Row; 10] = [
    ("New complaints", |m| m.new_complaints.to_string()),
    ("Escalated to stage 2", |m| {
        m.received_by_stage
            .get(&2)
            .copied()
            .unwrap_or(0)
            .to_string()
    }),
    ("Stage 1 responses", |m| responses(m, 1).to_string()),
    ("Stage 1 on time", |m| pct(on_time(m, 1))),
    ("Stage 2 responses", |m| responses(m, 2).to_string()),
    ("Stage 2 on time", |m| pct(on_time(m, 2))),
    ("Closed", |m| m.closed.to_string()),
    ("Average working days to close", |m| {
        m.average_working_days_to_close
            .map_or("none closed".into(), |d| format!("{d:.1}"))
    }),
    ("Compensation agreed", |m| money(m.compensation.total_pence)),
    ("Satisfied with handling at stage 1", |m| {
        m.satisfaction_by_stage
            .get(&1)
            .and_then(|s| s.handling_pct)
            .map_or("no answers".into(), |p| format!("{p:.1}%"))
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

fn label(p: &TrendPoint) -> String {
    if p.to_date {
        format!("{} (to date)", p.label)
    } else {
        p.label.clone()
    }
}

pub(crate) fn table(id: &str, caption: &str, points: &[TrendPoint]) -> TrendTable {
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
            label: label(p),
            value: p.measures.new_complaints,
            y: u32::try_from(i).unwrap_or(0) * BAR_HEIGHT,
            width: p.measures.new_complaints.saturating_mul(CHART_WIDTH) / max,
        })
        .collect::<Vec<_>>();
    TrendTable {
        caption: caption.to_string(),
        periods: points.iter().map(label).collect(),
        rows: ROWS
            .iter()
            .map(|(name, value)| {
                (
                    (*name).to_string(),
                    points.iter().map(|p| value(&p.measures)).collect(),
                )
            })
            .collect(),
        chart: Chart {
            id: format!("{id}-chart"),
            title: format!("New complaints, {}", caption.to_lowercase()),
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
                table("quarters", "By quarter", &trends.quarters),
                table("years", "By financial year", &trends.years),
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
    header.extend(ROWS.iter().map(|(name, _)| *name));
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
            row.extend(ROWS.iter().map(|(_, value)| value(&p.measures)));
            row
        })
        .collect();
    Ok(crate::download::csv("trends.csv", &header, &rows))
}
