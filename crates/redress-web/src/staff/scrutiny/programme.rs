//! The scoring matrix and the annual programme of scrutiny exercises: the team scores
//! every business area from live figures, keeps the scores with their evidence, chooses
//! the year's areas from the ranking and runs each exercise through its 13 stages to an
//! action plan monitored to completion.

use crate::html::{FormState, long_date};
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
use redress_domain::role::Permission;
use redress_domain::scrutiny::matrix::{AreaScore, Criterion, MatrixSettings};
use redress_domain::scrutiny::programme::{Exercise, programme_warning};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/scrutiny/matrix", get(matrix))
        .route("/staff/scrutiny/matrix/{form}", post(matrix_post))
        .route("/staff/scrutiny/programme", get(programme))
        .route("/staff/scrutiny/programme/{form}", post(programme_post))
        .route("/staff/scrutiny/exercises/{id}", get(exercise))
        .route(
            "/staff/scrutiny/exercises/{id}/{change}",
            post(exercise_post),
        )
}

/// Scoring and the programme are the team's own acts (complaints officers may record them
/// for it); staff who only support requesters read them.
fn may_change(signed: &Signed) -> bool {
    signed.user.role.can(Permission::DecideScrutiny)
}

fn year_of(state: &AppState, q: &BTreeMap<String, String>) -> i16 {
    q.get("year")
        .and_then(|y| y.parse::<i16>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| Period::financial_year_of(state.app.today()))
}

struct ScoreRow {
    rank: usize,
    area_id: String,
    area: String,
    cells: Vec<String>,
    calls: String,
    total: u32,
    evidence: Vec<String>,
}

