//! Residents following their own case: sign in with the reference and the email address
//! or postcode they gave, see where it is and the letters sent, add information, ask for a
//! review, or withdraw. Works without JavaScript; the session opens that one case only.

use crate::html::{FormState, long_date};
use crate::session::same_origin;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::resident::ResidentRequest;
use redress_domain::contact::{Contact, ContactKind, ContactStatus};
use redress_domain::event::EventKind;
use std::collections::BTreeMap;

const COOKIE: &str = "redress_resident";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/track", get(sign_in_form).post(sign_in))
        .route("/track/case", get(case))
        .route("/track/case/{request}", post(request))
        .route(
            "/track/case/files",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                redress_domain::attachment::MAX_BYTES + 1024 * 1024,
            )),
        )
        .route("/track/sign-out", post(sign_out))
        .route("/track/email-link", post(email_link))
        .route("/track/link/{token}", get(link_page).post(open_link))
        .route("/c", get(code_form).post(code_entered))
        .route("/c/{code}", get(code_page))
}

fn token(headers: &HeaderMap) -> Option<String> {
    crate::session::cookie_named(headers, COOKIE)
}

#[derive(Template)]
#[template(path = "track_sign_in.html")]
struct SignInPage {
    layout: Layout,
    form: FormState,
}

fn sign_in_page(state: &AppState, form: FormState) -> Response {
    let mut layout = Layout::new(state, "Follow your complaint, comment or compliment");
    layout.has_errors = !form.errors.is_empty();
    render(StatusCode::OK, &SignInPage { layout, form })
}

async fn sign_in_form(
    State(state): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut form = FormState::default();
    if let Some(r) = q.get("reference") {
        form.values
            .insert("reference".into(), r.chars().take(30).collect());
    }
    sign_in_page(&state, form)
}

async fn sign_in(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    if form.v("reference").trim().is_empty() {
        form.errors.add("reference", "Enter your reference");
    }
    if form.v("answer").trim().is_empty() {
        form.errors
            .add("answer", "Enter the email address or postcode you gave us");
    }
    if !form.errors.is_empty() {
        return sign_in_page(&state, form);
    }
    match state
        .app
        .resident_sign_in(form.v("reference"), form.v("answer"), form.v("surname"))
        .await
    {
        Ok((token, _)) => signed_in(&state, &token),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            sign_in_page(&state, form)
        }
        Err(e) => error_page(&state, e),
    }
}

/// Sets the resident's session cookie and opens their case.
fn signed_in(state: &AppState, token: &str) -> Response {
    let cookie = crate::session::cookie(
        COOKIE,
        token,
        "/track",
        redress_app::resident::RESIDENT_SESSION.as_secs(),
        state.secure_cookies,
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/track/case".into()),
        ],
    )
        .into_response()
}

async fn email_link(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    if form.v("link_reference").trim().is_empty() {
        form.errors.add("link_reference", "Enter your reference");
    }
    if !form.v("link_email").contains('@') {
        form.errors.add(
            "link_email",
            "Enter the email address you gave us, like name@example.com",
        );
    }
    if !form.errors.is_empty() {
        return sign_in_page(&state, form);
    }
    match state
        .app
        .email_resident_link(
            form.v("link_reference"),
            form.v("link_email"),
            &state.public_url,
        )
        .await
    {
        Ok(()) => crate::message(
            &state,
            StatusCode::OK,
            "Check your email",
            "If the reference and email address match a case, we have sent a link to that address. It works once and stops working after 7 days.",
            "/track",
            "Back to following your case",
        ),
        Err(AppError::Invalid(errors)) => {
            for (_, m) in errors.iter() {
                form.errors.add("link_reference", m);
            }
            sign_in_page(&state, form)
        }
        Err(e) => error_page(&state, e),
    }
}

#[derive(Template)]
#[template(path = "track_link.html")]
struct LinkPage {
    layout: Layout,
    token: String,
}

