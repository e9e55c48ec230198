//! What is waiting across cases: remedies and orders still to do, and who holds how many cases.

use super::staff_layout;
use crate::html::long_date;
use crate::session::Staff;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use redress_app::access::Principal;
use std::collections::BTreeMap;

pub(super) struct OpenActionRow {
    reference: String,
    what: String,
    owner: String,
    due: String,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "open_actions.html")]
pub(super) struct OpenActionsPage {
    layout: Layout,
    overdue_only: bool,
    rows: Vec<OpenActionRow>,
}

/// Remedies and ombudsman orders still to deliver, across all cases, earliest first.
pub(super) async fn open_actions(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let overdue_only = q.get("show").is_some_and(|v| v == "overdue");
    let today = state.app.today();
    let items = match state
        .app
        .open_actions_for(
            &Principal::staff(&signed.user),
            overdue_only.then_some(today),
        )
        .await
    {
        Ok(items) => items,
        Err(e) => return error_page(e),
    };
    let rows = items
        .into_iter()
        .map(|a| {
            let overdue = a.due < today;
            let money = a
                .amount_pence
                .map(|p| format!(" ({})", redress_domain::remedy::Pence(p)))
                .unwrap_or_default();
            OpenActionRow {
                reference: a.reference.to_string(),
                what: if a.kind == "panel" {
                    format!(
                        "{}: the resident asked because {}",
                        a.label(),
                        a.description
                    )
                } else {
                    format!("{} {}: {}{money}", a.label(), a.item_id, a.description)
                },
                owner: a.owner.clone().unwrap_or_else(|| {
                    if a.kind == "panel" {
                        "Tenants Panel".into()
                    } else {
                        "Complaints team".into()
                    }
                }),
                due: format!(
                    "{}{}",
                    long_date(a.due),
                    if overdue { " (overdue)" } else { "" }
                ),
                class: if overdue { "deadline--overdue" } else { "" },
            }
        })
        .collect();
    render(
        StatusCode::OK,
        &OpenActionsPage {
            layout: staff_layout(&state, "Remedies, orders and panel reviews", &signed),
            overdue_only,
            rows,
        },
    )
}

#[derive(Template)]
#[template(path = "workload.html")]
pub(super) struct WorkloadPage {
    layout: Layout,
    rows: Vec<redress_store::Workload>,
}

/// Open cases per person, for sharing work out fairly and spotting who is overloaded.
pub(super) async fn workload(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    match state.app.workload(&Principal::staff(&signed.user)).await {
        Ok(rows) => render(
            StatusCode::OK,
            &WorkloadPage {
                layout: staff_layout(&state, "Workload", &signed),
                rows,
            },
        ),
        Err(e) => error_page(e),
    }
}
