//! The things staff do to a case, each a small form: assign, acknowledge, extend, pause,
//! respond, escalate, close and the rest. Each action is declared once, in the file of its
//! family, with its address, title, fields and parsing side by side (`ActionForm`); this
//! file only finds the action asked for, shows its form and runs it. The domain says which
//! actions a case accepts now (`Contact::allows`) and decides; a refusal comes back as a
//! message beside the field it concerns.

mod assignment;
mod closing;
mod corrections;
mod correspondence;
mod escalation;
mod feedback;
mod fields;
mod learning;
mod notes;
mod ombudsman;
mod panel;
mod privacy;
mod recognition;
mod remedies;
mod restrictions;
mod safeguarding;
mod stage;
mod triage;

pub(crate) use notes::{download, upload};
pub(crate) use restrictions::{end_restriction, review_restriction, review_restriction_form};

use crate::html::FormState;
use crate::session::{Staff, same_origin};
use crate::{AppState, Layout, PageResult, error_page, render};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::case::{Command, CommandKind};
use redress_domain::contact::Contact;
use redress_domain::organisation::ServiceArea;
use redress_domain::role::{Permission, Role, User};
use redress_domain::scheme::Scheme;
use std::future::Future;
use std::pin::Pin;

/// What a form is drawn and read with.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub form: &'a FormState,
    pub users: &'a [User],
    pub contact: &'a Contact,
    pub areas: &'a [ServiceArea],
}

impl Ctx<'_> {
    /// A date field.
    pub(crate) fn date(&self, name: &str, label: &str, hint: &str) -> String {
        self.form.input(name, label, hint, "date", "", "10")
    }

    /// A field for a few lines of text.
    pub(crate) fn area(&self, name: &str, label: &str, hint: &str) -> String {
        self.form.textarea(name, label, hint, 4)
    }
}

/// What a form starts with, beyond today's date in its date fields.
pub(crate) struct Start<'a> {
    pub contact: &'a Contact,
    pub scheme: &'a Scheme,
    /// Two working weeks from today: a sensible due date that staff can change.
    pub two_weeks: Option<Date>,
}

/// An action of its own use case, with who acts and on what; it answers the reference of
/// the case to show next.
pub(crate) struct Use<'a> {
    pub app: &'a App,
    pub who: &'a Principal,
    pub ctx: Ctx<'a>,
    pub version: i64,
}

pub(crate) type Performed<'a> = Pin<Box<dyn Future<Output = Result<String, AppError>> + Send + 'a>>;

/// What an action does with its form.
#[derive(Clone, Copy)]
pub(crate) enum Run {
    /// A command on this case, which the domain decides.
    Command(CommandKind, fn(&Ctx, &mut FieldErrors) -> Option<Command>),
    /// A file, sent as multipart to the case's files address.
    Upload,
    /// A use case of its own; `offered` says when the case page lists it.
    Special {
        offered: fn(&Contact, &Scheme) -> bool,
        perform: for<'a> fn(Use<'a>) -> Performed<'a>,
    },
}

/// One action, declared in one place.
pub(crate) struct ActionForm {
    /// Its address: `/staff/cases/{reference}/act/{slug}`.
    pub slug: &'static str,
    /// The words on the case page's link and as the form's heading.
    pub title: &'static str,
    /// Guidance above the fields.
    pub intro: &'static str,
    pub button: &'static str,
    pub run: Run,
    pub fields: fn(&Ctx) -> String,
    pub prefill: fn(&Start, &mut FormState),
    /// Who the case page offers it to; the use case checks again.
    pub permission: Permission,
    /// Listed under "What next"; otherwise reached from the part of the case page it
    /// answers (a possible repeat, new emails).
    pub listed: bool,
}

fn no_fields(_: &Ctx) -> String {
    String::new()
}

fn no_prefill(_: &Start, _: &mut FormState) {}

