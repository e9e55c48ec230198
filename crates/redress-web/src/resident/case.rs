//! A resident's own case: where it is, the dates, what they sent, the letters and the
//! steps so far, in their language; and adding information or a file, asking for a
//! review or the Tenants Panel, or withdrawing.

use super::token;
use crate::html::FormState;
use crate::session::same_origin;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use redress_app::AppError;
use redress_app::resident::ResidentRequest;
use redress_domain::contact::{Contact, ContactKind, ContactStatus};
use redress_domain::event::EventKind;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "track_case.html")]
struct CasePage {
    layout: Layout,
    form: FormState,
    done: Option<String>,
    reference: String,
    heading: String,
    status: String,
    dates: Vec<(String, String)>,
    /// What the resident sent, as they can re-read it.
    submitted: Vec<(String, String)>,
    /// Subject, date, body as HTML, and the language it was written in.
    letters: Vec<(String, String, String, &'static str)>,
    history: Vec<(String, String)>,
    /// Files the resident sent: name and date.
    files: Vec<(String, String)>,
    open: bool,
    can_escalate: bool,
    can_ask_panel: bool,
}

/// Where a case is, in the words a resident would use.
fn status_words(layout: &Layout, c: &Contact) -> String {
    match (c.status, c.detail.kind) {
        (ContactStatus::Received, ContactKind::Complaint) if c.stage() > 1 => {
            layout.tf("track-status-review", "stage", c.stage())
        }
        (ContactStatus::Received, _) => layout.t("track-status-received"),
        (ContactStatus::Acknowledged, _) => layout.t("track-status-acknowledged"),
        (ContactStatus::Responded, _) => layout.t("track-status-responded"),
        (ContactStatus::Closed, _) => layout.t("track-status-closed"),
        (ContactStatus::Withdrawn, _) => layout.t("track-status-withdrawn"),
        (ContactStatus::Declined, _) => layout.t("track-status-declined"),
    }
}

/// What residents see of the history: the steps of the process, not staff notes.
fn shown_to_residents(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Received
            | EventKind::Acknowledged
            | EventKind::Extended
            | EventKind::Responded
            | EventKind::Escalated
            | EventKind::EscalationRefused
            | EventKind::Withdrawn
            | EventKind::Declined
            | EventKind::Replied
            | EventKind::Closed
            | EventKind::TenantsPanelAsked
            | EventKind::TenantsPanelInput
    )
}

/// The key for a deadline's label as residents read it.
fn deadline_key(label: &str) -> &'static str {
    match label {
        "Acknowledge by" => "track-date-acknowledge",
        "Respond by" => "track-date-respond",
        "Reply by" => "track-date-reply",
        _ => "track-date-panel",
    }
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    mut form: FormState,
    done: Option<&str>,
) -> Response {
    let (view, letters) = match state.app.resident_case_page(token).await {
        Ok(Some(found)) => found,
        Ok(None) => return Redirect::to("/track").into_response(),
        Err(e) => return error_page(e),
    };
    let c = &view.contact;
    // Their choice this session, else the language their case is written in.
    let lang = crate::i18n::language_for(headers, c.language());
    let date = |d| crate::i18n::date(lang, d);
    let tz = redress_domain::contact::uk_time_zone();
    let title = format!("track-title-{}", c.detail.kind.as_str());
    let mut layout = Layout::resident(state, lang, &title, "/track/case");
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    let mut dates = vec![(layout.t("track-received"), date(c.received_on))];
    for d in &view.deadlines {
        let text = match d.met_on {
            Some(met) => layout.tf("track-done-on", "date", date(met)),
            None => layout.tf("track-by", "date", date(d.due)),
        };
        dates.push((layout.t(deadline_key(d.label)), text));
    }
    render(
        StatusCode::OK,
        &CasePage {
            done: done.map(|d| layout.t(&format!("track-done-{d}"))),
            reference: c.reference.to_string(),
            heading: layout.t(&title),
            status: status_words(&layout, c),
            dates,
            submitted: {
                let d = &c.detail;
                let mut rows = vec![
                    (layout.t("track-sent"), date(c.received_on)),
                    (layout.t("check-summary"), d.summary.to_string()),
                ];
                if let Some(o) = &d.outcome_wanted {
                    rows.push((layout.t("check-outcome-wanted"), o.to_string()));
                }
                if let Some(on) = d.issue_date {
                    rows.push((layout.t("check-issue-date"), date(on)));
                }
                rows
            },
            letters: letters
                .into_iter()
                .map(|l| {
                    (
                        l.subject,
                        date(l.created_at.to_zoned_datetime(tz.clone()).date()),
                        redress_domain::letter::html_in(&l.body, l.language),
                        l.language.as_str(),
                    )
                })
                .collect(),
            history: view
                .events
                .iter()
                .filter(|e| shown_to_residents(e.kind))
                .map(|e| {
                    (
                        layout.t(&format!("event-{}", e.kind.as_str())),
                        date(e.at.to_zoned_datetime(tz.clone()).date()),
                    )
                })
                .collect(),
            files: c
                .case
                .attachments
                .iter()
                .filter(|a| a.redacted_on.is_none() && a.by.ends_with("(online)"))
                .map(|a| (a.name.clone(), date(a.added_on)))
                .collect(),
            open: c.status.is_open(),
            can_escalate: c.can_escalate(&view.scheme),
            can_ask_panel: view.panel_offered(),
            layout,
            form,
        },
    )
}

