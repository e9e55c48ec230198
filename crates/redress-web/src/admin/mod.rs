//! Settings for administrators: users and roles, service areas, closure days. Every change
//! is written to the organisation's settings log with who made it.

mod branding;
mod contact;
mod limits;
mod privacy;
mod schemes;
mod signing;
mod webhooks;

use crate::html::{FormState, long_date};
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::organisation::Tenure;
use redress_domain::role::{Permission, Role};
use redress_domain::scheme::Ombudsman;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(branding::routes())
        .merge(privacy::routes())
        .merge(signing::routes())
        .merge(contact::routes())
        .merge(limits::routes())
        .merge(schemes::routes())
        .merge(webhooks::routes())
        .route("/staff/admin", get(index))
        .route("/staff/admin/users", get(users).post(add_user))
        .route("/staff/admin/users/{id}", post(update_user))
        .route("/staff/admin/organisation", get(organisation))
        .route("/staff/admin/organisation/areas", post(add_area))
        .route("/staff/admin/organisation/closures", post(add_closure))
        .route("/staff/admin/organisation/homes", post(set_homes))
        .route("/staff/admin/organisation/ombudsman", post(set_ombudsman))
        .route("/staff/admin/organisation/profile", post(set_profile))
}

/// Only administrators, and only with this site's own form.
pub(crate) fn guard(
    signed: &Signed,
    form: Option<(&HeaderMap, &BTreeMap<String, String>)>,
) -> Result<(), Response> {
    crate::session::require(signed, Permission::Administer, form)
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    layout: Layout,
    log: Vec<(String, String, String)>,
    /// Webhook endpoints paused (by failing or by hand), for the administrator to see.
    paused_webhooks: usize,
}

async fn index(State(state): State<AppState>, Staff(signed): Staff) -> PageResult {
    if let Err(r) = guard(&signed, None) {
        return Ok(r);
    }
    let entries = state
        .app
        .admin_log(&Principal::staff(&signed.user), 30)
        .await?;
    let log = entries
        .into_iter()
        .map(|(at, who, what)| (redress_domain::calendar::long_date_time(at), who, what))
        .collect();
    let paused_webhooks = state
        .app
        .webhook_endpoints(&Principal::staff(&signed.user))
        .await?
        .iter()
        .filter(|e| e.state == "paused")
        .count();
    Ok(render(
        StatusCode::OK,
        &IndexPage {
            layout: Layout::staff(&state, &signed, "Settings", &FormState::default()),
            log,
            paused_webhooks,
        },
    ))
}

struct UserRow {
    id: String,
    name: String,
    email: String,
    role: String,
    active: bool,
    /// For service managers: each service area, and whether they look after it.
    areas: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    form: FormState,
    users: Vec<UserRow>,
    roles: crate::forms::Options,
    csrf: String,
}

async fn users_page(state: &AppState, signed: &Signed, form: FormState) -> Response {
    let (users, all_areas) = match (
        state
            .app
            .staff_with_areas(&Principal::staff(&signed.user))
            .await,
        state.app.service_areas().await,
    ) {
        (Ok(u), Ok(a)) => (u, a),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let mut rows = Vec::new();
    for (u, mine) in users {
        let areas = if u.role == Role::ServiceManager {
            all_areas
                .iter()
                .map(|a| (a.id.clone(), a.name.clone(), mine.contains(&a.id)))
                .collect()
        } else {
            Vec::new()
        };
        rows.push(UserRow {
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role.as_str().into(),
            active: u.active,
            areas,
        });
    }
    render(
        StatusCode::OK,
        &UsersPage {
            layout: Layout::staff(state, signed, "Users and roles", &form),
            users: rows,
            roles: Role::ALL
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string()))
                .collect(),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

async fn users(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    if let Err(r) = guard(&signed, None) {
        return r;
    }
    let mut form = FormState::default();
    form.values
        .insert("role".into(), Role::CaseWorker.as_str().into());
    users_page(&state, &signed, form).await
}

async fn add_user(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::Administer>,
) -> Response {
    let role = form.errors.take("role", Role::parse(form.v("role")));
    let Some(role) = role else {
        return users_page(&state, &signed, form).await;
    };
    match state
        .app
        .add_user(
            &Principal::staff(&signed.user),
            form.v("email"),
            form.v("name"),
            role,
            form.v("password"),
        )
        .await
    {
        Ok(_) => Redirect::to("/staff/admin/users").into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            form.values.remove("password");
            users_page(&state, &signed, form).await
        }
        Err(e) => error_page(e),
    }
}

async fn update_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let values = form.values;
    let Ok(role) = Role::parse(values.get("role").map(String::as_str).unwrap_or_default()) else {
        return error_page(AppError::NotFound);
    };
    let active = values.get("active").is_some_and(|v| v == "yes");
    let areas: Vec<String> = values
        .iter()
        .filter(|(_, v)| *v == "yes")
        .filter_map(|(k, _)| k.strip_prefix("area-").map(str::to_string))
        .collect();
    match state
        .app
        .update_user(&Principal::staff(&signed.user), &id, role, active, areas)
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/users").into_response(),
        Err(AppError::Invalid(errors)) => {
            let form = FormState {
                errors,
                ..Default::default()
            };
            users_page(&state, &signed, form).await
        }
        Err(e) => error_page(e),
    }
}

#[derive(Template)]
#[template(path = "admin_organisation.html")]
struct OrganisationPage {
    layout: Layout,
    form: FormState,
    org_name: String,
    division: String,
    default_scheme: String,
    areas: Vec<(String, String)>,
    schemes: crate::forms::Options,
    closures: Vec<(String, String)>,
    homes: Vec<(i16, String, i64)>,
    tenures: crate::forms::Options,
    /// Slug and name of each ombudsman; the wording is in the form values.
    ombudsmen: Vec<(String, String)>,
    /// Each equality question with its answers as (form field, label).
    profile: Vec<(String, Vec<(String, String)>)>,
    csrf: String,
}

