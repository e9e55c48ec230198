//! Reports through the API: the performance measures and CH01/CH02.

use super::{app_problem, caller};
use crate::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use redress_app::access::Principal;
use std::collections::BTreeMap;

/// Who is asking for a report; the report's use case checks they may read it.
pub(crate) async fn report_reader(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Principal, Response> {
    caller(state, headers, true)
        .await
        .map(|u| Principal::staff(&u))
}

/// Every performance measure for `from`..`to` (both included), optionally for one service
/// area (`service_area`, its name or id).
pub(crate) async fn report_measures(
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
pub(crate) async fn report_tsm(
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
