//! Webhooks: administrators register the endpoints other systems listen on, see each
//! delivery and what the receiver answered, and pause, resume, test or remove an endpoint.

use super::guard;
use crate::html::FormState;
use crate::session::{Staff, StaffForm, needs};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::webhooks::EndpointAction;
use redress_domain::calendar::long_date_time;
use redress_domain::event::EventKind;
use redress_store::{DeliveryLine, WebhookEndpoint};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/webhooks", get(list).post(add))
        .route("/staff/admin/webhooks/{id}", get(show).post(act))
        .route(
            "/staff/admin/webhooks/{id}/deliveries/{delivery}/retry",
            post(retry),
        )
}

/// Each event an endpoint may ask for: (identifier, label, ticked).
type EventChoice = (&'static str, &'static str, bool);

#[derive(Template)]
#[template(path = "admin_webhooks.html")]
struct ListPage {
    layout: Layout,
    form: FormState,
    endpoints: Vec<WebhookEndpoint>,
    events: Vec<EventChoice>,
    /// Just registered: the endpoint's id and secret, shown this once.
    registered: Option<(String, String)>,
    csrf: String,
}

impl ListPage {
    fn state_label(&self, e: &WebhookEndpoint) -> &'static str {
        state_label(&e.state)
    }
}

fn state_label(state: &str) -> &'static str {
    match state {
        "active" => "Active",
        "paused" => "Paused",
        _ => "Removed",
    }
}

/// The events the form offers, ticked as sent (or all the main ones on a new form).
fn event_choices(values: &BTreeMap<String, String>, fresh: bool) -> Vec<EventChoice> {
    let usual = [
        EventKind::Received,
        EventKind::Acknowledged,
        EventKind::Extended,
        EventKind::Responded,
        EventKind::Escalated,
        EventKind::Closed,
        EventKind::SurveyAnswered,
    ];
    EventKind::ALL
        .iter()
        .map(|k| {
            let ticked = if fresh {
                usual.contains(k)
            } else {
                values
                    .get(&format!("event-{}", k.as_str()))
                    .map(String::as_str)
                    == Some("yes")
            };
            (k.as_str(), k.label(), ticked)
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    signed: &Signed,
    form: FormState,
    fresh: bool,
    registered: Option<(String, String)>,
) -> Result<Response, AppError> {
    let endpoints = state
        .app
        .webhook_endpoints(&Principal::staff(&signed.user))
        .await?;
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let events = event_choices(&form.values, fresh);
    Ok(render(
        status,
        &ListPage {
            layout: Layout::staff(state, signed, "Webhooks", &form),
            form,
            endpoints,
            events,
            registered,
            csrf: signed.csrf_token.clone(),
        },
    ))
}

async fn list(State(state): State<AppState>, Staff(signed): Staff) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    Ok(list_page(&state, &signed, FormState::default(), true, None).await?)
}

async fn add(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let events: Vec<String> = form
        .values
        .iter()
        .filter(|(k, v)| k.starts_with("event-") && v.as_str() == "yes")
        .map(|(k, _)| k.trim_start_matches("event-").to_string())
        .collect();
    let who = Principal::staff(&signed.user);
    let result = match state
        .app
        .add_webhook_endpoint(&who, &form.values, &events)
        .await
    {
        // The secret is shown on this answer only, never again: no redirect to lose it.
        Ok(r) => {
            list_page(
                &state,
                &signed,
                FormState::default(),
                true,
                Some((r.id, r.secret)),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &signed, FormState { errors, ..form }, false, None).await
        }
        Err(e) => Err(e),
    };
    result.unwrap_or_else(error_page)
}

#[derive(Template)]
#[template(path = "admin_webhook.html")]
struct EndpointPage {
    layout: Layout,
    endpoint: WebhookEndpoint,
    deliveries: Vec<DeliveryLine>,
    done: Option<&'static str>,
    csrf: String,
    /// "Remove" was pressed: ask before removing.
    confirm_remove: bool,
}

impl EndpointPage {
    fn state_label(&self) -> &'static str {
        state_label(&self.endpoint.state)
    }

    fn when(&self, at: &jiff::Timestamp) -> String {
        long_date_time(*at)
    }

    fn status_label(&self, d: &DeliveryLine) -> &'static str {
        match d.status.as_str() {
            "delivered" => "Delivered",
            "failed" => "Failed",
            "sending" => "Sending",
            _ if d.attempts > 0 => "To try again",
            _ => "Waiting",
        }
    }

    fn status_class(&self, d: &DeliveryLine) -> &'static str {
        match d.status.as_str() {
            "delivered" => "tag--green",
            "failed" => "tag--red",
            _ if d.attempts > 0 => "tag--yellow",
            _ => "tag--grey",
        }
    }

    fn answer(&self, d: &DeliveryLine) -> String {
        match (&d.status_code, &d.error) {
            (Some(code), _) => format!("{code} {}", d.response.trim()),
            (None, Some(error)) => error.clone(),
            (None, None) => "Not tried yet".into(),
        }
    }
}

async fn show(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    let (endpoint, deliveries) = state
        .app
        .webhook_endpoint(&Principal::staff(&signed.user), &id)
        .await?;
    let done = match q.get("done").map(String::as_str) {
        Some("pause") => Some("Paused. Deliveries wait until you resume it."),
        Some("resume") => Some("Resumed. Waiting deliveries are sent now."),
        Some("test") => Some("A test message is queued: it shows below once sent."),
        Some("retry") => Some("The delivery will be sent again."),
        _ => None,
    };
    let form = FormState::default();
    Ok(render(
        StatusCode::OK,
        &EndpointPage {
            layout: Layout::staff(&state, &signed, "Webhook endpoint", &form),
            endpoint,
            deliveries,
            done,
            csrf: signed.csrf_token.clone(),
            confirm_remove: q.get("confirm").map(String::as_str) == Some("remove"),
        },
    ))
}

async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let action = form.values.get("action").map(String::as_str).unwrap_or("");
    let Some(parsed) = EndpointAction::parse(action) else {
        return error_page(AppError::invalid("action", "Choose what to do"));
    };
    // Removing cannot be undone (waiting deliveries go with it): asked first.
    if parsed == EndpointAction::Remove
        && form.values.get("confirmed").map(String::as_str) != Some("yes")
    {
        return Redirect::to(&format!("/staff/admin/webhooks/{id}?confirm=remove")).into_response();
    }
    let who = Principal::staff(&signed.user);
    match state.app.change_webhook_endpoint(&who, &id, parsed).await {
        Ok(()) if parsed == EndpointAction::Remove => {
            Redirect::to("/staff/admin/webhooks").into_response()
        }
        Ok(()) => {
            Redirect::to(&format!("/staff/admin/webhooks/{id}?done={action}")).into_response()
        }
        Err(e) => error_page(e),
    }
}

async fn retry(
    State(state): State<AppState>,
    Path((id, delivery)): Path<(String, String)>,
    StaffForm { signed, .. }: StaffForm<needs::Administer>,
) -> Response {
    let who = Principal::staff(&signed.user);
    match state.app.retry_webhook_delivery(&who, &id, &delivery).await {
        Ok(()) => Redirect::to(&format!("/staff/admin/webhooks/{id}?done=retry")).into_response(),
        Err(e) => error_page(e),
    }
}
