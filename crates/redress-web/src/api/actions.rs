//! A case moved on through the API: every staff action of the case page, at
//! `POST /api/contacts/{reference}/actions/{action}`, with the same fields, permissions,
//! scope and rules as its form; and a case's files. A refusal is a problem document
//! naming the field it is about.

use super::{app_problem, caller, problem};
use crate::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use redress_app::access::Principal;
use redress_domain::FieldErrors;
use serde_json::Value;
use std::collections::BTreeMap;

/// The body: a JSON object of the form's fields, each a string, a number or true/false
/// (a ticked box); `null` leaves a field out.
fn values(body: &[u8]) -> Result<BTreeMap<String, String>, Response> {
    let invalid = |f: &FieldErrors| {
        problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(f),
        )
    };
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            let mut f = FieldErrors::new();
            f.add("body", format!("The body is not valid JSON: {e}"));
            problem(StatusCode::BAD_REQUEST, "Malformed JSON", Some(&f))
        })?
    };
    let Value::Object(map) = value else {
        let mut f = FieldErrors::new();
        f.add(
            "body",
            "The body must be a JSON object of the action's fields",
        );
        return Err(invalid(&f));
    };
    let mut errors = FieldErrors::new();
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let text = match v {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => continue,
            Value::Array(_) | Value::Object(_) => {
                errors.add(&k, "Give a string, a number or true/false");
                continue;
            }
        };
        out.insert(k, text);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(invalid(&errors))
    }
}

pub(crate) async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((reference, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let user = match caller(&state, &headers, false).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let values = match values(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let done = crate::staff::actions::act_for_api(&state, &user, &reference, &action, values).await;
    match done {
        Ok(next) => match state
            .app
            .open_case(&Principal::staff(&user), &next, "API")
            .await
        {
            Ok(opened) => Json(super::contacts::opened_json(&opened)).into_response(),
            // Done, but now outside what the caller may see (moved to another service
            // area, say): it is still done, and a retry must not think otherwise.
            Err(redress_app::AppError::Forbidden | redress_app::AppError::NotFound) => {
                Json(serde_json::json!({"reference": next})).into_response()
            }
            Err(e) => app_problem(e),
        },
        Err(e) => app_problem(e),
    }
}

/// Adds a file to a case: a `multipart/form-data` body with the `file` (its part named
/// with the file's name), a `description` and, optionally, the `version` read. The same
/// kinds, sizes, limits and permission as the case page's form.
pub(crate) async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let user = match caller(&state, &headers, false).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(mut multipart) = multipart else {
        let mut f = FieldErrors::new();
        f.add(
            "body",
            "Send the file as multipart/form-data, in a part named file",
        );
        return problem(StatusCode::BAD_REQUEST, "Not a multipart body", Some(&f));
    };
    let (form, file) = crate::forms::read_upload(&mut multipart).await;
    let mut errors = form.errors.clone();
    let version = match form.values.get("version").map(|v| v.trim()) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add("version", "Give the version as a whole number");
                None
            }
        },
    };
    let (file_name, bytes) = file.unwrap_or_default();
    if file_name.is_empty() && bytes.is_empty() {
        errors.add(
            "file",
            "Send a file in a part named file, with its file name",
        );
    }
    if !errors.is_empty() {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&errors),
        );
    }
    let who = Principal::staff(&user);
    let description = form.values.get("description").cloned().unwrap_or_default();
    match state
        .app
        .add_attachment(&who, &reference, &file_name, &bytes, &description, version)
        .await
    {
        Ok(contact) => match state
            .app
            .open_case(&who, contact.reference.as_str(), "API")
            .await
        {
            Ok(opened) => (
                StatusCode::CREATED,
                Json(super::contacts::opened_json(&opened)),
            )
                .into_response(),
            Err(e) => app_problem(e),
        },
        Err(e) => app_problem(e),
    }
}

/// A file on a case, as a download.
pub(crate) async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    let user = match caller(&state, &headers, true).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state
        .app
        .case_file(&Principal::staff(&user), &reference, &id)
        .await
    {
        Ok((info, bytes)) => crate::download::uploaded(info.file_type, &info.name, bytes),
        Err(e) => app_problem(e),
    }
}
