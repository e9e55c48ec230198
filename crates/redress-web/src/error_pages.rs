//! The one place errors become pages. A handler's refusal travels in its response and is
//! drawn here, by a layer that knows who asked: staff see staff wording, and a resident sees
//! a page in their language (this session's choice, a `?lang=` in the address, else their
//! browser's) that never sends them to the staff pages.

use crate::page::{ResidentMessage, message};
use crate::{AppState, i18n};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use redress_app::AppError;
use redress_domain::language::Language;
use std::sync::{Arc, Mutex};

/// What a handler that can fail returns: `?` turns a use case's refusal into the page that
/// explains it.
pub(crate) type PageResult = Result<Response, PageError>;

/// A refusal on its way to becoming a page. The page needs the site's frame and the
/// reader's language, which a handler's response does not have, so the error travels in the
/// response's extensions and `render_errors` (a layer with the state) draws it.
#[derive(Debug)]
pub(crate) enum PageError {
    App(AppError),
    /// A page already made, such as a form shown again with its messages.
    Page(Response),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        PageError::Page(r)
    }
}

/// The error a response still has to be drawn for.
#[derive(Clone)]
struct Unrendered(Arc<Mutex<Option<AppError>>>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Page(r) => r,
            PageError::App(e) => {
                let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                r.extensions_mut()
                    .insert(Unrendered(Arc::new(Mutex::new(Some(e)))));
                r
            }
        }
    }
}

/// A refusal by the throttle, still to be drawn as a page.
#[derive(Clone, Copy)]
struct Throttled;

/// `429 Too Many Requests` as a page, drawn on its way out by `render_errors`.
pub(crate) fn too_many_page() -> Response {
    let mut r = StatusCode::TOO_MANY_REQUESTS.into_response();
    r.extensions_mut().insert(Throttled);
    r
}

/// The page for an error no person can correct, drawn on its way out by `render_errors`.
pub(crate) fn error_page(e: AppError) -> Response {
    PageError::App(e).into_response()
}

/// The page-not-found page, in the reader's language.
pub(crate) fn page_not_found() -> Response {
    error_page(AppError::NotFound)
}

/// Any address nothing answers.
pub(crate) async fn not_found() -> Response {
    page_not_found()
}

/// Who an error page speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Staff,
    Resident(Language),
}

impl Audience {
    fn of(request: &Request) -> Audience {
        let path = request.uri().path();
        let staff = ["/staff", "/api", "/metrics"]
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")));
        if staff {
            return Audience::Staff;
        }
        // A short address from a Welsh letter says `?lang=cy`.
        let asked = request.uri().query().and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.strip_prefix("lang="))
                .find_map(|v| Language::parse(v).ok())
        });
        Audience::Resident(asked.unwrap_or_else(|| i18n::language(request.headers())))
    }
}

/// Draws the page for any error a handler (or the throttle) returned.
pub(crate) async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let audience = Audience::of(&request);
    let here = here(&request);
    let mut response = next.run(request).await;
    let mut page = if response.extensions_mut().remove::<Throttled>().is_some() {
        too_many(&state, audience, &here)
    } else {
        let Some(Unrendered(slot)) = response.extensions_mut().remove::<Unrendered>() else {
            return response;
        };
        let taken = match slot.lock() {
            Ok(mut e) => e.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        let Some(e) = taken else {
            return response;
        };
        match audience {
            Audience::Staff => staff_page(&state, e),
            Audience::Resident(lang) => resident_page(&state, lang, e, &here),
        }
    };
    // The page replaces the response, but what the layers learnt about the request (the
    // route that answered, for the log and the metrics) stays with it, as do its headers
    // (cookies, when to retry).
    *page.extensions_mut() = std::mem::take(response.extensions_mut());
    let own: Vec<header::HeaderName> = page.headers().keys().cloned().collect();
    for (name, value) in response.headers() {
        if name != header::CONTENT_LENGTH && !own.contains(name) {
            page.headers_mut().append(name, value.clone());
        }
    }
    page
}

/// Where the language link on an error page returns to: the same address without any
/// `lang=` it asked for (which would outrank the new choice), or the start page when the
/// error answered a form, whose address a link cannot open.
fn here(request: &Request) -> String {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return "/".into();
    }
    let path = request.uri().path();
    let kept: Vec<&str> = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn too_many(state: &AppState, audience: Audience, here: &str) -> Response {
    let (lang, here) = match audience {
        Audience::Staff => (Language::English, None),
        Audience::Resident(lang) => (lang, Some(here)),
    };
    ResidentMessage {
        key: "message-too-many",
        link: "/",
        here,
        detail: None,
    }
    .render(state, lang, StatusCode::TOO_MANY_REQUESTS)
}

