//! Letters on screen and on paper: the A4 print view (standard or large print), the queue
//! of letters to post and emails needing attention, and the wording editor for admins.

use crate::html::{FormState, long_date};
use crate::session::Staff;
use crate::session::{StaffForm, needs};
use crate::{AppState, Layout, PageResult, StaffNav, error_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::language::Language;
use redress_domain::letter::{self, LetterKind};
use redress_domain::role::Permission;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/letter.css", get(stylesheet))
        .route("/staff/letters", get(queue))
        .route("/staff/letters/{id}", get(print_view))
        .route("/staff/letters/{id}/printed", post(mark_printed))
        .route("/staff/letters/{id}/converted", post(mark_converted))
        .route(
            "/staff/admin/letters",
            get(|| async { Redirect::to("/staff/admin/letters/acknowledgement") }),
        )
        .route("/staff/admin/letters/{kind}", get(edit_form).post(save))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/letter.css"),
    )
        .into_response()
}

/// The button at the foot of a printed letter that records it as gone.
pub(crate) struct Mark {
    pub(crate) action: String,
    /// The letter's id, for a form that records letters of a request.
    pub(crate) letter: String,
    pub(crate) label: String,
}

#[derive(Template)]
#[template(path = "letter_print.html")]
pub(crate) struct PrintPage {
    org_name: String,
    reference: String,
    subject: String,
    date: String,
    recipient_lines: Vec<String>,
    body_html: String,
    large_print: bool,
    /// Where "Back" goes: the case or the request the letter is about.
    back: String,
    mark: Option<Mark>,
    csrf: String,
    /// A QR code (SVG) of the letter's link to follow the case or answer a survey online.
    qr: Option<String>,
    /// The language the letter is in (the first, when in both), for the page and its
    /// printed words around the letter.
    lang: &'static str,
    reference_label: &'static str,
    qr_caption: &'static str,
}

/// A QR code of the first link in a letter that opens the case, a survey or a request for
/// scrutiny, so a resident with a phone camera need not type it. Only the letter's own
/// words are read: the SVG is drawn from them, and holds no text of its own.
fn qr_for(body: &str) -> Option<String> {
    let link = body
        .split_whitespace()
        .find(|w| {
            w.starts_with("http")
                && (w.contains("/c/") || w.contains("/survey/") || w.contains("/scrutiny/r/"))
        })?
        .trim_end_matches(['.', ',']);
    let svg = qrcode::QrCode::new(link.as_bytes())
        .ok()?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(140, 140)
        .build();
    // Inline in the page: the XML declaration belongs to a file, not to HTML; the image
    // is named for screen readers.
    svg.find("<svg").map(|at| {
        svg[at..].replacen(
            "<svg ",
            "<svg role=\"img\" aria-label=\"QR code of the web address above\" ",
            1,
        )
    })
}

/// The A4 page of a stored letter, standard or large print as asked (`?large=1` or `0`).
/// `converts`: the reader sends letters in Braille, audio or another language, so an email
/// waiting for that is shown whole, links and all, for them to send.
pub(crate) fn print_page(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    found: &redress_store::StoredLetter,
    back: String,
    mark: Option<Mark>,
    large: Option<&str>,
    converts: bool,
) -> Response {
    let large_print = match large {
        Some("1") => true,
        Some("0") => false,
        _ => found.large_print,
    };
    let tz = redress_domain::contact::uk_time_zone();
    let welsh = found.language == redress_domain::language::Language::Welsh;
    render(
        StatusCode::OK,
        &PrintPage {
            lang: found.language.as_str(),
            reference_label: if welsh {
                "Ein cyfeirnod"
            } else {
                "Our reference"
            },
            qr_caption: if welsh {
                "Sganiwch gyda chamera ffôn i agor y ddolen uchod."
            } else {
                "Scan with a phone camera to open the link above."
            },
            org_name: state.app.display_name(),
            reference: found.reference.to_string(),
            subject: found.subject.clone(),
            date: found
                .language
                .long_date(found.created_at.to_zoned_datetime(tz).date()),
            recipient_lines: found.recipient.lines().map(str::to_string).collect(),
            // An email shows with its private links hidden, unless staff must turn it into
            // Braille, audio or another language: then they send it, links and all.
            body_html: letter::html_in(
                &match (found.delivery, found.status.as_str()) {
                    (letter::Delivery::Email, "to-convert") if converts => found.body.clone(),
                    (letter::Delivery::Post, _) => found.body.clone(),
                    (letter::Delivery::Email, _) => letter::for_staff(&found.body),
                },
                found.language,
            ),
            large_print,
            back,
            mark,
            qr: match found.delivery {
                letter::Delivery::Email => None,
                letter::Delivery::Post => qr_for(&found.body),
            },
            csrf: signed.csrf_token.clone(),
        },
    )
}

