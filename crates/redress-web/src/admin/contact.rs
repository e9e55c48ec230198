//! How residents reach us: the telephone, textphone or Relay UK, email, postal address and
//! opening hours shown on every page and in every letter; the safeguarding line residents
//! are given when someone is at risk; and the safeguarding leads alerted at once.

use super::guard;
use crate::html::FormState;
use crate::session::{Staff, StaffForm, needs};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::role::Permission;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/admin/contact", get(show).post(save))
}

#[derive(Template)]
#[template(path = "admin_contact.html")]
struct ContactPage {
    layout: Layout,
    form: FormState,
    saved: bool,
    /// Colleagues who may be leads: id, name, chosen.
    leads: Vec<(String, String, bool)>,
    csrf: String,
}

async fn page(
    state: &AppState,
    signed: &Signed,
    form: Option<FormState>,
    saved: bool,
) -> Result<Response, AppError> {
    let who = Principal::staff(&signed.user);
    let chosen = state.app.safeguarding_leads(&who).await?;
    let form = form.unwrap_or_else(|| {
        let mut f = FormState::default();
        for (k, v) in state.app.reach().fields() {
            f.values.insert(k.to_string(), v.to_string());
        }
        f
    });
    let leads = state
        .app
        .colleagues(&who)
        .await?
        .into_iter()
        .filter(|u| u.active && u.role.can(Permission::ViewCases))
        .map(|u| {
            // After a refusal, the boxes as the administrator left them.
            let ticked = form.values.contains_key(&format!("lead-{}", u.id));
            let on = if form.errors.is_empty() {
                chosen.contains(&u.id)
            } else {
                ticked
            };
            (u.id, format!("{} ({})", u.name, u.role.label()), on)
        })
        .collect();
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        status,
        &ContactPage {
            layout: Layout::staff(state, signed, "How residents reach us", &form),
            form,
            saved,
            leads,
            csrf: signed.csrf_token.clone(),
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    Ok(page(&state, &signed, None, q.contains_key("saved")).await?)
}

async fn save(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let leads: Vec<String> = form
        .values
        .keys()
        .filter_map(|k| k.strip_prefix("lead-"))
        .map(str::to_string)
        .collect();
    let result = state
        .app
        .set_reach_and_leads(&who, &form.values, &leads)
        .await;
    match result {
        Ok(()) => Redirect::to("/staff/admin/contact?saved=1").into_response(),
        Err(AppError::Invalid(errors)) => {
            match page(&state, &signed, Some(FormState { errors, ..form }), false).await {
                Ok(r) => r,
                Err(e) => error_page(e),
            }
        }
        Err(e) => error_page(e),
    }
}
