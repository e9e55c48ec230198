//! The public pages: start, the form, check your answers, confirmation. No login, no
//! JavaScript. Answers are kept as a draft in the database between "Continue" and "Send";
//! the draft id is the submission key, so sending twice records one contact.

use crate::html::{FormState, long_date};
use crate::session::same_origin;
use crate::{AppState, Layout, PageResult, error_page, message, page_not_found, render};
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
    ack: String,
    respond: String,
    ombudsman: String,
}

async fn start(State(state): State<AppState>) -> PageResult {
    let scheme = state.app.scheme_for(None).await?;
    let stage = scheme.stages.first();
    Ok(render(
        StatusCode::OK,
        &StartPage {
            layout: Layout::new(&state, "Complaints, comments and compliments"),
            ack: stage
                .and_then(|s| s.acknowledge_within)
                .map(Target::describe)
                .unwrap_or_else(|| "a few working days".into()),
            respond: stage
                .map(|s| s.respond_within.describe())
                .unwrap_or_default(),
            ombudsman: scheme
                .ombudsman
                .map(|o| o.name().to_string())
                .unwrap_or_else(|| "ombudsman".into()),
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

fn public_form(state: &AppState, form: FormState, draft: String) -> Response {
    let mut layout = Layout::new(state, "Make a complaint, comment or compliment");
    layout.has_errors = !form.errors.is_empty();
    render(
        StatusCode::OK,
        &ContactFormPage {
            layout,
            form,
            heading: "Make a complaint, comment or compliment".into(),
            action: "/contact/new".into(),
            button: "Continue".into(),
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
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let mut form = FormState::default();
    let mut draft = String::new();
    if let Some(id) = q.get("draft").cloned() {
        match load_draft(&state, &id).await {
            Ok(Some(values)) => {
                form.values = values;
                draft = id;
            }
            Ok(None) => {}
            Err(e) => return error_page(&state, e),
        }
    }
    public_form(&state, form, draft)
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
    if !same_origin(&headers) {
        return forbidden_origin(&state);
    }
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    let draft = form.values.remove("draft").filter(|d| valid_key(d));
    let input = input_from(&mut form);
    if let Err(errors) = input.parse(Source::PublicForm, state.app.now()) {
        merge_errors(&mut form, &errors);
    }
    if !form.errors.is_empty() {
        return public_form(&state, form, draft.unwrap_or_default());
    }
    // A draft already sent stays as it was, so its confirmation stays true; changes after
    // sending start a new draft.
    let id = match draft {
        Some(d) => match state.app.draft_sent(&d).await {
            Ok(false) => d,
            Ok(true) => uuid::Uuid::now_v7().to_string(),
            Err(e) => return error_page(&state, e),
        },
        None => uuid::Uuid::now_v7().to_string(),
    };
    let json = serde_json::to_string(&form.values).unwrap_or_default();
    if let Err(e) = state.app.save_draft(&id, &json).await {
        return error_page(&state, e);
    }
    Redirect::to(&format!("/contact/check/{id}")).into_response()
}

fn forbidden_origin(state: &AppState) -> Response {
    message(
        state,
        StatusCode::FORBIDDEN,
        "This form was sent from another website",
        "For your safety we only accept this form from our own pages. Go back to the start and try again.",
        "/",
        "Go to the start page",
    )
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    layout: Layout,
    form: FormState,
    rows: Vec<(String, String, String)>,
    draft: String,
    kind_word: String,
    /// Someone may be at risk: the page says what to do now.
    at_risk: bool,
    safeguarding_line: String,
}

fn answer_rows(c: &NewContact, who: Option<Who>) -> Vec<(String, String, String)> {
    let mut rows = vec![
        (
            "What you want to tell us".to_string(),
            c.kind.label().to_string(),
            "kind".to_string(),
        ),
        (
            "Who it is for".into(),
            who.map(|w| w.label().to_string()).unwrap_or_default(),
            "who".into(),
        ),
    ];
    let mut push = |label: &str, value: Option<String>, anchor: &str| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            rows.push((label.to_string(), v, anchor.to_string()));
        }
    };
    if let Some(p) = &c.person {
        push("Name", Some(p.name.to_string()), "name");
        push("Email address", p.email.clone(), "email");
        push("Telephone number", p.phone.clone(), "phone");
        push(
            "Address",
            p.address.as_ref().map(|a| a.to_string()),
            "address",
        );
        push("Postcode", p.postcode.clone(), "postcode");
        push(
            "How to contact you",
            p.needs.preferred_contact.map(|m| m.label().to_string()),
            "preferred_contact",
        );
        push(
            "Format",
            p.needs.preferred_format.map(|m| m.label().to_string()),
            "preferred_format",
        );
        push(
            "Language",
            p.needs.language.as_ref().map(|l| l.to_string()),
            "language",
        );
        push(
            "Interpreter",
            p.needs.interpreter.then(|| "Needed".to_string()),
            "interpreter",
        );
        push(
            "What would help you",
            p.needs.accessibility.as_ref().map(|t| t.to_string()),
            "needs",
        );
        if let Some(m) = p.needs.monitoring {
            push("Age", m.age.map(|a| a.label().to_string()), "age_band");
            push(
                "Disability or long-term health condition",
                m.disability.map(|a| a.label().to_string()),
                "disability",
            );
            push(
                "Ethnic group",
                m.ethnic_group.map(|a| a.label().to_string()),
                "ethnic_group",
            );
        }
    }
    if let Some(r) = &c.representative {
        push(
            "Your name (acting for them)",
            Some(format!("{} ({})", r.name, r.relationship.label())),
            "rep_name",
        );
        push("Your email address", r.email.clone(), "rep_email");
        push("Your telephone number", r.phone.clone(), "rep_phone");
    }
    push(
        "Property reference",
        c.property_ref.as_ref().map(|t| t.to_string()),
        "property_ref",
    );
    push("What happened", Some(c.summary.to_string()), "summary");
    push(
        "What you would like us to do",
        c.outcome_wanted.as_ref().map(|t| t.to_string()),
        "outcome_wanted",
    );
    push(
        "When it happened",
        c.issue_date.map(long_date),
        "issue_date-day",
    );
    push(
        "Who the compliment is for",
        c.staff_named.as_ref().map(|t| t.to_string()),
        "staff_named",
    );
    push(
        "Reply wanted",
        (c.kind == ContactKind::Comment && c.wants_reply).then(|| "Yes".to_string()),
        "wants_reply",
    );
    push(
        "Is anyone at risk of harm?",
        c.safeguarding.then(|| "Yes".to_string()),
        "safeguarding",
    );
    push(
        "About a vulnerable group",
        c.about_vulnerable_group.then(|| "Yes".to_string()),
        "about_vulnerable_group",
    );
    rows
}

/// A saved draft as the form state and the domain's input, or the page to show instead.
async fn draft_form(state: &AppState, id: &str) -> Result<(FormState, ContactInput), Response> {
    let values = match load_draft(state, id).await {
        Ok(Some(v)) => v,
        Ok(None) => return Err(page_not_found(state)),
        Err(e) => return Err(error_page(state, e)),
    };
    let mut form = FormState {
        values,
        ..Default::default()
    };
    let input = input_from(&mut form);
    Ok((form, input))
}

async fn check(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let (mut form, input) = match draft_form(&state, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let parsed = input.parse(Source::PublicForm, state.app.now());
    let detail = match parsed {
        Ok(d) => d,
        // Answers that were fine when typed but are not now go back to the form.
        Err(errors) => {
            merge_errors(&mut form, &errors);
            return public_form(&state, form, id);
        }
    };
    render(
        StatusCode::OK,
        &CheckPage {
            layout: Layout::new(&state, "Check your answers before sending"),
            rows: answer_rows(&detail, Who::parse(&input.who).ok()),
            kind_word: detail.kind.label().to_lowercase(),
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
    if !same_origin(&headers) {
        return forbidden_origin(&state);
    }
    let (mut form, input) = match draft_form(&state, &id).await {
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
            public_form(&state, form, id)
        }
        Err(e) => error_page(&state, e),
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

async fn confirmation(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if !valid_key(&id) {
        return page_not_found(&state);
    }
    let (contact, follow_link) = match state.app.confirmation(&id).await {
        Ok(Some(c)) => (c.contact, c.follow_link),
        Ok(None) => return page_not_found(&state),
        Err(e) => return error_page(&state, e),
    };
    let kind = contact.detail.kind;
    let next_steps = match kind {
        ContactKind::Compliment => {
            "We will pass your compliment on to the people it is about and to their manager. Thank you for taking the time to tell us."
        }
        ContactKind::Comment if contact.detail.wants_reply => {
            "We will pass your comment to the service it is about, and reply to you."
        }
        ContactKind::Comment => {
            "We will pass your comment to the service it is about. You asked not to have a reply."
        }
        _ => "We will be in touch.",
    };
    let anonymous = contact.detail.person.is_none() && contact.detail.representative.is_none();
    render(
        StatusCode::OK,
        &ConfirmationPage {
            follow_link,
            layout: Layout::new(&state, &format!("{} received", kind.label())),
            kind_label: kind.label().to_string(),
            reference: contact.reference.to_string(),
            // Nobody to write to: no dates are promised.
            acknowledge_by: contact
                .acknowledge_by()
                .filter(|_| !anonymous)
                .map(long_date),
            respond_by: contact.respond_by().filter(|_| !anonymous).map(long_date),
            is_complaint: kind == ContactKind::Complaint,
            next_steps: next_steps.to_string(),
            anonymous,
            at_risk: contact.is_priority(),
            safeguarding_line: state.app.reach().safeguarding_line,
        },
    )
}
