//! The Customer Scrutiny Team's meetings: scheduling, the agenda with each request's
//! papers, cancelling, and the minutes with who attended, kept version by version.

use super::index::*;
use super::requests::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/scrutiny/meetings", post(schedule))
        .route("/staff/scrutiny/meetings/{id}", get(meeting))
        .route("/staff/scrutiny/meetings/{id}/cancel", post(cancel))
        .route("/staff/scrutiny/meetings/{id}/minutes", post(minutes))
}
use crate::html::{FormState, long_date};
use crate::session::Scrutineer;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
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
        Err(e) => error_page(e),
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
    pub(crate) form: FormState,
    /// Each version of the minutes, latest first: (heading, attended, apologies, text).
    pub(crate) minutes: Vec<(String, String, String, String)>,
    /// Whether this person may record minutes of this meeting now.
    pub(crate) can_minute: bool,
}

pub(crate) async fn meeting(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path(id): Path<String>,
) -> Response {
    meeting_page(&state, &signed, &id, FormState::default()).await
}

async fn meeting_page(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    id: &str,
    mut form: FormState,
) -> Response {
    let who = Principal::staff(&signed.user);
    let (requests, meetings, areas, kept) = match (
        state.app.scrutiny_requests(&who).await,
        state.app.meetings(&who).await,
        state.app.service_area_names().await,
        state.app.meeting_minutes(&who, id).await,
    ) {
        (Ok(r), Ok(m), Ok(a), Ok(k)) => (r, m, a, k),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return error_page(e);
        }
    };
    let Some(m) = meetings.iter().find(|m| m.id == id) else {
        return crate::page_not_found();
    };
    let mut items = Vec::new();
    for r in requests
        .iter()
        .filter(|r| r.meeting.as_ref().is_some_and(|(mid, _)| *mid == m.id))
    {
        match papers(state, signed, r, &areas).await {
            Ok(p) => items.push(p),
            Err(e) => return error_page(e),
        }
    }
    let today = state.app.today();
    // The form starts from the latest minutes, so a correction edits what is there.
    if form.values.is_empty()
        && let Some(latest) = kept.first()
    {
        form.values
            .insert("attended".into(), latest.minutes.attended.join("\n"));
        form.values
            .insert("apologies".into(), latest.minutes.apologies.join("\n"));
        form.values
            .insert("minutes".into(), latest.minutes.text.to_string());
    }
    let count = kept.len();
    let minutes = kept
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let when = redress_domain::calendar::long_date_time(v.at);
            (
                if i == 0 {
                    format!("Recorded {when} by {}", v.by)
                } else {
                    format!(
                        "Version {} of {count}, recorded {when} by {}",
                        v.version, v.by
                    )
                },
                v.minutes.attended.join(", "),
                if v.minutes.apologies.is_empty() {
                    "None".to_string()
                } else {
                    v.minutes.apologies.join(", ")
                },
                v.minutes.text.to_string(),
            )
        })
        .collect();
    render(
        form.status(),
        &MeetingPage {
            layout: Layout::staff(
                state,
                signed,
                &format!("Meeting on {}", long_date(m.on)),
                &form,
            ),
            id: m.id.clone(),
            cancelled: m.cancelled,
            can_cancel: can(signed, Permission::SupportScrutiny) && !m.cancelled && m.on > today,
            when: format!("{} at {}", long_date(m.on), m.time),
            place: m.place.to_string(),
            items,
            can_decide: can(signed, Permission::DecideScrutiny),
            outcomes: outcomes(),
            csrf: signed.csrf_token.clone(),
            can_minute: can(signed, Permission::SupportScrutiny) && !m.cancelled && m.on <= today,
            minutes,
            form,
        },
    )
}

async fn minutes(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::SupportScrutiny>,
) -> Response {
    match state
        .app
        .record_minutes(&Principal::staff(&signed.user), &id, &form.values)
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/scrutiny/meetings/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            meeting_page(&state, &signed, &id, form).await
        }
        Err(e) => error_page(e),
    }
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
        Err(e) => error_page(e),
    }
}
