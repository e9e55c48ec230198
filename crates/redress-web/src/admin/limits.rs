//! The limits on files per case and per resident each day, and how far back a contact may
//! be dated: the administrator's page.

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
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/admin/limits", get(show).post(save))
}

#[derive(Template)]
#[template(path = "admin_limits.html")]
struct LimitsPage {
    layout: Layout,
    form: FormState,
    saved: bool,
    csrf: String,
}

async fn page(
    state: &AppState,
    signed: &Signed,
    form: Option<FormState>,
    saved: bool,
) -> Result<Response, AppError> {
    let form = match form {
        Some(f) => f,
        None => {
            let limits = state
                .app
                .limits_for(&Principal::staff(&signed.user))
                .await?;
            let mut f = FormState::default();
            for (k, v) in limits.fields() {
                f.values.insert(k.to_string(), v);
            }
            f
        }
    };
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        status,
        &LimitsPage {
            layout: Layout::staff(state, signed, "Limits", &form),
            form,
            saved,
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
    match state.app.save_limits(&who, &form.values).await {
        Ok(_) => Redirect::to("/staff/admin/limits?saved=1").into_response(),
        Err(AppError::Invalid(errors)) => {
            match page(&state, &signed, Some(FormState { errors, ..form }), false).await {
                Ok(r) => r,
                Err(e) => error_page(e),
            }
        }
        Err(e) => error_page(e),
    }
}