fn score_rows(scores: &[AreaScore]) -> Vec<ScoreRow> {
    scores
        .iter()
        .enumerate()
        .map(|(i, s)| ScoreRow {
            rank: i + 1,
            area_id: s.area_id.clone(),
            area: s.area.clone(),
            cells: Criterion::ALL
                .iter()
                .map(|c| match s.lines.iter().find(|l| l.criterion == *c) {
                    Some(l) => match l.value {
                        Some(v) => format!("{v} ({} pts)", l.points),
                        None => "–".into(),
                    },
                    None => "–".into(),
                })
                .collect(),
            calls: format!("{} ({} pts)", s.accepted_calls, s.call_points),
            total: s.total,
            evidence: s
                .lines
                .iter()
                .map(|l| {
                    format!(
                        "{}: {} ({})",
                        l.criterion.label(),
                        l.evidence,
                        l.source.label()
                    )
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "scrutiny_matrix.html")]
struct MatrixPage {
    layout: Layout,
    form: FormState,
    year: i16,
    year_label: String,
    headings: Vec<String>,
    rows: Vec<ScoreRow>,
    kept: Option<String>,
    areas: crate::forms::Options,
    criteria: crate::forms::Options,
    settings: Vec<(String, String, String, String, String)>,
    can_change: bool,
    csrf: String,
}

async fn matrix_page(
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
fn fill_settings(form: &mut FormState, settings: &MatrixSettings) {
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

async fn matrix(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let year = year_of(&state, &q);
    matrix_page(&state, &signed, year, FormState::default()).await
}

async fn matrix_post(
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

struct ExerciseRow {
    id: String,
    area: String,
    stage: String,
    overdue: usize,
    complete: bool,
}

#[derive(Template)]
#[template(path = "scrutiny_programme.html")]
struct ProgrammePage {
    layout: Layout,
    form: FormState,
    year: i16,
    year_label: String,
    warning: Option<String>,
    ranking: Vec<ScoreRow>,
    ranking_kept: bool,
    chosen: Vec<ExerciseRow>,
    can_change: bool,
    csrf: String,
}

async fn programme_page(
    state: &AppState,
    signed: &Signed,
    year: i16,
    mut form: FormState,
) -> Response {
    let (kept, exercises, areas, template) = match (
        state
            .app
            .kept_scores(&Principal::staff(&signed.user), year)
            .await,
        state.app.exercises(&Principal::staff(&signed.user)).await,
        state.app.service_areas().await,
        state
            .app
            .stage_template(&Principal::staff(&signed.user))
            .await,
    ) {
        (Ok(k), Ok(x), Ok(a), Ok(t)) => (k, x, a, t),
        (Err(e), ..) | (_, Err(e), ..) | (.., Err(e)) => return error_page(state, e),
        (_, _, Err(e), _) => return error_page(state, e),
    };
    let ranking_kept = !kept.is_empty();
    let scores: Vec<AreaScore> = if ranking_kept {
        kept.into_iter().map(|(s, _, _)| s).collect()
    } else {
        match state
            .app
            .score_areas(&Principal::staff(&signed.user), year)
            .await
        {
            Ok(s) => s,
            Err(e) => return error_page(state, e),
        }
    };
    let name = |id: &str| {
        areas
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let today = state.app.today();
    let chosen: Vec<ExerciseRow> = exercises
        .iter()
        .filter(|(x, _)| x.year == year)
        .map(|(x, _)| ExerciseRow {
            id: x.id.clone(),
            area: name(&x.area_id),
            stage: match x.current_stage() {
                Some((i, s)) => format!("Stage {} of {}: {}", i + 1, x.stages.len(), s.name),
                None => "All stages done".into(),
            },
            overdue: x.overdue(today).len(),
            complete: x.complete(),
        })
        .collect();
    form.values
        .entry("stages".into())
        .or_insert_with(|| template.join("\n"));
    render(
        form.status(),
        &ProgrammePage {
            layout: Layout::staff(state, signed, "Annual scrutiny programme", &form),
            year,
            year_label: Period::financial_year_label(year),
            warning: programme_warning(chosen.len()),
            ranking: score_rows(&scores),
            ranking_kept,
            chosen,
            can_change: may_change(signed),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

async fn programme(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let year = year_of(&state, &q);
    programme_page(&state, &signed, year, FormState::default()).await
}

async fn programme_post(
    State(state): State<AppState>,
    Path(which): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::DecideScrutiny>,
) -> Response {
    let year = year_of(&state, &q);
    let result = match which.as_str() {
        "add" => state
            .app
            .add_to_programme(&Principal::staff(&signed.user), year, form.v("area"))
            .await
            .map(drop),
        "stages" => {
            state
                .app
                .save_stage_template(&Principal::staff(&signed.user), form.v("stages"))
                .await
        }
        _ => return crate::page_not_found(&state),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/scrutiny/programme?year={year}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            programme_page(&state, &signed, year, form).await
        }
        Err(e) => error_page(&state, e),
    }
}

struct StageRow {
    index: usize,
    name: String,
    planned: String,
    owner: String,
    done: String,
}

struct ActionRow {
    id: u32,
    recommendation: usize,
    action: String,
    owner: String,
    due: String,
    done: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "scrutiny_exercise.html")]
struct ExercisePage {
    layout: Layout,
    form: FormState,
    x: Exercise,
    area: String,
    year_label: String,
    stages: Vec<StageRow>,
    actions: Vec<ActionRow>,
    recommendations: crate::forms::Options,
    report: Option<String>,
    history: Vec<(String, String, String)>,
    /// The stage or response form whose errors are being shown, so its fields carry them.
    failed_stage: Option<usize>,
    failed_response: Option<usize>,
    can_change: bool,
    csrf: String,
}

impl ExercisePage {
    fn stage_failed(&self, index: &usize) -> bool {
        self.failed_stage == Some(*index)
    }

    fn response_failed(&self, index: &usize) -> bool {
        self.failed_response == Some(*index)
    }
}

async fn exercise_page(
    state: &AppState,
    signed: &Signed,
    id: &str,
    mut form: FormState,
) -> Response {
    let (x, _) = match state
        .app
        .exercise(&Principal::staff(&signed.user), id)
        .await
    {
        Ok(x) => x,
        Err(e) => return error_page(state, e),
    };
    let (areas, history) = match (
        state.app.service_areas().await,
        state
            .app
            .scrutiny_history(&Principal::staff(&signed.user), &x.id)
            .await,
    ) {
        (Ok(a), Ok(h)) => (a, h),
        (Err(e), _) => return error_page(state, e),
        (_, Err(e)) => return error_page(state, e),
    };
    let today = state.app.today();
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    form.values
        .entry("on".into())
        .or_insert_with(|| today.to_string());
    render(
        form.status(),
        &ExercisePage {
            layout: Layout::staff(state, signed, "Scrutiny exercise", &form),
            area: areas.iter().find(|a| a.id == x.area_id).map(|a| a.name.clone()).unwrap_or_default(),
            year_label: Period::financial_year_label(x.year),
            stages: x
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| StageRow {
                    index: i,
                    name: s.name.clone(),
                    planned: date(s.planned_on),
                    owner: s.owner.clone().unwrap_or_default(),
                    done: date(s.done_on),
                })
                .collect(),
            actions: x
                .actions
                .iter()
                .map(|a| ActionRow {
                    id: a.id,
                    recommendation: a.recommendation + 1,
                    action: a.action.to_string(),
                    owner: a.owner.to_string(),
                    due: long_date(a.due),
                    done: a.done_on.map(long_date),
                    overdue: a.overdue(today),
                })
                .collect(),
            recommendations: x
                .recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| ((i + 1).to_string(), format!("{}. {}", i + 1, r.text)))
                .collect(),
            report: x.report_sent_on.map(|d| {
                format!(
                    "Sent to the Executive Management Team and Board on {}. Response delegated to {} (Customer Empowerment Manager) and {} (Head of Service).",
                    long_date(d),
                    x.manager.clone().unwrap_or_default(),
                    x.head_of_service.clone().unwrap_or_default()
                )
            }),
            history: history
                .into_iter()
                .map(|h| (h.summary, redress_domain::calendar::long_date_time(h.at), h.actor))
                .collect(),
            failed_stage: (!form.errors.is_empty())
                .then(|| form.v("stage").parse().ok())
                .flatten(),
            failed_response: (!form.errors.is_empty() && form.errors.get("response").is_some())
                .then(|| form.v("index").parse().ok())
                .flatten(),
            can_change: may_change(signed),
            csrf: signed.csrf_token.clone(),
            x,
            form,
        },
    )
}

async fn exercise(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path(id): Path<String>,
) -> Response {
    exercise_page(&state, &signed, &id, FormState::default()).await
}

async fn exercise_post(
    State(state): State<AppState>,
    Path((id, change)): Path<(String, String)>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::DecideScrutiny>,
) -> Response {
    let v = |k: &str| form.v(k).to_string();
    let index = |k: &str| v(k).parse::<usize>().unwrap_or(usize::MAX);
    let date = |k: &str| -> Result<jiff::civil::Date, redress_domain::FieldErrors> {
        v(k).trim().parse().map_err(|_| {
            let mut e = redress_domain::FieldErrors::new();
            e.add(k, "Enter a real date, like 2027-03-31");
            e
        })
    };
    let result = match change.as_str() {
        "stage" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, today| {
                    x.update_stage(
                        index("stage"),
                        &v("planned_on"),
                        &v("owner"),
                        &v("done_on"),
                        today,
                    )
                })
                .await
        }
        "recommendation" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, _| {
                    x.add_recommendation(&v("recommendation"))
                })
                .await
        }
        "report" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, today| {
                    x.send_report(&v("on"), &v("manager"), &v("head_of_service"), today)
                })
                .await
        }
        "response" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, _| {
                    x.respond(index("index"), &v("response"))
                })
                .await
        }
        "action" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, _| {
                    x.add_action(&v("recommendation"), &v("action"), &v("owner"), &v("due"))
                })
                .await
        }
        "agree" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, _| {
                    x.agree_plan(date("on")?)
                })
                .await
        }
        "done" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, today| {
                    let id = v("action_id").parse::<u32>().unwrap_or(0);
                    x.complete_action(id, date("on")?, today)
                })
                .await
        }
        _ => return crate::page_not_found(&state),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/staff/scrutiny/exercises/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            exercise_page(&state, &signed, &id, form).await
        }
        Err(e) => error_page(&state, e),
    }
}