pub(super) async fn case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let Some(token) = token(&headers) else {
        return Redirect::to("/track").into_response();
    };
    let done = q
        .get("done")
        .map(String::as_str)
        .filter(|d| DONE.contains(d));
    page(&state, &headers, &token, FormState::default(), done).await
}

pub(super) async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    body: Bytes,
) -> Response {
    let Some(token) = token(&headers) else {
        return Redirect::to("/track").into_response();
    };
    if !same_origin(&headers) {
        return crate::public::contact::forbidden_origin(&state, crate::i18n::language(&headers));
    }
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    let (field, request) = match kind.as_str() {
        "information" => (
            "information",
            ResidentRequest::AddInformation(form.v("information").to_string()),
        ),
        "escalate" => (
            "reason",
            ResidentRequest::Escalate(form.v("reason").to_string()),
        ),
        "withdraw" => (
            "withdraw_reason",
            ResidentRequest::Withdraw(form.v("withdraw_reason").to_string()),
        ),
        "panel" => (
            "why",
            ResidentRequest::AskTenantsPanel(form.v("why").to_string()),
        ),
        _ => return error_page(AppError::NotFound),
    };
    match state.app.resident_request(&token, request).await {
        Ok(_) => Redirect::to(&format!("/track/case?done={kind}")).into_response(),
        Err(AppError::Domain(e)) => {
            let message = match e.field() {
                "text" => "Enter what you want to tell us".to_string(),
                "reason" if kind == "withdraw" => "Tell us why you are withdrawing".to_string(),
                _ => e.to_string(),
            };
            form.errors.add(field, message);
            page(&state, &headers, &token, form, None).await
        }
        Err(AppError::Forbidden) => Redirect::to("/track").into_response(),
        Err(e) => error_page(e),
    }
}

pub(super) async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let Some(token) = token(&headers) else {
        return Redirect::to("/track").into_response();
    };
    if !same_origin(&headers) {
        return crate::public::contact::forbidden_origin(&state, crate::i18n::language(&headers));
    }
    let (mut form, file) = crate::forms::read_upload(&mut multipart).await;
    if form.errors.is_empty() {
        let (name, bytes) = file.unwrap_or_default();
        if name.is_empty() && bytes.is_empty() {
            form.errors.add("file", "Select a file");
        } else {
            let description = form.v("description").to_string();
            match state
                .app
                .resident_upload(&token, &name, &bytes, &description)
                .await
            {
                Ok(_) => return Redirect::to("/track/case?done=file").into_response(),
                Err(AppError::Invalid(errors)) => form.errors = errors,
                Err(AppError::Forbidden) => return Redirect::to("/track").into_response(),
                Err(e) => return error_page(e),
            }
        }
    }
    page(&state, &headers, &token, form, None).await
}

/// The steps a resident can take, each with its thank-you message.
const DONE: &[&str] = &["information", "escalate", "withdraw", "panel", "file"];
