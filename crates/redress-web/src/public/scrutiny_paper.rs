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

async fn code_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    // A Welsh letter's address says `?lang=cy`: its reader sees Welsh from the first page.
    let asked = q.get("lang").and_then(|l| Language::parse(l).ok());
    let lang = asked.unwrap_or_else(|| crate::i18n::language(&headers));
    let page = code_page(&state, lang, FormState::default());
    crate::i18n::remembered(page, asked, state.secure_cookies)
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
        Err(e) => error_page(e),
    }
}

/// Rows on a printed petition sheet: enough for a landing or a small block.
const SHEET_ROWS: usize = 15;

/// The questions of the online form (their message keys), each with the lines left to
/// write on.
const QUESTIONS: &[(&str, usize)] = &[
    ("ccs-paper-q-name", 1),
    ("ccs-paper-q-address", 3),
    ("ccs-paper-q-reach", 1),
    ("ccs-paper-q-contact", 1),
    ("ccs-paper-q-language", 1),
    ("ccs-paper-q-format", 1),
    ("ccs-paper-q-other-language", 1),
    ("ccs-paper-q-help", 1),
    ("ccs-paper-q-area", 1),
    ("ccs-paper-q-concerns", 6),
    ("ccs-paper-q-actions", 4),
    ("ccs-paper-q-failures", 4),
    ("ccs-paper-q-affected", 2),
    ("ccs-paper-q-affected-why", 2),
    ("ccs-paper-q-resolution", 4),
];

#[derive(Template)]
#[template(path = "scrutiny_paper_form.html")]
struct BlankForm {
    layout: Layout,
    questions: Vec<(String, Vec<usize>)>,
    return_to: String,
}

async fn blank_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = crate::i18n::language(&headers);
    let layout = Layout::resident(&state, lang, "ccs-paper-title", "/scrutiny/form/print");
    let return_to = layout.reach.address_on_one_line();
    render(
        StatusCode::OK,
        &BlankForm {
            questions: QUESTIONS
                .iter()
                .map(|(q, lines)| (layout.t(q), (0..*lines).collect()))
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
    /// Who may sign and how many must, in the page's language.
    who_may_sign: String,
    rows: Vec<usize>,
    /// Where to send the sheet, quoting its reference.
    return_to: String,
    /// Why signatures no longer count, when they do not.
    closed: Option<String>,
    online: String,
}

async fn sheet(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    let p = match state.app.petition(&reference).await {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let here = format!("/scrutiny/petition/{}/sheet", p.reference);
    let layout = Layout::resident(&state, lang, "ccs-sheet-title", &here);
    // Where to send it, with the petition's reference to quote.
    let address = layout.reach.address_on_one_line();
    let return_to = if address.is_empty() {
        layout.tf("ccs-sheet-hand-in", "reference", &p.reference)
    } else {
        crate::i18n::message(
            lang,
            "ccs-sheet-post",
            &[("address", address), ("reference", p.reference.clone())],
        )
    };
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
            who_may_sign: if p.eligible.is_empty() {
                layout.tf("ccs-sheet-who-affected", "needed", p.threshold)
            } else {
                crate::i18n::message(
                    lang,
                    "ccs-sheet-who-areas",
                    &[
                        ("areas", p.eligible.join(", ")),
                        ("needed", p.threshold.to_string()),
                    ],
                )
            },
            rows: (1..=SHEET_ROWS).collect(),
            return_to,
            closed: p.closed_because.map(|english| match lang {
                Language::Welsh => {
                    redress_domain::scrutiny::welsh::closed(!english.contains("not a petition"))
                        .to_string()
                }
                Language::English => english,
            }),
            online,
            layout,
        },
    )
}
