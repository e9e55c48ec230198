//! A letter to a person who asked for scrutiny, on an A4 page to print or send for
//! conversion, with the button that records it as gone.

use crate::AppState;
use crate::error_page;
use crate::session::Scrutineer;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use redress_app::access::Principal;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/staff/scrutiny/requests/{id}/letters/{letter}",
        get(print_letter),
    )
}

/// A letter to the requester on an A4 page, with the button that records it as gone.
async fn print_letter(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path((id, letter)): Path<(String, String)>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let found = match state
        .app
        .scrutiny_letter_for(&Principal::staff(&signed.user), &id, &letter)
        .await
    {
        Ok(l) => l,
        Err(e) => return error_page(e),
    };
    let mark = match found.status.as_str() {
        "to-print" => Some("Record as printed and posted today"),
        "to-convert" => Some("Record as sent as asked today"),
        _ => None,
    }
    .map(|label| crate::staff::letters::Mark {
        action: format!("/staff/scrutiny/requests/{id}/posted"),
        letter: found.id.clone(),
        label: label.into(),
    });
    crate::staff::letters::print_page(
        &state,
        &signed,
        &found,
        format!("/staff/scrutiny/requests/{id}"),
        mark,
        q.get("large").map(String::as_str),
        // Only staff who support requesters open these at all.
        true,
    )
}
