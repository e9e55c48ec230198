//! The resident's side of a Community Call for Scrutiny: the form (saved and resumed from
//! a private link, sent when ready), the request as its writer follows it, the petition
//! page where residents sign, and the appeal. No JavaScript; GOV.UK patterns.

use crate::html::FormState;
use crate::page::Switch;
use crate::public::contact::forbidden_origin;
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
use redress_domain::language::Language;
use redress_domain::scrutiny::{Format, RequestAnswers, Route, Status, Step, welsh};

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
    "correspond_in",
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

async fn start(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = crate::i18n::language(&headers);
    render(
        StatusCode::OK,
        &StartPage {
            layout: Layout::resident(&state, lang, "ccs-start-title", "/scrutiny"),
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
    lang: Language,
    mut form: FormState,
    action: String,
    saved: Option<String>,
) -> Response {
    let areas = match state.app.service_areas().await {
        Ok(a) => a,
        Err(e) => return error_page(e),
    };
    let mut layout = Layout::resident(state, lang, "ccs-name", &action);
    // The language link carries the answers, as on the complaint form.
    layout.switch = Some(Switch::form(
        lang,
        "scrutiny-form",
        Some(("action", "send")),
    ));
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    form.values
        .entry("correspond_in".into())
        .or_insert_with(|| lang.as_str().to_string());
    render(
        form.status(),
        &FormPage {
            contact_methods: crate::forms::localised(
                lang,
                "contact-method",
                crate::forms::contact_methods(),
            ),
            formats: crate::forms::localised(lang, "ccs-format", format_options()),
            areas: std::iter::once((String::new(), layout.t("ccs-form-area-unsure")))
                .chain(areas.into_iter().map(|a| (a.id, a.name)))
                .collect(),
            layout,
            action,
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

async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = crate::i18n::language(&headers);
    form_page(
        &state,
        lang,
        FormState::default(),
        "/scrutiny/new".into(),
        None,
    )
    .await
}

/// The language link on the form: saves it as a draft (as "Save and come back later"
/// does, nothing checked) and opens it again in the other language.
async fn switch_language(
    state: &AppState,
    token: Option<&str>,
    form: &FormState,
    to: &str,
) -> Response {
    let to = Language::parse(to).unwrap_or(Language::English);
    let mut answers = answers_of(form);
    if answers.get("correspond_in").map(String::as_str) == Some(to.other().as_str()) {
        answers.insert("correspond_in".into(), to.as_str().into());
    }
    let saved = match token {
        Some(t) => state
            .app
            .continue_scrutiny(t, answers, false)
            .await
            .map(|_| t.to_string()),
        None => state
            .app
            .start_scrutiny(answers, false)
            .await
            .map(|(_, t)| t),
    };
    match saved {
        Ok(t) => crate::public::language::changed_to(state, to, &format!("/scrutiny/r/{t}")),
        Err(e) => error_page(e),
    }
}

async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::i18n::language(&headers);
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    let mut form = FormState::from_body(&body);
    if let Some(to) = form.values.remove("switch_language") {
        return switch_language(&state, None, &form, &to).await;
    }
    let send = form.v("action") == "send";
    match state.app.start_scrutiny(answers_of(&form), send).await {
        Ok((_, token)) => Redirect::to(&format!(
            "/scrutiny/r/{token}?{}",
            if send { "sent=1" } else { "saved=1" }
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            form_page(&state, lang, form, "/scrutiny/new".into(), None).await
        }
        Err(e) => error_page(e),
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
    /// "3 of 50 needed", for a petition.
    petition: Option<String>,
    decision: Option<(String, String)>,
    appeal_by: Option<String>,
    can_appeal: bool,
    appeal_closed: Option<String>,
    appeal_result: Option<String>,
    history: Vec<Line>,
}

async fn follow_page(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    mut form: FormState,
    (just_sent, opened_by_code): (bool, bool),
) -> Response {
    let (request, history) = match state.app.requester_view(token).await {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    // Their choice this session, else the language they asked to be written to in.
    let lang = crate::i18n::language_for(headers, request.language());
    if request.status == Status::Draft {
        if form.values.is_empty() {
            form.values = request.answers.clone();
        }
        return form_page(
            state,
            lang,
            form,
            format!("/scrutiny/r/{token}"),
            Some(format!("{}/scrutiny/r/{token}", state.app.public_url())),
        )
        .await;
    }
    let today = state.app.today();
    let appeal_by = request.appeal_by();
    let in_window = appeal_by.is_some_and(|d| today <= d);
    let welsh_page = lang == Language::Welsh;
    let date = |d| crate::i18n::date(lang, d);
    let mut layout = Layout::resident(
        state,
        lang,
        "ccs-request-title",
        &format!("/scrutiny/r/{token}"),
    );
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    render(
        form.status(),
        &FollowPage {
            token: token.to_string(),
            link: format!("{}/scrutiny/r/{token}", state.app.public_url()),
            reference: request.reference.clone(),
            status: if welsh_page {
                welsh::status(request.status).to_string()
            } else {
                request.status.label().to_string()
            },
            just_sent,
            opened_by_code,
            petition: (request.route == Some(Route::Petition)).then(|| {
                crate::i18n::message(
                    lang,
                    "ccs-request-count",
                    &[
                        ("count", request.signatures.to_string()),
                        ("needed", request.threshold.unwrap_or(0).to_string()),
                    ],
                )
            }),
            decision: request
                .decision
                .as_ref()
                .filter(|d| d.sent_on.is_some())
                .map(|d| {
                    let outcome = if welsh_page {
                        welsh::outcome(d.outcome).to_string()
                    } else {
                        d.outcome.label().to_string()
                    };
                    (outcome, d.reasons.to_string())
                }),
            appeal_by: appeal_by.map(date),
            can_appeal: request.status == Status::Decided
                && (in_window || form.errors.get("grounds").is_some()),
            appeal_closed: (request.status == Status::Decided
                && !in_window
                && appeal_by.is_some()
                && form.errors.is_empty())
            .then(|| {
                layout.tf(
                    "ccs-request-appeal-ended",
                    "date",
                    appeal_by.map(date).unwrap_or_default(),
                )
            }),
            appeal_result: request.appeal.as_ref().and_then(|a| {
                a.sent_on.map(|_| {
                    if a.upheld == Some(true) {
                        layout.t("ccs-request-appeal-upheld")
                    } else {
                        layout.t("ccs-request-appeal-not-upheld")
                    }
                })
            }),
            history: history
                .into_iter()
                .filter(|h| h.step.as_ref().is_none_or(Step::shown_to_requester))
                .map(|h| Line {
                    when: if welsh_page {
                        let local =
                            h.at.to_zoned_datetime(redress_domain::calendar::uk_time_zone());
                        format!(
                            "{} am {}",
                            date(local.date()),
                            local.time().strftime("%H:%M")
                        )
                    } else {
                        redress_domain::calendar::long_date_time(h.at)
                    },
                    what: match (&h.step, welsh_page) {
                        (Some(step), true) => welsh::describe(step),
                        _ => h.summary,
                    },
                })
                .collect(),
            layout,
            form,
        },
    )
}

async fn follow(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let token = crate::forms::token_in_path(&token);
    let opened = q.get("opened").is_some_and(|o| o == "code");
    follow_page(
        &state,
        &headers,
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
        return forbidden_origin(&state, crate::i18n::language(&headers));
    }
    let mut form = FormState::from_body(&body);
    if let Some(to) = form.values.remove("switch_language") {
        return switch_language(&state, Some(&token), &form, &to).await;
    }
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
            follow_page(&state, &headers, &token, form, (false, false)).await
        }
        Err(e) => error_page(e),
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
        return forbidden_origin(&state, crate::i18n::language(&headers));
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
            follow_page(&state, &headers, &token, form, (false, false)).await
        }
        Err(e) => error_page(e),
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
    /// "3 of 50", in the page's language.
    count_line: String,
    areas: String,
    open: Option<String>,
    thanks: bool,
}

fn petition_page(
    state: &AppState,
    lang: Language,
    p: Petition,
    mut form: FormState,
    thanks: bool,
) -> Response {
    let here = format!("/scrutiny/petition/{}", p.reference);
    let mut layout = Layout::resident(state, lang, "ccs-petition-title", &here);
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    let open = p.closed_because.map(|english| match lang {
        Language::Welsh => welsh::closed(!english.contains("not a petition")).to_string(),
        Language::English => english,
    });
    render(
        form.status(),
        &PetitionPage {
            count_line: crate::i18n::message(
                lang,
                "ccs-petition-count",
                &[
                    ("count", p.signatures.to_string()),
                    ("needed", p.threshold.to_string()),
                ],
            ),
            layout,
            reference: p.reference,
            concerns: p.concerns,
            resolution: p.resolution,
            areas: p.eligible.join(", "),
            open,
            thanks,
            form,
        },
    )
}

async fn petition(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    match state.app.petition(&reference).await {
        Ok(p) => petition_page(
            &state,
            lang,
            p,
            FormState::default(),
            q.contains_key("signed"),
        ),
        Err(AppError::NotFound) => crate::public::contact::resident_not_found(&state, lang),
        Err(e) => error_page(e),
    }
}

async fn sign(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = crate::i18n::language(&headers);
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
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
                Ok(p) => petition_page(&state, lang, p, form, false),
                Err(e) => error_page(e),
            }
        }
        Err(e) => error_page(e),
    }
}
