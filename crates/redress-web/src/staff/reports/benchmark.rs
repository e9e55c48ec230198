//! This organisation's figures in the common benchmarking file, and compared with another's.

use super::measures::chosen;
use crate::html::{FormState, long_date};
use crate::session::Reader;
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::measures::Period;
use std::collections::BTreeMap;

pub(crate) async fn benchmark_json(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let (period, _) = chosen(&state, &signed, &q).await?;
    Ok(
        match state
            .app
            .benchmark(&Principal::staff(&signed.user), period)
            .await
        {
            Ok(b) => crate::download::attachment(
                "application/json",
                &format!("benchmark-{}-{}.json", period.from, period.to),
                serde_json::to_string_pretty(&b).unwrap_or_default(),
            ),
            Err(e) => error_page(e),
        },
    )
}

#[derive(Template)]
#[template(path = "compare.html")]
pub(crate) struct ComparePage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) csrf: String,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<(String, Vec<String>)>,
}

pub(crate) fn compare_page(
    state: &AppState,
    signed: &Signed,
    form: FormState,
    benchmarks: &[redress_domain::benchmark::Benchmark],
) -> Response {
    let columns = benchmarks
        .iter()
        .map(|b| {
            format!(
                "{} ({} to {})",
                b.organisation,
                long_date(b.from),
                long_date(b.to)
            )
        })
        .collect();
    let rows = redress_domain::benchmark::FIGURES
        .iter()
        .map(|(key, label)| {
            (
                label.to_string(),
                benchmarks
                    .iter()
                    .map(|b| match b.figures.get(*key).copied().flatten() {
                        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
                        Some(v) => format!("{v:.1}"),
                        None => "–".into(),
                    })
                    .collect(),
            )
        })
        .collect();
    render(
        form.status(),
        &ComparePage {
            layout: Layout::staff(state, signed, "Compare with other organisations", &form),
            csrf: signed.csrf_token.clone(),
            columns,
            rows,
            form,
        },
    )
}

pub(crate) async fn compare_form(
    State(state): State<AppState>,
    Reader(signed): Reader,
) -> Response {
    compare_page(&state, &signed, FormState::default(), &[])
}

/// Shows this organisation's figures beside those in an uploaded benchmark file, for
/// the period the file covers.
pub(crate) async fn compare(
    State(state): State<AppState>,
    Reader(signed): Reader,
    headers: axum::http::HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> PageResult {
    let (mut form, file) = crate::forms::read_upload(&mut multipart).await;
    if let Err(r) = crate::session::require(
        &signed,
        redress_domain::role::Permission::ViewReports,
        Some((&headers, &form.values)),
    ) {
        return Ok(r);
    }
    let text = file
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    if text.trim().is_empty() {
        form.errors.add("file", "Select a benchmark file (JSON)");
        return Ok(compare_page(&state, &signed, form, &[]));
    }
    let theirs = match redress_domain::benchmark::Benchmark::parse_file(&text) {
        Ok(b) => b,
        Err(m) => {
            form.errors.add("file", m);
            return Ok(compare_page(&state, &signed, form, &[]));
        }
    };
    let first = &theirs[0];
    let period = match Period::new(first.from, first.to) {
        Ok(p) => p,
        Err(m) => {
            form.errors.add("file", m);
            return Ok(compare_page(&state, &signed, form, &[]));
        }
    };
    let ours = state
        .app
        .benchmark(&Principal::staff(&signed.user), period)
        .await?;
    let all: Vec<_> = std::iter::once(ours).chain(theirs).collect();
    Ok(compare_page(&state, &signed, form, &all))
}
