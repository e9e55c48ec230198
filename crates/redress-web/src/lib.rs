//! The web face of Redress: public pages, staff pages and the JSON API, served by axum.

//! Split by audience: `public/` (anyone), `resident/` (a resident on their own case),
//! `staff/` (case work, letters, reports, scrutiny), `admin/` (settings) and `api/`.

mod admin;
mod api;
mod cookies;
mod download;
mod error_pages;
mod forms;
mod html;
mod i18n;
pub mod metrics;
mod page;
mod public;
pub mod request_log;
mod resident;
mod session;
mod staff;

pub use staff::evidence::bundle_zip;
pub mod throttle;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
pub(crate) use error_pages::{PageResult, error_page, page_not_found};
pub(crate) use page::{Layout, StaffNav, message, render};
use redress_app::App;

/// Shared by every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    /// The allowances at the public doors, shared by every request.
    pub throttle: std::sync::Arc<throttle::Throttle>,
    /// Mark cookies `Secure`; on whenever the service is reached over HTTPS.
    pub secure_cookies: bool,
    /// The address residents reach the service at, for links in emails. Never taken from
    /// the request's Host header, which a sender can forge.
    pub public_url: String,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served.
    pub metrics_token: Option<String>,
}

/// Largest request body accepted: far above any honest form, far below a nuisance.
pub const MAX_BODY: usize = 256 * 1024;

/// The address part of every action form on a case, for tests that walk them all.
pub fn action_slugs() -> Vec<&'static str> {
    staff::actions::ActionForm::slugs()
}

pub fn router(state: AppState) -> Router {
    // Installed before the first request, so every one is counted; without a token there
    // is nobody to read them, and nothing is recorded.
    if state.metrics_token.is_some() {
        metrics::handle();
    }
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
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics::scrape))
        .route_layer(axum::middleware::from_fn(request_log::name_route))
        .fallback(error_pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            throttle::throttle,
        ))
        // Outside the throttle, so its refusals are drawn too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error_pages::render_errors,
        ))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(axum::middleware::from_fn(request_log::request_span))
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

/// Ready to take traffic: the database answers and its schema is the one this build
/// expects. A load balancer sends nothing until then (during an upgrade, say).
async fn ready(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.app.ready().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
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
        None => page_not_found(),
    }
}

async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut response: Response,
) -> Response {
    let h = response.headers_mut();
    // Over HTTPS, browsers are told to use nothing else for a year.
    if state.secure_cookies {
        h.entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=31536000"));
    }
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