/// Opening the link only shows a button: email scanners that fetch links must not use up
/// a single-use link, and the button's same-site request lets the session cookie work.
#[derive(Template)]
#[template(path = "track_code.html")]
struct CodePage {
    layout: Layout,
    form: FormState,
}

/// `/c`: the short address printed on letters, where a resident types their code.
async fn code_form(State(state): State<AppState>) -> Response {
    render(
        StatusCode::OK,
        &CodePage {
            layout: Layout::new(&state, "Enter the code from your letter"),
            form: FormState::default(),
        },
    )
}

async fn code_entered(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let mut form = FormState::from_body(&body);
    let code = redress_app::auth::typed_key(form.v("code"));
    if code.len() != redress_app::auth::CODE_LENGTH {
        form.errors.add(
            "code",
            "Enter the 8 letters and numbers of the code, like ABCD 2345",
        );
        let mut layout = Layout::new(&state, "Enter the code from your letter");
        layout.has_errors = true;
        return render(StatusCode::BAD_REQUEST, &CodePage { layout, form });
    }
    Redirect::to(&format!("/c/{code}")).into_response()
}

/// `/c/CODE`: the code as typed from a letter (or scanned), then the same button as a link.
async fn code_page(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    render(
        StatusCode::OK,
        &LinkPage {
            layout: Layout::new(&state, "Open your case"),
            token: redress_app::auth::typed_key(&crate::forms::token_in_path(&code)),
        },
    )
}

async fn link_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let token = crate::forms::token_in_path(&token);
    render(
        StatusCode::OK,
        &LinkPage {
            layout: Layout::new(&state, "Open your case"),
            token,
        },
    )
}

async fn open_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    match state.app.resident_sign_in_with_link(&token).await {
        Ok((session, _)) => signed_in(&state, &session),
        Err(AppError::Forbidden) => crate::message(
            &state,
            StatusCode::FORBIDDEN,
            "This link or code has expired or has already been used",
            "Each link or code works once: links we email last 7 days, codes in our letters 4 weeks. You can get a new link by email, or use your reference with the email address or postcode you gave us.",
            "/track",
            "Follow your case",
        ),
        Err(e) => error_page(&state, e),
    }
}

#[derive(Template)]
#[template(path = "track_case.html")]
struct CasePage {
    layout: Layout,
    form: FormState,
    done: Option<String>,
    reference: String,
    kind: String,
    status: String,
    dates: Vec<(String, String)>,
    /// What the resident sent, as they can re-read it.
    submitted: Vec<(String, String)>,
    letters: Vec<(String, String, String)>,
    history: Vec<(String, String)>,
    /// Files the resident sent: name and date.
    files: Vec<(String, String)>,
    open: bool,
    can_escalate: bool,
    can_ask_panel: bool,
}