async fn print_view(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let who = Principal::staff(&signed.user);
    let found = state.app.letter_for(&who, &id).await?;
    let mark =
        (found.status == "to-print" && signed.user.role.can(Permission::HandleCases)).then(|| {
            Mark {
                action: format!("/staff/letters/{}/printed", found.id),
                letter: String::new(),
                label: "Mark as printed and posted".into(),
            }
        });
    Ok(print_page(
        &state,
        &signed,
        &found,
        format!("/staff/cases/{}", found.reference),
        mark,
        q.get("large").map(String::as_str),
        signed.user.role.can(Permission::HandleCases),
    ))
}

async fn mark_printed(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    match state
        .app
        .mark_letter_printed(&Principal::staff(&signed.user), &id)
        .await
    {
        Ok(true) => Redirect::to("/staff/letters?status=to-print").into_response(),
        Ok(false) => Redirect::to(&format!("/staff/letters/{id}")).into_response(),
        Err(e) => error_page(e),
    }
}

async fn mark_converted(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm { signed, .. }: StaffForm<needs::HandleCases>,
) -> Response {
    match state
        .app
        .mark_converted(&Principal::staff(&signed.user), &id)
        .await
    {
        Ok(()) => Redirect::to("/staff/letters?status=to-convert").into_response(),
        Err(e) => error_page(e),
    }
}

struct QueueRow {
    id: String,
    /// The letter's own id (for a scrutiny letter, `id` is its request's).
    letter_id: String,
    reference: String,
    subject: String,
    recipient: String,
    written: String,
    large_print: bool,
    error: String,
    /// What it must be turned into, and by when (letters waiting for conversion).
    convert: String,
    convert_by: String,
    late: bool,
}

#[derive(Template)]
#[template(path = "letters_queue.html")]
struct QueuePage {
    layout: Layout,
    heading: String,
    /// Letters waiting to be transcribed or translated, each with a button to record it.
    converting: bool,
    csrf: String,
    rows: Vec<QueueRow>,
    /// Letters to people who asked for scrutiny, for staff who support them; each row's
    /// id is its request's.
    scrutiny: Vec<QueueRow>,
}

async fn queue(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let (status, heading) = match q.get("status").map(String::as_str) {
        Some("check") => (
            "check",
            "Emails to check: the send was interrupted, so it may or may not have arrived",
        ),
        Some("failed") => ("failed", "Emails that could not be sent"),
        Some("pending") => ("pending", "Emails waiting to be sent"),
        Some("to-convert") => (
            "to-convert",
            "Letters waiting to be transcribed or translated",
        ),
        _ => ("to-print", "Letters to print and post"),
    };
    let (letters, scrutiny) = state
        .app
        .letter_queue(&Principal::staff(&signed.user), status)
        .await?;
    let tz = redress_domain::contact::uk_time_zone();
    let today = state.app.today();
    let row = |l: redress_store::StoredLetter, id: String| QueueRow {
        convert: l.convert.clone().unwrap_or_default(),
        convert_by: l.convert_by.map(long_date).unwrap_or_default(),
        late: l.convert_by.is_some_and(|by| by < today),
        written: long_date(l.created_at.to_zoned_datetime(tz.clone()).date()),
        letter_id: l.id.clone(),
        id,
        reference: l.reference.to_string(),
        subject: l.subject,
        recipient: l.recipient.lines().collect::<Vec<_>>().join(", "),
        large_print: l.large_print,
        error: l.last_error.unwrap_or_default(),
    };
    let scrutiny = scrutiny
        .into_iter()
        .map(|l| {
            let id = l.contact_id.clone();
            row(l, id)
        })
        .collect();
    let rows = letters
        .into_iter()
        .map(|l| {
            let id = l.id.clone();
            row(l, id)
        })
        .collect();
    let mut layout = Layout::new(&state, "Letters and emails");
    layout.staff = Some(StaffNav::for_user(&signed));
    Ok(render(
        StatusCode::OK,
        &QueuePage {
            layout,
            heading: heading.into(),
            converting: status == "to-convert",
            csrf: signed.csrf_token.clone(),
            rows,
            scrutiny,
        },
    ))
}

