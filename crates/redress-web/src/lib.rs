//! The web face of Redress: public pages, staff pages and the JSON API, served by axum.

//! Split by audience: `public/` (anyone), `resident/` (a resident on their own case),
//! `staff/` (case work, letters, reports, scrutiny), `admin/` (settings) and `api/`.

mod admin;
mod api;
mod download;
mod forms;
mod html;
mod public;
mod resident;
mod session;
mod staff;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use redress_app::{App, AppError};

/// Shared by every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure`; on whenever the service is reached over HTTPS.
    pub secure_cookies: bool,
    /// The address residents reach the service at, for links in emails. Never taken from
    /// the request's Host header, which a sender can forge.
    pub public_url: String,
}

/// Largest request body accepted: far above any honest form, far below a nuisance.
pub const MAX_BODY: usize = 256 * 1024;

/// The address part of every action form on a case, for tests that walk them all.
pub fn action_slugs() -> Vec<&'static str> {
    staff::actions::ActionForm::slugs()
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/static/redress.css", get(stylesheet))
        .route("/static/brand.css", get(brand_stylesheet))
        .route("/static/logo", get(logo))
        .merge(public::routes())
        .merge(resident::routes())
        .merge(staff::routes())
        .merge(admin::routes())
        .merge(api::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.app.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/redress.css"),
    )
        .into_response()
}

/// The organisation's colour, as a stylesheet so the Content-Security-Policy can keep
/// forbidding inline styles. Re-checked by browsers on every page so a change shows at once.
async fn brand_stylesheet(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let css = match state.app.branding().colour {
        Some(colour) => format!(".header {{ background: {colour}; }}\n"),
        None => String::new(),
    };
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response()
}

async fn logo(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.app.branding().logo {
        Some(logo) => (
            [
                (header::CONTENT_TYPE, logo.file_type.content_type()),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            logo.bytes,
        )
            .into_response(),
        None => page_not_found(&state),
    }
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    response
}

/// The parts of the page frame every page shares.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub title: String,
    pub org_name: String,
    pub has_logo: bool,
    pub has_errors: bool,
    pub staff: Option<StaffNav>,
}

#[derive(Debug, Clone)]
pub(crate) struct StaffNav {
    pub name: String,
    pub csrf: String,
    pub admin: bool,
    /// Whether the case pages are open to them (the governing body reads reports only).
    pub cases: bool,
    pub reports: bool,
    pub scrutiny: bool,
}

impl StaffNav {
    pub fn for_user(signed: &redress_app::auth::Signed) -> StaffNav {
        StaffNav {
            name: signed.user.name.clone(),
            csrf: signed.csrf_token.clone(),
            admin: signed
                .user
                .role
                .can(redress_domain::role::Permission::Administer),
            cases: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewCases),
            reports: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewReports),
            scrutiny: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewScrutiny),
        }
    }
}

impl Layout {
    /// A staff page's frame, marked as having errors when the form has any.
    pub fn staff(
        state: &AppState,
        signed: &redress_app::auth::Signed,
        title: &str,
        form: &crate::html::FormState,
    ) -> Layout {
        let mut layout = Layout::new(state, title);
        layout.has_errors = !form.errors.is_empty();
        layout.staff = Some(StaffNav::for_user(signed));
        layout
    }

    pub fn new(state: &AppState, title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            org_name: state.app.display_name(),
            has_logo: state.app.branding().logo.is_some(),
            has_errors: false,
            staff: None,
        }
    }
}

pub(crate) fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub layout: Layout,
    pub heading: String,
    pub body: String,
    pub link: String,
    pub link_text: String,
}

pub(crate) fn message(
    state: &AppState,
    status: StatusCode,
    heading: &str,
    body: &str,
    link: &str,
    link_text: &str,
) -> Response {
    render(
        status,
        &MessagePage {
            layout: Layout::new(state, heading),
            heading: heading.into(),
            body: body.into(),
            link: link.into(),
            link_text: link_text.into(),
        },
    )
}

async fn not_found(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    page_not_found(&state)
}

pub(crate) fn page_not_found(state: &AppState) -> Response {
    message(
        state,
        StatusCode::NOT_FOUND,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
        "/",
        "Go to the start page",
    )
}

/// Turns an error no person can correct into a page that says so; the cause goes to the log.
pub(crate) fn error_page(state: &AppState, e: AppError) -> Response {
    match e {
        AppError::NotFound => page_not_found(state),
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
