//! `/metrics` in Prometheus's text format, for an operator's monitoring: requests by route
//! and status with their latency, submissions written together, open and overdue cases by
//! stage, what waits in the outboxes and the webhook queue, and the database pool. Counts only, never personal
//! data; and only with the token set in `REDRESS_METRICS_TOKEN` (off without one).

use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// Request latency buckets, in seconds: a page in a few milliseconds to a slow report.
const LATENCY_BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
/// The outbox states the gauge reports, each always present.
const OUTBOX_STATUSES: [&str; 6] = [
    "pending",
    "check",
    "failed",
    "to-print",
    "to-convert",
    "draft",
];
const BATCH_BUCKETS: [f64; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

/// The process's one recorder (metrics are recorded through a global facade), made and
/// installed the first time it is asked for.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("redress_http_request_duration_seconds".into()),
                    &LATENCY_BUCKETS,
                )
                .ok()?
                .set_buckets_for_metric(
                    Matcher::Full("redress_intake_batch_size".into()),
                    &BATCH_BUCKETS,
                )
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            // Histograms are folded up between scrapes, so memory stays flat even when
            // nobody scrapes for a while.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let upkeep = handle.clone();
                runtime.spawn(async move {
                    loop {
                        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                        upkeep.run_upkeep();
                    }
                });
            }
            Some(handle)
        })
        .as_ref()
}

/// One request answered: counted by route, method and status, and timed by route.
pub(crate) fn request(route: &str, method: &str, status: u16, seconds: f64) {
    // A client may send any method name: only the ones the service answers get a label of
    // their own, so nobody can grow the series without end.
    let method = match method {
        "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
        _ => "other",
    };
    metrics::counter!(
        "redress_http_requests_total",
        "route" => route.to_string(),
        "method" => method.to_string(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!("redress_http_request_duration_seconds", "route" => route.to_string())
        .record(seconds);
}

/// Staff reminders queued by the reminder job.
pub fn reminders_queued(n: usize) {
    metrics::counter!("redress_reminders_queued_total").increment(n as u64);
}

/// A round of sending the email outbox that failed as a whole (a mail server down).
pub fn outbox_round_failed() {
    metrics::counter!("redress_outbox_failures_total").increment(1);
}

/// A round of webhook deliveries: those taken, and those not taken by whether they will
/// be tried again.
pub fn webhook_round(round: &redress_app::webhooks::Round) {
    metrics::counter!("redress_webhook_delivered_total").increment(round.delivered as u64);
    metrics::counter!("redress_webhook_failures_total", "outcome" => "retry")
        .increment(round.retrying as u64);
    metrics::counter!("redress_webhook_failures_total", "outcome" => "failed")
        .increment(round.failed as u64);
}

/// A round of the mailbox: each message by what became of it.
pub fn mailbox_round(round: &redress_app::inbox::imap::Round) {
    for (outcome, n) in [
        ("new", round.new),
        ("threaded", round.threaded),
        ("again", round.again),
        ("busy", round.busy),
        ("ignored", round.ignored),
        ("left", round.left),
        ("failed", round.failed),
    ] {
        metrics::counter!("redress_mail_received_total", "outcome" => outcome).increment(n as u64);
    }
}

pub fn mailbox_round_failed() {
    metrics::counter!("redress_mailbox_failures_total").increment(1);
}

fn allowed(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(expected) = state.metrics_token.as_deref() else {
        return false;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Hashes compared, so the time taken says nothing about the token.
    redress_app::auth::token_hash(given) == redress_app::auth::token_hash(expected)
}

pub(crate) async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if state.metrics_token.is_none() {
        return crate::page_not_found();
    }
    if !allowed(&state, &headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "The metrics token is needed",
        )
            .into_response();
    }
    let Some(handle) = handle() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "metrics are not available").into_response();
    };
    match state.app.operating_counts().await {
        Ok(counts) => {
            // A count that has fallen to nothing has no row: it is set to 0, not left at
            // its last value.
            // Stage 0: open contacts that are not complaints (service requests, comments).
            for stage in ["0", "1", "2"] {
                metrics::gauge!("redress_open_cases", "stage" => stage).set(0.0);
                metrics::gauge!("redress_overdue_cases", "stage" => stage).set(0.0);
            }
            for status in OUTBOX_STATUSES {
                metrics::gauge!("redress_outbox_letters", "status" => status).set(0.0);
            }
            for status in ["pending", "sending", "failed"] {
                metrics::gauge!("redress_webhook_deliveries", "status" => status).set(0.0);
            }
            for (status, n) in counts.webhooks {
                metrics::gauge!("redress_webhook_deliveries", "status" => status).set(n as f64);
            }
            for (stage, open, overdue) in counts.open_by_stage {
                let stage = stage.to_string();
                metrics::gauge!("redress_open_cases", "stage" => stage.clone()).set(open as f64);
                metrics::gauge!("redress_overdue_cases", "stage" => stage).set(overdue as f64);
            }
            for (status, n) in counts.outbox {
                metrics::gauge!("redress_outbox_letters", "status" => status).set(n as f64);
            }
            metrics::gauge!("redress_db_pool_connections").set(f64::from(counts.pool_size));
            metrics::gauge!("redress_db_pool_idle_connections").set(counts.pool_idle as f64);
            metrics::gauge!("redress_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics could not read the database");
            metrics::gauge!("redress_up").set(0.0);
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
