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
    let (scores, kept, settings, areas) = match (
        state
            .app
            .score_areas(&Principal::staff(&signed.user), year)
            .await,
        state
            .app
            .kept_scores(&Principal::staff(&signed.user), year)
            .await,
        state
            .app
            .matrix_settings(&Principal::staff(&signed.user))
            .await,
        state.app.service_areas().await,
    ) {
        (Ok(s), Ok(k), Ok(m), Ok(a)) => (s, k, m, a),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) => return error_page(state, e),
        (.., Err(e)) => return error_page(state, e),
    };
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
            kept: kept.first().map(|(_, at, by)| {
                format!(
                    "Scores kept on {} by {by}",
                    redress_domain::calendar::long_date_time(*at)
                )
            }),
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
        _ => return crate::page_not_found(&state),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/scrutiny/matrix?year={year}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            matrix_page(&state, &signed, year, form).await
        }
        Err(e) => error_page(&state, e),
    }
}
