//! The Cymraeg / English link: remembers the choice for the session and returns the
//! person to the page they were on.

use crate::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use redress_domain::language::Language;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/language/{code}", get(choose))
}

/// Only a path on this site: never another site, so the link cannot send people away.
pub(crate) fn safe_back(back: Option<&str>) -> String {
    match back {
        // Browsers drop tabs and line breaks from addresses, and read `\` as `/`: any of
        // them could turn `/x` into `//elsewhere`.
        Some(b)
            if b.starts_with('/')
                && !b[1..].starts_with('/')
                && !b
                    .chars()
                    .any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            b.to_string()
        }
        _ => "/".to_string(),
    }
}

async fn choose(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let language = Language::parse(&code).unwrap_or(Language::English);
    changed_to(
        &state,
        language,
        &safe_back(q.get("back").map(String::as_str)),
    )
}

/// Remembers the language and goes to `to`.
pub(crate) fn changed_to(state: &AppState, language: Language, to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                crate::i18n::remember(language, state.secure_cookies),
            ),
            (header::LOCATION, to.to_string()),
        ],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn the_link_only_returns_to_this_site() {
        assert_eq!(safe_back(Some("/track?reference=X")), "/track?reference=X");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(Some("/\t/evil.example")), "/");
        assert_eq!(safe_back(Some("/\r\n/evil.example")), "/");
        assert_eq!(safe_back(None), "/");
    }
}
