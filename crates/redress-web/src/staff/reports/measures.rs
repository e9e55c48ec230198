//! The performance measures for a period and service area, as a page and as CSV.

use super::sections::*;
use crate::html::{FormState, long_date};
use crate::session::Reader;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::{Query, State};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::measures::{Measures, Period};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "reports.html")]
pub(crate) struct ReportsPage {
    pub(crate) layout: Layout,
    pub(crate) form: FormState,
    pub(crate) areas: crate::forms::Options,
    pub(crate) quick: Vec<(String, String)>,
    pub(crate) heading: String,
    pub(crate) sections: Vec<Section>,
    pub(crate) chart: Chart,
    pub(crate) csv_href: String,
    pub(crate) benchmark_href: String,
    pub(crate) tsm_year: i16,
}

pub(crate) fn query_of(q: &BTreeMap<String, String>) -> String {
    let pairs: Vec<(&String, &String)> = q
        .iter()
        .filter(|(k, _)| ["from", "to", "service_area"].contains(&k.as_str()))
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

pub(crate) async fn chosen(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    q: &BTreeMap<String, String>,
) -> Result<(Period, Measures), AppError> {
    let today = state.app.today();
    let this_year =
        Period::financial_year(Period::financial_year_of(today)).map_err(AppError::Internal)?;
    let period = match (q.get("from"), q.get("to")) {
        (Some(from), Some(to)) => redress_app::reports::parse_period(from, to)?,
        _ => Period::new(this_year.from, today.min(this_year.to)).map_err(AppError::Internal)?,
    };
    let m = state
        .app
        .measures(
            &Principal::staff(&signed.user),
            period,
            q.get("service_area").map(String::as_str),
        )
        .await?;
    Ok((period, m))
}

pub(crate) async fn index(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let areas = state.app.service_areas().await?;
    let mut form = FormState {
        values: q.clone(),
        ..Default::default()
    };
    let (period, m) = match chosen(&state, &signed, &q).await {
        Ok(x) => x,
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            let today = state.app.today();
            match Period::financial_year(Period::financial_year_of(today))
                .and_then(|y| Period::new(y.from, today.min(y.to)))
            {
                Ok(p) => match state
                    .app
                    .measures(&Principal::staff(&signed.user), p, None)
                    .await
                {
                    Ok(m) => (p, m),
                    Err(e) => return Err(e.into()),
                },
                Err(e) => return Err(AppError::Internal(e).into()),
            }
        }
        Err(e) => return Err(e.into()),
    };
    let profile = state.app.customer_profile().await?;
    form.values
        .entry("from".into())
        .or_insert(period.from.to_string());
    form.values
        .entry("to".into())
        .or_insert(period.to.to_string());
    let year = Period::financial_year_of(state.app.today());
    let mut quick = Vec::new();
    for (label, p) in [
        (
            Period::financial_year_label(year),
            Period::financial_year(year),
        ),
        (
            Period::financial_year_label(year - 1),
            Period::financial_year(year - 1),
        ),
    ]
    .into_iter()
    .chain((1..=4).map(|n| {
        (
            format!("Quarter {n} of {}", Period::financial_year_label(year)),
            Period::quarter(year, n),
        )
    })) {
        if let Ok(p) = p {
            quick.push((format!("/staff/reports?from={}&to={}", p.from, p.to), label));
        }
    }
    let channel = label_of(redress_domain::contact::Channel::parse, |k| k.label());
    let heading = match &m.service_area {
        Some(area) => format!(
            "{area}: {} to {}",
            long_date(period.from),
            long_date(period.to)
        ),
        None => format!("{} to {}", long_date(period.from), long_date(period.to)),
    };
    // Letters in the formats people asked for, from the letters themselves (the whole
    // organisation's: conversions are not kept by service area).
    let conversions = state
        .app
        .format_conversions(&Principal::staff(&signed.user), period)
        .await?;
    let mut sections = sections(&m, &profile, super::Words::ENGLISH);
    // Counted for the whole organisation: shown only when no one service area is chosen.
    if m.service_area.is_none() {
        sections.push(Section {
            title: "Letters in the format or language asked for".into(),
            rows: if conversions.is_empty() {
                vec![(
                    "Letters sent in another format or language".into(),
                    "0".into(),
                )]
            } else {
                conversions
                    .into_iter()
                    .map(|(need, n, days)| {
                        (
                            need,
                            format!("{n} sent, {days:.1} days on average from writing to sending"),
                        )
                    })
                    .collect()
            },
        });
    }
    let languages = state
        .app
        .language_counts(
            &Principal::staff(&signed.user),
            period,
            q.get("service_area").map(String::as_str),
        )
        .await?;
    sections.push(language_section(&languages));
    let read = state
        .app
        .recognition_figures(
            &Principal::staff(&signed.user),
            period,
            q.get("service_area").map(String::as_str),
        )
        .await?;
    sections.extend(recognition_sections(&read));
    Ok(render(
        form.status(),
        &ReportsPage {
            layout: Layout::staff(&state, &signed, "Reports", &form),
            areas: std::iter::once((String::new(), "All service areas".to_string()))
                .chain(areas.iter().map(|a| (a.id.clone(), a.name.clone())))
                .collect(),
            quick,
            heading,
            sections,
            chart: chart("channels", "How contacts arrived", &m.channels, &channel),
            csv_href: format!("/staff/reports/measures.csv?{}", query_of(&form.values)),
            benchmark_href: format!("/staff/reports/benchmark.json?{}", query_of(&form.values)),
            tsm_year: Period::financial_year_of(period.to),
            form,
        },
    ))
}

