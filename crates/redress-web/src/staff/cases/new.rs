//! Recording a contact received by phone, letter, in person or any other way.

use super::super::staff_layout;
use crate::html::FormState;
use crate::public::contact::{ContactFormPage, input_from, merge_errors, valid_key};
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, error_page, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::contact::Source;
use redress_domain::role::Permission;
pub(crate) async fn staff_form(
    state: &AppState,
    signed: &Signed,
    form: FormState,
    draft: String,
) -> Response {
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    let mut layout = staff_layout(state, "Record a contact", signed);
    layout.has_errors = !form.errors.is_empty();
    render(
        StatusCode::OK,
        &ContactFormPage {
            layout,
            form,
            heading: "Record a complaint, comment, compliment or request".into(),
            action: "/staff/cases/new".into(),
            button: "Save".into(),
            draft,
            staff: true,
            csrf: signed.csrf_token.clone(),
            areas: std::iter::once((String::new(), "Not decided yet".to_string()))
                .chain(areas.into_iter().map(|a| (a.id, a.name)))
                .collect(),
        },
    )
}

pub(crate) async fn new_contact_form(
    State(state): State<AppState>,
    Staff(signed): Staff,
) -> Response {
    if !signed.user.role.can(Permission::RecordContacts) {
        return error_page(AppError::Forbidden);
    }
    let mut form = FormState::default();
    form.values.insert("who".into(), "myself".into());
    staff_form(&state, &signed, form, uuid::Uuid::now_v7().to_string()).await
}

pub(crate) async fn new_contact(
    State(state): State<AppState>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::RecordContacts>,
) -> Response {
    let draft = form
        .values
        .remove("draft")
        .filter(|d| valid_key(d))
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let input = input_from(&mut form);
    if !form.errors.is_empty() {
        return staff_form(&state, &signed, form, draft).await;
    }
    match state
        .app
        .submit_contact(
            &Principal::staff(&signed.user),
            &input,
            Source::Staff,
            Some(&draft),
        )
        .await
    {
        Ok(inserted) => {
            Redirect::to(&format!("/staff/cases/{}", inserted.contact().reference)).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            merge_errors(&mut form, &errors);
            staff_form(&state, &signed, form, draft).await
        }
        Err(e) => error_page(e),
    }
}
