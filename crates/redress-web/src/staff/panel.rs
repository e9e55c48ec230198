//! The Tenants Panel's pages: the complaints it was asked to look at, each with the stage 1
//! response and why the resident is unhappy, and the form for the panel's input. Nothing on
//! them identifies or reaches the resident beyond what they wrote in the complaint.

use crate::html::{FormState, long_date};
use crate::session::{AnyStaff, StaffForm, needs, require};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::tenants_panel::PanelCase;
use redress_domain::role::Permission;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/panel", get(queue))
        .route("/staff/panel/{reference}", get(show).post(record))
}

#[derive(Template)]
#[template(path = "panel_queue.html")]
struct QueuePage {
    layout: Layout,
    /// (reference, service area, asked because, due, overdue class)
    rows: Vec<(String, String, String, String, &'static str)>,
}

async fn queue(State(state): State<AppState>, AnyStaff(signed): AnyStaff) -> PageResult {
    if let Err(r) = require(&signed, Permission::ReviewForPanel, None) {
        return Ok(r);
    }
    let items = state
        .app
        .panel_queue(&Principal::staff(&signed.user))
        .await?;
    let areas = state.app.service_area_names().await?;
    let today = state.app.today();
    let rows = items
        .into_iter()
        .map(|a| {
            let overdue = a.due < today;
            (
                a.reference.to_string(),
                a.service_area
                    .and_then(|id| areas.get(&id).cloned())
                    .unwrap_or_else(|| "Not known".into()),
                a.description,
                format!(
                    "{}{}",
                    long_date(a.due),
                    if overdue { " (overdue)" } else { "" }
                ),
                if overdue { "deadline--overdue" } else { "" },
            )
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &QueuePage {
            layout: crate::staff::staff_layout(&state, "Tenants Panel", &signed),
            rows,
        },
    ))
}

#[derive(Template)]
#[template(path = "panel_case.html")]
struct CasePage {
    layout: Layout,
    form: FormState,
    reference: String,
    /// (label, text) about the complaint.
    complaint: Vec<(String, String)>,
    /// The stage 1 response: when, the decision on each point, the reasons.
    response: Vec<(String, String)>,
    why: String,
    asked: String,
    due: String,
    /// The panel's input once given: (on, by, words).
    input: Option<(String, String, String)>,
    csrf: String,
}

async fn page(
    state: &AppState,
    signed: &Signed,
    reference: &str,
    form: FormState,
) -> Result<Response, AppError> {
    let c: PanelCase = state
        .app
        .panel_case(&Principal::staff(&signed.user), reference)
        .await?;
    let areas = state.app.service_area_names().await?;
    let mut complaint = vec![
        ("Received".to_string(), long_date(c.received_on)),
        (
            "Service area".to_string(),
            c.service_area
                .and_then(|id| areas.get(&id).cloned())
                .unwrap_or_else(|| "Not known".into()),
        ),
        ("What happened".to_string(), c.summary),
    ];
    if let Some(o) = c.outcome_wanted {
        complaint.push(("What the resident wanted".into(), o));
    }
    if let Some(u) = c.understanding {
        complaint.push(("The complaint as the officer understood it".into(), u));
    }
    let response = match c.response {
        Some(r) => {
            let mut rows = vec![
                ("Sent".to_string(), long_date(r.sent_on)),
                ("Outcome".to_string(), r.outcome.label().to_string()),
            ];
            rows.extend(r.points.iter().map(|p| {
                (
                    format!("Point: {}", p.point),
                    if p.upheld { "Upheld" } else { "Not upheld" }.to_string(),
                )
            }));
            rows.push(("Reasons".into(), r.reasons));
            if let Some(a) = r.outstanding_actions {
                rows.push(("Actions still to do".into(), a));
            }
            rows
        }
        None => Vec::new(),
    };
    let review = c.review;
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut layout =
        crate::staff::staff_layout(state, &format!("Tenants Panel: {}", c.reference), signed);
    layout.has_errors = !form.errors.is_empty();
    Ok(render(
        status,
        &CasePage {
            layout,
            reference: c.reference,
            complaint,
            response,
            why: review.why,
            asked: long_date(review.asked_on),
            due: long_date(review.due_by),
            input: review.input.map(|i| (long_date(i.on), i.by, i.text)),
            csrf: signed.csrf_token.clone(),
            form,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    AnyStaff(signed): AnyStaff,
    Path(reference): Path<String>,
) -> PageResult {
    if let Err(r) = require(&signed, Permission::ReviewForPanel, None) {
        return Ok(r);
    }
    Ok(page(&state, &signed, &reference, FormState::default()).await?)
}

async fn record(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::ReviewForPanel>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let input = form.v("input").to_string();
    let result = match state.app.record_panel_input(&who, &reference, &input).await {
        Ok(_) => return Redirect::to(&format!("/staff/panel/{reference}")).into_response(),
        Err(AppError::Domain(e)) => {
            form.errors.add("input", e.to_string());
            page(&state, &signed, &reference, form).await
        }
        Err(e) => Err(e),
    };
    result.unwrap_or_else(error_page)
}