#[derive(Template)]
#[template(path = "templates_edit.html")]
struct EditPage {
    layout: Layout,
    form: FormState,
    kind: String,
    heading: String,
    saved: bool,
    csrf: String,
    placeholders: Vec<&'static str>,
    kinds: Vec<(&'static str, &'static str)>,
    /// `cy` while editing the Welsh wording.
    language: &'static str,
    /// Whether the letter has Welsh wording to edit (those written to residents).
    has_welsh: bool,
    /// No Welsh wording is in use: Welsh letters of this kind are held.
    welsh_missing: bool,
}

/// The language a wording page edits, from `?lang=` or the form.
fn wording_language(raw: Option<&str>) -> Language {
    match raw {
        Some("cy") => Language::Welsh,
        _ => Language::English,
    }
}

fn edit_page(
    state: &AppState,
    signed: &redress_app::auth::Signed,
    (kind, language): (LetterKind, Language),
    form: FormState,
    saved: bool,
    welsh_missing: bool,
) -> Response {
    let heading = match language {
        Language::English => format!("{} letter", kind.label()),
        Language::Welsh => format!("{} letter in Welsh", kind.label()),
    };
    let layout = Layout::staff(state, signed, &heading, &form);
    render(
        StatusCode::OK,
        &EditPage {
            layout,
            form,
            kind: kind.as_str().into(),
            heading,
            language: language.as_str(),
            has_welsh: letter::default_welsh_template(kind).is_some(),
            welsh_missing,
            saved,
            csrf: signed.csrf_token.clone(),
            placeholders: letter::PLACEHOLDERS.to_vec(),
            kinds: LetterKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
        },
    )
}

async fn edit_form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(kind): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let Ok(kind) = LetterKind::parse(&kind) else {
        return Err(AppError::NotFound.into());
    };
    let language = wording_language(q.get("lang").map(String::as_str));
    if language == Language::Welsh && letter::default_welsh_template(kind).is_none() {
        // Letters to staff are in English only.
        return Err(AppError::NotFound.into());
    }
    let template = state
        .app
        .letter_template(&Principal::staff(&signed.user), kind, language)
        .await?;
    let signatory = state
        .app
        .letter_signatory(&Principal::staff(&signed.user), kind)
        .await?;
    let welsh_missing = template.is_none();
    // Missing Welsh starts from the built-in Welsh, to be brought into line with the
    // organisation's English.
    let template = template
        .or_else(|| letter::built_in_wording(kind, language))
        .unwrap_or_else(|| letter::default_template(kind));
    let mut form = FormState::default();
    form.values.insert("subject".into(), template.subject);
    form.values.insert("body".into(), template.body);
    form.values.insert("signatory_name".into(), signatory.name);
    form.values
        .insert("signatory_title".into(), signatory.job_title);
    Ok(edit_page(
        &state,
        &signed,
        (kind, language),
        form,
        q.contains_key("saved"),
        welsh_missing,
    ))
}

async fn save(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    StaffForm {
        signed, mut form, ..
    }: StaffForm<needs::Administer>,
) -> Response {
    let Ok(kind) = LetterKind::parse(&kind) else {
        return error_page(AppError::NotFound);
    };
    let language = wording_language(Some(form.v("language")));
    if language == Language::Welsh && letter::default_welsh_template(kind).is_none() {
        return error_page(AppError::NotFound);
    }
    let wording = if form.v("do") == "reset" {
        None
    } else {
        Some((form.v("subject"), form.v("body")))
    };
    let signatory = letter::Signatory {
        name: form.v("signatory_name").to_string(),
        job_title: form.v("signatory_title").to_string(),
    };
    match state
        .app
        .save_letter_template(
            &Principal::staff(&signed.user),
            kind,
            language,
            wording,
            &signatory,
        )
        .await
    {
        Ok(()) => Redirect::to(&format!(
            "/staff/admin/letters/{}?saved{}",
            kind.as_str(),
            if language == Language::Welsh {
                "&lang=cy"
            } else {
                ""
            }
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            edit_page(&state, &signed, (kind, language), form, false, false)
        }
        Err(e) => error_page(e),
    }
}