impl ActionForm {
    pub(super) const BASE: ActionForm = ActionForm {
        slug: "",
        title: "",
        intro: "",
        button: "Save",
        run: Run::Upload,
        fields: no_fields,
        prefill: no_prefill,
        permission: Permission::HandleCases,
        listed: true,
    };

    /// The case page's groups of actions, family by family, in the order it lists them.
    const GROUPS: &'static [(&'static str, &'static [&'static [ActionForm]])] = &[
        (
            "Progress the case",
            &[
                safeguarding::ACTIONS,
                assignment::ACTIONS,
                stage::ACTIONS,
                escalation::ACTIONS,
                panel::ACTIONS,
                closing::ACTIONS,
                triage::ACTIONS,
                recognition::ACTIONS,
                correspondence::ACTIONS,
                feedback::ACTIONS,
            ],
        ),
        (
            "Record",
            &[
                notes::ACTIONS,
                learning::ACTIONS,
                corrections::ACTIONS,
                restrictions::ACTIONS,
            ],
        ),
        ("Remedies", &[remedies::ACTIONS]),
        ("Ombudsman", &[ombudsman::ACTIONS]),
        ("Personal data", &[privacy::ACTIONS]),
    ];

    /// Every action, in the order the case page lists them.
    fn all() -> impl Iterator<Item = &'static ActionForm> {
        ActionForm::GROUPS
            .iter()
            .flat_map(|(_, families)| families.iter().copied().flatten())
    }

    /// The actions offered now, under the case page's group headings; empty groups left out.
    pub fn offered_groups(
        c: &Contact,
        scheme: &Scheme,
        role: Role,
    ) -> Vec<(&'static str, Vec<&'static ActionForm>)> {
        ActionForm::GROUPS
            .iter()
            .map(|(heading, families)| {
                let offered = families
                    .iter()
                    .copied()
                    .flatten()
                    .filter(|a| a.listed && a.allowed(role) && a.offered(c, scheme))
                    .collect::<Vec<_>>();
                (*heading, offered)
            })
            .filter(|(_, offered)| !offered.is_empty())
            .collect()
    }

    pub fn slugs() -> Vec<&'static str> {
        ActionForm::all().map(|a| a.slug).collect()
    }

    fn from_slug(slug: &str) -> Option<&'static ActionForm> {
        ActionForm::all().find(|a| a.slug == slug)
    }

    pub fn title_for(slug: &str) -> Option<&'static str> {
        ActionForm::from_slug(slug).map(|a| a.title)
    }

    /// Whether the case accepts the action now: the domain answers, so the menu never
    /// offers what the rules would refuse.
    pub fn offered(&self, c: &Contact, scheme: &Scheme) -> bool {
        match self.run {
            Run::Command(kind, _) => c.allows(kind, scheme),
            Run::Upload => c.allows(CommandKind::AddAttachment, scheme),
            Run::Special { offered, .. } => offered(c, scheme),
        }
    }

    pub fn allowed(&self, role: Role) -> bool {
        role.can(self.permission)
    }

    fn is_upload(&self) -> bool {
        matches!(self.run, Run::Upload)
    }
}

#[derive(Template)]
#[template(path = "action.html")]
pub(super) struct ActionPage {
    pub layout: Layout,
    pub post_to: String,
    pub enctype: &'static str,
    pub form: FormState,
    pub reference: String,
    pub heading: String,
    pub intro: String,
    pub button: String,
    pub fields: String,
    pub csrf: String,
    pub version: i64,
}

struct Loaded {
    action: &'static ActionForm,
    contact: Contact,
    scheme: Scheme,
    users: Vec<User>,
    areas: Vec<ServiceArea>,
}

impl Loaded {
    fn ctx<'a>(&'a self, form: &'a FormState) -> Ctx<'a> {
        Ctx {
            form,
            users: &self.users,
            contact: &self.contact,
            areas: &self.areas,
        }
    }
}

async fn load(
    state: &AppState,
    signed: &Signed,
    reference: &str,
    slug: &str,
) -> Result<Loaded, AppError> {
    load_for(state, &signed.user, reference, slug).await
}

