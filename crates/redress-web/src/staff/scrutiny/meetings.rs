//! The Customer Scrutiny Team's meetings: scheduling, the agenda with each request's papers, and cancelling.

use super::requests::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/scrutiny/meetings", post(schedule))
        .route("/staff/scrutiny/meetings/{id}", get(meeting))
        .route("/staff/scrutiny/meetings/{id}/cancel", post(cancel))
}
use crate::html::{FormState, long_date};
use crate::session::Scrutineer;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::role::Permission;

pub(crate) async fn schedule(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::SupportScrutiny>,
) -> Response {
    match state
        .app
        .schedule_meeting(
            &Principal::staff(&signed.user),
            form.v("on"),
            form.v("time"),
            form.v("place"),
        )
        .await
    {
        Ok(m) => Redirect::to(&format!("/staff/scrutiny/meetings/{}", m.id)).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            index_page(&state, &signed, form).await
        }
        Err(e) => error_page(&state, e),
    }
}

#[derive(Template)]
#[template(path = "scrutiny_meeting.html")]
pub(crate) struct MeetingPage {
    pub(crate) layout: Layout,
    pub(crate) id: String,
    pub(crate) cancelled: bool,
    pub(crate) can_cancel: bool,
    pub(crate) when: String,
    pub(crate) place: String,
    pub(crate) items: Vec<Papers>,
    pub(crate) can_decide: bool,
    pub(crate) outcomes: crate::forms::Options,
    pub(crate) csrf: String,
}

pub(crate) async fn meeting(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path(id): Path<String>,
) -> Response {
    let (requests, meetings, areas) = match (
        state
            .app
            .scrutiny_requests(&Principal::staff(&signed.user))
            .await,
        state.app.meetings(&Principal::staff(&signed.user)).await,
        state.app.service_area_names().await,
    ) {
        (Ok(r), Ok(m), Ok(a)) => (r, m, a),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return error_page(&state, e),
    };
    let Some(m) = meetings.iter().find(|m| m.id == id) else {
        return crate::page_not_found(&state);
    };
    let mut items = Vec::new();
    for r in requests
        .iter()
        .filter(|r| r.meeting.as_ref().is_some_and(|(mid, _)| *mid == m.id))
    {
        match papers(&state, &signed, r, &areas).await {
            Ok(p) => items.push(p),
            Err(e) => return error_page(&state, e),
        }
    }
    let form = FormState::default();
    render(
        StatusCode::OK,
        &MeetingPage {
            layout: Layout::staff(
                &state,
                &signed,
                &format!("Meeting on {}", long_date(m.on)),
                &form,
            ),
            id: m.id.clone(),
            cancelled: m.cancelled,
            can_cancel: can(&signed, Permission::SupportScrutiny)
                && !m.cancelled
                && m.on > state.app.today(),
            when: format!("{} at {}", long_date(m.on), m.time),
            place: m.place.to_string(),
            items,
            can_decide: can(&signed, Permission::DecideScrutiny),
            outcomes: outcomes(),
            csrf: signed.csrf_token.clone(),
        },
    )
}

pub(crate) async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm {
        signed, form: _, ..
    }: StaffForm<needs::SupportScrutiny>,
) -> Response {
    match state
        .app
        .cancel_meeting(&Principal::staff(&signed.user), &id)
        .await
    {
        Ok(()) => Redirect::to("/staff/scrutiny").into_response(),
        Err(e) => error_page(&state, e),
    }
}
