//! The scoring matrix: every business area scored from live figures, the team's own figures, and the scores kept with their evidence.

use super::programme::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/scrutiny/matrix", get(matrix))
        .route("/staff/scrutiny/matrix/{form}", post(matrix_post))
}
use crate::html::FormState;
use crate::session::Scrutineer;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::measures::Period;
use redress_domain::scrutiny::matrix::{Criterion, MatrixSettings};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "scrutiny_matrix.html")]
pub(crate) struct MatrixPage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) year: i16,
    pub(crate) year_label: String,
    pub(crate) headings: Vec<String>,
    pub(crate) rows: Vec<ScoreRow>,
    pub(crate) kept: Option<String>,
    /// Earlier keepings of the year's scores: (when and by whom, the ranking in words).
    pub(crate) earlier: Vec<(String, String)>,
    /// Changes to criteria, weights, stages and figures: (when, who, what it became).
    pub(crate) changes: Vec<(String, String, String)>,
    pub(crate) areas: crate::forms::Options,
    pub(crate) criteria: crate::forms::Options,
    pub(crate) settings: Vec<(String, String, String, String, String)>,
    pub(crate) can_change: bool,
    pub(crate) csrf: String,
}

pub(crate) async fn matrix_page(
    state: &AppState,
    signed: &Signed,
    year: i16,
    mut form: FormState,
) -> Response {
    let who = Principal::staff(&signed.user);
    let (scores, versions, settings, areas, changes) = match (
        state.app.score_areas(&who, year).await,
        state.app.score_versions(&who, year).await,
        state.app.matrix_settings(&who).await,
        state.app.service_areas().await,
        state.app.scrutiny_changes(&who).await,
    ) {
        (Ok(s), Ok(k), Ok(m), Ok(a), Ok(c)) => (s, k, m, a, c),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), ..) => return error_page(e),
        (_, _, _, Err(e), _) | (.., Err(e)) => return error_page(e),
    };
    let area_name = |id: &str| {
        areas
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let changes = changes
        .iter()
        .map(|c| {
            (
                redress_domain::calendar::long_date_time(c.at),
                c.by.clone(),
                describe_change(c, &area_name),
            )
        })
        .collect();
    let kept = versions.first().map(|v| {
        format!(
            "Scores kept on {} by {}",
            redress_domain::calendar::long_date_time(v.at),
            v.by
        )
    });
    let earlier = versions
        .iter()
        .skip(1)
        .map(|v| {
            (
                format!(
                    "Kept on {} by {}",
                    redress_domain::calendar::long_date_time(v.at),
                    v.by
                ),
                v.scores
                    .iter()
                    .map(|s| format!("{} {}", s.area, s.total))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    fill_settings(&mut form, &settings);
    render(
        form.status(),
        &MatrixPage {
            layout: Layout::staff(state, signed, "Scoring matrix", &form),
            year,
            year_label: Period::financial_year_label(year),
            headings: Criterion::ALL
                .iter()
                .map(|c| c.label().to_string())
                .collect(),
            rows: score_rows(&scores),
            kept,
            earlier,
            changes,
            areas: areas.into_iter().map(|a| (a.id, a.name)).collect(),
            criteria: Criterion::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), c.label().to_string()))
                .collect(),
            settings: Criterion::ALL
                .iter()
                .map(|c| {
                    (
                        c.label().to_string(),
                        format!("weight_{}", c.as_str()),
                        format!("edges_{}", c.as_str()),
                        format!("Weight for {}", c.label().to_lowercase()),
                        format!("Band edges for {}", c.label().to_lowercase()),
                    )
                })
                .collect(),
            can_change: may_change(signed),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

/// A change to scrutiny's settings or figures in words.
fn describe_change(
    c: &redress_store::ScrutinyChange,
    area_name: &dyn Fn(&str) -> String,
) -> String {
    match c.what.as_str() {
        "matrix" => match serde_json::from_str::<MatrixSettings>(&c.value) {
            Ok(m) => format!("Bands and weights set: {}", m.describe()),
            Err(_) => "Bands and weights set".into(),
        },
        "stages" => format!(
            "Exercise stages set: {}",
            c.value
                .lines()
                .enumerate()
                .map(|(i, s)| format!("{}. {s}", i + 1))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        _ => {
            let v: serde_json::Value = serde_json::from_str(&c.value).unwrap_or_default();
            let criterion = v["criterion"]
                .as_str()
                .and_then(|c| Criterion::parse(c).ok())
                .map(|c| c.label().to_string())
                .unwrap_or_default();
            format!(
                "Figure for {}, {}. {}: {} (from {})",
                c.area_id.as_deref().map(area_name).unwrap_or_default(),
                c.year.map(Period::financial_year_label).unwrap_or_default(),
                criterion,
                v["value"]
                    .as_f64()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "removed".into()),
                v["evidence"].as_str().unwrap_or("")
            )
        }
    }
}

/// Shows the current settings in the settings form, unless the form is being re-shown.
pub(crate) fn fill_settings(form: &mut FormState, settings: &MatrixSettings) {
    for c in Criterion::ALL {
        let band = settings.band(*c);
        form.values
            .entry(format!("weight_{}", c.as_str()))
            .or_insert_with(|| band.weight.to_string());
        form.values
            .entry(format!("edges_{}", c.as_str()))
            .or_insert_with(|| {
                band.edges
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
    }
    form.values
        .entry("points_per_call".into())
        .or_insert_with(|| settings.points_per_call.to_string());
}

pub(crate) async fn matrix(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let year = year_of(&state, &q);
    matrix_page(&state, &signed, year, FormState::default()).await
}

pub(crate) async fn matrix_post(
    State(state): State<AppState>,
    Path(which): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::DecideScrutiny>,
) -> Response {
    let year = year_of(&state, &q);
    let result = match which.as_str() {
        "settings" => {
            state
                .app
                .save_matrix_settings(&Principal::staff(&signed.user), &form.values)
                .await
        }
        "figures" => {
            state
                .app
                .enter_figure(
                    &Principal::staff(&signed.user),
                    year,
                    form.v("area"),
                    form.v("criterion"),
                    form.v("value"),
                    form.v("evidence"),
                )
                .await
        }
        "keep" => state
            .app
            .keep_scores(&Principal::staff(&signed.user), year)
            .await
            .map(drop),
        _ => return crate::page_not_found(),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/scrutiny/matrix?year={year}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            matrix_page(&state, &signed, year, form).await
        }
        Err(e) => error_page(e),
    }
}
