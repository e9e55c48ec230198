//! Staff sign-in and sign-out.

use crate::html::FormState;
use crate::public::contact::merge_errors;
use crate::session::{clear_cookie, cookie_value, same_origin, set_cookie};
use crate::{AppState, Layout, error_page, render};

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redress_app::AppError;

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    layout: Layout,
    form: FormState,
    /// The identity provider's name, when staff may sign in with it.
    sso: Option<String>,
    /// Whether everyone may use a password (otherwise administrators only).
    passwords_for_all: bool,
}

impl LoginPage {
    pub(super) fn new(state: &AppState, form: FormState) -> LoginPage {
        let sso = state.app.sso().map(|s| s.settings());
        let mut layout = Layout::new(state, "Sign in");
        layout.has_errors = !form.errors.is_empty();
        LoginPage {
            layout,
            form,
            sso: sso.map(|s| s.provider_name.clone()),
            passwords_for_all: sso
                .is_none_or(|s| s.passwords == redress_app::sso::Passwords::Everyone),
        }
    }
}

pub(super) async fn login_form(State(state): State<AppState>) -> Response {
    render(
        StatusCode::OK,
        &LoginPage::new(&state, FormState::default()),
    )
}

pub(super) async fn login(
    State(state): State<AppState>,
    client: Option<axum::Extension<crate::throttle::ClientAddress>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let source = client.map(|c| c.0.0.to_string()).unwrap_or_default();
    let values = crate::forms::parse_body(&body);
    let email = values.get("email").cloned().unwrap_or_default();
    let password = values.get("password").cloned().unwrap_or_default();
    let mut form = FormState::default();
    form.values.insert("email".into(), email.clone());
    if !same_origin(&headers) {
        form.errors
            .add("email", "Sign in from this site's own sign-in page");
    } else if email.trim().is_empty() {
        form.errors.add("email", "Enter your email address");
    } else if password.is_empty() {
        form.errors.add("password", "Enter your password");
    } else {
        match state.app.sign_in(&email, &password, &source).await {
            Ok((token, signed)) => {
                let home = crate::page::home_for(signed.user.role);
                return (
                    StatusCode::SEE_OTHER,
                    [
                        (header::SET_COOKIE, set_cookie(&token, state.secure_cookies)),
                        (header::LOCATION, home.into()),
                    ],
                )
                    .into_response();
            }
            Err(AppError::Invalid(errors)) => merge_errors(&mut form, &errors),
            Err(e) => return error_page(e),
        }
    }
    render(StatusCode::OK, &LoginPage::new(&state, form))
}

pub(super) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(token) = cookie_value(&headers) {
        let values = crate::forms::parse_body(&body);
        let signed = state.app.session(&token).await.ok().flatten();
        let csrf_ok = signed.is_some_and(|s| values.get("csrf") == Some(&s.csrf_token));
        if csrf_ok
            && same_origin(&headers)
            && let Err(e) = state.app.sign_out(&token).await
        {
            return error_page(e);
        }
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, clear_cookie(state.secure_cookies)),
            (header::LOCATION, "/staff/login".into()),
        ],
    )
        .into_response()
}