/// The recognition assistant's record, and the hazards it found with their clocks.
fn recognition_sections(f: &redress_domain::recognition::figures::Figures) -> Vec<Section> {
    let share = |n: usize, of: usize| {
        if of == 0 {
            n.to_string()
        } else {
            format!("{n} ({:.0}%)", 100.0 * n as f64 / of as f64)
        }
    };
    let mut hazards = vec![
        (
            "Possible hazards found in what residents wrote".to_string(),
            f.hazards_found.to_string(),
        ),
        (
            "Set aside as not a hazard".to_string(),
            f.hazards_dismissed.to_string(),
        ),
        (
            "Hazards confirmed".to_string(),
            f.hazards_confirmed.to_string(),
        ),
        (
            "Confirmed on complaints".to_string(),
            f.through_complaints.to_string(),
        ),
        ("Emergency hazards".to_string(), f.emergencies.to_string()),
    ];
    for (step, met, missed, running) in &f.clocks {
        hazards.push((
            format!("{}: Awaab's Law timescale", step.label()),
            format!("{met} met, {missed} missed, {running} running"),
        ));
    }
    vec![
        Section {
            title: "Recognition assistant".into(),
            rows: vec![
                ("Contacts read".into(), f.read.to_string()),
                (
                    "Read as the kind staff recorded".into(),
                    share(f.right, f.read),
                ),
                (
                    "Flagged \"This may be a complaint\"".into(),
                    f.flagged.to_string(),
                ),
                ("Raised as complaints".into(), share(f.raised, f.flagged)),
                (
                    "Not complaints, with a reason".into(),
                    share(f.dismissed, f.flagged),
                ),
                ("Waiting for a decision".into(), f.waiting.to_string()),
                (
                    "Survey answers read as a complaint".into(),
                    f.survey_flagged.to_string(),
                ),
                (
                    "Survey answers raised or escalated as complaints".into(),
                    share(f.survey_raised, f.survey_flagged),
                ),
                (
                    "Survey answers not complaints, with a reason".into(),
                    share(f.survey_dismissed, f.survey_flagged),
                ),
            ],
        },
        Section {
            title: "Hazards in homes".into(),
            rows: hazards,
        },
    ]
}

pub(crate) async fn measures_csv(
    State(state): State<AppState>,
    Reader(signed): Reader,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let (period, m) = chosen(&state, &signed, &q).await?;
    let profile = state.app.customer_profile().await?;
    let rows: Vec<Vec<String>> = sections(&m, &profile, super::Words::ENGLISH)
        .into_iter()
        .flat_map(|s| {
            let title = s.title;
            s.rows
                .into_iter()
                .map(move |(label, value)| vec![title.clone(), label, value])
        })
        .collect();
    Ok(crate::download::csv(
        &format!("measures-{}-{}.csv", period.from, period.to),
        &["section", "measure", "value"],
        &rows,
    ))
}

/// Contacts and letters by language: how much the Welsh service is used.
fn language_section(counts: &redress_store::LanguageCounts) -> Section {
    let contacts = |lang: Option<&str>| {
        counts
            .contacts
            .iter()
            .filter(|(l, _)| l.as_deref() == lang)
            .map(|(_, n)| n)
            .sum::<i64>()
            .to_string()
    };
    let letters = |list: &[(String, i64)], lang: &str| {
        list.iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, n)| n)
            .sum::<i64>()
            .to_string()
    };
    let mut rows = vec![
        (
            "Contacts from people who chose Welsh".into(),
            contacts(Some("cy")),
        ),
        (
            "Contacts from people who chose English".into(),
            contacts(Some("en")),
        ),
        (
            "Contacts from people who did not say".into(),
            contacts(None),
        ),
        (
            "Letters and emails in Welsh (or Welsh first)".into(),
            letters(&counts.letters, "cy"),
        ),
        (
            "Letters and emails in English".into(),
            letters(&counts.letters, "en"),
        ),
    ];
    // Calls for scrutiny belong to no one service area: counted for the whole organisation.
    if let Some(scrutiny) = &counts.scrutiny_letters {
        rows.push((
            "Letters and emails about calls for scrutiny in Welsh (or Welsh first)".into(),
            letters(scrutiny, "cy"),
        ));
        rows.push((
            "Letters and emails about calls for scrutiny in English".into(),
            letters(scrutiny, "en"),
        ));
    }
    Section {
        title: "English and Welsh".into(),
        rows,
    }
}
