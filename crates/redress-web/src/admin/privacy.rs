//! Data protection pages: the retention policy, subject access searches and exports, and
//! anonymised case studies. Erasing and redacting a case are actions on the case page.

use crate::admin::guard;
use crate::html::{FormState, long_date};
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::privacy::SubjectAccessExport;
use redress_domain::contact::ContactKind;
use redress_domain::privacy::SUBJECT_ACCESS_MONTHS;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/privacy", get(index).post(save_retention))
        .route("/staff/admin/privacy/subject-access", get(subject_access))
        .route(
            "/staff/admin/privacy/subject-access.json",
            get(subject_access_json),
        )
        .route("/staff/cases/{reference}/case-study", get(case_study))
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: crate::Layout,
    form: FormState,
    kinds: Vec<(String, String)>,
    months: i8,
    csrf: String,
    saved: bool,
}

async fn page(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    mut form: FormState,
    saved: bool,
) -> Response {
    let policy = match state.app.retention_policy().await {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    for kind in ContactKind::ALL {
        form.values
            .entry(kind.as_str().to_string())
            .or_insert_with(|| policy.years_for(*kind).to_string());
    }
    render(
        form.status(),
        &PrivacyPage {
            layout: Layout::staff(state, signed, "Data protection", &form),
            kinds: ContactKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), format!("{}s", k.label())))
                .collect(),
            months: SUBJECT_ACCESS_MONTHS,
            csrf: signed.csrf_token.clone(),
            saved,
            form,
        },
    )
}

async fn index(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    if let Err(r) = guard(&signed, None) {
        return r;
    }
    page(
        &state,
        &signed,
        FormState::default(),
        q.contains_key("saved"),
    )
    .await
}

async fn save_retention(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> PageResult {
    let values = form.values;
    let who = Principal::staff(&signed.user);
    let current = state.app.retention_policy().await?;
    let mut form = FormState {
        values,
        ..Default::default()
    };
    // Check every field first, so nothing is half saved.
    for kind in ContactKind::ALL {
        if let Err(m) = redress_domain::privacy::RetentionPolicy::parse_years(form.v(kind.as_str()))
        {
            form.errors.add(kind.as_str(), m);
        }
    }
    if !form.errors.is_empty() {
        return Ok(page(&state, &signed, form, false).await);
    }
    for kind in ContactKind::ALL {
        let raw = form.v(kind.as_str()).trim().to_string();
        if raw == current.years_for(*kind).to_string() {
            continue;
        }
        state.app.set_retention(&who, *kind, &raw).await?;
    }
    Ok(Redirect::to("/staff/admin/privacy?saved").into_response())
}

/// One case as the readable export shows it.
struct HeldCaseView {
    reference: String,
    rows: Vec<(String, String)>,
    history: Vec<(String, String, String)>,
    letters: Vec<(String, String, String)>,
    views: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "subject_access.html")]
struct SubjectAccessPage {
    layout: crate::Layout,
    searched: String,
    respond_by: String,
    json_href: String,
    cases: Vec<HeldCaseView>,
    restrictions: Vec<String>,
    scrutiny: Vec<String>,
}

fn when(at: jiff::Timestamp) -> String {
    redress_domain::calendar::long_date_time(at)
}

