//! The public pages: start, the form, check your answers, confirmation. No login, no
//! JavaScript. Answers are kept as a draft in the database between "Continue" and "Send";
//! the draft id is the submission key, so sending twice records one contact.

use crate::html::FormState;
use crate::page::{Switch, resident_message};
use crate::session::same_origin;
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use redress_app::AppError;
use redress_app::access::Principal;
use redress_domain::contact::{ContactInput, ContactKind, NewContact, Source, Who};
use redress_domain::language::Language;
use redress_domain::scheme::Target;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(start))
        .route("/contact/new", get(new_form).post(post_form))
        .route("/contact/check/{draft}", get(check).post(send))
        .route("/contact/confirmation/{draft}", get(confirmation))
}

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    layout: Layout,
    /// What happens to a complaint, with the scheme's time limits and ombudsman.
    what_happens: String,
}

async fn start(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let lang = crate::i18n::language(&headers);
    let scheme = state.app.scheme_for(None).await?;
    let stage = scheme.stages.first();
    let welsh = lang == Language::Welsh;
    let describe = |t: Target| {
        if welsh {
            redress_domain::letter::welsh::target(t)
        } else {
            t.describe()
        }
    };
    let layout = Layout::resident(&state, lang, "start-title", "/");
    let ack = stage
        .and_then(|s| s.acknowledge_within)
        .map(describe)
        .unwrap_or_else(|| layout.t("start-few-days"));
    let respond = stage
        .map(|s| describe(s.respond_within))
        .unwrap_or_default();
    let ombudsman = scheme
        .ombudsman
        .map(|o| {
            if welsh {
                redress_domain::letter::welsh::ombudsman(o).to_string()
            } else {
                o.name().to_string()
            }
        })
        .unwrap_or_else(|| layout.t("start-ombudsman"));
    Ok(render(
        StatusCode::OK,
        &StartPage {
            what_happens: crate::i18n::message(
                lang,
                "start-what-happens-body",
                &[("ack", ack), ("respond", respond), ("ombudsman", ombudsman)],
            ),
            layout,
        },
    ))
}

#[derive(Template)]
#[template(path = "contact_form.html")]
pub(crate) struct ContactFormPage {
    pub layout: Layout,
    pub form: FormState,
    pub heading: String,
    pub action: String,
    pub button: String,
    pub draft: String,
    pub staff: bool,
    pub csrf: String,
    pub areas: crate::forms::Options,
}

pub(crate) fn valid_key(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

fn public_form(state: &AppState, lang: Language, mut form: FormState, draft: String) -> Response {
    let mut layout = Layout::resident(state, lang, "form-title", "/contact/new");
    // The language link sends the answers typed so far, so none are lost.
    layout.switch = Some(Switch::form(lang, "contact-form", None));
    layout.has_errors = !form.errors.is_empty();
    crate::i18n::localise_errors(lang, &mut form);
    render(
        StatusCode::OK,
        &ContactFormPage {
            heading: layout.t("form-title"),
            button: layout.t("form-continue"),
            layout,
            form,
            action: "/contact/new".into(),
            draft,
            staff: false,
            csrf: String::new(),
            areas: Vec::new(),
        },
    )
}

async fn load_draft(
    state: &AppState,
    id: &str,
) -> Result<Option<BTreeMap<String, String>>, AppError> {
    if !valid_key(id) {
        return Ok(None);
    }
    let Some(json) = state.app.draft(id).await? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&json).ok())
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    let mut form = FormState::default();
    let mut draft = String::new();
    if let Some(id) = q.get("draft").cloned() {
        match load_draft(&state, &id).await {
            Ok(Some(values)) => {
                form.values = values;
                draft = id;
            }
            Ok(None) => {}
            Err(e) => return error_page(e),
        }
    }
    // Letters follow the language the form is filled in, unless they choose otherwise.
    form.values
        .entry("correspond_in".into())
        .or_insert_with(|| lang.as_str().to_string());
    public_form(&state, lang, form, draft)
}