async fn load_for(
    state: &AppState,
    user: &User,
    reference: &str,
    slug: &str,
) -> Result<Loaded, AppError> {
    let action = ActionForm::from_slug(slug).ok_or(AppError::NotFound)?;
    if !action.allowed(user.role) {
        return Err(AppError::Forbidden);
    }
    let who = Principal::staff(user);
    let view = state.app.case_for(&who, reference).await?;
    let users = state.app.colleagues(&who).await?;
    let areas = state.app.service_areas().await?;
    Ok(Loaded {
        action,
        contact: view.contact,
        scheme: view.scheme,
        users,
        areas,
    })
}

fn page(
    state: &AppState,
    signed: &Signed,
    loaded: &Loaded,
    form: FormState,
    version: i64,
) -> Response {
    let action = loaded.action;
    let layout = Layout::staff(state, signed, action.title, &form);
    let fields = (action.fields)(&loaded.ctx(&form));
    let form = attach_to_present_fields(form, &fields);
    let reference = &loaded.contact.reference;
    render(
        StatusCode::OK,
        &ActionPage {
            layout,
            reference: reference.to_string(),
            post_to: if action.is_upload() {
                format!("/staff/cases/{reference}/files")
            } else {
                format!("/staff/cases/{reference}/act/{}", action.slug)
            },
            enctype: if action.is_upload() {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            },
            heading: action.title.into(),
            intro: action.intro.into(),
            button: action.button.into(),
            fields,
            csrf: signed.csrf_token.clone(),
            version,
            form,
        },
    )
}

/// A refusal about something not on this form (the case's state, say) is shown against the
/// form's first field, so every message in the summary links somewhere.
fn attach_to_present_fields(form: FormState, fields: &str) -> FormState {
    let first = fields
        .split("id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("on")
        .to_string();
    let mut errors = FieldErrors::new();
    for (field, message) in form.errors.iter() {
        let present = fields.contains(&format!("id=\"{}\"", crate::html::anchor(field)));
        errors.add(
            if present {
                field.to_string()
            } else {
                first.clone()
            },
            message,
        );
    }
    FormState { errors, ..form }
}

/// A form opened from a link that says what to fill in (the case page's "Link as raised
/// before" names the earlier case): those values over the defaults, never the session's.
pub async fn form(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, slug)): Path<(String, String)>,
    axum::extract::Query(given): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> PageResult {
    let loaded = load(&state, &signed, &reference, &slug).await?;
    let mut form = defaults(&state, &loaded).await;
    for (k, v) in given {
        if k != "csrf" && k != "version" {
            form.values.insert(k, v);
        }
    }
    let version = loaded.contact.version;
    Ok(page(&state, &signed, &loaded, form, version))
}

/// What an action's form starts with: today in its date fields, then the action's own
/// prefill (a due date two working weeks on, the case's current values).
async fn defaults(state: &AppState, loaded: &Loaded) -> FormState {
    let mut form = FormState::default();
    let today = state.app.today();
    for name in ["on", "requested_on", "resident_told_on", "communicated_on"] {
        form.values.insert(name.into(), today.to_string());
    }
    let two_weeks = match state.app.calendar().await {
        Ok(calendar) => Some(calendar.add_working_days(today, 10).unwrap_or(today)),
        Err(_) => None,
    };
    let start = Start {
        contact: &loaded.contact,
        scheme: &loaded.scheme,
        two_weeks,
    };
    (loaded.action.prefill)(&start, &mut form);
    form
}

/// The session-changed page: nothing was saved.
fn stale_session(state: &AppState, reference: &str) -> Response {
    crate::message(
        state,
        StatusCode::FORBIDDEN,
        "Your session has changed",
        "For your security nothing was saved. Go back, reload the page and try again.",
        &format!("/staff/cases/{reference}"),
        "Back to the case",
    )
}

