//! How letters are signed and checked: who signs them (and who signs final responses),
//! the contact details at their foot, whether final responses need a second person's
//! approval, and the payment amount above which someone other than its proposer approves.

use super::guard;
use crate::html::FormState;
use crate::session::{Staff, StaffForm, needs};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::letter::LetterKind;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/admin/signing", get(show).post(save))
}

#[derive(Template)]
#[template(path = "admin_signing.html")]
struct SigningPage {
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
            let s = state
                .app
                .letter_settings_for(&Principal::staff(&signed.user))
                .await?;
            let mut f = FormState::default();
            let final_signatory = s
                .by_kind
                .iter()
                .find(|(k, _)| *k == LetterKind::FinalResponse)
                .map(|(_, sig)| sig.clone())
                .unwrap_or_default();
            for (k, v) in [
                ("signatory_name", s.signatory.name),
                ("signatory_title", s.signatory.job_title),
                ("final_name", final_signatory.name),
                ("final_title", final_signatory.job_title),
                (
                    "final_approval",
                    if s.final_response_approval {
                        "yes"
                    } else {
                        "no"
                    }
                    .into(),
                ),
                (
                    "welsh",
                    if s.welsh_first {
                        "welsh-first"
                    } else {
                        "on-request"
                    }
                    .into(),
                ),
                (
                    "payment_limit",
                    s.payment_approval_above
                        .map(|p| format!("{:.2}", p.0 as f64 / 100.0))
                        .unwrap_or_default(),
                ),
            ] {
                f.values.insert(k.into(), v);
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
        &SigningPage {
            layout: Layout::staff(state, signed, "Signing and approvals", &form),
            form,
            saved,
            csrf: signed.csrf_token.clone(),
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    Staff(signed): Staff,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
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
    match state.app.save_letter_settings(&who, &form.values).await {
        Ok(()) => Redirect::to("/staff/admin/signing?saved=1").into_response(),
        Err(AppError::Invalid(errors)) => {
            match page(&state, &signed, Some(FormState { errors, ..form }), false).await {
                Ok(r) => r,
                Err(e) => error_page(e),
            }
        }
        Err(e) => error_page(e),
    }
}
