//! Residents following their own case: sign in with the reference and the email address
//! or postcode they gave, see where it is and the letters sent, add information, ask for a
//! review, or withdraw. Works without JavaScript; the session opens that one case only.

use crate::html::FormState;
use crate::page::resident_message;
use crate::public::contact::forbidden_origin;
use crate::session::same_origin;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_domain::language::Language;
use std::collections::BTreeMap;

mod case;

const COOKIE: &str = "redress_resident";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/track", get(sign_in_form).post(sign_in))
        .route("/track/case", get(case::case))
        .route("/track/case/{request}", post(case::request))
        .route(
            "/track/case/files",
            post(case::upload).layer(axum::extract::DefaultBodyLimit::max(
                redress_domain::attachment::MAX_BYTES + 1024 * 1024,
            )),
        )
        .route("/track/sign-out", post(sign_out))
        .route("/track/email-link", post(email_link))
        .route("/track/link/{token}", get(link_page).post(open_link))
        .route("/c", get(code_form).post(code_entered))
        .route("/c/{code}", get(code_page))
}

pub(super) fn token(headers: &HeaderMap) -> Option<String> {
    crate::session::cookie_named(headers, COOKIE)
}

#[derive(Template)]
#[template(path = "track_sign_in.html")]
struct SignInPage {
    layout: Layout,
    form: FormState,
}

fn sign_in_page(state: &AppState, lang: Language, mut form: FormState) -> Response {
    let mut layout = Layout::resident(state, lang, "track-sign-in-title", "/track");
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    render(StatusCode::OK, &SignInPage { layout, form })
}

async fn sign_in_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    let mut form = FormState::default();
    if let Some(r) = q.get("reference") {
        form.values
            .insert("reference".into(), r.chars().take(30).collect());
    }
    sign_in_page(&state, lang, form)
}

async fn sign_in(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::i18n::language(&headers);
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    if form.v("reference").trim().is_empty() {
        form.errors.add("reference", "Enter your reference");
    }
    if form.v("answer").trim().is_empty() {
        form.errors
            .add("answer", "Enter the email address or postcode you gave us");
    }
    if !form.errors.is_empty() {
        return sign_in_page(&state, lang, form);
    }
    match state
        .app
        .resident_sign_in(form.v("reference"), form.v("answer"), form.v("surname"))
        .await
    {
        Ok((token, _)) => signed_in(&state, &token),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            sign_in_page(&state, lang, form)
        }
        Err(e) => error_page(e),
    }
}

/// Sets the resident's session cookie and opens their case.
fn signed_in(state: &AppState, token: &str) -> Response {
    let cookie = crate::session::cookie(
        COOKIE,
        token,
        "/track",
        redress_app::resident::RESIDENT_SESSION.as_secs(),
        state.secure_cookies,
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/track/case".into()),
        ],
    )
        .into_response()
}

async fn email_link(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::i18n::language(&headers);
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    if form.v("link_reference").trim().is_empty() {
        form.errors.add("link_reference", "Enter your reference");
    }
    if !form.v("link_email").contains('@') {
        form.errors.add(
            "link_email",
            "Enter the email address you gave us, like name@example.com",
        );
    }
    if !form.errors.is_empty() {
        return sign_in_page(&state, lang, form);
    }
    match state
        .app
        .email_resident_link(
            form.v("link_reference"),
            form.v("link_email"),
            &state.public_url,
        )
        .await
    {
        Ok(()) => resident_message(
            &state,
            lang,
            StatusCode::OK,
            "message-check-email",
            "/track",
        ),
        Err(AppError::Invalid(errors)) => {
            for (_, m) in errors.iter() {
                form.errors.add("link_reference", m);
            }
            sign_in_page(&state, lang, form)
        }
        Err(e) => error_page(e),
    }
}

#[derive(Template)]
#[template(path = "track_link.html")]
struct LinkPage {
    layout: Layout,
    token: String,
}

/// Opening the link only shows a button: email scanners that fetch links must not use up
/// a single-use link, and the button's same-site request lets the session cookie work.
#[derive(Template)]
#[template(path = "track_code.html")]
struct CodePage {
    layout: Layout,
    form: FormState,
}

/// `/c`: the short address printed on letters, where a resident types their code.
async fn code_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    // A Welsh letter's address says `?lang=cy`: its reader sees Welsh from the first page.
    let asked = q.get("lang").and_then(|l| Language::parse(l).ok());
    let lang = asked.unwrap_or_else(|| crate::i18n::language(&headers));
    let page = render(
        StatusCode::OK,
        &CodePage {
            layout: Layout::resident(&state, lang, "track-code-title", "/c"),
            form: FormState::default(),
        },
    );
    crate::i18n::remembered(page, asked, state.secure_cookies)
}

async fn code_entered(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let lang = crate::i18n::language(&headers);
    let mut form = FormState::from_body(&body);
    let code = redress_app::auth::typed_key(form.v("code"));
    if code.len() != redress_app::auth::CODE_LENGTH {
        form.errors.add(
            "code",
            "Enter the 8 letters and numbers of the code, like ABCD 2345",
        );
        crate::i18n::localise_errors(lang, &mut form);
        let mut layout = Layout::resident(&state, lang, "track-code-title", "/c");
        layout.has_errors = true;
        return render(StatusCode::BAD_REQUEST, &CodePage { layout, form });
    }
    Redirect::to(&format!("/c/{code}")).into_response()
}

/// `/c/CODE`: the code as typed from a letter (or scanned), then the same button as a link.
async fn code_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let asked = q.get("lang").and_then(|l| Language::parse(l).ok());
    let lang = asked.unwrap_or_else(|| crate::i18n::language(&headers));
    let token = redress_app::auth::typed_key(&crate::forms::token_in_path(&code));
    let page = render(
        StatusCode::OK,
        &LinkPage {
            layout: Layout::resident(&state, lang, "track-open-title", &format!("/c/{token}")),
            token,
        },
    );
    crate::i18n::remembered(page, asked, state.secure_cookies)
}

async fn link_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    // A Welsh speaker's emailed link says `?lang=cy`.
    let asked = q.get("lang").and_then(|l| Language::parse(l).ok());
    let lang = asked.unwrap_or_else(|| crate::i18n::language(&headers));
    let token = crate::forms::token_in_path(&token);
    let page = render(
        StatusCode::OK,
        &LinkPage {
            layout: Layout::resident(
                &state,
                lang,
                "track-open-title",
                &format!("/track/link/{token}"),
            ),
            token,
        },
    );
    crate::i18n::remembered(page, asked, state.secure_cookies)
}

async fn open_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::i18n::language(&headers);
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    match state.app.resident_sign_in_with_link(&token).await {
        Ok((session, _)) => signed_in(&state, &session),
        Err(AppError::Forbidden) => resident_message(
            &state,
            lang,
            StatusCode::FORBIDDEN,
            "message-link-used",
            "/track",
        ),
        Err(e) => error_page(e),
    }
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token(&headers)
        && same_origin(&headers)
        && let Err(e) = state.app.resident_sign_out(&token).await
    {
        return error_page(e);
    }
    let cookie = crate::session::cookie(COOKIE, "", "/track", 0, state.secure_cookies);
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/".to_string()),
        ],
    )
        .into_response()
}
