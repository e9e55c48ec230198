//! The service improvement register: proposals from complaints, decisions, changes made,
//! and the people told. Read by everyone who sees cases; changed by those who handle them.

use crate::html::{FormState, long_date};
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::learning::ImprovementStatus;
use redress_domain::role::Permission;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/improvements", get(index))
        .route("/staff/improvements.csv", get(register_csv))
        .route("/staff/improvements/new", get(new_form).post(create))
        .route("/staff/improvements/{id}", get(show))
        .route("/staff/improvements/{id}/status", post(set_status))
        .route("/staff/improvements/{id}/cases", post(link_cases))
}

struct Row {
    id: String,
    title: String,
    area: String,
    status: String,
    dates: String,
    cases: usize,
}

#[derive(Template)]
#[template(path = "improvements.html")]
struct ListPage {
    layout: Layout,
    form: FormState,
    /// What the period is of: made (proposed), agreed or implemented.
    by_options: crate::forms::Options,
    /// The filters kept when the status changes.
    period_query: String,
    rows: Vec<Row>,
    filters: Vec<(String, String, bool)>,
    can_change: bool,
}

fn dates_of(i: &redress_domain::learning::Improvement) -> String {
    let mut parts = vec![format!("Proposed {}", long_date(i.proposed_on))];
    match (i.status, i.decided_on, i.implemented_on) {
        (_, _, Some(done)) => parts.push(format!("made {}", long_date(done))),
        (ImprovementStatus::Declined, Some(d), _) => {
            parts.push(format!("not going ahead from {}", long_date(d)))
        }
        (_, Some(d), _) => parts.push(format!("agreed {}", long_date(d))),
        _ => {}
    }
    parts.join(", ")
}

async fn index(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let (all, areas) = match (
        state
            .app
            .improvements(&Principal::staff(&signed.user))
            .await,
        state.app.service_area_names().await,
    ) {
        (Ok(i), Ok(a)) => (i, a),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let wanted = q
        .get("status")
        .and_then(|s| ImprovementStatus::parse(s).ok());
    // A period, for the 6-monthly progress report: improvements proposed, agreed or
    // implemented between two dates (any of the three when not chosen).
    let mut form = FormState {
        values: q.clone(),
        ..Default::default()
    };
    let date = |form: &mut FormState, field: &str| {
        let raw = q.get(field).map(|v| v.trim()).unwrap_or_default();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                form.errors.add(field, "Enter a real date, like 2026-04-01");
                None
            }
        }
    };
    let from = date(&mut form, "from");
    let to = date(&mut form, "to");
    let by = q.get("by").map(String::as_str).unwrap_or_default();
    let in_period = |i: &redress_domain::learning::Improvement| {
        let inside = |d: Option<jiff::civil::Date>| {
            d.is_some_and(|d| from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t))
        };
        if from.is_none() && to.is_none() {
            return true;
        }
        match by {
            "proposed" => inside(Some(i.proposed_on)),
            "agreed" => inside(i.decided_on),
            "implemented" => inside(i.implemented_on),
            _ => inside(Some(i.proposed_on)) || inside(i.decided_on) || inside(i.implemented_on),
        }
    };
    let period_query = serde_urlencoded::to_string(
        q.iter()
            .filter(|(k, v)| ["from", "to", "by"].contains(&k.as_str()) && !v.is_empty())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let rows = all
        .iter()
        .filter(|(i, _)| wanted.is_none_or(|w| i.status == w) && in_period(i))
        .map(|(i, cases)| Row {
            id: i.id.clone(),
            title: i.title.to_string(),
            area: i
                .service_area
                .as_ref()
                .and_then(|a| areas.get(a))
                .cloned()
                .unwrap_or_else(|| "Across services".into()),
            status: i.status.label().to_string(),
            dates: dates_of(i),
            cases: cases.len(),
        })
        .collect();
    let keep = if period_query.is_empty() {
        String::new()
    } else {
        format!("&{period_query}")
    };
    let filters = std::iter::once((
        format!("/staff/improvements?{}", period_query),
        "All".to_string(),
        wanted.is_none(),
    ))
    .chain(ImprovementStatus::ALL.iter().map(|s| {
        (
            format!("/staff/improvements?status={}{keep}", s.as_str()),
            s.label().to_string(),
            wanted == Some(*s),
        )
    }))
    .collect();
    render(
        StatusCode::OK,
        &ListPage {
            layout: Layout::staff(&state, &signed, "Service improvements", &form),
            by_options: [
                ("", "Proposed, agreed or implemented"),
                ("proposed", "Proposed"),
                ("agreed", "Agreed"),
                ("implemented", "Implemented"),
            ]
            .iter()
            .map(|(v, l)| ((*v).to_string(), (*l).to_string()))
            .collect(),
            period_query,
            form,
            rows,
            filters,
            can_change: signed.user.role.can(Permission::HandleCases),
        },
    )
}

#[derive(Template)]
#[template(path = "improvement_new.html")]
struct NewPage {
    layout: Layout,
    form: FormState,
    areas: crate::forms::Options,
    csrf: String,
}

