//! Staff single sign-on: off to the organisation's identity provider, and back.

use super::login::LoginPage;
use crate::html::FormState;
use crate::session::{cookie_named, set_cookie};
use crate::{AppState, error_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redress_app::AppError;
use std::collections::BTreeMap;

/// Holds a sign-in's state in the browser that began it. `Lax`, unlike the session cookie,
/// because the provider sends the browser back from another site.
const STATE_COOKIE: &str = "redress_sso";

fn state_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{STATE_COOKIE}={value}; Path=/staff/sso; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    )
}

/// The sign-in page with the refusal at the single sign-on button.
fn refused(state: &AppState, errors: redress_domain::FieldErrors) -> Response {
    let form = FormState {
        errors,
        ..Default::default()
    };
    render(StatusCode::FORBIDDEN, &LoginPage::new(state, form))
}

pub(super) async fn start(State(state): State<AppState>) -> Response {
    match state.app.sso_start().await {
        Ok(started) => (
            StatusCode::SEE_OTHER,
            [
                (
                    header::SET_COOKIE,
                    state_cookie(&started.state, 600, state.secure_cookies),
                ),
                (header::LOCATION, started.url),
            ],
        )
            .into_response(),
        Err(AppError::Invalid(errors)) => refused(&state, errors),
        Err(e) => error_page(e),
    }
}

/// A page that goes on to the member of staff's home at once. The session cookie is
/// `SameSite=Strict`, so a redirect straight from the provider's answer would arrive
/// without it; a navigation from this page, on this site, carries it.
#[derive(Template)]
#[template(
    source = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0;url={{ home }}"><title>Signed in</title></head>
<body><main id="main-content"><h1>Signed in</h1><p><a href="{{ home }}">Continue to your work</a></p></main></body></html>"#,
    ext = "html"
)]
struct SignedIn {
    home: &'static str,
}

pub(super) async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(answer): Query<BTreeMap<String, String>>,
) -> Response {
    let kept = cookie_named(&headers, STATE_COOKIE);
    let result = state.app.sso_finish(&answer, kept.as_deref()).await;
    let forget = state_cookie("", 0, state.secure_cookies);
    match result {
        Ok((token, signed)) => {
            let home = crate::page::home_for(signed.user.role);
            let mut response = render(StatusCode::OK, &SignedIn { home });
            let h = response.headers_mut();
            for c in [set_cookie(&token, state.secure_cookies), forget] {
                if let Ok(v) = c.parse() {
                    h.append(header::SET_COOKIE, v);
                }
            }
            response
        }
        Err(AppError::Invalid(errors)) => {
            let mut response = refused(&state, errors);
            if let Ok(v) = forget.parse() {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Err(e) => error_page(e),
    }
}
