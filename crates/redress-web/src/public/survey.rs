//! The satisfaction survey, answered from a link in a letter or email without signing in.
//! GOV.UK patterns, no JavaScript; a dissatisfied answer is told how to take it further.

use crate::html::FormState;
use crate::session::same_origin;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use redress_app::AppError;
use redress_domain::contact::ContactKind;
use redress_domain::survey::Rating;

pub fn routes() -> Router<AppState> {
    Router::new().route("/survey/{token}", get(form).post(answer))
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage {
    layout: Layout,
    form: FormState,
    token: String,
    about: String,
    asks_outcome: bool,
    ratings: crate::forms::Options,
}

#[derive(Template)]
#[template(path = "survey_thanks.html")]
struct ThanksPage {
    layout: Layout,
    dissatisfied: bool,
    complaint: bool,
    reference: String,
}

fn gone(state: &AppState) -> Response {
    crate::message(
        state,
        StatusCode::GONE,
        "This survey has closed",
        "It has already been answered, or the link is more than 60 days old. Thank you for your time. You can still tell us anything by contacting us.",
        "/",
        "Go to the start page",
    )
}

async fn page(state: &AppState, token: &str, form: FormState) -> Response {
    let (contact, stage) = match state.app.survey(token).await {
        Ok(x) => x,
        Err(AppError::Forbidden) => return gone(state),
        Err(e) => return error_page(state, e),
    };
    let kind = contact.detail.kind;
    let about = if stage > 0 {
        format!("your complaint {} (stage {stage})", contact.reference)
    } else {
        format!("your {} {}", kind.label().to_lowercase(), contact.reference)
    };
    let mut layout = Layout::new(state, "How did we do?");
    layout.has_errors = !form.errors.is_empty();
    render(
        form.status(),
        &SurveyPage {
            layout,
            form,
            token: token.to_string(),
            about,
            asks_outcome: stage > 0,
            ratings: Rating::ALL
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string()))
                .collect(),
        },
    )
}

async fn form(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    page(
        &state,
        &crate::forms::token_in_path(&token),
        FormState::default(),
    )
    .await
}

async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = crate::forms::token_in_path(&token);
    if !same_origin(&headers) {
        return error_page(&state, AppError::Forbidden);
    }
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    let contact = match state.app.survey(&token).await {
        Ok((c, _)) => c,
        Err(AppError::Forbidden) => return gone(&state),
        Err(e) => return error_page(&state, e),
    };
    match state
        .app
        .answer_survey(
            &token,
            form.v("handling"),
            form.v("outcome"),
            form.v("why"),
            form.v("better"),
        )
        .await
    {
        Ok(a) => render(
            StatusCode::OK,
            &ThanksPage {
                layout: Layout::new(&state, "Thank you"),
                dissatisfied: a.dissatisfied(),
                complaint: contact.detail.kind == ContactKind::Complaint,
                reference: contact.reference.to_string(),
            },
        ),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &token, form).await
        }
        Err(AppError::Forbidden) => gone(&state),
        Err(e) => error_page(&state, e),
    }
}
