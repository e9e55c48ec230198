//! Reports through the API: the performance measures and CH01/CH02.

use super::{app_problem, caller, problem};
use crate::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use redress_app::access::Principal;
use redress_domain::FieldErrors;
use std::collections::BTreeMap;

/// A 422 naming each parameter given with characters its type never has (spaces, signs),
/// which the pages forgive but the API's document does not.
fn exactly(
    q: &BTreeMap<String, String>,
    names: &[&str],
    fits: impl Fn(&str) -> bool,
    message: &str,
) -> Option<Response> {
    let mut errors = FieldErrors::new();
    for name in names {
        if q.get(*name).is_some_and(|v| !fits(v)) {
            errors.add(*name, message);
        }
    }
    (!errors.is_empty()).then(|| {
        problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&errors),
        )
    })
}

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
    if let Some(r) = exactly(
        &q,
        &["from", "to"],
        |v| v.bytes().all(|b| b.is_ascii_digit() || b == b'-'),
        "Must be a date as YYYY-MM-DD",
    ) {
        return r;
    }
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
    if let Some(r) = exactly(
        &q,
        &["year"],
        |v| v.bytes().all(|b| b.is_ascii_digit()),
        "Must be a whole number, like 2025",
    ) {
        return r;
    }
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

/// A published annual report exactly as the governing body approved it, for anyone: the
/// latest version, or the one asked for with `version`.
pub(crate) async fn annual_report(
    State(state): State<AppState>,
    axum::extract::Path(year): axum::extract::Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut errors = FieldErrors::new();
    let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let year = match redress_app::reports::parse_year(&year) {
        Ok(y) if digits(&year) => Some(y),
        Ok(_) | Err(_) => {
            errors.add("year", "Must be a year from 2000 to 2100, like 2025");
            None
        }
    };
    let version = match q.get("version") {
        None => None,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=9_999).contains(&n) && digits(v) => Some(n),
            _ => {
                errors.add("version", "Must be a whole number from 1 to 9999");
                None
            }
        },
    };
    let Some(year) = year.filter(|_| errors.is_empty()) else {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The request has invalid fields",
            Some(&errors),
        );
    };
    match state.app.published_annual_report(year, version).await {
        Ok((report, versions)) => Json(serde_json::json!({
            "year": year,
            "version": report.summary.version,
            "published_on": report.summary.published_on.to_string(),
            "versions": versions,
            "report": report.report,
        }))
        .into_response(),
        Err(redress_app::AppError::NotFound) => {
            problem(StatusCode::NOT_FOUND, "That report is not published", None)
        }
        Err(e) => app_problem(e),
    }
}