async fn organisation_page(state: &AppState, signed: &Signed, mut form: FormState) -> Response {
    let org = &state.app.organisation;
    for o in Ombudsman::ALL {
        if !form.values.contains_key(o.slug()) {
            match state.app.ombudsman_contact(o).await {
                Ok(text) => {
                    form.values.insert(o.slug().to_string(), text);
                }
                Err(e) => return error_page(e),
            }
        }
    }
    match state.app.customer_profile().await {
        Ok(profile) => {
            for ((q, a), v) in profile {
                form.values
                    .entry(redress_app::equality::field(&q, &a))
                    .or_insert_with(|| v.to_string());
            }
        }
        Err(e) => return error_page(e),
    }
    let setup = match state
        .app
        .organisation_setup(&Principal::staff(&signed.user))
        .await
    {
        Ok(s) => s,
        Err(e) => return error_page(e),
    };
    let (homes, areas, closures, schemes) =
        (setup.homes, setup.areas, setup.closures, setup.schemes);
    let scheme_name = |id: &str| {
        schemes
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    render(
        StatusCode::OK,
        &OrganisationPage {
            layout: Layout::staff(state, signed, "Organisation", &form),
            org_name: org.name.clone(),
            division: org.division.label().into(),
            default_scheme: scheme_name(&org.default_scheme),
            areas: areas
                .iter()
                .map(|a| (a.name.clone(), scheme_name(&a.scheme)))
                .collect(),
            schemes: schemes
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
            closures: closures
                .into_iter()
                .map(|(d, r)| (long_date(d), r))
                .collect(),
            homes: homes
                .iter()
                .map(|h| (h.year, h.tenure.label().to_string(), h.homes))
                .collect(),
            tenures: std::iter::once((String::new(), "Select a tenure".to_string()))
                .chain(
                    Tenure::ALL
                        .iter()
                        .filter(|t| **t != Tenure::NotAResident)
                        .map(|t| (t.as_str().to_string(), t.label().to_string())),
                )
                .collect(),
            ombudsmen: Ombudsman::ALL
                .iter()
                .map(|o| (o.slug().to_string(), o.name().to_string()))
                .collect(),
            profile: redress_domain::equality::questions()
                .into_iter()
                .map(|(q, label, answers)| {
                    (
                        label.to_string(),
                        answers
                            .into_iter()
                            .map(|(a, l)| (redress_app::equality::field(q, a), l.to_string()))
                            .collect(),
                    )
                })
                .collect(),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

/// After a settings form: back to the organisation page, or the form again with a message
/// at each field that was wrong.
async fn organisation_saved<T>(
    state: &AppState,
    signed: &Signed,
    mut form: FormState,
    result: Result<T, AppError>,
) -> Response {
    match result {
        Ok(_) => Redirect::to("/staff/admin/organisation").into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            organisation_page(state, signed, form).await
        }
        Err(e) => error_page(e),
    }
}

async fn organisation(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    if let Err(r) = guard(&signed, None) {
        return r;
    }
    let mut form = FormState::default();
    form.values.insert(
        "scheme".into(),
        state.app.organisation.default_scheme.clone(),
    );
    organisation_page(&state, &signed, form).await
}

async fn add_area(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let result = state
        .app
        .add_service_area(
            &Principal::staff(&signed.user),
            form.v("area_name"),
            form.v("scheme"),
        )
        .await;
    organisation_saved(&state, &signed, form, result).await
}

async fn add_closure(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let result = state
        .app
        .add_closure_day(
            &Principal::staff(&signed.user),
            form.v("day"),
            form.v("reason"),
        )
        .await;
    organisation_saved(&state, &signed, form, result).await
}

/// Homes owned or managed, by tenure and year: what complaint rates per 1,000 homes divide by.
async fn set_homes(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let result = state
        .app
        .set_homes(
            &Principal::staff(&signed.user),
            form.v("homes_year"),
            form.v("tenure"),
            form.v("homes"),
        )
        .await;
    organisation_saved(&state, &signed, form, result).await
}

/// The ombudsman contact details letters give, where the organisation words them its own way.
async fn set_ombudsman(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::Administer>,
) -> Response {
    let mut changes = Vec::new();
    for o in Ombudsman::ALL {
        let typed = form.v(o.slug()).trim().replace("\r\n", "\n");
        if typed.is_empty() {
            form.errors
                .add(o.slug(), format!("Enter how to contact the {}", o.name()));
            continue;
        }
        match state.app.ombudsman_contact(o).await {
            Ok(current) if current == typed => {}
            Ok(_) => changes.push((o, typed)),
            Err(e) => return error_page(e),
        }
    }
    if !form.errors.is_empty() {
        return organisation_page(&state, &signed, form).await;
    }
    for (o, text) in changes {
        match state
            .app
            .set_ombudsman_contact(&Principal::staff(&signed.user), o, &text)
            .await
        {
            Ok(()) => {}
            Err(AppError::Invalid(errors)) => {
                form.errors = errors;
                return organisation_page(&state, &signed, form).await;
            }
            Err(e) => return error_page(e),
        }
    }
    Redirect::to("/staff/admin/organisation").into_response()
}

/// The share of customers in each equality group, that complainants are compared with.
async fn set_profile(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::Administer>,
) -> Response {
    match state
        .app
        .set_customer_profile(&Principal::staff(&signed.user), &form.values)
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/organisation").into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            organisation_page(&state, &signed, form).await
        }
        Err(e) => error_page(e),
    }
}
