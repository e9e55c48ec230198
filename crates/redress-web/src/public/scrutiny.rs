//! The resident's side of a Community Call for Scrutiny: the form (saved and resumed from
//! a private link, sent when ready), the request as its writer follows it, the petition
//! page where residents sign, and the appeal. No JavaScript; GOV.UK patterns.

use crate::html::{FormState, long_date};
use crate::session::same_origin;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::scrutiny::Petition;
use redress_domain::scrutiny::{Format, RequestAnswers, Route, Status, Step};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/scrutiny", get(start))
        .route("/scrutiny/new", get(new_form).post(create))
        .route("/scrutiny/r/{token}", get(follow).post(continue_form))
        .route("/scrutiny/r/{token}/appeal", post(appeal))
        .route("/scrutiny/petition/{reference}", get(petition).post(sign))
}

/// The fields of the form, so only they are kept in a draft.
pub(crate) const FIELDS: &[&str] = &[
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "preferred_contact",
    "format",
    "language",
    "help",
    "business_area",
    "concerns",
    "actions_taken",
    "failures",
    "affected",
    "affected_why",
    "resolution",
    "signature",
    "declaration",
];

pub(crate) fn answers_of(form: &FormState) -> RequestAnswers {
    FIELDS
        .iter()
        .filter_map(|f| form.values.get(*f).map(|v| (f.to_string(), v.clone())))
        .collect()
}

#[derive(Template)]
#[template(path = "scrutiny_start.html")]
struct StartPage {
    layout: Layout,
}

async fn start(State(state): State<AppState>) -> Response {
    render(
        StatusCode::OK,
        &StartPage {
            layout: Layout::new(&state, "Ask residents to scrutinise a service"),
        },
    )
}

#[derive(Template)]
#[template(path = "scrutiny_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    contact_methods: crate::forms::Options,
    formats: crate::forms::Options,
    areas: crate::forms::Options,
    saved: Option<String>,
}

async fn form_page(
    state: &AppState,
    form: FormState,
    action: String,
    saved: Option<String>,
) -> Response {
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(state, e),
    };
    let mut layout = Layout::new(state, "Community Call for Scrutiny");
    layout.has_errors = !form.errors.is_empty();
    render(
        form.status(),
        &FormPage {
            layout,
            action,
            contact_methods: crate::forms::contact_methods(),
            formats: format_options(),
            areas: std::iter::once((String::new(), "I am not sure".to_string()))
                .chain(areas.into_iter().map(|a| (a.id, a.name)))
                .collect(),
            saved,
            form,
        },
    )
}

/// The formats a requester can ask for, standard first.
pub(crate) fn format_options() -> crate::forms::Options {
    std::iter::once((
        "standard".to_string(),
        "Standard print or email".to_string(),
    ))
    .chain(
        Format::ALL
            .iter()
            .map(|f| (f.as_str().to_string(), f.label().to_string())),
    )
    .collect()
}

async fn new_form(State(state): State<AppState>) -> Response {
    form_page(&state, FormState::default(), "/scrutiny/new".into(), None).await
}

async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState::from_body(&body);
    let send = form.v("action") == "send";
    match state.app.start_scrutiny(answers_of(&form), send).await {
        Ok((_, token)) => Redirect::to(&format!(
            "/scrutiny/r/{token}?{}",
            if send { "sent=1" } else { "saved=1" }
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            form_page(&state, form, "/scrutiny/new".into(), None).await
        }
        Err(e) => error_page(&state, e),
    }
}

struct Line {
    when: String,
    what: String,
}

#[derive(Template)]
#[template(path = "scrutiny_request.html")]
struct FollowPage {
    layout: Layout,
    form: FormState,
    token: String,
    link: String,
    reference: String,
    status: String,
    just_sent: bool,
    /// Opened with a letter's short code: the new private link is shown to keep.
    opened_by_code: bool,
    petition: Option<(u32, u32)>,
    decision: Option<(String, String)>,
    appeal_by: Option<String>,
    can_appeal: bool,
    appeal_closed: Option<String>,
    appeal_result: Option<String>,
    history: Vec<Line>,
}

