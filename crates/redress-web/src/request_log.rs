//! Every request gets an id, carried on each log line written while it is handled and
//! returned in `X-Request-Id`, so an operator can find everything one request did. An id
//! set by a proxy in front is kept when it looks like one. Lines name the route, never the
//! address as sent: a resident's private link is in its path.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header the id travels in, both ways.
pub const REQUEST_ID: &str = "x-request-id";

fn id_from_proxy(request: &Request) -> Option<String> {
    request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_string)
}

/// The route that answered, passed out to the outermost layer on the response.
#[derive(Clone)]
struct RouteName(String);

/// Outermost: opens the request's span, and ends it with one line saying how it went.
pub async fn request_span(request: Request, next: Next) -> Response {
    let id = id_from_proxy(&request).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        route = tracing::field::Empty
    );
    let method = request.method().to_string();
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    span.in_scope(|| tracing::info!(status, ms, "request handled"));
    // Addresses no route answers are counted together: each would be a label of its own.
    let route = response
        .extensions_mut()
        .remove::<RouteName>()
        .map(|r| r.0)
        .unwrap_or_else(|| "unmatched".into());
    crate::metrics::request(&route, &method, status, elapsed.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// Inside routing, where the route is known: names it on the request's span.
pub async fn name_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|r| r.as_str().to_string());
    if let Some(route) = &route {
        tracing::Span::current().record("route", route.as_str());
    }
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteName(route));
    }
    response
}
