//! Logs an operator can read: plain text, coloured only when standard error is a terminal
//! (a file or a journal gets no escape codes), or one JSON object per line for a log
//! collector (`REDRESS_LOG_FORMAT=json`). Each line written while a request is handled
//! carries the request's id, from the span the web layer opens for it.

use std::io::IsTerminal;

/// The filter when `REDRESS_LOG` does not set one: the service's own news, and the
/// database library's warnings only.
const DEFAULT_FILTER: &str = "info,sqlx=warn";

pub fn init(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("REDRESS_LOG")
        .unwrap_or_else(|_| DEFAULT_FILTER.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        builder.with_ansi(std::io::stderr().is_terminal()).init();
    }
}
