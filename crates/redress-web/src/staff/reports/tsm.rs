//! Tenant Satisfaction Measures CH01 and CH02 for a financial year.

use super::sections::{label_of, pct};
use crate::html::FormState;
use crate::session::Reader;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::{Query, State};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::measures::{Period, Tsm};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "tsm.html")]
pub(crate) struct TsmPage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) title: String,
    pub(crate) ch01: TsmRows,
    pub(crate) ch02: TsmRows,
    pub(crate) homes: Vec<(String, String)>,
    pub(crate) no_homes: bool,
}

/// Rows of a TSM table: the measure, the figure, and the counts it is made of.
pub(crate) type TsmRows = Vec<(String, String, String)>;

pub(crate) fn tsm_rows(t: &Tsm) -> (TsmRows, TsmRows) {
    let per = |v: Option<f64>| {
        v.map(|x| format!("{x:.1}"))
            .unwrap_or_else(|| "no homes recorded".into())
    };
    let tenure = label_of(redress_domain::organisation::Tenure::parse, |k| k.label());
    let mut ch01 = vec![
        (
            "CH01 stage 1 complaints per 1,000 homes".to_string(),
            per(t.ch01_stage1_per_1000),
            format!(
                "{} complaints, {} homes",
                t.stage1_complaints, t.homes_total
            ),
        ),
        (
            "CH01 stage 2 complaints per 1,000 homes".to_string(),
            per(t.ch01_stage2_per_1000),
            format!(
                "{} complaints, {} homes",
                t.stage2_complaints, t.homes_total
            ),
        ),
    ];
    for (k, v) in &t.ch01_stage1_per_1000_by_tenure {
        ch01.push((
            format!("Stage 1 per 1,000 homes: {}", tenure(k)),
            format!("{v:.1}"),
            format!(
                "{} complaints",
                t.stage1_complaints_by_tenure.get(k).copied().unwrap_or(0)
            ),
        ));
    }
    for (k, v) in &t.ch01_stage2_per_1000_by_tenure {
        ch01.push((
            format!("Stage 2 per 1,000 homes: {}", tenure(k)),
            format!("{v:.1}"),
            format!(
                "{} complaints",
                t.stage2_complaints_by_tenure.get(k).copied().unwrap_or(0)
            ),
        ));
    }
    let ch02 = vec![
        (
            "CH02 stage 1 responses within the Code's timescales".to_string(),
            pct(t.ch02_stage1_pct),
            format!(
                "{} of {} (extensions within the Code count as on time)",
                t.stage1_on_time, t.stage1_responses
            ),
        ),
        (
            "CH02 stage 1, strict reading".to_string(),
            pct(t.ch02_stage1_pct_strict),
            format!(
                "{} of {} (only by the original date)",
                t.stage1_on_time_strict, t.stage1_responses
            ),
        ),
        (
            "CH02 stage 2 responses within the Code's timescales".to_string(),
            pct(t.ch02_stage2_pct),
            format!(
                "{} of {} (extensions within the Code count as on time)",
                t.stage2_on_time, t.stage2_responses
            ),
        ),
        (
            "CH02 stage 2, strict reading".to_string(),
            pct(t.ch02_stage2_pct_strict),
            format!(
                "{} of {} (only by the original date)",
                t.stage2_on_time_strict, t.stage2_responses
            ),
        ),
    ];
    (ch01, ch02)
}

pub(crate) async fn tsm_page(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut form = FormState {
        values: q.clone(),
        ..Default::default()
    };
    let default_year = Period::financial_year_of(state.app.today()) - 1;
    let year = match q.get("year") {
        Some(raw) => match redress_app::reports::parse_year(raw) {
            Ok(y) => y,
            Err(AppError::Invalid(e)) => {
                form.errors = e;
                default_year
            }
            Err(e) => return Err(e.into()),
        },
        None => default_year,
    };
    form.values.entry("year".into()).or_insert(year.to_string());
    let t = state.app.tsm(&Principal::staff(&signed.user), year).await?;
    let tenure = label_of(redress_domain::organisation::Tenure::parse, |k| k.label());
    let (ch01, ch02) = tsm_rows(&t);
    Ok(render(
        form.status(),
        &TsmPage {
            layout: Layout::staff(&state, &signed, "Tenant Satisfaction Measures", &form),
            title: format!(
                "Tenant Satisfaction Measures {}",
                Period::financial_year_label(year)
            ),
            no_homes: t.homes_total == 0,
            homes: t
                .homes
                .iter()
                .map(|(k, v)| (tenure(k), v.to_string()))
                .collect(),
            ch01,
            ch02,
            form,
        },
    ))
}
