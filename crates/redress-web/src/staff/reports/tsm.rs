//! Tenant Satisfaction Measures CH01 and CH02 for a financial year.

use super::sections::label_of;
use super::words::Words;
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

pub(crate) fn tsm_rows(t: &Tsm, w: Words) -> (TsmRows, TsmRows) {
    let per = |v: Option<f64>| {
        v.map(|x| format!("{x:.1}"))
            .unwrap_or_else(|| w.t("report-no-homes"))
    };
    let complaints = |n: u32| w.tf("report-complaints", &[("count", n.to_string())]);
    let of_homes = |n: u32| {
        w.tf(
            "report-complaints-homes",
            &[
                ("count", n.to_string()),
                ("homes", t.homes_total.to_string()),
            ],
        )
    };
    let mut ch01 = vec![
        (
            w.t("report-ch01-stage-1"),
            per(t.ch01_stage1_per_1000),
            of_homes(t.stage1_complaints),
        ),
        (
            w.t("report-ch01-stage-2"),
            per(t.ch01_stage2_per_1000),
            of_homes(t.stage2_complaints),
        ),
    ];
    let by_tenure = [
        (
            "report-ch01-stage-1-tenure",
            &t.ch01_stage1_per_1000_by_tenure,
            &t.stage1_complaints_by_tenure,
        ),
        (
            "report-ch01-stage-2-tenure",
            &t.ch01_stage2_per_1000_by_tenure,
            &t.stage2_complaints_by_tenure,
        ),
    ];
    for (key, rates, counts) in by_tenure {
        for (k, v) in rates {
            ch01.push((
                w.tf(key, &[("tenure", w.choice("tenure", k))]),
                format!("{v:.1}"),
                complaints(counts.get(k).copied().unwrap_or(0)),
            ));
        }
    }
    let pct = |p: Option<f64>| w.pct(p, "report-no-responses");
    let of = |key: &str, part: u32, whole: u32| {
        w.tf(
            key,
            &[("part", part.to_string()), ("whole", whole.to_string())],
        )
    };
    let ch02 = vec![
        (
            w.t("report-ch02-stage-1"),
            pct(t.ch02_stage1_pct),
            of(
                "report-of-counting-extensions",
                t.stage1_on_time,
                t.stage1_responses,
            ),
        ),
        (
            w.t("report-ch02-stage-1-strict"),
            pct(t.ch02_stage1_pct_strict),
            of(
                "report-of-original-date",
                t.stage1_on_time_strict,
                t.stage1_responses,
            ),
        ),
        (
            w.t("report-ch02-stage-2"),
            pct(t.ch02_stage2_pct),
            of(
                "report-of-counting-extensions",
                t.stage2_on_time,
                t.stage2_responses,
            ),
        ),
        (
            w.t("report-ch02-stage-2-strict"),
            pct(t.ch02_stage2_pct_strict),
            of(
                "report-of-original-date",
                t.stage2_on_time_strict,
                t.stage2_responses,
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
    let (ch01, ch02) = tsm_rows(&t, Words::ENGLISH);
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
