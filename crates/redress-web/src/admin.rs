//! Settings for administrators: users and roles, service areas, closure days. Every change
//! is written to the organisation's settings log with who made it.

use crate::html::{FormState, long_date};
use crate::session::Staff;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::auth::Signed;
use redress_domain::organisation::{HomesCount, ServiceArea, Tenure};
use redress_domain::role::{Permission, Role};
use redress_domain::scheme::{Ombudsman, Scheme};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
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
    state: &AppState,
    signed: &Signed,
    form: Option<(&HeaderMap, &BTreeMap<String, String>)>,
) -> Result<(), Response> {
    crate::session::require(state, signed, Permission::Administer, form)
}

pub(crate) async fn log(state: &AppState, signed: &Signed, summary: &str) -> Result<(), AppError> {
    Ok(state
        .app
        .store
        .log_admin(
            &state.app.organisation.id,
            state.app.now(),
            &signed.user.name,
            summary,
        )
        .await?)
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    layout: Layout,
    log: Vec<(String, String, String)>,
}

async fn index(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    if let Err(r) = guard(&state, &signed, None) {
        return r;
    }
    let entries = match state
        .app
        .store
        .admin_log(&state.app.organisation.id, 30)
        .await
    {
        Ok(l) => l,
        Err(e) => return error_page(&state, e.into()),
    };
    let log = entries
        .into_iter()
        .map(|(at, who, what)| (redress_domain::calendar::long_date_time(at), who, what))
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            layout: Layout::staff(&state, &signed, "Settings", &FormState::default()),
            log,
        },
    )
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
        state.app.store.users().await,
        state
            .app
            .store
            .service_areas(&state.app.organisation.id)
            .await,
    ) {
        (Ok(u), Ok(a)) => (u, a),
        (Err(e), _) | (_, Err(e)) => return error_page(state, e.into()),
    };
    let mut rows = Vec::new();
    for u in users {
        let areas = if u.role == Role::ServiceManager {
            let mine = match state.app.store.user_areas(&u.id).await {
                Ok(a) => a,
                Err(e) => return error_page(state, e.into()),
            };
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
    if let Err(r) = guard(&state, &signed, None) {
        return r;
    }
    let mut form = FormState::default();
    form.values
        .insert("role".into(), Role::CaseWorker.as_str().into());
    users_page(&state, &signed, form).await
}

async fn add_user(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if let Err(r) = guard(&state, &signed, Some((&headers, &form.values))) {
        return r;
    }
    let role = form.errors.take("role", Role::parse(form.v("role")));
    let Some(role) = role else {
        return users_page(&state, &signed, form).await;
    };
    match state
        .app
        .add_user(form.v("email"), form.v("name"), role, form.v("password"))
        .await
    {
        Ok(user) => {
            if let Err(e) = log(
                &state,
                &signed,
                &format!("Added {} ({}) as {}", user.name, user.email, role.label()),
            )
            .await
            {
                return error_page(&state, e);
            }
            Redirect::to("/staff/admin/users").into_response()
        }
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            form.values.remove("password");
            users_page(&state, &signed, form).await
        }
        Err(e) => error_page(&state, e),
    }
}