async fn follow_page(
    state: &AppState,
    token: &str,
    form: FormState,
    (just_sent, opened_by_code): (bool, bool),
) -> Response {
    let (request, history) = match state.app.requester_view(token).await {
        Ok(r) => r,
        Err(e) => return error_page(state, e),
    };
    if request.status == Status::Draft {
        let mut form = form;
        if form.values.is_empty() {
            form.values = request.answers.clone();
        }
        return form_page(
            state,
            form,
            format!("/scrutiny/r/{token}"),
            Some(format!("{}/scrutiny/r/{token}", state.app.public_url())),
        )
        .await;
    }
    let today = state.app.today();
    let appeal_by = request.appeal_by();
    let in_window = appeal_by.is_some_and(|d| today <= d);
    let mut layout = Layout::new(state, &format!("Your request {}", request.reference));
    layout.has_errors = !form.errors.is_empty();
    render(
        form.status(),
        &FollowPage {
            layout,
            token: token.to_string(),
            link: format!("{}/scrutiny/r/{token}", state.app.public_url()),
            reference: request.reference.clone(),
            status: request.status.label().to_string(),
            just_sent,
            opened_by_code,
            petition: (request.route == Some(Route::Petition))
                .then(|| (request.signatures, request.threshold.unwrap_or(0))),
            decision: request
                .decision
                .as_ref()
                .filter(|d| d.sent_on.is_some())
                .map(|d| (d.outcome.label().to_string(), d.reasons.to_string())),
            appeal_by: appeal_by.map(long_date),
            can_appeal: request.status == Status::Decided
                && (in_window || form.errors.get("grounds").is_some()),
            appeal_closed: (request.status == Status::Decided
                && !in_window
                && appeal_by.is_some()
                && form.errors.is_empty())
                .then(|| {
                    format!(
                        "The time to appeal ended on {}: appeals are made within 28 days of the decision being sent.",
                        appeal_by.map(long_date).unwrap_or_default()
                    )
                }),
            appeal_result: request.appeal.as_ref().and_then(|a| {
                a.sent_on.map(|_| {
                    if a.upheld == Some(true) {
                        "The appeal panel upheld your appeal. Its decision is final."
                    } else {
                        "The appeal panel did not uphold your appeal. Its decision is final."
                    }
                    .to_string()
                })
            }),
            history: history
                .into_iter()
                .filter(|h| h.step.as_ref().is_none_or(Step::shown_to_requester))
                .map(|h| Line {
                    when: redress_domain::calendar::long_date_time(h.at),
                    what: h.summary,
                })
                .collect(),
            form,
        },
    )
}

async fn follow(
    State(state): State<AppState>,
    Path(token): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let token = crate::forms::token_in_path(&token);
    let opened = q.get("opened").is_some_and(|o| o == "code");
    follow_page(
        &state,
        &token,
        FormState::default(),
        (q.contains_key("sent"), opened),
    )
    .await
}

async fn continue_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = crate::forms::token_in_path(&token);
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState::from_body(&body);
    let send = form.v("action") == "send";
    match state
        .app
        .continue_scrutiny(&token, answers_of(&form), send)
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/scrutiny/r/{token}?{}",
            if send { "sent=1" } else { "saved=1" }
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            follow_page(&state, &token, form, (false, false)).await
        }
        Err(e) => error_page(&state, e),
    }
}

async fn appeal(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = crate::forms::token_in_path(&token);
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState::from_body(&body);
    match state.app.appeal_scrutiny(&token, form.v("grounds")).await {
        Ok(_) => Redirect::to(&format!("/scrutiny/r/{token}")).into_response(),
        Err(AppError::Invalid(mut errors)) => {
            // The date is today's, not typed: a late appeal is about the grounds' timing.
            if let Some(m) = errors.get("received_on").map(str::to_string) {
                errors = redress_domain::FieldErrors::new();
                errors.add("grounds", m);
            }
            form.errors = errors;
            follow_page(&state, &token, form, (false, false)).await
        }
        Err(e) => error_page(&state, e),
    }
}

#[derive(Template)]
#[template(path = "scrutiny_petition.html")]
struct PetitionPage {
    layout: Layout,
    form: FormState,
    reference: String,
    concerns: String,
    resolution: String,
    signatures: u32,
    threshold: u32,
    areas: String,
    open: Option<String>,
    thanks: bool,
}

fn petition_page(state: &AppState, p: Petition, form: FormState, thanks: bool) -> Response {
    let mut layout = Layout::new(state, &format!("Sign petition {}", p.reference));
    layout.has_errors = !form.errors.is_empty();
    render(
        form.status(),
        &PetitionPage {
            layout,
            reference: p.reference,
            concerns: p.concerns,
            resolution: p.resolution,
            signatures: p.signatures,
            threshold: p.threshold,
            areas: p.eligible.join(", "),
            open: p.closed_because,
            thanks,
            form,
        },
    )
}

async fn petition(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    match state.app.petition(&reference).await {
        Ok(p) => petition_page(&state, p, FormState::default(), q.contains_key("signed")),
        Err(e) => error_page(&state, e),
    }
}

async fn sign(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState::from_body(&body);
    let result = state
        .app
        .sign_scrutiny(
            &reference,
            form.v("name"),
            form.v("email"),
            form.v("postcode"),
            form.v("declaration") == "yes",
        )
        .await;
    match result {
        Ok(r) => {
            Redirect::to(&format!("/scrutiny/petition/{}?signed=1", r.reference)).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            match state.app.petition(&reference).await {
                Ok(p) => petition_page(&state, p, form, false),
                Err(e) => error_page(&state, e),
            }
        }
        Err(e) => error_page(&state, e),
    }
}
