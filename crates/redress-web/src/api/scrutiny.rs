//! Community Calls for Scrutiny read through the API, for those who read scrutiny: the
//! requests, and one with its history. The requester's contact details are for staff who
//! support requesters only, as on the pages.

use super::{app_problem, caller};
use crate::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use redress_app::access::Principal;
use redress_domain::role::{Permission, User};
use redress_domain::scrutiny::{Request, Step};
use serde_json::{Value, json};

/// A request as the caller may see it.
fn request_json(r: &Request, user: &User) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        // What a draft's writer typed is theirs until they send it.
        map.remove("answers");
        if !user.role.can(Permission::SupportScrutiny) {
            // How to reach the requester and what they need (a format can tell of a
            // disability) are for those who write to them, as on the page; so are the
            // actions staff record.
            map.remove("actions");
            if let Some(Value::Object(form)) = map.get_mut("form") {
                for field in [
                    "email",
                    "phone",
                    "address",
                    "postcode",
                    "preferred_contact",
                    "format",
                    "language",
                ] {
                    form.remove(field);
                }
            }
        }
    }
    v
}

pub(crate) async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match caller(&state, &headers, true).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state.app.scrutiny_requests(&Principal::staff(&user)).await {
        Ok(requests) => Json(json!({
            "items": requests.iter().map(|r| request_json(r, &user)).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => app_problem(e),
    }
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
    let who = Principal::staff(&user);
    let found = match state.app.scrutiny_requests(&who).await {
        Ok(requests) => requests.into_iter().find(|r| r.reference == reference),
        Err(e) => return app_problem(e),
    };
    let Some(request) = found else {
        return app_problem(redress_app::AppError::NotFound);
    };
    match state.app.scrutiny_history(&who, &request.id).await {
        Ok(history) => {
            let mut v = request_json(&request, &user);
            let staff = user.role.can(Permission::SupportScrutiny);
            v["history"] = history
                .iter()
                // Staff notes are for staff who support requesters, as on the page.
                .filter(|h| {
                    staff
                        || !matches!(
                            h.step,
                            Some(Step::StaffNote { .. }) | Some(Step::FileAdded { .. })
                        )
                })
                .map(|h| json!({"at": h.at.to_string(), "by": h.actor, "what": h.summary}))
                .collect();
            Json(v).into_response()
        }
        Err(e) => app_problem(e),
    }
}