fn readable(export: &SubjectAccessExport) -> Vec<HeldCaseView> {
    export
        .cases
        .iter()
        .map(|held| {
            let c = &held.contact;
            let d = &c.detail;
            let mut rows = vec![
                ("Kind".to_string(), d.kind.label().to_string()),
                ("Received".into(), long_date(c.received_on)),
                ("Status".into(), c.status.label().to_string()),
            ];
            if let Some(p) = &d.person {
                rows.push(("Name".into(), p.name.to_string()));
                let optional = [
                    ("Email", p.email.clone()),
                    ("Phone", p.phone.clone()),
                    ("Address", p.address.as_ref().map(|a| a.to_string())),
                    ("Postcode", p.postcode.clone()),
                    ("Language", p.needs.language.as_ref().map(|a| a.to_string())),
                    (
                        "Accessibility needs",
                        p.needs.accessibility.as_ref().map(|a| a.to_string()),
                    ),
                    (
                        "Vulnerabilities",
                        p.needs.vulnerabilities.as_ref().map(|a| a.to_string()),
                    ),
                    (
                        "Reasonable adjustments",
                        p.needs.adjustments.as_ref().map(|a| a.to_string()),
                    ),
                ];
                rows.extend(
                    optional
                        .into_iter()
                        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v))),
                );
                if let Some(m) = p.needs.monitoring {
                    let answers = [
                        m.age.map(|a| format!("age {}", a.label().to_lowercase())),
                        m.disability
                            .map(|a| format!("disability: {}", a.label().to_lowercase())),
                        m.ethnic_group
                            .map(|a| format!("ethnic group: {}", a.label())),
                    ];
                    let text: Vec<String> = answers.into_iter().flatten().collect();
                    rows.push(("Equality monitoring".into(), text.join("; ")));
                }
            }
            if let Some(r) = &d.representative {
                rows.push((
                    "Representative".into(),
                    format!("{} ({})", r.name, r.relationship.label()),
                ));
            }
            rows.push(("What was raised".into(), d.summary.to_string()));
            if let Some(o) = &d.outcome_wanted {
                rows.push(("Outcome wanted".into(), o.to_string()));
            }
            for n in &c.case.notes {
                rows.push((
                    format!("{} ({})", n.kind.label(), long_date(n.on)),
                    n.text.clone(),
                ));
            }
            HeldCaseView {
                reference: c.reference.to_string(),
                rows,
                history: held
                    .history
                    .iter()
                    .map(|e| (when(e.at), e.actor.name.clone(), e.summary.clone()))
                    .collect(),
                letters: held
                    .letters
                    .iter()
                    .map(|l| (when(l.created_at), l.subject.clone(), l.body.clone()))
                    .collect(),
                views: held
                    .viewed_by
                    .iter()
                    .map(|(who, at)| (when(*at), who.clone()))
                    .collect(),
            }
        })
        .collect()
}

async fn export(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    q: &BTreeMap<String, String>,
) -> Result<SubjectAccessExport, Response> {
    guard(signed, None)?;
    let email = q.get("email").map(String::as_str).unwrap_or_default();
    let phone = q.get("phone").map(String::as_str).unwrap_or_default();
    match state
        .app
        .subject_access(&Principal::staff(&signed.user), email, phone)
        .await
    {
        Ok(export) => Ok(export),
        Err(AppError::Invalid(errors)) => {
            let form = FormState {
                values: q.clone(),
                errors,
                ..Default::default()
            };
            Err(page(state, signed, form, false).await)
        }
        Err(e) => Err(error_page(e)),
    }
}

async fn subject_access(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let export = match export(&state, &signed, &q).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let pairs: Vec<(&String, &String)> = q
        .iter()
        .filter(|(k, _)| *k == "email" || *k == "phone")
        .collect();
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    render(
        StatusCode::OK,
        &SubjectAccessPage {
            layout: Layout::staff(
                &state,
                &signed,
                "Subject access export",
                &FormState::default(),
            ),
            searched: [&export.searched_for.email, &export.searched_for.phone]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" or "),
            respond_by: long_date(export.respond_by),
            json_href: format!("/staff/admin/privacy/subject-access.json?{query}"),
            cases: readable(&export),
            restrictions: export
                .restrictions
                .iter()
                .map(|r| {
                    let x = &r.restriction;
                    let ended = x
                        .ended_on
                        .map(|d| format!("; ended {}", long_date(d)))
                        .unwrap_or_default();
                    format!(
                        "{}: {}. {} Behaviour: {} Decided by {}, told {}, review {}{ended}",
                        r.person,
                        x.kind.label(),
                        x.details,
                        x.behaviour,
                        x.decided_by,
                        long_date(x.communicated_on),
                        long_date(x.review_on)
                    )
                })
                .collect(),
            scrutiny: export
                .scrutiny
                .iter()
                .map(|s| {
                    format!(
                        "Community Call for Scrutiny {}: {} ({} steps in its history, {} letters)",
                        s.request.reference,
                        s.request.status.label(),
                        s.history.len(),
                        s.letters.len()
                    )
                })
                .chain(export.signatures.iter().map(|g| {
                    format!(
                        "Signed petition {} as {}, {}, on {}",
                        g.reference,
                        g.name,
                        g.postcode,
                        when(g.signed_at)
                    )
                }))
                .collect(),
        },
    )
}

async fn subject_access_json(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let export = match export(&state, &signed, &q).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    match serde_json::to_string_pretty(&export) {
        Ok(body) => crate::download::attachment(
            "application/json",
            &format!("subject-access-{}.json", state.app.today()),
            body,
        ),
        Err(e) => error_page(AppError::Internal(e.to_string())),
    }
}

async fn case_study(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(reference): Path<String>,
) -> Response {
    match state
        .app
        .case_study(&Principal::staff(&signed.user), &reference)
        .await
    {
        Ok(text) => {
            crate::download::attachment("text/plain; charset=utf-8", "case-study.txt", text)
        }
        Err(e) => error_page(e),
    }
}