async fn new_page(state: &AppState, signed: &Signed, form: FormState) -> Response {
    let areas = match state.app.service_area_names().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    render(
        form.status(),
        &NewPage {
            layout: Layout::staff(state, signed, "Propose a service improvement", &form),
            areas: std::iter::once((String::new(), "Across services".to_string()))
                .chain(areas)
                .collect(),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

async fn new_form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    if !signed.user.role.can(Permission::HandleCases) {
        return error_page(AppError::Forbidden);
    }
    let mut form = FormState::default();
    if let Some(r) = q.get("case") {
        form.values
            .insert("cases".into(), r.chars().take(30).collect());
    }
    new_page(&state, &signed, form).await
}

async fn create(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::HandleCases>,
) -> Response {
    let area = Some(form.v("service_area").to_string()).filter(|a| !a.is_empty());
    match state
        .app
        .propose_improvement(
            &Principal::staff(&signed.user),
            form.v("title"),
            form.v("description"),
            area,
            form.v("cases"),
        )
        .await
    {
        Ok(i) => Redirect::to(&format!("/staff/improvements/{}", i.id)).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            new_page(&state, &signed, form).await
        }
        Err(e) => error_page(e),
    }
}

#[derive(Template)]
#[template(path = "improvement.html")]
struct ShowPage {
    layout: Layout,
    form: FormState,
    id: String,
    title: String,
    description: String,
    area: String,
    status: String,
    dates: String,
    explanation: Option<String>,
    cases: Vec<String>,
    open: bool,
    can_change: bool,
    statuses: crate::forms::Options,
    csrf: String,
    told: Option<String>,
}

async fn show_page(
    state: &AppState,
    signed: &Signed,
    id: &str,
    mut form: FormState,
    told: Option<String>,
) -> Response {
    let ((i, cases), areas) = match (
        state
            .app
            .improvement(&Principal::staff(&signed.user), id)
            .await,
        state.app.service_area_names().await,
    ) {
        (Ok(i), Ok(a)) => (i, a),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    form.values
        .entry("on".into())
        .or_insert_with(|| state.app.today().to_string());
    let open = !i.status.is_final();
    render(
        form.status(),
        &ShowPage {
            layout: Layout::staff(state, signed, &i.title.to_string(), &form),
            id: i.id.clone(),
            title: i.title.to_string(),
            description: i.description.to_string(),
            area: i
                .service_area
                .as_ref()
                .and_then(|a| areas.get(a))
                .cloned()
                .unwrap_or_else(|| "Across services".into()),
            status: i.status.label().to_string(),
            dates: dates_of(&i),
            explanation: i.explanation.as_ref().map(|t| t.to_string()),
            cases: cases.iter().map(|(_, r)| r.to_string()).collect(),
            open,
            can_change: signed.user.role.can(Permission::HandleCases),
            statuses: ImprovementStatus::ALL
                .iter()
                .filter(|s| **s != i.status && **s != ImprovementStatus::Proposed)
                .map(|s| (s.as_str().to_string(), s.label().to_string()))
                .collect(),
            csrf: signed.csrf_token.clone(),
            told,
            form,
        },
    )
}

async fn show(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let told = q
        .get("told")
        .and_then(|n| n.parse::<usize>().ok())
        .map(|n| match n {
            0 => "Saved. No cases are linked, so nobody was written to.".to_string(),
            1 => "Saved. The person behind the one linked case is being told.".to_string(),
            n => format!("Saved. The people behind the {n} linked cases are being told."),
        });
    show_page(&state, &signed, &id, FormState::default(), told).await
}

async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::HandleCases>,
) -> Response {
    match state
        .app
        .set_improvement_status(
            &Principal::staff(&signed.user),
            &id,
            form.v("status"),
            form.v("on"),
            form.v("explanation"),
        )
        .await
    {
        Ok(told) => Redirect::to(&format!("/staff/improvements/{id}?told={told}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            show_page(&state, &signed, &id, form, None).await
        }
        Err(e) => error_page(e),
    }
}

async fn link_cases(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::HandleCases>,
) -> Response {
    match state
        .app
        .link_improvement_cases(&Principal::staff(&signed.user), &id, form.v("cases"))
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/improvements/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            show_page(&state, &signed, &id, form, None).await
        }
        Err(e) => error_page(e),
    }
}

/// The whole register as CSV: the 6-monthly progress report in a spreadsheet.
async fn register_csv(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    let (all, areas) = match (
        state
            .app
            .improvements(&Principal::staff(&signed.user))
            .await,
        state.app.service_area_names().await,
    ) {
        (Ok(i), Ok(a)) => (i, a),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|(i, cases)| {
            vec![
                i.title.to_string(),
                i.service_area
                    .as_ref()
                    .and_then(|a| areas.get(a))
                    .cloned()
                    .unwrap_or_default(),
                i.status.label().to_string(),
                i.proposed_on.to_string(),
                date(i.decided_on),
                date(i.implemented_on),
                i.explanation
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                cases.len().to_string(),
            ]
        })
        .collect();
    crate::download::csv(
        &format!("service-improvements-{}.csv", state.app.today()),
        &[
            "change",
            "service",
            "status",
            "proposed_on",
            "decided_on",
            "implemented_on",
            "why_not",
            "complaints",
        ],
        &rows,
    )
}
