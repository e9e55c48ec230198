//! Historic cases imported as one CSV file, whole or not at all.

use super::{app_problem, caller, problem};
use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use redress_app::access::Principal;

/// Historic files can be large; far beyond any form, still bounded.
pub(crate) const IMPORT_LIMIT: usize = 50 * 1024 * 1024;

/// Imports a CSV file of historic cases (docs/importing.md): 200 with the counts when it
/// was imported, 422 with every rejected row when nothing was.
pub(crate) async fn import_cases(
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