async fn update_user(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let values = crate::forms::parse_body(&body);
    if let Err(r) = guard(&state, &signed, Some((&headers, &values))) {
        return r;
    }
    let Ok(role) = Role::parse(values.get("role").map(String::as_str).unwrap_or_default()) else {
        return error_page(&state, AppError::NotFound);
    };
    let active = values.get("active").is_some_and(|v| v == "yes");
    if id == signed.user.id && (!active || role != Role::Admin) {
        // An administrator cannot lock themselves out; another administrator can.
        let mut form = FormState::default();
        form.errors.add(
            format!("role-{id}"),
            "You cannot remove your own administrator access",
        );
        return users_page(&state, &signed, form).await;
    }
    let user = match state.app.store.users().await {
        Ok(users) => users.into_iter().find(|u| u.id == id),
        Err(e) => return error_page(&state, e.into()),
    };
    let Some(user) = user else {
        return error_page(&state, AppError::NotFound);
    };
    match state.app.store.update_user(&id, role, active).await {
        Ok(true) => {
            // A service manager's areas are saved with the role; the boxes show once the
            // role is service manager.
            if role == Role::ServiceManager && user.role == Role::ServiceManager {
                let areas: Vec<String> = values
                    .iter()
                    .filter(|(_, v)| *v == "yes")
                    .filter_map(|(k, _)| k.strip_prefix("area-").map(str::to_string))
                    .collect();
                if let Err(e) = state
                    .app
                    .set_user_areas(&user, areas, &signed.user.name)
                    .await
                {
                    return error_page(&state, e);
                }
            }
            let summary = format!(
                "{}: role {}{}",
                user.name,
                role.label(),
                if active { "" } else { ", cannot sign in" }
            );
            if let Err(e) = log(&state, &signed, &summary).await {
                return error_page(&state, e);
            }
            Redirect::to("/staff/admin/users").into_response()
        }
        Ok(false) => error_page(&state, AppError::NotFound),
        Err(e) => error_page(&state, e.into()),
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
                Err(e) => return error_page(state, e),
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
        Err(e) => return error_page(state, e),
    }
    let mut homes = match state.app.store.homes(&org.id).await {
        Ok(h) => h,
        Err(e) => return error_page(state, e.into()),
    };
    homes.sort_by_key(|h| (std::cmp::Reverse(h.year), h.tenure.as_str()));
    let (areas, closures, custom) = match (
        state.app.store.service_areas(&org.id).await,
        state.app.store.closure_days(&org.id).await,
        state.app.store.custom_schemes(&org.id).await,
    ) {
        (Ok(a), Ok(c), Ok(s)) => (a, c, s),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return error_page(state, e.into()),
    };
    let schemes: Vec<Scheme> = Scheme::built_in().into_iter().chain(custom).collect();
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

async fn organisation(State(state): State<AppState>, Staff(signed): Staff) -> Response {
    if let Err(r) = guard(&state, &signed, None) {
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
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if let Err(r) = guard(&state, &signed, Some((&headers, &form.values))) {
        return r;
    }
    let name = form.v("area_name").trim().to_string();
    if name.is_empty() {
        form.errors
            .add("area_name", "Enter the name of the service area");
    } else if name.chars().count() > 100 {
        form.errors
            .add("area_name", "The name must be 100 characters or fewer");
    }
    let scheme = form.v("scheme").to_string();
    if state.app.find_scheme(&scheme).await.is_err() {
        form.errors.add("scheme", "Select a scheme from the list");
    }
    if !form.errors.is_empty() {
        return organisation_page(&state, &signed, form).await;
    }
    let area = ServiceArea {
        id: uuid::Uuid::now_v7().to_string(),
        name: name.clone(),
        scheme,
    };
    match state
        .app
        .store
        .add_service_area(&state.app.organisation.id, &area)
        .await
    {
        Ok(()) => {
            if let Err(e) = log(&state, &signed, &format!("Added the service area {name}")).await {
                return error_page(&state, e);
            }
            Redirect::to("/staff/admin/organisation").into_response()
        }
        Err(redress_store::StoreError::Duplicate(_)) => {
            form.errors.add(
                "area_name",
                "There is already a service area with this name",
            );
            organisation_page(&state, &signed, form).await
        }
        Err(e) => error_page(&state, e.into()),
    }
}

async fn add_closure(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if let Err(r) = guard(&state, &signed, Some((&headers, &form.values))) {
        return r;
    }
    let day = match form.v("day").trim().parse::<jiff::civil::Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            form.errors.add("day", "Enter a real date, like 2026-12-24");
            None
        }
    };
    let reason = form.v("reason").trim().to_string();
    if reason.is_empty() {
        form.errors
            .add("reason", "Enter why the organisation is closed");
    }
    let Some(day) = day.filter(|_| form.errors.is_empty()) else {
        return organisation_page(&state, &signed, form).await;
    };
    match state
        .app
        .store
        .add_closure_day(&state.app.organisation.id, day, &reason)
        .await
    {
        Ok(()) => {
            if let Err(e) = log(
                &state,
                &signed,
                &format!("Closure day {}: {reason}", long_date(day)),
            )
            .await
            {
                return error_page(&state, e);
            }
            Redirect::to("/staff/admin/organisation").into_response()
        }
        Err(e) => error_page(&state, e.into()),
    }
}

/// Homes owned or managed, by tenure and year: what complaint rates per 1,000 homes divide by.
async fn set_homes(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if let Err(r) = guard(&state, &signed, Some((&headers, &form.values))) {
        return r;
    }
    let year = match form.v("homes_year").trim().parse::<i16>() {
        Ok(y) if (2000..=2100).contains(&y) => Some(y),
        _ => {
            form.errors
                .add("homes_year", "Enter the year as four digits, like 2026");
            None
        }
    };
    let tenure = match Tenure::parse(form.v("tenure")) {
        Ok(t) if t != Tenure::NotAResident => Some(t),
        _ => {
            form.errors.add("tenure", "Select a tenure");
            None
        }
    };
    let homes = match form.v("homes").trim().replace(',', "").parse::<i64>() {
        Ok(n) if (0..=10_000_000).contains(&n) => Some(n),
        _ => {
            form.errors.add(
                "homes",
                "Enter the number of homes as a whole number, like 8420",
            );
            None
        }
    };
    let (Some(year), Some(tenure), Some(homes)) = (year, tenure, homes) else {
        return organisation_page(&state, &signed, form).await;
    };
    let count = HomesCount {
        year,
        tenure,
        homes,
    };
    if let Err(e) = state
        .app
        .store
        .set_homes(&state.app.organisation.id, &count)
        .await
    {
        return error_page(&state, e.into());
    }
    let summary = format!(
        "Homes in {year}, {}: {homes}",
        tenure.label().to_lowercase()
    );
    if let Err(e) = log(&state, &signed, &summary).await {
        return error_page(&state, e);
    }
    Redirect::to("/staff/admin/organisation").into_response()
}

/// The ombudsman contact details letters give, where the organisation words them its own way.
async fn set_ombudsman(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if let Err(r) = guard(&state, &signed, Some((&headers, &form.values))) {
        return r;
    }
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
            Err(e) => return error_page(&state, e),
        }
    }
    if !form.errors.is_empty() {
        return organisation_page(&state, &signed, form).await;
    }
    for (o, text) in changes {
        match state
            .app
            .set_ombudsman_contact(o, &text, &signed.user.name)
            .await
        {
            Ok(()) => {}
            Err(AppError::Invalid(errors)) => {
                form.errors = errors;
                return organisation_page(&state, &signed, form).await;
            }
            Err(e) => return error_page(&state, e),
        }
    }
    Redirect::to("/staff/admin/organisation").into_response()
}

/// The share of customers in each equality group, that complainants are compared with.
async fn set_profile(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if let Err(r) = guard(&state, &signed, Some((&headers, &form.values))) {
        return r;
    }
    match state
        .app
        .set_customer_profile(&form.values, &signed.user.name)
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/organisation").into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            organisation_page(&state, &signed, form).await
        }
        Err(e) => error_page(&state, e),
    }
}
