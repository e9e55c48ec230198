//! The JSON API: create a contact, read a case, list and search cases. Errors are RFC 9457
//! problem documents naming each wrong field. Authentication is a bearer token
//! (`redress user token EMAIL`) or a staff session for reads.

use crate::AppState;
use crate::session::cookie_value;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_domain::FieldErrors;
use redress_domain::role::User;
use serde_json::json;

mod actions;
mod contacts;
mod contract;
mod import;
mod openapi;
mod reports;
mod scrutiny;

use contacts::{create, list, read};
use import::{IMPORT_LIMIT, import_cases};
use openapi::openapi;
use reports::{annual_report, report_measures, report_tsm};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/contacts", get(list).post(create))
        .route("/api/contacts/{reference}", get(read))
        .route(
            "/api/contacts/{reference}/actions/{action}",
            axum::routing::post(actions::act),
        )
        .route(
            "/api/contacts/{reference}/files",
            axum::routing::post(actions::upload).layer(axum::extract::DefaultBodyLimit::max(
                redress_domain::attachment::MAX_BYTES + 1024 * 1024,
            )),
        )
        .route("/api/contacts/{reference}/files/{id}", get(actions::file))
        .route("/api/scrutiny/requests", get(scrutiny::list))
        .route("/api/scrutiny/requests/{reference}", get(scrutiny::read))
        .route("/api/reports/measures", get(report_measures))
        .route("/api/reports/tsm", get(report_tsm))
        .route("/api/annual-report/{year}", get(annual_report))
        .route("/api/token/rotate", axum::routing::post(rotate_token))
        .route(
            "/api/import/cases",
            axum::routing::post(import_cases)
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
}

pub(crate) fn problem(status: StatusCode, title: &str, errors: Option<&FieldErrors>) -> Response {
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

pub(crate) fn app_problem(e: AppError) -> Response {
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
        AppError::Domain(e) => {
            let mut errors = FieldErrors::new();
            errors.add(e.field(), e.to_string());
            problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The case does not allow this now",
                Some(&errors),
            )
        }
        other => {
            tracing::error!(error = %other, "api request failed");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal error", None)
        }
    }
}

/// Exchanges the caller's bearer token for a new one; the old one stops working at once.
async fn rotate_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = bearer else {
        return problem(
            StatusCode::UNAUTHORIZED,
            "Send the token to replace: Authorization: Bearer <token>",
            None,
        );
    };
    match state.app.rotate_api_token(token).await {
        Ok((fresh, expires)) => (
            StatusCode::OK,
            axum::Json(json!({"token": fresh, "expires_at": expires.to_string()})),
        )
            .into_response(),
        Err(AppError::Forbidden) => problem(
            StatusCode::UNAUTHORIZED,
            "That token is not valid or has expired: ask an administrator for a new one",
            None,
        ),
        Err(e) => app_problem(e),
    }
}

/// The caller: a bearer token, or for reads a staff session cookie.
pub(crate) async fn caller(
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