/// The form's answers as the domain's input; the three date boxes become one date.
pub(crate) fn input_from(form: &mut FormState) -> ContactInput {
    let issue_date = form.combine_date("issue_date");
    let object: serde_json::Map<String, serde_json::Value> = form
        .values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let mut input: ContactInput =
        serde_json::from_value(serde_json::Value::Object(object)).unwrap_or_default();
    input.issue_date = issue_date;
    input
}

/// Adds the domain's messages after any the page itself found, without duplicates.
pub(crate) fn merge_errors(form: &mut FormState, errors: &redress_domain::FieldErrors) {
    for (f, m) in errors.iter() {
        form.errors.add(f, m);
    }
}

async fn post_form(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = crate::i18n::language(&headers);
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    let draft = form.values.remove("draft").filter(|d| valid_key(d));
    if let Some(to) = form.values.remove("switch_language") {
        return switch_language(&state, &form, draft, &to).await;
    }
    let input = input_from(&mut form);
    if let Err(errors) = input.parse(Source::PublicForm, state.app.now()) {
        merge_errors(&mut form, &errors);
    }
    if !form.errors.is_empty() {
        return public_form(&state, lang, form, draft.unwrap_or_default());
    }
    // A draft already sent stays as it was, so its confirmation stays true; changes after
    // sending start a new draft.
    let id = match draft {
        Some(d) => match state.app.draft_sent(&d).await {
            Ok(false) => d,
            Ok(true) => uuid::Uuid::now_v7().to_string(),
            Err(e) => return error_page(e),
        },
        None => uuid::Uuid::now_v7().to_string(),
    };
    let json = serde_json::to_string(&form.values).unwrap_or_default();
    if let Err(e) = state.app.save_draft(&id, &json).await {
        return error_page(e);
    }
    Redirect::to(&format!("/contact/check/{id}")).into_response()
}

/// The language link on the form: keeps what was typed as a draft, unchecked, and shows
/// the form again in the other language. A letter language still the page's own follows
/// the switch; one chosen on purpose stays.
async fn switch_language(
    state: &AppState,
    form: &FormState,
    draft: Option<String>,
    to: &str,
) -> Response {
    let to = Language::parse(to).unwrap_or(Language::English);
    let mut values = form.values.clone();
    if values.get("correspond_in").map(String::as_str) == Some(to.other().as_str()) {
        values.insert("correspond_in".into(), to.as_str().into());
    }
    let id = match draft {
        Some(d) => match state.app.draft_sent(&d).await {
            Ok(false) => d,
            Ok(true) => uuid::Uuid::now_v7().to_string(),
            Err(e) => return error_page(e),
        },
        None => uuid::Uuid::now_v7().to_string(),
    };
    let json = serde_json::to_string(&values).unwrap_or_default();
    if let Err(e) = state.app.save_draft(&id, &json).await {
        return error_page(e);
    }
    crate::public::language::changed_to(state, to, &format!("/contact/new?draft={id}"))
}

pub(crate) fn forbidden_origin(state: &AppState, lang: Language) -> Response {
    resident_message(
        state,
        lang,
        StatusCode::FORBIDDEN,
        "message-other-site",
        "/",
    )
}

/// The page-not-found page in a resident's language.
pub(crate) fn resident_not_found(state: &AppState, lang: Language) -> Response {
    resident_message(state, lang, StatusCode::NOT_FOUND, "message-not-found", "/")
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    layout: Layout,
    form: FormState,
    rows: Vec<(String, String, String)>,
    draft: String,
    /// "Now send your complaint", in the page's language.
    send_heading: String,
    /// Someone may be at risk: the page says what to do now.
    at_risk: bool,
    safeguarding_line: String,
}

