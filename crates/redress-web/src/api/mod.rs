//! The JSON API: create a contact, read a case, list and search cases. Errors are RFC 9457
//! problem documents naming each wrong field. Authentication is a bearer token
//! (`redress user token EMAIL`) or a staff session for reads.

use crate::AppState;
use crate::session::cookie_value;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::FieldErrors;
use redress_domain::contact::{ContactInput, ContactKind, ContactStatus, Source};
use redress_domain::role::User;
use redress_store::ContactFilter;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/contacts", get(list).post(create))
        .route("/api/contacts/{reference}", get(read))
        .route("/api/reports/measures", get(report_measures))
        .route("/api/reports/tsm", get(report_tsm))
        .route(
            "/api/import/cases",
            axum::routing::post(import_cases)
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
}

fn problem(status: StatusCode, title: &str, errors: Option<&FieldErrors>) -> Response {
    let mut body = json!({"type": "about:blank", "title": title, "status": status.as_u16()});
    if let Some(errors) = errors {
        body["errors"] = errors
            .iter()
            .map(|(f, m)| json!({"field": f, "message": m}))
            .collect();
    }
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

fn app_problem(e: AppError) -> Response {
    match e {
        AppError::Invalid(errors) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&errors),
        ),
        AppError::NotFound => problem(StatusCode::NOT_FOUND, "Not found", None),
        AppError::Forbidden => {
            problem(StatusCode::FORBIDDEN, "Your role does not allow this", None)
        }
        AppError::Conflict(m) => problem(StatusCode::CONFLICT, &m, None),
        other => {
            tracing::error!(error = %other, "api request failed");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal error", None)
        }
    }
}

/// The caller: a bearer token, or for reads a staff session cookie.
async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    allow_cookie: bool,
) -> Result<User, Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let user = match bearer {
        Some(token) => state.app.api_user(token).await.map_err(app_problem)?,
        None if allow_cookie => match cookie_value(headers) {
            Some(token) => state
                .app
                .session(&token)
                .await
                .map_err(app_problem)?
                .map(|s| s.user),
            None => None,
        },
        None => None,
    };
    user.ok_or_else(|| {
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "Send a bearer token: Authorization: Bearer <token>",
            None,
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        r
    })
}

/// Turns the JSON body into the domain's input, reporting every field that is not text
/// (booleans are accepted for yes/no fields) and every field the API does not know.
fn input_from_json(body: &[u8]) -> Result<ContactInput, Response> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let mut f = FieldErrors::new();
        f.add("body", format!("The body is not valid JSON: {e}"));
        problem(StatusCode::BAD_REQUEST, "Malformed JSON", Some(&f))
    })?;
    let Value::Object(map) = value else {
        let mut f = FieldErrors::new();
        f.add("body", "The body must be a JSON object");
        return Err(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&f),
        ));
    };
    let known = serde_json::to_value(ContactInput::default()).unwrap_or(Value::Null);
    let mut errors = FieldErrors::new();
    let mut clean = serde_json::Map::new();
    for (k, v) in map {
        if known.get(&k).is_none() {
            errors.add(k.clone(), "Unknown field");
            continue;
        }
        let text = match v {
            Value::String(s) => s,
            Value::Bool(b) => {
                if b {
                    "yes".into()
                } else {
                    String::new()
                }
            }
            Value::Null => String::new(),
            _ => {
                errors.add(k.clone(), "Must be a string");
                continue;
            }
        };
        clean.insert(k, Value::String(text));
    }
    if !errors.is_empty() {
        return Err(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&errors),
        ));
    }
    Ok(serde_json::from_value(Value::Object(clean)).unwrap_or_default())
}

async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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

fn case_json(view: &redress_app::cases::CaseView) -> Value {
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

async fn read(
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
        Ok(opened) => Json(case_json(&opened.view)).into_response(),
        Err(e) => app_problem(e),
    }
}

async fn list(
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
    let kind = get("kind").and_then(|k| errors.take("kind", ContactKind::parse(k)));
    let status = get("status").and_then(|k| errors.take("status", ContactStatus::parse(k)));
    let number = |k: &str, errors: &mut FieldErrors, max: u32| {
        get(k).and_then(|v| match v.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.add(k, format!("Must be a whole number from 1 to {max}"));
                None
            }
        })
    };
    let page = number("page", &mut errors, 1_000_000).unwrap_or(1);
    let per_page = number("per_page", &mut errors, 200).unwrap_or(50);
    let stage = number("stage", &mut errors, 9).and_then(|s| u8::try_from(s).ok());
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