/// Where a case is, in the words a resident would use.
fn status_words(c: &Contact) -> String {
    match (c.status, c.detail.kind) {
        (ContactStatus::Received, ContactKind::Complaint) if c.stage() > 1 => {
            format!(
                "We have received your request for a stage {} review",
                c.stage()
            )
        }
        (ContactStatus::Received, _) => "We have received it".into(),
        (ContactStatus::Acknowledged, _) => "We are looking into it".into(),
        (ContactStatus::Responded, _) => "We have sent our response".into(),
        (ContactStatus::Closed, _) => "Closed".into(),
        (ContactStatus::Withdrawn, _) => "Withdrawn at your request".into(),
        (ContactStatus::Declined, _) => {
            "We could not take it on as a complaint: see our letter".into()
        }
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

async fn page(state: &AppState, token: &str, form: FormState, done: Option<String>) -> Response {
    let (view, letters) = match state.app.resident_case_page(token).await {
        Ok(Some(found)) => found,
        Ok(None) => return Redirect::to("/track").into_response(),
        Err(e) => return error_page(state, e),
    };
    let c = &view.contact;
    let tz = redress_domain::contact::uk_time_zone();
    let mut dates = vec![("Received".to_string(), long_date(c.received_on))];
    for d in &view.deadlines {
        let text = match d.met_on {
            Some(met) => format!("Done on {}", long_date(met)),
            None => format!("By {}", long_date(d.due)),
        };
        let label = match d.label {
            "Acknowledge by" => "We will acknowledge it",
            "Respond by" => "We will respond",
            "Tenants Panel input by" => "The Tenants Panel will give its view",
            other => other,
        };
        dates.push((label.to_string(), text));
    }
    let mut layout = Layout::new(
        state,
        &format!("Your {}", c.detail.kind.label().to_lowercase()),
    );
    layout.has_errors = !form.errors.is_empty();
    render(
        StatusCode::OK,
        &CasePage {
            layout,
            form,
            done,
            reference: c.reference.to_string(),
            kind: c.detail.kind.label().to_lowercase(),
            status: status_words(c),
            dates,
            submitted: {
                let d = &c.detail;
                let mut rows = vec![
                    ("Sent".to_string(), long_date(c.received_on)),
                    ("What happened".to_string(), d.summary.to_string()),
                ];
                if let Some(o) = &d.outcome_wanted {
                    rows.push(("What you would like us to do".into(), o.to_string()));
                }
                if let Some(on) = d.issue_date {
                    rows.push(("When it happened".into(), long_date(on)));
                }
                rows
            },
            letters: letters
                .into_iter()
                .map(|l| {
                    (
                        l.subject,
                        long_date(l.created_at.to_zoned_datetime(tz.clone()).date()),
                        redress_domain::letter::body_html(&l.body),
                    )
                })
                .collect(),
            history: view
                .events
                .iter()
                .filter(|e| shown_to_residents(e.kind))
                .map(|e| {
                    (
                        e.kind.label().to_string(),
                        long_date(e.at.to_zoned_datetime(tz.clone()).date()),
                    )
                })
                .collect(),
            files: c
                .case
                .attachments
                .iter()
                .filter(|a| a.redacted_on.is_none() && a.by.ends_with("(online)"))
                .map(|a| (a.name.clone(), long_date(a.added_on)))
                .collect(),
            open: c.status.is_open(),
            can_escalate: c.can_escalate(&view.scheme),
            can_ask_panel: view.panel_offered(),
        },
    )
}

async fn case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let Some(token) = token(&headers) else {
        return Redirect::to("/track").into_response();
    };
    let done = match q.get("done").map(String::as_str) {
        Some("information") => Some("Thank you. We have added what you told us to your case.".to_string()),
        Some("escalate") => Some("We have received your request for a review. We will write to you to confirm the next steps.".to_string()),
        Some("withdraw") => Some("We have recorded that you have withdrawn it.".to_string()),
        Some("panel") => Some("We have asked the Tenants Panel to look at your complaint. The date they will give their view by is below.".to_string()),
        Some("file") => Some("Thank you. We have added your file to your case.".to_string()),
        _ => None,
    };
    page(&state, &token, FormState::default(), done).await
}

async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    body: Bytes,
) -> Response {
    let Some(token) = token(&headers) else {
        return Redirect::to("/track").into_response();
    };
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
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
        _ => return error_page(&state, AppError::NotFound),
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
            page(&state, &token, form, None).await
        }
        Err(AppError::Forbidden) => Redirect::to("/track").into_response(),
        Err(e) => error_page(&state, e),
    }
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let Some(token) = token(&headers) else {
        return Redirect::to("/track").into_response();
    };
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
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
                Err(e) => return error_page(&state, e),
            }
        }
    }
    page(&state, &token, form, None).await
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token(&headers)
        && same_origin(&headers)
        && let Err(e) = state.app.resident_sign_out(&token).await
    {
        return error_page(&state, e);
    }
    let cookie = crate::session::cookie(COOKIE, "", "/track", 0, state.secure_cookies);
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/".to_string()),
        ],
    )
        .into_response()
}