/// The answers as the check page lists them: label, value, and the field to change.
fn answer_rows(lang: Language, c: &NewContact, who: Option<Who>) -> Vec<(String, String, String)> {
    let t = |key: &str| crate::i18n::message(lang, key, &[]);
    let option = |list: &str, value: &str| t(&format!("option-{list}-{value}"));
    let yes = || t("check-yes");
    let mut rows = vec![
        (
            t("check-kind"),
            option("kind", c.kind.as_str()),
            "kind".to_string(),
        ),
        (
            t("check-who"),
            who.map(|w| option("who", w.as_str())).unwrap_or_default(),
            "who".into(),
        ),
    ];
    let mut push = |key: &str, value: Option<String>, anchor: &str| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            rows.push((t(key), v, anchor.to_string()));
        }
    };
    if let Some(p) = &c.person {
        push("check-name", Some(p.name.to_string()), "name");
        push("check-email", p.email.clone(), "email");
        push("check-phone", p.phone.clone(), "phone");
        push(
            "check-address",
            p.address.as_ref().map(|a| a.to_string()),
            "address",
        );
        push("check-postcode", p.postcode.clone(), "postcode");
        push(
            "check-preferred-contact",
            p.needs
                .preferred_contact
                .map(|m| option("contact-method", m.as_str())),
            "preferred_contact",
        );
        push(
            "check-correspond-in",
            p.needs
                .correspond_in
                .map(|l| option("language", l.as_str())),
            "correspond_in",
        );
        push(
            "check-format",
            p.needs
                .preferred_format
                .map(|m| option("format", m.as_str())),
            "preferred_format",
        );
        push(
            "check-language",
            p.needs.language.as_ref().map(|l| l.to_string()),
            "language",
        );
        push(
            "check-interpreter",
            p.needs.interpreter.then(|| t("check-needed")),
            "interpreter",
        );
        push(
            "check-needs",
            p.needs.accessibility.as_ref().map(|t| t.to_string()),
            "needs",
        );
        if let Some(m) = p.needs.monitoring {
            push(
                "check-age",
                m.age.map(|a| option("age", a.as_str())),
                "age_band",
            );
            push(
                "check-disability",
                m.disability.map(|a| option("disability", a.as_str())),
                "disability",
            );
            push(
                "check-ethnic-group",
                m.ethnic_group.map(|a| option("ethnic-group", a.as_str())),
                "ethnic_group",
            );
        }
    }
    if let Some(r) = &c.representative {
        push(
            "check-rep-name",
            Some(format!(
                "{} ({})",
                r.name,
                option("relationship", r.relationship.as_str())
            )),
            "rep_name",
        );
        push("check-rep-email", r.email.clone(), "rep_email");
        push("check-rep-phone", r.phone.clone(), "rep_phone");
    }
    push(
        "check-property-ref",
        c.property_ref.as_ref().map(|t| t.to_string()),
        "property_ref",
    );
    push("check-summary", Some(c.summary.to_string()), "summary");
    push(
        "check-outcome-wanted",
        c.outcome_wanted.as_ref().map(|t| t.to_string()),
        "outcome_wanted",
    );
    push(
        "check-issue-date",
        c.issue_date.map(|d| crate::i18n::date(lang, d)),
        "issue_date-day",
    );
    push(
        "check-staff-named",
        c.staff_named.as_ref().map(|t| t.to_string()),
        "staff_named",
    );
    push(
        "check-wants-reply",
        (c.kind == ContactKind::Comment && c.wants_reply).then(yes),
        "wants_reply",
    );
    // "A oes…?" is answered "Oes".
    push(
        "check-safeguarding",
        c.safeguarding.then(|| option("yes-no", "yes")),
        "safeguarding",
    );
    push(
        "check-vulnerable-group",
        c.about_vulnerable_group.then(yes),
        "about_vulnerable_group",
    );
    rows
}

