//! The satisfaction survey, answered from a link in a letter or email without signing in.
//! GOV.UK patterns, no JavaScript; a dissatisfied answer is told how to take it further.

use crate::html::FormState;
use crate::page::resident_message;
use crate::public::contact::forbidden_origin;
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
use redress_domain::language::Language;
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

fn gone(state: &AppState, lang: Language) -> Response {
    resident_message(state, lang, StatusCode::GONE, "message-survey-used", "/")
}

async fn page(state: &AppState, headers: &HeaderMap, token: &str, mut form: FormState) -> Response {
    let (contact, stage) = match state.app.survey(token).await {
        Ok(x) => x,
        Err(AppError::Forbidden) => return gone(state, crate::i18n::language(headers)),
        Err(e) => return error_page(e),
    };
    // Their choice this session, else the language their case is written in.
    let lang = crate::i18n::language_for(headers, contact.language());
    let kind = contact.detail.kind;
    let mut layout = Layout::resident(state, lang, "survey-title", &format!("/survey/{token}"));
    let about = if stage > 0 {
        crate::i18n::message(
            lang,
            "survey-about-complaint",
            &[
                ("reference", contact.reference.to_string()),
                ("stage", stage.to_string()),
            ],
        )
    } else {
        crate::i18n::message(
            lang,
            &format!("survey-about-{}", kind.as_str()),
            &[("reference", contact.reference.to_string())],
        )
    };
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    render(
        form.status(),
        &SurveyPage {
            layout,
            form,
            token: token.to_string(),
            about,
            asks_outcome: stage > 0,
            ratings: crate::forms::localised(
                lang,
                "rating",
                Rating::ALL
                    .iter()
                    .map(|r| (r.as_str().to_string(), r.label().to_string()))
                    .collect(),
            ),
        },
    )
}

async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    page(
        &state,
        &headers,
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
    let lang = crate::i18n::language(&headers);
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    let contact = match state.app.survey(&token).await {
        Ok((c, _)) => c,
        Err(AppError::Forbidden) => return gone(&state, lang),
        Err(e) => return error_page(e),
    };
    let lang = crate::i18n::language_for(&headers, contact.language());
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
                layout: Layout::resident(&state, lang, "survey-thanks-title", "/"),
                dissatisfied: a.dissatisfied(),
                complaint: contact.detail.kind == ContactKind::Complaint,
                reference: contact.reference.to_string(),
            },
        ),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(&state, &headers, &token, form).await
        }
        Err(AppError::Forbidden) => gone(&state, lang),
        Err(e) => error_page(e),
    }
}