fn staff_page(state: &AppState, e: AppError) -> Response {
    match e {
        AppError::NotFound => message(
            state,
            StatusCode::NOT_FOUND,
            "Page not found",
            "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
            "/",
            "Go to the start page",
        ),
        AppError::Forbidden => message(
            state,
            StatusCode::FORBIDDEN,
            "You do not have access to this page",
            "Your role does not allow this. Ask an administrator if you need access.",
            "/staff/cases",
            "Go to cases",
        ),
        AppError::Conflict(m) => message(
            state,
            StatusCode::CONFLICT,
            "Someone else changed this",
            &m,
            "/staff/cases",
            "Go to cases",
        ),
        // A query or address the service cannot read: said plainly, never a failure.
        AppError::Invalid(errors) => message(
            state,
            StatusCode::BAD_REQUEST,
            "There is a problem with the page address",
            &said(&errors),
            "/",
            "Go to the start page",
        ),
        AppError::Domain(e) => message(
            state,
            StatusCode::CONFLICT,
            "This cannot be done now",
            &e.to_string(),
            "/staff/cases",
            "Go to cases",
        ),
        other => {
            tracing::error!(error = %other, "request failed");
            message(
                state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "Nothing you sent has been lost. Try again later.",
                "/",
                "Go to the start page",
            )
        }
    }
}

fn said(errors: &redress_domain::FieldErrors) -> String {
    errors.iter().map(|(_, m)| m).collect::<Vec<_>>().join(". ")
}

/// A resident's page: their language, their wording, and a way back to the start rather
/// than to the staff pages. The rules' own English explanation is added on English pages
/// only, so a Welsh page never carries an English sentence.
fn resident_page(state: &AppState, lang: Language, e: AppError, here: &str) -> Response {
    let (status, key, detail) = match e {
        AppError::NotFound => (StatusCode::NOT_FOUND, "message-not-found", None),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "message-not-yours", None),
        // The store's own words about a conflict are for staff; the page says what to do.
        AppError::Conflict(_) => (StatusCode::CONFLICT, "message-changed", None),
        AppError::Invalid(errors) => (
            StatusCode::BAD_REQUEST,
            "message-bad-address",
            Some(said(&errors)),
        ),
        AppError::Domain(e) => (StatusCode::CONFLICT, "message-not-now", Some(e.to_string())),
        other => {
            tracing::error!(error = %other, "request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "message-problem", None)
        }
    };
    ResidentMessage {
        key,
        link: "/",
        // The language link reopens this same address in the other language.
        here: Some(here),
        detail,
    }
    .render(state, lang, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience(uri: &str, accept: Option<&str>) -> Audience {
        let mut request = Request::builder().uri(uri);
        if let Some(a) = accept {
            request = request.header(header::ACCEPT_LANGUAGE, a);
        }
        match request.body(axum::body::Body::empty()) {
            Ok(r) => Audience::of(&r),
            Err(e) => panic!("{e}"),
        }
    }

    fn here_of(method: &str, uri: &str) -> String {
        match Request::builder()
            .method(method)
            .uri(uri)
            .body(axum::body::Body::empty())
        {
            Ok(r) => here(&r),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_language_link_returns_to_the_page_without_its_language_or_to_the_start() {
        assert_eq!(here_of("GET", "/dim-tudalen?lang=cy"), "/dim-tudalen");
        assert_eq!(here_of("GET", "/c/ABCD?x=1&lang=cy&y=2"), "/c/ABCD?x=1&y=2");
        assert_eq!(here_of("GET", "/track/case"), "/track/case");
        assert_eq!(here_of("POST", "/track/email-link"), "/");
    }

    #[test]
    fn staff_and_the_api_get_staff_pages_and_everyone_else_their_language() {
        assert_eq!(audience("/staff/cases/x", Some("cy")), Audience::Staff);
        assert_eq!(audience("/staff", None), Audience::Staff);
        assert_eq!(audience("/api/v1/cases", None), Audience::Staff);
        assert_eq!(
            audience("/staffroom", None),
            Audience::Resident(Language::English)
        );
        assert_eq!(
            audience("/track/case", Some("cy-GB,en;q=0.5")),
            Audience::Resident(Language::Welsh)
        );
        assert_eq!(
            audience("/c/ABCD?lang=cy", Some("en")),
            Audience::Resident(Language::Welsh)
        );
        assert_eq!(
            audience("/c/ABCD?lang=xx", None),
            Audience::Resident(Language::English)
        );
    }
}
