//! The branding settings page: the organisation's name, header colour and logo.

use crate::admin::guard;
use crate::html::FormState;
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/branding", get(index).post(save))
        .route(
            "/staff/admin/branding/logo",
            post(upload_logo).layer(axum::extract::DefaultBodyLimit::max(
                redress_domain::branding::MAX_LOGO_BYTES + 64 * 1024,
            )),
        )
        .route("/staff/admin/branding/logo/remove", post(remove_logo))
}

#[derive(Template)]
#[template(path = "admin_branding.html")]
struct BrandingPage {
    layout: crate::Layout,
    form: FormState,
    has_logo: bool,
    csrf: String,
    saved: bool,
}

fn page(state: &AppState, signed: &Signed, mut form: FormState, saved: bool) -> Response {
    let branding = state.app.branding();
    form.values
        .entry("brand_name".into())
        .or_insert_with(|| state.app.display_name());
    form.values
        .entry("colour".into())
        .or_insert_with(|| branding.colour.clone().unwrap_or_default());
    render(
        form.status(),
        &BrandingPage {
            layout: Layout::staff(state, signed, "Branding", &form),
            has_logo: branding.logo.is_some(),
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
    if let Err(e) = state.app.reload_branding().await {
        return error_page(e);
    }
    page(
        &state,
        &signed,
        FormState::default(),
        q.contains_key("saved"),
    )
}

async fn save(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::Administer>,
) -> Response {
    match state
        .app
        .set_branding(
            &Principal::staff(&signed.user),
            form.v("brand_name"),
            form.v("colour"),
        )
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/branding?saved").into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &signed, form, false)
        }
        Err(e) => error_page(e),
    }
}

async fn upload_logo(
    State(state): State<AppState>,
    Staff(signed): Staff,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let (mut form, file) = crate::forms::read_upload(&mut multipart).await;
    // An upload too large to read saves nothing: it is answered with the form and its
    // message (for administrators only), even when the reading stopped before the token.
    let unreadable = !form.errors.is_empty();
    let check = (!unreadable).then_some((&headers, &form.values));
    if let Err(r) = guard(&signed, check) {
        return r;
    }
    // The file arrives in the "file" field; its messages belong to the "logo" field.
    if let Some(m) = form.errors.get("file").map(str::to_string) {
        form.errors = redress_domain::FieldErrors::new();
        form.errors.add("logo", m);
        return page(&state, &signed, form, false);
    }
    let (name, bytes) = file.unwrap_or_default();
    if bytes.is_empty() {
        form.errors.add("logo", "Select a PNG or JPEG image");
        return page(&state, &signed, form, false);
    }
    match state
        .app
        .set_logo(&Principal::staff(&signed.user), Some((&name, &bytes)))
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/branding?saved").into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &signed, form, false)
        }
        Err(e) => error_page(e),
    }
}

async fn remove_logo(
    State(state): State<AppState>,
    StaffForm { signed, form, .. }: StaffForm<needs::Administer>,
) -> Response {
    let _values = form.values;
    match state
        .app
        .set_logo(&Principal::staff(&signed.user), None)
        .await
    {
        Ok(()) => Redirect::to("/staff/admin/branding?saved").into_response(),
        Err(e) => error_page(e),
    }
}
