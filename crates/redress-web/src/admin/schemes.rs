//! Schemes: the built-in ones to read and copy, the organisation's own to make and edit, and
//! the scheme each service area's new cases follow.

use super::guard;
use crate::html::FormState;
use crate::session::{Staff, StaffForm, needs};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::schemes::SchemeEntry;
use redress_domain::scheme::{ClockStart, MAX_STAGES, Ombudsman, Scheme, form_fields};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/schemes", get(list))
        .route("/staff/admin/schemes/new", get(new_form).post(add))
        .route("/staff/admin/schemes/{id}", get(show).post(edit))
        .route("/staff/admin/schemes/areas/{area}", post(set_area))
}

/// One line of the schemes table.
struct Row {
    id: String,
    name: String,
    kind: String,
    stages: String,
    areas: String,
}

#[derive(Template)]
#[template(path = "admin_schemes.html")]
struct ListPage {
    layout: Layout,
    form: FormState,
    rows: Vec<Row>,
    /// Each service area: (id, name, the scheme field's name, the panel field's name).
    areas: Vec<(String, String, String, String)>,
    choices: crate::forms::Options,
    saved: bool,
    csrf: String,
}

async fn list_page(
    state: &AppState,
    signed: &Signed,
    mut form: FormState,
    saved: bool,
) -> Result<Response, AppError> {
    let who = Principal::staff(&signed.user);
    let entries = state.app.schemes(&who).await?;
    let mut areas = Vec::new();
    for a in state.app.service_areas().await? {
        let field = format!("scheme-{}", a.id);
        form.values.entry(field.clone()).or_insert(a.scheme.clone());
        let panel = format!("panel-{}", a.id);
        if !form.values.contains_key(&panel) {
            let days = state.app.panel_days(Some(&a.id)).await?;
            let shown = if days == 0 {
                String::new()
            } else {
                days.to_string()
            };
            form.values.insert(panel.clone(), shown);
        }
        areas.push((a.id, a.name, field, panel));
    }
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        status,
        &ListPage {
            layout: Layout::staff(state, signed, "Schemes", &form),
            choices: entries
                .iter()
                .map(|e| (e.scheme.id.clone(), e.scheme.name.clone()))
                .collect(),
            rows: entries.iter().map(row).collect(),
            areas,
            form,
            saved,
            csrf: signed.csrf_token.clone(),
        },
    ))
}

fn row(e: &SchemeEntry) -> Row {
    let stages: Vec<String> = e
        .scheme
        .stages
        .iter()
        .map(|s| format!("{}: {}", s.name, s.respond_within.describe()))
        .collect();
    Row {
        id: e.scheme.id.clone(),
        name: e.scheme.name.clone(),
        kind: if e.built_in {
            "Built in".into()
        } else {
            format!("Ours, version {}", e.versions)
        },
        stages: stages.join("; "),
        areas: if e.areas.is_empty() {
            "None".into()
        } else {
            e.areas.join(", ")
        },
    }
}

async fn list(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    Ok(list_page(
        &state,
        &signed,
        FormState::default(),
        q.contains_key("saved"),
    )
    .await?)
}

async fn set_area(
    State(state): State<AppState>,
    Path(area): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let chosen = form.v(&format!("scheme-{area}")).to_string();
    let panel = form.v(&format!("panel-{area}")).to_string();
    let saved = match state.app.set_area_scheme(&who, &area, &chosen).await {
        Ok(()) => state.app.set_area_panel(&who, &area, &panel).await,
        Err(e) => Err(e),
    };
    let result = match saved {
        Ok(()) => return Redirect::to("/staff/admin/schemes?saved=1").into_response(),
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &signed, FormState { errors, ..form }, false).await
        }
        Err(e) => Err(e),
    };
    result.unwrap_or_else(error_page)
}

#[derive(Template)]
#[template(path = "admin_scheme.html")]
struct SchemePage {
    layout: Layout,
    form: FormState,
    heading: String,
    /// The scheme as it stands, for reading (none for a new one).
    shown: Option<Shown>,
    /// Where the form posts; none for a built-in scheme, which is copied rather than edited.
    action: Option<String>,
    /// Whether the short name may be typed (a new scheme) or is fixed (a new version).
    new: bool,
    stage_rows: Vec<usize>,
    units: crate::forms::Options,
    clocks: crate::forms::Options,
    ombudsmen: crate::forms::Options,
    saved: bool,
    csrf: String,
}

struct Shown {
    id: String,
    about: String,
    /// (stage, acknowledge, respond, counts from, extension cap, different handler)
    stages: Vec<[String; 6]>,
}

