//! Contacts through the API: record one (idempotent with a key), read one, list and search.

use super::{app_problem, caller, problem};
use crate::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redress_app::access::Principal;
use redress_domain::FieldErrors;
use redress_domain::contact::{ContactInput, ContactKind, ContactStatus, Source};
use redress_store::ContactFilter;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Turns the JSON body into the domain's input, naming every field that does not fit the
/// API's contract (`contract.rs`) and every field the API does not know.
pub(crate) fn input_from_json(body: &[u8]) -> Result<ContactInput, Response> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let mut f = FieldErrors::new();
        f.add("body", format!("The body is not valid JSON: {e}"));
        problem(StatusCode::BAD_REQUEST, "Malformed JSON", Some(&f))
    })?;
    let invalid = |f: &FieldErrors| {
        problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(f),
        )
    };
    let Value::Object(map) = value else {
        let mut f = FieldErrors::new();
        f.add("body", "The body must be a JSON object");
        return Err(invalid(&f));
    };
    super::contract::contact_input(map).map_err(|f| invalid(&f))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let user = match caller(&state, &headers, false).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let input = match input_from_json(&body) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match state
        .app
        .submit_contact_viewed(
            &Principal::staff(&user),
            &input,
            Source::Api,
            key.as_deref(),
        )
        .await
    {
        Ok((is_new, view)) => {
            let status = if is_new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let reference = view.contact.reference.to_string();
            (
                status,
                [(header::LOCATION, format!("/api/contacts/{reference}"))],
                Json(case_json(&view)),
            )
                .into_response()
        }
        Err(e) => app_problem(e),
    }
}

pub(crate) fn case_json(view: &redress_app::cases::CaseView) -> Value {
    let c = &view.contact;
    json!({
        "reference": c.reference,
        "status": c.status,
        "stage": c.stage(),
        "acknowledge_by": c.acknowledge_by(),
        "respond_by": c.respond_by(),
        "contact": c,
        "deadlines": view.deadlines,
        "events": view.events,
        "service_area": view.service_area,
        "scheme": view.scheme.id,
    })
}

/// A case as its reader sees it: the case, and the letters and emails written about it,
/// with the resident's private links and codes hidden.
pub(crate) fn opened_json(opened: &redress_app::case_page::OpenedCase) -> Value {
    let mut case = case_json(&opened.view);
    case["letters"] = opened
        .letters
        .iter()
        .map(|l| {
            json!({
                "id": l.id,
                "kind": l.kind.as_str(),
                "delivery": l.delivery.as_str(),
                "status": l.status,
                "subject": l.subject,
                // Another system has no letter to print: every key to the resident's case
                // (a link, a posted code) is hidden.
                "body": redress_domain::letter::for_staff(&l.body),
                "created_at": l.created_at.to_string(),
                "sent_at": l.sent_at.map(|t| t.to_string()),
            })
        })
        .collect();
    case
}

pub(crate) async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Response {
    let user = match caller(&state, &headers, true).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state
        .app
        .open_case(&Principal::staff(&user), &reference, "API")
        .await
    {
        Ok(opened) => Json(opened_json(&opened)).into_response(),
        Err(e) => app_problem(e),
    }
}

/// The highest page number the list answers.
pub(crate) const MAX_PAGE: u32 = 1_000_000;

/// A choice given exactly as its identifier, with no spaces around it.
fn choice<T>(raw: &str, parse: fn(&str) -> Result<T, String>) -> Result<T, String> {
    let parsed = parse(raw)?;
    if raw != raw.trim() {
        return Err(format!("Give it without spaces: {}", raw.trim()));
    }
    Ok(parsed)
}

pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let user = match caller(&state, &headers, true).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut errors = FieldErrors::new();
    let get = |k: &str| q.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    // A typed parameter is given exactly, or left out: `stage=` is a mistake, not "any".
    let exact = |k: &str| q.get(k).map(String::as_str);
    let kind = exact("kind").and_then(|k| errors.take("kind", choice(k, ContactKind::parse)));
    let status =
        exact("status").and_then(|k| errors.take("status", choice(k, ContactStatus::parse)));
    let number = |k: &str, errors: &mut FieldErrors, max: u32| {
        exact(k).and_then(|v| match v.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                errors.add(k, format!("Must be a whole number from 1 to {max}"));
                None
            }
        })
    };
    let page = number("page", &mut errors, MAX_PAGE).unwrap_or(1);
    let per_page = number("per_page", &mut errors, 200).unwrap_or(50);
    let stage = number("stage", &mut errors, 2).and_then(|s| u8::try_from(s).ok());
    if !errors.is_empty() {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&errors),
        );
    }
    let filter = ContactFilter {
        kind,
        status,
        service_area: get("service_area").map(str::to_string),
        stage,
        assignee: get("assignee").map(str::to_string),
        due: None,
        search: get("q").map(|s| s.chars().take(200).collect()),
        page,
        per_page,
        areas: None,
        count_up_to: None,
        ..ContactFilter::default()
    };
    match state
        .app
        .list_cases_for(&Principal::staff(&user), &filter)
        .await
    {
        Ok(page) => Json(json!({
            "items": page.items,
            "total": page.total,
            "total_is_at_least": page.more,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages(),
        }))
        .into_response(),
        Err(e) => app_problem(e),
    }
}
