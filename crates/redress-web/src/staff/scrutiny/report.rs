//! An exercise's final report as one page to read or print: the findings, the evidence,
//! how the scrutiny was done, the recommendations with their responses, the Board's and
//! the Executive Management Team's responses, and the action plan. The Board and the
//! Executive Management Team read it here and record their response.

use crate::html::{FormState, long_date};
use crate::session::{ScrutinyReader, StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::measures::Period;
use redress_domain::role::{Permission, Role};
use redress_domain::scrutiny::programme::Exercise;
use redress_domain::scrutiny::response::Body;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/staff/scrutiny/exercises/{id}/final-report",
        get(show).post(answer),
    )
}

struct Response_ {
    from: String,
    on: String,
    by: String,
    text: String,
}

#[derive(Template)]
#[template(path = "scrutiny_report.html")]
struct ReportPage {
    layout: Layout,
    form: FormState,
    x: Exercise,
    area: String,
    year_label: String,
    sent: Option<String>,
    /// (stage, planned, done, late)
    stages: Vec<(String, String, String, bool)>,
    /// (recommendation, its response)
    recommendations: Vec<(String, String)>,
    latest: Vec<Response_>,
    earlier: Vec<Response_>,
    /// (recommendation number, action, owner, due, done or "Overdue" or "")
    actions: Vec<(usize, String, String, String, String)>,
    /// Who the signed-in person answers for, when they may.
    answers_for: Option<String>,
    csrf: String,
}

fn response_row(r: &redress_domain::scrutiny::response::BoardResponse) -> Response_ {
    Response_ {
        from: r.from.label().to_string(),
        on: long_date(r.on),
        by: r.by.clone(),
        text: r.text.to_string(),
    }
}

async fn page(state: &AppState, signed: &Signed, id: &str, form: FormState) -> Response {
    let who = Principal::staff(&signed.user);
    let (x, _) = match state.app.exercise(&who, id).await {
        Ok(x) => x,
        Err(e) => return error_page(e),
    };
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    let area = areas
        .iter()
        .find(|a| a.id == x.area_id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let today = state.app.today();
    let date = |d: Option<jiff::civil::Date>| d.map(long_date).unwrap_or_default();
    let latest: Vec<_> = x.latest_responses().into_iter().map(response_row).collect();
    let earlier = x
        .board_responses
        .iter()
        .filter(|r| !x.latest_responses().iter().any(|l| std::ptr::eq(*l, *r)))
        .map(response_row)
        .collect();
    let role = signed.user.role;
    let answers_for = (role.can(Permission::AnswerScrutinyReport) && x.report_sent_on.is_some())
        .then(|| match role {
            Role::Executive => Body::Executive.label().to_string(),
            _ => Body::Board.label().to_string(),
        });
    render(
        form.status(),
        &ReportPage {
            layout: Layout::staff(
                state,
                signed,
                &format!("Final report: scrutiny of {area}"),
                &form,
            ),
            year_label: Period::financial_year_label(x.year),
            sent: x.report_sent_on.map(|d| {
                format!(
                    "Sent to the Executive Management Team and Board on {}. Responses to the recommendations by {} (Customer Empowerment Manager) and {} (Head of Service).",
                    long_date(d),
                    x.manager.clone().unwrap_or_default(),
                    x.head_of_service.clone().unwrap_or_default()
                )
            }),
            stages: x
                .stages
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        date(s.planned_on),
                        date(s.done_on),
                        s.late(today),
                    )
                })
                .collect(),
            recommendations: x
                .recommendations
                .iter()
                .map(|r| {
                    (
                        r.text.to_string(),
                        r.response.as_ref().map(|t| t.to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
            latest,
            earlier,
            actions: x
                .actions
                .iter()
                .map(|a| {
                    (
                        a.recommendation + 1,
                        a.action.to_string(),
                        a.owner.to_string(),
                        long_date(a.due),
                        match a.done_on {
                            Some(d) => format!("Done on {}", long_date(d)),
                            None if a.overdue(today) => "Overdue".into(),
                            None => "Not done yet".into(),
                        },
                    )
                })
                .collect(),
            answers_for,
            csrf: signed.csrf_token.clone(),
            area,
            x,
            form,
        },
    )
}

async fn show(
    State(state): State<AppState>,
    ScrutinyReader(signed): ScrutinyReader,
    Path(id): Path<String>,
) -> Response {
    page(&state, &signed, &id, FormState::default()).await
}

async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::AnswerScrutinyReport>,
) -> Response {
    match state
        .app
        .answer_scrutiny_report(
            &Principal::staff(&signed.user),
            &id,
            form.v("board_response"),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/staff/scrutiny/exercises/{id}/final-report#responses"
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &signed, &id, form).await
        }
        Err(e) => error_page(e),
    }
}
