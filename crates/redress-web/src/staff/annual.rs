//! The annual complaints performance and service improvement report with the Code
//! self-assessment: prepared by administrators, answered by the governing body, and once
//! published, shown to the public with no personal data.

use crate::html::{FormState, long_date};
use crate::session::Reader;
use crate::session::{StaffForm, needs};
use crate::staff::reports::{Section, TsmRows, sections, tsm_rows};
use crate::{AppState, Layout, PageResult, StaffNav, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::reports::{AnnualReport, AnnualText};
use redress_domain::role::Permission;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/reports/annual", get(staff_page).post(save))
        .route("/annual-report/{year}", get(public_page))
}

struct Requirement {
    id: String,
    section: String,
    requirement: String,
    assessment: String,
    flagged: bool,
    evidence: String,
    statement: Option<String>,
}

#[derive(Template)]
#[template(path = "annual.html")]
struct AnnualPage {
    layout: Layout,
    form: FormState,
    title: String,
    year: i16,
    public: bool,
    edit_all: bool,
    edit_response: bool,
    published: bool,
    sections: Vec<Section>,
    ch01: TsmRows,
    ch02: TsmRows,
    made: Vec<(String, String, String)>,
    declined: Vec<(String, String)>,
    requirements: Vec<Requirement>,
    ombudsman_letter: Option<String>,
    response: Option<String>,
    member: Option<String>,
    csrf: String,
}

fn page(
    state: &AppState,
    report: AnnualReport,
    mut form: FormState,
    signed: Option<&redress_app::auth::Signed>,
    profile: &crate::staff::reports::Profile,
) -> Response {
    let (ch01, ch02) = tsm_rows(&report.tsm);
    let role = signed.map(|s| s.user.role);
    let edit_all = role.is_some_and(|r| r.can(Permission::Administer));
    let edit_response = role.is_some_and(|r| r.can(Permission::AnswerAnnualReport));
    for (r, statement) in &report.assessment {
        form.values
            .entry(format!("statement-{}", r.id))
            .or_insert_with(|| statement.clone().unwrap_or_default());
    }
    let defaults = [
        ("ombudsman_letter", report.ombudsman_letter.clone()),
        (
            "governing_body_response",
            report.governing_body_response.clone(),
        ),
        ("member_responsible", report.member_responsible.clone()),
    ];
    for (k, v) in defaults {
        form.values
            .entry(k.into())
            .or_insert_with(|| v.unwrap_or_default());
    }
    if report.published {
        form.values
            .entry("published".into())
            .or_insert("yes".into());
    }
    let title = format!(
        "Complaints performance and service improvement report {}",
        redress_domain::measures::Period::financial_year_label(report.year)
    );
    let mut layout = Layout::new(state, &title);
    layout.has_errors = !form.errors.is_empty();
    layout.staff = signed.map(StaffNav::for_user);
    render(
        form.status(),
        &AnnualPage {
            layout,
            title,
            year: report.year,
            public: signed.is_none(),
            edit_all,
            edit_response,
            published: report.published,
            sections: sections(&report.measures, profile),
            ch01,
            ch02,
            made: report
                .improvements_made
                .iter()
                .map(|(t, a, on)| (t.clone(), a.clone(), long_date(*on)))
                .collect(),
            declined: report.improvements_declined.clone(),
            requirements: report
                .assessment
                .iter()
                .map(|(r, statement)| Requirement {
                    id: r.id.to_string(),
                    section: r.section.to_string(),
                    requirement: r.requirement.to_string(),
                    assessment: r.assessment.label().to_string(),
                    flagged: r.assessment == redress_domain::assessment::Assessment::DoesNotMeet,
                    evidence: r.evidence.clone(),
                    statement: statement.clone(),
                })
                .collect(),
            ombudsman_letter: report.ombudsman_letter,
            response: report.governing_body_response,
            member: report.member_responsible,
            csrf: signed.map(|s| s.csrf_token.clone()).unwrap_or_default(),
            form,
        },
    )
}

/// The last complete financial year: the one an annual report is usually about.
fn last_year(state: &AppState) -> i16 {
    redress_domain::measures::Period::financial_year_of(state.app.today()) - 1
}

async fn staff_page(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let year = match q.get("year") {
        Some(raw) => redress_app::reports::parse_year(raw)?,
        None => last_year(&state),
    };
    Ok(
        match state
            .app
            .annual_report(&Principal::staff(&signed.user), year)
            .await
        {
            Ok(r) => match state.app.customer_profile().await {
                Ok(p) => page(&state, r, FormState::default(), Some(&signed), &p),
                Err(e) => error_page(&state, e),
            },
            Err(e) => error_page(&state, e),
        },
    )
}

async fn save(
    State(state): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
    StaffForm { signed, form, .. }: StaffForm<needs::AnswerAnnualReport>,
) -> PageResult {
    let values = form.values;
    let year =
        redress_app::reports::parse_year(q.get("year").map(String::as_str).unwrap_or_default())?;
    let who = Principal::staff(&signed.user);
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let statements = values
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("statement-")?.to_string(), v.clone())))
        .collect();
    let text = AnnualText {
        statements,
        ombudsman_letter: get("ombudsman_letter"),
        governing_body_response: get("governing_body_response"),
        member_responsible: get("member_responsible"),
        published: values.get("published").is_some_and(|v| v == "yes"),
    };
    Ok(match state.app.save_annual_text(&who, year, &text).await {
        Ok(()) => Redirect::to(&format!("/staff/reports/annual?year={year}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let form = FormState { values, errors };
            match (
                state.app.annual_report(&who, year).await,
                state.app.customer_profile().await,
            ) {
                (Ok(report), Ok(p)) => page(&state, report, form, Some(&signed), &p),
                (Err(e), _) | (_, Err(e)) => error_page(&state, e),
            }
        }
        Err(e) => error_page(&state, e),
    })
}
async fn public_page(State(state): State<AppState>, Path(year): Path<String>) -> Response {
    let Ok(year) = redress_app::reports::parse_year(&year) else {
        return crate::page_not_found(&state);
    };
    match state.app.published_annual_report(year).await {
        Ok(r) => match state.app.customer_profile().await {
            Ok(p) => page(&state, r, FormState::default(), None, &p),
            Err(e) => error_page(&state, e),
        },
        Err(AppError::NotFound) => crate::page_not_found(&state),
        Err(e) => error_page(&state, e),
    }
}
