//! Unacceptable behaviour: recording a restriction on a person from one of their cases, reviewing and ending it.

use super::fields::*;
use super::{ActionForm, ActionPage, Ctx, Performed, Run, Use};
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, error_page, render};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_domain::restriction::Restriction;

pub(super) const ACTIONS: &[ActionForm] = &[ActionForm {
    slug: "restrict-contact",
    title: "Record a contact restriction",
    run: Run::Special {
        offered: |c, _| c.detail.person.is_some(),
        perform: restrict,
    },
    fields: fields_restrict,
    ..ActionForm::BASE
}];

fn fields_restrict(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let kinds: crate::forms::Options = RestrictionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    [
        form.radios("kind", "Restriction", "It limits how we deal with the person, never whether a new complaint is accepted.", &kinds, false),
        c.area("behaviour", "The behaviour", "Factual: what was said or done, and when."),
        c.area("details", "What is restricted, and how they can still contact us", ""),
        form.input("decided_by", "Who decided", "", "text", "", ""),
        c.date("communicated_on", "Date the person was told", ""),
        c.date("review_on", "Review date", "Restrictions must be proportionate and reviewed, with regard to the Equality Act 2010."),
    ]
    .concat()
}

/// A restriction is on the person, not only this case: its own use case records it.
fn restrict(u: Use<'_>) -> Performed<'_> {
    Box::pin(async move {
        let form = u.ctx.form;
        let restriction = Restriction::parse(
            form.v("kind"),
            form.v("behaviour"),
            form.v("details"),
            form.v("decided_by"),
            form.v("communicated_on"),
            form.v("review_on"),
            u.app.today(),
        )
        .map_err(AppError::Invalid)?;
        let reference = u.ctx.contact.reference.to_string();
        u.app
            .add_restriction(u.who, &reference, restriction)
            .await?;
        Ok(reference)
    })
}

/// Ends a restriction from a case of the person it applies to.
pub async fn end_restriction(
    State(state): State<AppState>,
    Path((reference, id)): Path<(String, String)>,
    StaffForm { signed, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    match state
        .app
        .end_restriction(&Principal::staff(&signed.user), &reference, &id)
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/cases/{reference}")).into_response(),
        Err(e) => error_page(e),
    }
}

fn review_page(
    state: &AppState,
    signed: &Signed,
    reference: &str,
    id: &str,
    form: FormState,
) -> Response {
    let layout = Layout::staff(state, signed, "Record a review of the restriction", &form);
    let fields = [
        form.input("next_review", "Next review date", "For example, 2027-03-01", "date", "", "10"),
        form.textarea("outcome", "What the review decided and why", "This is noted on the case. To lift the restriction, use End this restriction on the case instead.", 4),
    ]
    .concat();
    render(
        form.status(),
        &ActionPage {
            layout,
            post_to: format!("/staff/cases/{reference}/restrictions/{id}/review"),
            enctype: "application/x-www-form-urlencoded",
            reference: reference.to_string(),
            heading: "Record a review of the restriction".into(),
            intro: "Restrictions must stay proportionate: review whether it is still needed and set when it will be looked at again.".into(),
            button: "Save review".into(),
            fields,
            csrf: signed.csrf_token.clone(),
            version: 0,
            form,
        },
    )
}

/// The form for reviewing a restriction from a case of the person it applies to.
pub async fn review_restriction_form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    // Only those who handle the case see the form; saving it checks again.
    if !signed.user.role.can(Permission::HandleCases) {
        return error_page(AppError::Forbidden);
    }
    if let Err(e) = state
        .app
        .case_for(&Principal::staff(&signed.user), &reference)
        .await
    {
        return error_page(e);
    }
    review_page(&state, &signed, &reference, &id, FormState::default())
}

pub async fn review_restriction(
    State(state): State<AppState>,
    Path((reference, id)): Path<(String, String)>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::HandleCases>,
) -> Response {
    match state
        .app
        .review_restriction(
            &Principal::staff(&signed.user),
            &reference,
            &id,
            form.v("next_review"),
            form.v("outcome"),
        )
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/cases/{reference}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            review_page(&state, &signed, &reference, &id, form)
        }
        Err(e) => error_page(e),
    }
}
