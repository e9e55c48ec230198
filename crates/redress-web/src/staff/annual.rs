//! The annual complaints performance and service improvement report with the Code
//! self-assessment: prepared by administrators, answered by the governing body, and once
//! published, shown to the public with no personal data.

use crate::html::{FormState, long_date};
use crate::session::Reader;
use crate::session::{StaffForm, needs};
use crate::staff::reports::Words;
use crate::staff::reports::{Section, TsmRows, sections, tsm_rows};
use crate::{AppState, Layout, PageResult, StaffNav, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::annual::{AnnualReport, AnnualText};
use redress_domain::assessment::Assessment;
use redress_domain::language::Language;
use redress_domain::role::Permission;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/reports/annual", get(staff_page).post(save))
        .route("/annual-report/{year}", get(public_page))
        .route(
            "/annual-report/{year}/version/{version}",
            get(public_version),
        )
}

struct Requirement {
    id: String,
    section: String,
    requirement: String,
    assessment: String,
    flagged: bool,
    evidence: String,
    statement: Option<String>,
    /// Complaints overdue now behind this row's assessment: for staff only.
    overdue: Vec<String>,
}

/// The report itself, rendered once in each language when approved and kept as the public
/// see it.
#[derive(Template)]
#[template(path = "annual_body.html")]
struct AnnualBody {
    w: Words,
    sections: Vec<Section>,
    trends: Vec<crate::staff::reports::TrendTable>,
    ch01: TsmRows,
    ch02: TsmRows,
    made: Vec<(String, String, String)>,
    declined: Vec<(String, String)>,
    requirements: Vec<Requirement>,
    ombudsman_letter: Option<String>,
    response: Option<String>,
    member: Option<String>,
}

#[derive(Template)]
#[template(path = "annual.html")]
struct AnnualPage {
    layout: Layout,
    form: FormState,
    title: String,
    year: i16,
    edit_all: bool,
    edit_response: bool,
    /// Number, date, who approved it.
    versions: Vec<(u32, String, String)>,
    requirements: Vec<Requirement>,
    body: String,
    csrf: String,
}

#[derive(Template)]
#[template(path = "annual_public.html")]
struct PublicPage {
    layout: Layout,
    title: String,
    year: i16,
    version: u32,
    published_on: String,
    /// "(version 2 of 3)".
    version_of: String,
    /// Number, and how the list names it, of every version.
    versions: Vec<(u32, String)>,
    body: String,
    /// Asked for in Welsh, but approved before reports were written in Welsh.
    english_only: bool,
}

fn title(year: i16, lang: Language) -> String {
    crate::i18n::message(
        lang,
        "annual-title",
        &[(
            "year",
            redress_domain::measures::Period::financial_year_label(year),
        )],
    )
}

fn requirements(report: &AnnualReport, lang: Language) -> Vec<Requirement> {
    use redress_domain::assessment::welsh;
    report
        .assessment
        .iter()
        .map(|(r, statement)| {
            let written = statement.as_ref().is_some_and(|s| !s.trim().is_empty());
            let (section, requirement, evidence, assessment) = match lang {
                Language::Welsh => {
                    let (section, requirement) =
                        welsh::requirement(r.id).unwrap_or((r.section, r.requirement));
                    (
                        section,
                        requirement,
                        &r.evidence_cy,
                        welsh::assessment(r.assessment),
                    )
                }
                Language::English => (r.section, r.requirement, &r.evidence, r.assessment.label()),
            };
            Requirement {
                id: r.id.to_string(),
                section: section.to_string(),
                requirement: requirement.to_string(),
                // Once the organisation has written its statement, the row says so rather
                // than asking for one.
                assessment: if r.assessment == Assessment::Statement && written {
                    crate::i18n::message(lang, "annual-see-statement", &[])
                } else {
                    assessment.to_string()
                },
                flagged: r.assessment == Assessment::DoesNotMeet,
                evidence: evidence.clone(),
                statement: statement.clone(),
                overdue: r.overdue.clone(),
            }
        })
        .collect()
}

/// The report's body as HTML in a language: what the staff page shows today, and what
/// approval keeps in English and in Welsh.
fn body(report: &AnnualReport, profile: &crate::staff::reports::Profile, lang: Language) -> String {
    let w = Words(lang);
    let (ch01, ch02) = tsm_rows(&report.tsm, w);
    let area = |a: &str| {
        if a == redress_app::annual::ACROSS_SERVICES {
            w.t("annual-across-services")
        } else {
            a.to_string()
        }
    };
    let body = AnnualBody {
        w,
        sections: sections(&report.measures, profile, w),
        trends: vec![
            crate::staff::reports::trend_table(
                "by-quarter",
                &w.t("annual-quarter-on-quarter"),
                &report.quarters,
                w,
            ),
            crate::staff::reports::trend_table(
                "by-year",
                &w.t("annual-year-on-year"),
                &report.years,
                w,
            ),
        ],
        ch01,
        ch02,
        made: report
            .improvements_made
            .iter()
            .map(|(t, a, on)| (t.clone(), area(a), lang.long_date(*on)))
            .collect(),
        declined: report.improvements_declined.clone(),
        requirements: requirements(report, lang),
        ombudsman_letter: report.ombudsman_letter.clone(),
        response: report.governing_body_response.clone(),
        // "Member Responsible for Complaints: …", in the report's language.
        member: report
            .member_responsible
            .as_ref()
            .map(|name| w.tf("annual-member", &[("name", name.clone())])),
    };
    body.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the annual report failed");
        String::new()
    })
}

