//! The scoring matrix and the annual programme of scrutiny exercises: the team scores
//! every business area from live figures, keeps the scores with their evidence, chooses
//! the year's areas from the ranking and runs each exercise through its 13 stages to an
//! action plan monitored to completion.

use crate::html::{FormState, long_date};
use crate::session::ScrutinyReader;
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
use redress_domain::scrutiny::matrix::{AreaScore, Criterion};
use redress_domain::scrutiny::programme::{Exercise, programme_warning};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
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
pub(crate) fn may_change(signed: &Signed) -> bool {
    signed.user.role.can(Permission::DecideScrutiny)
}

pub(crate) fn year_of(state: &AppState, q: &BTreeMap<String, String>) -> i16 {
    q.get("year")
        .and_then(|y| y.parse::<i16>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| Period::financial_year_of(state.app.today()))
}

pub(crate) struct ExerciseRow {
    pub(crate) id: String,
    pub(crate) area: String,
    pub(crate) stage: String,
    /// Stages past their planned date, or done after it.
    pub(crate) late: usize,
    pub(crate) overdue: usize,
    pub(crate) complete: bool,
}

#[derive(Template)]
#[template(path = "scrutiny_programme.html")]
pub(crate) struct ProgrammePage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) year: i16,
    pub(crate) year_label: String,
    pub(crate) warning: Option<String>,
    pub(crate) ranking: Vec<ScoreRow>,
    pub(crate) ranking_kept: bool,
    pub(crate) chosen: Vec<ExerciseRow>,
    pub(crate) can_change: bool,
    /// Whether they read the matrix too (not the Board nor the Executive Management Team).
    pub(crate) can_read_matrix: bool,
    pub(crate) csrf: String,
}

pub(crate) async fn programme_page(
    state: &AppState,
    signed: &Signed,
    year: i16,
    mut form: FormState,
) -> Response {
    let can_read_matrix = signed.user.role.can(Permission::ViewScrutiny);
    let (kept, exercises, areas) = match (
        state
            .app
            .kept_scores(&Principal::staff(&signed.user), year)
            .await,
        state.app.exercises(&Principal::staff(&signed.user)).await,
        state.app.service_areas().await,
    ) {
        (Ok(k), Ok(x), Ok(a)) => (k, x, a),
        (Err(e), ..) | (_, Err(e), _) => return error_page(e),
        (.., Err(e)) => return error_page(e),
    };
    // The template is the team's to change; only they are shown it.
    if may_change(signed) {
        match state
            .app
            .stage_template(&Principal::staff(&signed.user))
            .await
        {
            Ok(t) => {
                form.values
                    .entry("stages".into())
                    .or_insert_with(|| t.join("\n"));
            }
            Err(e) => return error_page(e),
        }
    }
    let ranking_kept = !kept.is_empty();
    let scores: Vec<AreaScore> = if ranking_kept {
        kept.into_iter().map(|(s, _, _)| s).collect()
    } else if !can_read_matrix {
        // Live scores are worked from the team's records; the Board reads kept ones.
        Vec::new()
    } else {
        match state
            .app
            .score_areas(&Principal::staff(&signed.user), year)
            .await
        {
            Ok(s) => s,
            Err(e) => return error_page(e),
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
            late: x.late_stages(today).len(),
            overdue: x.overdue(today).len(),
            complete: x.complete(),
        })
        .collect();
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
            can_read_matrix,
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

pub(crate) async fn programme(
    State(state): State<AppState>,
    ScrutinyReader(signed): ScrutinyReader,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let year = year_of(&state, &q);
    programme_page(&state, &signed, year, FormState::default()).await
}

pub(crate) async fn programme_post(
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
        _ => return crate::page_not_found(),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/staff/scrutiny/programme?year={year}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            programme_page(&state, &signed, year, form).await
        }
        Err(e) => error_page(e),
    }
}

pub(crate) struct StageRow {
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) planned: String,
    pub(crate) owner: String,
    pub(crate) done: String,
    pub(crate) late: bool,
}

pub(crate) struct ActionRow {
    pub(crate) id: u32,
    pub(crate) recommendation: usize,
    pub(crate) action: String,
    pub(crate) owner: String,
    pub(crate) due: String,
    pub(crate) done: Option<String>,
    pub(crate) overdue: bool,
}

#[derive(Template)]
#[template(path = "scrutiny_exercise.html")]
pub(crate) struct ExercisePage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) x: Exercise,
    pub(crate) area: String,
    pub(crate) year_label: String,
    pub(crate) stages: Vec<StageRow>,
    pub(crate) actions: Vec<ActionRow>,
    pub(crate) recommendations: crate::forms::Options,
    pub(crate) report: Option<String>,
    pub(crate) history: Vec<(String, String, String)>,
    /// The stage or response form whose errors are being shown, so its fields carry them.
    pub(crate) failed_stage: Option<usize>,
    pub(crate) failed_response: Option<usize>,
    pub(crate) can_change: bool,
    pub(crate) csrf: String,
}

impl ExercisePage {
    fn stage_failed(&self, index: &usize) -> bool {
        self.failed_stage == Some(*index)
    }

    fn response_failed(&self, index: &usize) -> bool {
        self.failed_response == Some(*index)
    }
}

pub(crate) async fn exercise_page(
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
        Err(e) => return error_page(e),
    };
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    // The history names the staff who made each change: for those who read scrutiny.
    let history = if signed.user.role.can(Permission::ViewScrutiny) {
        match state
            .app
            .scrutiny_history(&Principal::staff(&signed.user), &x.id)
            .await
        {
            Ok(h) => h,
            Err(e) => return error_page(e),
        }
    } else {
        Vec::new()
    };
    if let Some(f) = &x.findings {
        form.values
            .entry("findings".into())
            .or_insert_with(|| f.to_string());
    }
    if let Some(ev) = &x.evidence {
        form.values
            .entry("evidence".into())
            .or_insert_with(|| ev.to_string());
    }
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
                    late: s.late(today),
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

pub(crate) async fn exercise(
    State(state): State<AppState>,
    ScrutinyReader(signed): ScrutinyReader,
    Path(id): Path<String>,
) -> Response {
    exercise_page(&state, &signed, &id, FormState::default()).await
}

pub(crate) async fn exercise_post(
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
        "findings" => {
            state
                .app
                .change_exercise(&Principal::staff(&signed.user), &id, |x, _| {
                    x.write_report(&v("findings"), &v("evidence"))
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
        _ => return crate::page_not_found(),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/staff/scrutiny/exercises/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            exercise_page(&state, &signed, &id, form).await
        }
        Err(e) => error_page(e),
    }
}

pub(crate) struct ScoreRow {
    pub(crate) rank: usize,
    pub(crate) area_id: String,
    pub(crate) area: String,
    pub(crate) cells: Vec<String>,
    pub(crate) calls: String,
    pub(crate) total: u32,
    pub(crate) evidence: Vec<String>,
}

pub(crate) fn score_rows(scores: &[AreaScore]) -> Vec<ScoreRow> {
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