fn shown(e: &SchemeEntry) -> Shown {
    let s = &e.scheme;
    let limit = s
        .time_limit_months
        .map(|m| format!("Complaints are expected within {m} months of the issue."))
        .unwrap_or_else(|| "No time limit for making a complaint.".into());
    let ombudsman = s
        .ombudsman
        .map(|o| format!(" Residents can go on to the {}.", o.name()))
        .unwrap_or_default();
    let kind = if e.built_in {
        "Built in: copy it to make your own version.".to_string()
    } else {
        format!(
            "Ours, version {}. Saving makes a new version; cases already open keep the one \
             they started under.",
            e.versions
        )
    };
    Shown {
        id: s.id.clone(),
        about: format!("{kind} {limit}{ombudsman}"),
        stages: s
            .stages
            .iter()
            .map(|r| {
                [
                    r.name.clone(),
                    r.acknowledge_within
                        .map(|t| t.describe())
                        .unwrap_or_else(|| "No separate acknowledgement".into()),
                    r.respond_within.describe(),
                    match r.respond_from {
                        ClockStart::Acknowledgement => "The acknowledgement".into(),
                        ClockStart::Receipt => "Receipt".into(),
                    },
                    r.extension_cap
                        .map(|t| format!("Up to {} more", t.describe()))
                        .unwrap_or_else(|| "None".into()),
                    if r.different_handler { "Yes" } else { "No" }.into(),
                ]
            })
            .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn scheme_page(
    state: &AppState,
    signed: &Signed,
    form: FormState,
    heading: String,
    shown: Option<Shown>,
    action: Option<String>,
    new: bool,
    saved: bool,
) -> Response {
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let options = |pairs: &[(&str, &str)]| -> crate::forms::Options {
        pairs
            .iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect()
    };
    render(
        status,
        &SchemePage {
            layout: Layout::staff(state, signed, &heading, &form),
            heading,
            shown,
            action,
            new,
            stage_rows: (1..=MAX_STAGES).collect(),
            units: options(&[
                ("working-days", "Working days"),
                ("calendar-days", "Calendar days"),
                ("calendar-months", "Months"),
            ]),
            clocks: options(&[
                ("receipt", "The day it is received or escalated"),
                ("acknowledgement", "The acknowledgement"),
            ]),
            ombudsmen: std::iter::once((String::new(), "None".to_string()))
                .chain(
                    Ombudsman::ALL
                        .iter()
                        .map(|o| (o.slug().to_string(), o.name().to_string())),
                )
                .collect(),
            saved,
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

/// A blank scheme form, or one filled from the scheme being copied.
async fn new_form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    let mut form = FormState::default();
    match q.get("copy") {
        Some(id) => {
            let from = state
                .app
                .scheme(&Principal::staff(&signed.user), id)
                .await?;
            form.values = form_fields(&from.scheme);
            form.values.insert("scheme_id".into(), String::new());
            form.values.insert(
                "scheme_name".into(),
                format!("Copy of {}", from.scheme.name),
            );
        }
        None => {
            for (k, v) in [
                ("stage1_name", "Stage 1"),
                ("stage1_unit", "working-days"),
                ("stage1_from", "acknowledgement"),
            ] {
                form.values.insert(k.into(), v.into());
            }
        }
    }
    Ok(scheme_page(
        &state,
        &signed,
        form,
        "New scheme".into(),
        None,
        Some("/staff/admin/schemes/new".into()),
        true,
        false,
    ))
}

async fn add(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let saved = match Scheme::from_form(&form.values) {
        Ok(scheme) => state.app.save_scheme(&who, scheme, true).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match saved {
        Ok(s) => Redirect::to(&format!(
            "/staff/admin/schemes/{}?saved=1",
            Scheme::base_id(&s.id)
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => scheme_page(
            &state,
            &signed,
            FormState { errors, ..form },
            "New scheme".into(),
            None,
            Some("/staff/admin/schemes/new".into()),
            true,
            false,
        ),
        Err(e) => error_page(e),
    }
}

async fn show(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    let entry = state
        .app
        .scheme(&Principal::staff(&signed.user), &id)
        .await?;
    let form = FormState {
        values: form_fields(&entry.scheme),
        ..Default::default()
    };
    Ok(existing_page(
        &state,
        &signed,
        &entry,
        form,
        q.contains_key("saved"),
    ))
}

fn existing_page(
    state: &AppState,
    signed: &Signed,
    entry: &SchemeEntry,
    form: FormState,
    saved: bool,
) -> Response {
    let action = (!entry.built_in).then(|| format!("/staff/admin/schemes/{}", entry.scheme.id));
    scheme_page(
        state,
        signed,
        form,
        entry.scheme.name.clone(),
        Some(shown(entry)),
        action,
        false,
        saved,
    )
}

async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::Administer>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let entry = match state.app.scheme(&who, &id).await {
        Ok(e) if !e.built_in => e,
        Ok(_) => return error_page(AppError::NotFound),
        Err(e) => return error_page(e),
    };
    // The short name is the one in the address: a new version, never a rename.
    form.values.insert("scheme_id".into(), id.clone());
    let saved = match Scheme::from_form(&form.values) {
        Ok(scheme) => state.app.save_scheme(&who, scheme, false).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match saved {
        Ok(_) => Redirect::to(&format!("/staff/admin/schemes/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(errors)) => {
            existing_page(&state, &signed, &entry, FormState { errors, ..form }, false)
        }
        Err(e) => error_page(e),
    }
}