async fn openapi() -> Response {
    let fields: serde_json::Map<String, Value> = serde_json::to_value(ContactInput::default())
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
        .keys()
        .map(|k| (k.clone(), json!({"type": "string"})))
        .collect();
    let problem_ref = json!({"$ref": "#/components/schemas/Problem"});
    let problem_response = |d: &str| json!({"description": d, "content": {"application/problem+json": {"schema": problem_ref}}});
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Redress API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Complaints, comments and compliments case management."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "ContactInput": {"type": "object", "additionalProperties": false, "properties": fields,
                    "required": ["kind", "channel", "summary"],
                    "description": "The same fields as the staff form. Choices use the identifiers shown in the form (for example kind: complaint, service-request, comment, compliment, other-route). Dates are YYYY-MM-DD; yes/no fields accept true/false."},
                "Problem": {"type": "object", "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/contacts": {
                "post": {"summary": "Record a contact", "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false,
                        "description": "Repeat a request with the same key to get the same contact back, never a second one.", "schema": {"type": "string"}}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContactInput"}}}},
                    "responses": {"201": {"description": "Recorded; the case"}, "200": {"description": "Already recorded with this key; the case"},
                        "400": problem_response("Malformed JSON"), "401": problem_response("No valid token"),
                        "403": problem_response("Role may not record contacts"), "422": problem_response("Invalid fields")}},
                "get": {"summary": "List and search cases", "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "kind", "in": "query", "schema": {"type": "string"}},
                        {"name": "status", "in": "query", "schema": {"type": "string"}},
                        {"name": "stage", "in": "query", "schema": {"type": "integer"}},
                        {"name": "service_area", "in": "query", "schema": {"type": "string"}},
                        {"name": "assignee", "in": "query", "description": "A user id: cases where they are the complaints officer or case worker", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                    "responses": {"200": {"description": "A page of cases"}, "401": problem_response("No valid token"), "422": problem_response("Invalid parameters")}}
            },
            "/api/contacts/{reference}": {
                "get": {"summary": "Get a case with its deadlines and history",
                    "parameters": [{"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The case"}, "401": problem_response("No valid token"), "404": problem_response("No such case")}}
            },
            "/api/reports/measures": {
                "get": {"summary": "Every performance measure for a period (see docs/reporting.md)",
                    "parameters": [
                        {"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}},
                        {"name": "to", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}},
                        {"name": "service_area", "in": "query", "description": "A service area's name or id", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The measures"}, "401": problem_response("No valid token"),
                        "403": problem_response("Role may not read reports"), "422": problem_response("Invalid period or service area")}}
            },
            "/api/reports/tsm": {
                "get": {"summary": "CH01 and CH02 (main and strict) for a financial year",
                    "parameters": [{"name": "year", "in": "query", "required": true, "description": "The year the financial year starts in", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "The measures"}, "401": problem_response("No valid token"),
                        "403": problem_response("Role may not read reports"), "422": problem_response("Invalid year")}}
            },
            "/api/import/cases": {
                "post": {"summary": "Import historic cases from CSV (see docs/importing.md); administrators only",
                    "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
                    "responses": {"200": {"description": "Imported: counts of cases imported and already there"},
                        "422": {"description": "Nothing imported: every rejected row with its column and message"},
                        "401": problem_response("No valid token"), "403": problem_response("Not an administrator")}}
            },
            "/healthz": {"get": {"summary": "Health check", "security": [], "responses": {"200": {"description": "Serving"}, "503": {"description": "Database unavailable"}}}}
        }
    }))
    .into_response()
}

/// Who is asking for a report; the report's use case checks they may read it.
async fn report_reader(state: &AppState, headers: &HeaderMap) -> Result<Principal, Response> {
    caller(state, headers, true)
        .await
        .map(|u| Principal::staff(&u))
}

/// Every performance measure for `from`..`to` (both included), optionally for one service
/// area (`service_area`, its name or id).
async fn report_measures(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let who = match report_reader(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let period = match redress_app::reports::parse_period(get("from"), get("to")) {
        Ok(p) => p,
        Err(e) => return app_problem(e),
    };
    match state
        .app
        .measures(&who, period, q.get("service_area").map(String::as_str))
        .await
    {
        Ok(m) => Json(m).into_response(),
        Err(e) => app_problem(e),
    }
}

/// CH01 and CH02 for the financial year starting in April of `year`.
async fn report_tsm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let who = match report_reader(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let year = match redress_app::reports::parse_year(
        q.get("year").map(String::as_str).unwrap_or_default(),
    ) {
        Ok(y) => y,
        Err(e) => return app_problem(e),
    };
    match state.app.tsm(&who, year).await {
        Ok(t) => Json(t).into_response(),
        Err(e) => app_problem(e),
    }
}

/// Historic files can be large; far beyond any form, still bounded.
const IMPORT_LIMIT: usize = 50 * 1024 * 1024;

/// Imports a CSV file of historic cases (docs/importing.md): 200 with the counts when it
/// was imported, 422 with every rejected row when nothing was.
async fn import_cases(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let who = match caller(&state, &headers, false).await {
        Ok(u) => Principal::staff(&u),
        Err(r) => return r,
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return problem(StatusCode::BAD_REQUEST, "The file must be UTF-8 text", None);
    };
    match state.app.import_cases(&who, text).await {
        Ok(report) if report.rejected.is_empty() => Json(report).into_response(),
        Ok(report) => (StatusCode::UNPROCESSABLE_ENTITY, Json(report)).into_response(),
        Err(e) => app_problem(e),
    }
}
