//! Checking a letter before it goes: the preview, an edit, a second person's approval
//! where the organisation asks for one, and sending it by email or to the print queue.

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
use redress_domain::letter::{self, Delivery};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/letters/{id}/check", get(check))
        .route("/staff/letters/{id}/edit", post(edit))
        .route("/staff/letters/{id}/approve", post(approve))
        .route("/staff/letters/{id}/send", post(send))
        .route("/staff/letters/{id}/discard", post(discard))
}

#[derive(Template)]
#[template(path = "letter_check.html")]
struct CheckPage {
    layout: Layout,
    form: FormState,
    done: Option<&'static str>,
    id: String,
    reference: String,
    subject: String,
    body_html: String,
    draft: bool,
    state: &'static str,
    state_class: &'static str,
    how: String,
    recipient_lines: Vec<String>,
    needs_approval: bool,
    approval: String,
    may_approve: bool,
    may_send: bool,
    send_label: &'static str,
    unfilled: String,
    /// The words can be edited here: not a letter carrying the resident's private link,
    /// which staff never see.
    editable: bool,
    /// What the reader saw, sent back with each step.
    was: String,
    csrf: String,
}

/// A letter's state in words: drafts wait for staff, the rest are on their way or gone.
pub(crate) fn state_words(status: &str) -> (&'static str, &'static str) {
    match status {
        "draft" => ("Draft: not sent", "tag--yellow"),
        "pending" | "sending" => ("Waiting to be emailed", "tag--blue"),
        "to-print" => ("Waiting to be printed", "tag--blue"),
        "printed" => ("Printed and posted", "tag--green"),
        "sent" => ("Emailed", "tag--green"),
        "check" => ("To check: the send was interrupted", "tag--red"),
        "failed" => ("Could not be sent", "tag--red"),
        "discarded" => ("Withdrawn: not sent", "tag--grey"),
        "to-convert" => ("Waiting to be transcribed or translated", "tag--yellow"),
        "converted" => ("Sent in the format asked for", "tag--green"),
        _ => ("Unknown", "tag--grey"),
    }
}

async fn check_page(
    state: &AppState,
    signed: &Signed,
    id: &str,
    form: Option<FormState>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let who = Principal::staff(&signed.user);
    let c = state.app.letter_check(&who, id).await?;
    let l = &c.letter;
    // A refused step shows the letter's words again, unless the reader's own edit was what
    // was refused: then their words stay for them to put right.
    let mut form = form.unwrap_or_default();
    for (field, words) in [("subject", &l.subject), ("body", &l.body)] {
        form.values
            .entry(field.into())
            .or_insert_with(|| words.clone());
    }
    let (words, class) = state_words(&l.status);
    let approval = match &l.approved_by {
        Some(_) => "Approved by a second person".to_string(),
        None => "Waiting for a second person to approve it".to_string(),
    };
    let layout = Layout::staff(state, signed, "Check a letter", &form);
    Ok(render(
        if form.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        },
        &CheckPage {
            layout,
            done,
            id: l.id.clone(),
            reference: l.reference.to_string(),
            subject: l.subject.clone(),
            // An emailed letter's private links are for the resident alone.
            body_html: letter::body_html(&match l.delivery {
                Delivery::Email => letter::for_staff(&l.body),
                Delivery::Post => l.body.clone(),
            }),
            editable: !letter::has_private_link(&l.body),
            draft: c.draft,
            state: words,
            state_class: class,
            how: format!(
                "{}{}",
                l.delivery.label(),
                if l.large_print { ", large print" } else { "" }
            ),
            recipient_lines: l.recipient.lines().map(str::to_string).collect(),
            needs_approval: c.needs_approval,
            approval,
            may_approve: c.may_approve,
            may_send: c.may_send,
            send_label: match l.delivery {
                Delivery::Email => "Send the email",
                Delivery::Post => "Send to the print queue",
            },
            unfilled: c.unfilled.join(", "),
            was: c.seen.clone(),
            csrf: signed.csrf_token.clone(),
            form,
        },
    ))
}

async fn check(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let done = match q.get("done").map(String::as_str) {
        Some("edited") => Some("Your changes are saved. Check the preview, then send it."),
        Some("approved") => Some("Approved. It can now be sent."),
        _ => None,
    };
    Ok(check_page(&state, &signed, &id, None, done).await?)
}

/// After a step: onward, or the page again with the message at its field.
async fn answer(
    state: &AppState,
    signed: &Signed,
    id: &str,
    form: FormState,
    result: Result<(), AppError>,
    next: String,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&next).into_response(),
        Err(AppError::Domain(e)) => {
            let mut form = form;
            form.errors.add(e.field(), e.to_string());
            match check_page(state, signed, id, Some(form), None).await {
                Ok(r) => r,
                Err(e) => error_page(e),
            }
        }
        Err(AppError::Invalid(errors)) => {
            let form = FormState { errors, ..form };
            match check_page(state, signed, id, Some(form), None).await {
                Ok(r) => r,
                Err(e) => error_page(e),
            }
        }
        Err(e) => error_page(e),
    }
}

async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let result = state
        .app
        .edit_letter(&who, &id, form.v("was"), form.v("subject"), form.v("body"))
        .await;
    let next = format!("/staff/letters/{id}/check?done=edited");
    answer(&state, &signed, &id, form, result, next).await
}

async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let result = state.app.approve_letter(&who, &id, form.v("was")).await;
    let next = format!("/staff/letters/{id}/check?done=approved");
    answer(&state, &signed, &id, FormState::default(), result, next).await
}

/// The reference of a letter's case, to go back to it after a step; or the page to show.
async fn case_of(state: &AppState, who: &Principal, id: &str) -> Result<String, Response> {
    match state.app.letter_for(who, id).await {
        Ok(l) => Ok(l.reference.to_string()),
        Err(e) => Err(error_page(e)),
    }
}

async fn send(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let reference = match case_of(&state, &who, &id).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let result = state.app.release_letter(&who, &id, form.v("was")).await;
    let next = format!("/staff/cases/{reference}?done=letter-sent");
    answer(&state, &signed, &id, FormState::default(), result, next).await
}

async fn discard(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, form, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    let who = Principal::staff(&signed.user);
    let reference = match case_of(&state, &who, &id).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let result = state
        .app
        .discard_letter(&who, &id, form.v("was"), form.v("reason"))
        .await;
    let next = format!("/staff/cases/{reference}?done=letter-discarded");
    let kept = FormState {
        values: [("reason".to_string(), form.v("reason").to_string())].into(),
        ..FormState::default()
    };
    answer(&state, &signed, &id, kept, result, next).await
}
