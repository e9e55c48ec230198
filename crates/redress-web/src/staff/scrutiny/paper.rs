//! Requests that come on paper: staff type in the form with the day it was received and a
//! scan of it; files added to a request later; and each file back as a download.

use crate::html::FormState;
use crate::session::{Scrutineer, same_origin};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::role::Permission;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/scrutiny/paper",
            get(blank)
                .post(log)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/staff/scrutiny/requests/{id}/files",
            post(add_file).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/staff/scrutiny/requests/{id}/files/{file}", get(download))
}

/// A scan or a file of evidence, with the form around it: the largest file a case takes,
/// and room for the fields.
const UPLOAD_LIMIT: usize = redress_domain::attachment::MAX_BYTES + 1024 * 1024;

#[derive(Template)]
#[template(path = "scrutiny_paper_log.html")]
struct LogPage {
    layout: Layout,
    form: FormState,
    contact_methods: crate::forms::Options,
    formats: crate::forms::Options,
    areas: crate::forms::Options,
    csrf: String,
}

async fn page(state: &AppState, signed: &Signed, mut form: FormState) -> Response {
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    form.values
        .entry("received_on".into())
        .or_insert_with(|| state.app.today().to_string());
    render(
        form.status(),
        &LogPage {
            layout: Layout::staff(state, signed, "Log a request received on paper", &form),
            contact_methods: crate::forms::contact_methods(),
            formats: crate::public::scrutiny::format_options(),
            areas: std::iter::once((String::new(), "Not given".to_string()))
                .chain(areas.into_iter().map(|a| (a.id, a.name)))
                .collect(),
            csrf: signed.csrf_token.clone(),
            form,
        },
    )
}

/// Only staff who support requesters log their papers.
fn supports(signed: &Signed) -> Result<(), Response> {
    if signed.user.role.can(Permission::SupportScrutiny) {
        Ok(())
    } else {
        Err(error_page(AppError::Forbidden))
    }
}

/// The form and its file, checked as coming from this site's own page with the session's
/// token. An upload too large to read keeps nothing, and says so at the file.
async fn upload(
    signed: &Signed,
    headers: &HeaderMap,
    multipart: &mut Multipart,
) -> Result<(FormState, Option<(String, Vec<u8>)>), Response> {
    let (mut form, file) = crate::forms::read_upload(multipart).await;
    if form.errors.is_empty()
        && (!same_origin(headers)
            || form.values.remove("csrf").as_ref() != Some(&signed.csrf_token))
    {
        return Err(error_page(AppError::Forbidden));
    }
    // A form sent with no file chosen still sends an empty part with an empty name.
    let file = file.filter(|(name, bytes)| !(name.is_empty() && bytes.is_empty()));
    Ok((form, file))
}

async fn blank(State(state): State<AppState>, Scrutineer(signed): Scrutineer) -> Response {
    if let Err(r) = supports(&signed) {
        return r;
    }
    page(&state, &signed, FormState::default()).await
}

async fn log(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    if let Err(r) = supports(&signed) {
        return r;
    }
    let (mut form, scan) = match upload(&signed, &headers, &mut multipart).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if !form.errors.is_empty() {
        // The upload failed: the file field says why, and nothing was kept.
        return page(&state, &signed, form).await;
    }
    let answers = crate::public::scrutiny::answers_of(&form);
    match state
        .app
        .log_paper_scrutiny(
            &Principal::staff(&signed.user),
            answers,
            form.v("received_on"),
            scan,
        )
        .await
    {
        Ok(r) => Redirect::to(&format!("/staff/scrutiny/requests/{}", r.id)).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &signed, form).await
        }
        Err(e) => error_page(e),
    }
}

async fn add_file(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    if let Err(r) = supports(&signed) {
        return r;
    }
    let (mut form, file) = match upload(&signed, &headers, &mut multipart).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if form.errors.is_empty() {
        let (name, bytes) = file.unwrap_or_default();
        if name.is_empty() && bytes.is_empty() {
            form.errors.add("file", "Select a file");
        } else {
            match state
                .app
                .add_scrutiny_file(
                    &Principal::staff(&signed.user),
                    &id,
                    &name,
                    &bytes,
                    form.v("description"),
                )
                .await
            {
                Ok(_) => {
                    return Redirect::to(&format!("/staff/scrutiny/requests/{id}#files"))
                        .into_response();
                }
                Err(AppError::Invalid(errors)) => form.errors = errors,
                Err(e) => return error_page(e),
            }
        }
    }
    super::requests::case_page(&state, &signed, &id, form).await
}

/// A file as a download, never shown as a page.
async fn download(
    State(state): State<AppState>,
    Scrutineer(signed): Scrutineer,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    match state
        .app
        .scrutiny_file(&Principal::staff(&signed.user), &id, &file)
        .await
    {
        Ok((info, bytes)) => crate::download::uploaded(info.file_type, &info.name, bytes),
        Err(e) => error_page(e),
    }
}