/// A saved draft as the form state and the domain's input, or the page to show instead.
async fn draft_form(
    state: &AppState,
    lang: Language,
    id: &str,
) -> Result<(FormState, ContactInput), Response> {
    let values = match load_draft(state, id).await {
        Ok(Some(v)) => v,
        Ok(None) => return Err(resident_not_found(state, lang)),
        Err(e) => return Err(error_page(e)),
    };
    let mut form = FormState {
        values,
        ..Default::default()
    };
    let input = input_from(&mut form);
    Ok((form, input))
}

async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    let (mut form, input) = match draft_form(&state, lang, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let parsed = input.parse(Source::PublicForm, state.app.now());
    let detail = match parsed {
        Ok(d) => d,
        // Answers that were fine when typed but are not now go back to the form.
        Err(errors) => {
            merge_errors(&mut form, &errors);
            return public_form(&state, lang, form, id);
        }
    };
    crate::i18n::localise_errors(lang, &mut form);
    render(
        StatusCode::OK,
        &CheckPage {
            layout: Layout::resident(&state, lang, "check-title", &format!("/contact/check/{id}")),
            rows: answer_rows(lang, &detail, Who::parse(&input.who).ok()),
            send_heading: crate::i18n::message(
                lang,
                &format!("check-send-{}", detail.kind.as_str()),
                &[],
            ),
            at_risk: detail.safeguarding
                || (detail.person.is_none() && detail.about_vulnerable_group),
            safeguarding_line: state.app.reach().safeguarding_line,
            form,
            draft: id,
        },
    )
}

async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    if !same_origin(&headers) {
        return forbidden_origin(&state, lang);
    }
    let (mut form, input) = match draft_form(&state, lang, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match state
        .app
        .submit_contact(&Principal::Public, &input, Source::PublicForm, Some(&id))
        .await
    {
        Ok(_) => Redirect::to(&format!("/contact/confirmation/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            merge_errors(&mut form, &errors);
            public_form(&state, lang, form, id)
        }
        Err(e) => error_page(e),
    }
}

#[derive(Template)]
#[template(path = "confirmation.html")]
struct ConfirmationPage {
    layout: Layout,
    kind_label: String,
    reference: String,
    acknowledge_by: Option<String>,
    respond_by: Option<String>,
    is_complaint: bool,
    next_steps: String,
    anonymous: bool,
    /// A single-use link that opens the case for following it online.
    follow_link: Option<String>,
    at_risk: bool,
    safeguarding_line: String,
}

async fn confirmation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let lang = crate::i18n::language(&headers);
    if !valid_key(&id) {
        return resident_not_found(&state, lang);
    }
    let (contact, follow_link) = match state.app.confirmation(&id).await {
        Ok(Some(c)) => (c.contact, c.follow_link),
        Ok(None) => return resident_not_found(&state, lang),
        Err(e) => return error_page(e),
    };
    let kind = contact.detail.kind;
    let next_steps = match kind {
        ContactKind::Compliment => "confirm-next-compliment",
        ContactKind::Comment if contact.detail.wants_reply => "confirm-next-comment-reply",
        ContactKind::Comment => "confirm-next-comment",
        _ => "confirm-next-other",
    };
    let anonymous = contact.detail.person.is_none() && contact.detail.representative.is_none();
    let title = format!("confirm-title-{}", kind.as_str());
    let date = |d| crate::i18n::date(lang, d);
    let layout = Layout::resident(&state, lang, &title, &format!("/contact/confirmation/{id}"));
    render(
        StatusCode::OK,
        &ConfirmationPage {
            follow_link,
            kind_label: layout.t(&title),
            next_steps: layout.t(next_steps),
            layout,
            reference: contact.reference.to_string(),
            // Nobody to write to: no dates are promised.
            acknowledge_by: contact.acknowledge_by().filter(|_| !anonymous).map(date),
            respond_by: contact.respond_by().filter(|_| !anonymous).map(date),
            is_complaint: kind == ContactKind::Complaint,
            anonymous,
            at_risk: contact.is_priority(),
            safeguarding_line: state.app.reach().safeguarding_line,
        },
    )
}
