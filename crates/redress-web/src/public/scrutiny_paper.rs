//! Community Calls for Scrutiny on paper: a blank request form to print and post back,
//! a petition sheet for collecting signatures door to door, and the short address where
//! a requester types the code from a letter. Staff enter what comes back (paper
//! signatures on the request page). The form and the sheet say where to send them.

use crate::html::FormState;
use crate::{AppState, Layout, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_domain::language::Language;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/scrutiny/form/print", get(blank_form))
        .route("/scrutiny/petition/{reference}/sheet", get(sheet))
        .route("/scrutiny/code", get(code_form).post(code_entered))
}

#[derive(Template)]
#[template(path = "scrutiny_code.html")]
struct CodePage {
    layout: Layout,
    form: FormState,
}

fn code_page(state: &AppState, lang: Language, mut form: FormState) -> Response {
    let mut layout = Layout::resident(state, lang, "track-code-title", "/scrutiny/code");
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    render(form.status(), &CodePage { layout, form })
}

async fn code_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    code_page(
        &state,
        crate::i18n::language(&headers),
        FormState::default(),
    )
}

/// A good code opens the request at its new private link; anything else is said at the
/// field, with what was typed kept.
async fn code_entered(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::i18n::language(&headers);
    let mut form = FormState::from_body(&body);
    match state.app.open_scrutiny_with_code(form.v("code")).await {
        Ok(token) => Redirect::to(&format!("/scrutiny/r/{token}?opened=code")).into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            code_page(&state, lang, form)
        }
        Err(e) => error_page(&state, e),
    }
}

/// Rows on a printed petition sheet: enough for a landing or a small block.
const SHEET_ROWS: usize = 15;

/// The questions of the online form, each with the lines left to write on.
const QUESTIONS: &[(&str, usize)] = &[
    ("Full name", 1),
    ("Address and postcode", 3),
    ("Email address or telephone number (optional)", 1),
    (
        "How would you like us to contact you: by letter, email or telephone?",
        1,
    ),
    (
        "Would you like our letters in large print, Braille or audio?",
        1,
    ),
    (
        "If you read another language better than English, which? We will translate our letters.",
        1,
    ),
    (
        "Would you like an officer to help you with this request or gather signatures?",
        1,
    ),
    ("Which service is it about?", 1),
    ("What are your concerns?", 6),
    ("What have you already done to try to resolve them?", 4),
    (
        "What service failures have you experienced? Include dates if you can.",
        4,
    ),
    ("Who is affected?", 2),
    ("If other people are affected, why?", 2),
    ("What would we need to do to resolve your concerns?", 4),
];

#[derive(Template)]
#[template(path = "scrutiny_paper_form.html")]
struct BlankForm {
    layout: Layout,
    questions: Vec<(&'static str, Vec<usize>)>,
    return_to: String,
}

async fn blank_form(State(state): State<AppState>) -> Response {
    let layout = Layout::new(&state, "Community Call for Scrutiny: paper form");
    let return_to = layout.reach.address_on_one_line();
    render(
        StatusCode::OK,
        &BlankForm {
            questions: QUESTIONS
                .iter()
                .map(|(q, lines)| (*q, (0..*lines).collect()))
                .collect(),
            return_to,
            layout,
        },
    )
}

#[derive(Template)]
#[template(path = "scrutiny_sheet.html")]
struct Sheet {
    layout: Layout,
    reference: String,
    concerns: String,
    resolution: String,
    threshold: u32,
    who_may_sign: String,
    rows: Vec<usize>,
    return_to: String,
    /// Why signatures no longer count, when they do not.
    closed: Option<String>,
    online: String,
}

async fn sheet(State(state): State<AppState>, Path(reference): Path<String>) -> Response {
    let p = match state.app.petition(&reference).await {
        Ok(p) => p,
        Err(e) => return error_page(&state, e),
    };
    let layout = Layout::new(&state, &format!("Petition {}: paper sheet", p.reference));
    let return_to = layout.reach.address_on_one_line();
    let online = format!(
        "{}/scrutiny/petition/{}",
        state.app.public_url(),
        p.reference
    );
    render(
        StatusCode::OK,
        &Sheet {
            reference: p.reference,
            concerns: p.concerns,
            resolution: p.resolution,
            threshold: p.threshold,
            who_may_sign: if p.eligible.is_empty() {
                "Residents affected by these concerns".into()
            } else {
                format!("Residents living in {}", p.eligible.join(", "))
            },
            rows: (1..=SHEET_ROWS).collect(),
            return_to,
            closed: p.closed_because,
            online,
            layout,
        },
    )
}