/// The version a form was opened at, which it sends back.
fn version_sent(form: &mut FormState, loaded: &Loaded) -> i64 {
    form.values
        .remove("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(loaded.contact.version)
}

/// After an action: to the case with its confirmation, or the form again with each
/// message at its field.
fn answer(
    state: &AppState,
    signed: &Signed,
    loaded: &Loaded,
    mut form: FormState,
    version: i64,
    result: Result<String, AppError>,
) -> Response {
    match result {
        Ok(r) => {
            Redirect::to(&format!("/staff/cases/{r}?done={}", loaded.action.slug)).into_response()
        }
        Err(AppError::Domain(e)) => {
            form.errors.add(e.field(), e.to_string());
            page(state, signed, loaded, form, version)
        }
        Err(AppError::Invalid(errors)) => {
            form.errors = errors;
            page(state, signed, loaded, form, version)
        }
        Err(e) => error_page(e),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path((reference, slug)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let loaded = load(&state, &signed, &reference, &slug).await?;
    let mut form = FormState {
        values: crate::forms::parse_body(&body),
        ..Default::default()
    };
    if !same_origin(&headers) || form.values.remove("csrf").as_ref() != Some(&signed.csrf_token) {
        return Ok(stale_session(&state, loaded.contact.reference.as_str()));
    }
    let version = version_sent(&mut form, &loaded);
    let result = perform(&state, &signed.user, &loaded, &form, version).await;
    Ok(answer(&state, &signed, &loaded, form, version, result))
}

/// Runs a loaded action with its form's values: the same for a form and for the API.
async fn perform(
    state: &AppState,
    user: &User,
    loaded: &Loaded,
    form: &FormState,
    version: i64,
) -> Result<String, AppError> {
    let who = Principal::staff(user);
    let reference = loaded.contact.reference.to_string();
    let ctx = loaded.ctx(form);
    match loaded.action.run {
        Run::Command(_, parse) => {
            let mut errors = FieldErrors::new();
            match parse(&ctx, &mut errors) {
                Some(command) if errors.is_empty() => state
                    .app
                    .apply_command(&who, &reference, command, Some(version))
                    .await
                    .map(|c| c.reference.to_string()),
                _ => Err(AppError::Invalid(errors)),
            }
        }
        Run::Special { perform, .. } => {
            perform(Use {
                app: &state.app,
                who: &who,
                ctx,
                version,
            })
            .await
        }
        // Files come as multipart to their own address.
        Run::Upload => Err(AppError::NotFound),
    }
}

/// An action through the API: the same fields, permissions, scope and rules as its form.
/// `values` are the form's fields; `version`, when given, must be the case's current one.
/// Answers the reference of the case to show next.
pub(crate) async fn act_for_api(
    state: &AppState,
    user: &User,
    reference: &str,
    slug: &str,
    mut values: std::collections::BTreeMap<String, String>,
) -> Result<String, AppError> {
    let loaded = load_for(state, user, reference, slug).await?;
    if loaded.action.is_upload() {
        return Err(AppError::NotFound);
    }
    // The form's own defaults first, then what was sent.
    let mut form = defaults(state, &loaded).await;
    let version = match values.remove("version") {
        Some(v) => {
            let sent = v.trim().parse::<i64>().map_err(|_| {
                AppError::invalid("version", "The version is a whole number, from the case")
            })?;
            // Checked here too, for the actions whose own use case does not take a version.
            if sent != loaded.contact.version {
                return Err(AppError::Conflict(
                    "The case has changed since that version: read it again".into(),
                ));
            }
            sent
        }
        None => loaded.contact.version,
    };
    form.values.extend(values);
    perform(state, user, &loaded, &form, version).await
}

/// The actions the API takes (every form but the file upload, which is multipart).
pub(crate) fn api_slugs() -> Vec<&'static str> {
    ActionForm::all()
        .filter(|a| !a.is_upload())
        .map(|a| a.slug)
        .collect()
}