fn page(
    state: &AppState,
    report: AnnualReport,
    mut form: FormState,
    signed: &redress_app::auth::Signed,
    profile: &crate::staff::reports::Profile,
) -> Response {
    let role = signed.user.role;
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
        (
            "on_time_target",
            Some(report.on_time_target_pct.to_string()),
        ),
    ];
    for (k, v) in defaults {
        form.values
            .entry(k.into())
            .or_insert_with(|| v.unwrap_or_default());
    }
    let title = title(report.year, Language::English);
    let mut layout = Layout::new(state, &title);
    layout.has_errors = !form.errors.is_empty();
    layout.staff = Some(StaffNav::for_user(signed));
    render(
        form.status(),
        &AnnualPage {
            layout,
            title,
            year: report.year,
            edit_all: role.can(Permission::Administer),
            edit_response: role.can(Permission::AnswerAnnualReport),
            versions: report
                .versions
                .iter()
                .map(|v| (v.version, long_date(v.published_on), v.approved_by.clone()))
                .collect(),
            requirements: requirements(&report, Language::English),
            body: body(&report, profile, Language::English),
            csrf: signed.csrf_token.clone(),
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
                Ok(p) => page(&state, r, FormState::default(), &signed, &p),
                Err(e) => error_page(e),
            },
            Err(e) => error_page(e),
        },
    )
}

/// One form for each hand: administrators save the statements, the governing body its
/// response, and approving publishes a new version.
async fn save(
    State(state): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
    StaffForm { signed, form, .. }: StaffForm<needs::ViewReports>,
) -> PageResult {
    let values = form.values;
    let year =
        redress_app::reports::parse_year(q.get("year").map(String::as_str).unwrap_or_default())?;
    let who = Principal::staff(&signed.user);
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let result = if values.contains_key("governing_body_response") {
        let profile = state.app.customer_profile().await?;
        state
            .app
            .respond_to_annual_report(
                &who,
                year,
                &get("governing_body_response"),
                get("approve") == "yes",
                |report, lang| body(report, &profile, lang),
            )
            .await
            .map(|_| ())
    } else {
        let text = AnnualText {
            statements: values
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("statement-")?.to_string(), v.clone())))
                .collect(),
            ombudsman_letter: get("ombudsman_letter"),
            member_responsible: get("member_responsible"),
            on_time_target: get("on_time_target"),
        };
        state.app.save_annual_text(&who, year, &text).await
    };
    Ok(match result {
        Ok(()) => Redirect::to(&format!("/staff/reports/annual?year={year}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let form = FormState {
                values,
                errors,
                ..Default::default()
            };
            match (
                state.app.annual_report(&who, year).await,
                state.app.customer_profile().await,
            ) {
                (Ok(report), Ok(p)) => page(&state, report, form, &signed, &p),
                (Err(e), _) | (_, Err(e)) => error_page(e),
            }
        }
        Err(e) => error_page(e),
    })
}

/// The published report, latest version, in the reader's language.
async fn public_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<String>,
) -> Response {
    published(&state, crate::i18n::language(&headers), &year, None).await
}

/// An earlier published version, kept as it was approved.
async fn public_version(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, version)): Path<(String, String)>,
) -> Response {
    match version.parse::<u32>() {
        Ok(v) => published(&state, crate::i18n::language(&headers), &year, Some(v)).await,
        Err(_) => crate::page_not_found(),
    }
}

async fn published(state: &AppState, lang: Language, year: &str, version: Option<u32>) -> Response {
    let Ok(year) = redress_app::reports::parse_year(year) else {
        return crate::page_not_found();
    };
    let mut found = state.app.published_annual_report(year, version).await;
    if matches!(found, Err(AppError::NotFound)) && version.is_none() {
        // A report published before versions were kept stays up, as version 1.
        let kept = match state.app.customer_profile().await {
            Ok(profile) => {
                state
                    .app
                    .keep_earlier_publication(year, |r, lang| body(r, &profile, lang))
                    .await
            }
            Err(e) => Err(e),
        };
        match kept {
            Ok(true) => found = state.app.published_annual_report(year, None).await,
            Ok(false) => {}
            Err(e) => return error_page(e),
        }
    }
    match found {
        Ok((report, versions)) => {
            let title = title(year, lang);
            let here = match version {
                Some(v) => format!("/annual-report/{year}/version/{v}"),
                None => format!("/annual-report/{year}"),
            };
            let mut layout = Layout::new(state, &title);
            layout.lang = lang;
            layout.switch = Some(crate::page::Switch::link(lang, &here));
            let t = |key: &str, args: &[(&str, String)]| crate::i18n::message(lang, key, args);
            let (body, english_only) = match (lang, report.html_cy) {
                (Language::Welsh, Some(welsh)) => (welsh, false),
                (Language::Welsh, None) => (report.html, true),
                (Language::English, _) => (report.html, false),
            };
            render(
                axum::http::StatusCode::OK,
                &PublicPage {
                    layout,
                    title,
                    year,
                    version: report.summary.version,
                    published_on: lang.long_date(report.summary.published_on),
                    version_of: t(
                        "annual-version-of",
                        &[
                            ("version", report.summary.version.to_string()),
                            ("versions", versions.len().to_string()),
                        ],
                    ),
                    versions: versions
                        .iter()
                        .map(|v| {
                            (
                                v.version,
                                t(
                                    "annual-version",
                                    &[
                                        ("version", v.version.to_string()),
                                        ("date", lang.long_date(v.published_on)),
                                    ],
                                ),
                            )
                        })
                        .collect(),
                    body,
                    english_only,
                },
            )
        }
        Err(AppError::NotFound) => crate::page_not_found(),
        Err(e) => error_page(e),
    }
}
