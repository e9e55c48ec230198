//! The frame every page shares, rendering a page, and the one place errors become pages.

use crate::AppState;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use redress_app::AppError;
use redress_domain::language::Language;
use std::sync::{Arc, Mutex};

/// The parts of the page frame every page shares.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub title: String,
    pub org_name: String,
    pub has_logo: bool,
    pub has_errors: bool,
    pub staff: Option<StaffNav>,
    /// How residents reach the organisation, in every page's footer.
    pub reach: redress_domain::reach::Reach,
    /// The language the page is in (staff pages: English).
    pub lang: Language,
    /// The link to this page in the other language, on resident pages.
    pub switch: Option<Switch>,
}

/// The Cymraeg / English link: to the same place in the other language. On a form it is
/// a button that sends the form's answers with it, so nothing typed is lost.
#[derive(Debug, Clone)]
pub(crate) struct Switch {
    /// The other language.
    pub to: Language,
    /// Where a link goes (`/language/cy?back=…`).
    pub href: String,
    /// The form whose answers a button sends, by its id.
    pub form: Option<&'static str>,
    /// The name and value of the form's main button, which Enter in a field presses.
    pub enter: Option<(&'static str, &'static str)>,
}

impl Switch {
    /// A link to the same page in the other language.
    pub fn link(from: Language, here: &str) -> Switch {
        let to = from.other();
        Switch {
            to,
            href: format!(
                "/language/{}?back={}",
                to.as_str(),
                crate::html::query_escape(here)
            ),
            form: None,
            enter: None,
        }
    }

    /// A button on a form, sending its answers to be kept while the language changes.
    pub fn form(
        from: Language,
        form: &'static str,
        enter: Option<(&'static str, &'static str)>,
    ) -> Switch {
        Switch {
            to: from.other(),
            href: String::new(),
            form: Some(form),
            enter,
        }
    }

    /// The language's own name, as the link shows it.
    pub fn name(&self) -> &'static str {
        self.to.label()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct StaffNav {
    pub name: String,
    pub csrf: String,
    pub admin: bool,
    /// Whether the case pages are open to them (the governing body reads reports only).
    pub cases: bool,
    /// Whether they may record a contact received another way.
    pub record: bool,
    pub reports: bool,
    pub scrutiny: bool,
    /// Whether they read the scrutiny programme and its reports only (the Board, the
    /// Executive Management Team).
    pub scrutiny_reports: bool,
    /// Whether they read for the Tenants Panel.
    pub panel: bool,
    /// Where their work starts: the header's name links there.
    pub home: &'static str,
}

/// Where a role's work starts: My work for those who see cases, the reports for the
/// governing body, the panel's list for the Tenants Panel, and resident scrutiny for the
/// scrutiny team and the appeal panel.
pub(crate) fn home_for(role: redress_domain::role::Role) -> &'static str {
    use redress_domain::role::{Permission, Role};
    if role.can(Permission::ViewCases) {
        "/staff"
    } else if role.can(Permission::ViewReports) {
        "/staff/reports"
    } else if role == Role::TenantsPanel {
        "/staff/panel"
    } else {
        "/staff/scrutiny"
    }
}

impl StaffNav {
    pub fn for_user(signed: &redress_app::auth::Signed) -> StaffNav {
        StaffNav {
            name: signed.user.name.clone(),
            csrf: signed.csrf_token.clone(),
            admin: signed
                .user
                .role
                .can(redress_domain::role::Permission::Administer),
            cases: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewCases),
            record: signed
                .user
                .role
                .can(redress_domain::role::Permission::RecordContacts),
            reports: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewReports),
            scrutiny: signed
                .user
                .role
                .can(redress_domain::role::Permission::ViewScrutiny),
            scrutiny_reports: signed
                .user
                .role
                .can(redress_domain::role::Permission::ReadScrutinyReports)
                && !signed
                    .user
                    .role
                    .can(redress_domain::role::Permission::ViewScrutiny),
            panel: signed
                .user
                .role
                .can(redress_domain::role::Permission::ReviewForPanel),
            home: home_for(signed.user.role),
        }
    }
}

impl Layout {
    /// A staff page's frame, marked as having errors when the form has any.
    pub fn staff(
        state: &AppState,
        signed: &redress_app::auth::Signed,
        title: &str,
        form: &crate::html::FormState,
    ) -> Layout {
        let mut layout = Layout::new(state, title);
        layout.has_errors = !form.errors.is_empty();
        layout.staff = Some(StaffNav::for_user(signed));
        layout
    }

    pub fn new(state: &AppState, title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            org_name: state.app.display_name(),
            has_logo: state.app.branding().logo.is_some(),
            has_errors: false,
            staff: None,
            reach: state.app.reach(),
            lang: Language::English,
            switch: None,
        }
    }

    /// A resident's page in their language, titled by a message key, with the link to
    /// the same page (`here`) in the other language.
    pub fn resident(state: &AppState, lang: Language, title_key: &str, here: &str) -> Layout {
        let mut layout = Layout::new(state, &crate::i18n::message(lang, title_key, &[]));
        layout.lang = lang;
        layout.switch = Some(Switch::link(lang, here));
        layout
    }

    /// A message in the page's language.
    pub fn t(&self, key: &str) -> String {
        crate::i18n::message(self.lang, key, &[])
    }

    /// A message in the page's language with one value filled in.
    pub fn tf(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        crate::i18n::message(self.lang, key, &[(name, value.to_string())])
    }
}

pub(crate) fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub layout: Layout,
    pub heading: String,
    pub body: String,
    pub link: String,
    pub link_text: String,
}

pub(crate) fn message(
    state: &AppState,
    status: StatusCode,
    heading: &str,
    body: &str,
    link: &str,
    link_text: &str,
) -> Response {
    render(
        status,
        &MessagePage {
            layout: Layout::new(state, heading),
            heading: heading.into(),
            body: body.into(),
            link: link.into(),
            link_text: link_text.into(),
        },
    )
}

pub(crate) async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Response {
    page_not_found(&state)
}

pub(crate) fn page_not_found(state: &AppState) -> Response {
    message(
        state,
        StatusCode::NOT_FOUND,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
        "/",
        "Go to the start page",
    )
}

/// Turns an error no person can correct into a page that says so; the cause goes to the log.
pub(crate) fn error_page(state: &AppState, e: AppError) -> Response {
    match e {
        AppError::NotFound => page_not_found(state),
        AppError::Forbidden => message(
            state,
            StatusCode::FORBIDDEN,
            "You do not have access to this page",
            "Your role does not allow this. Ask an administrator if you need access.",
            "/staff/cases",
            "Go to cases",
        ),
        AppError::Conflict(m) => message(
            state,
            StatusCode::CONFLICT,
            "Someone else changed this",
            &m,
            "/staff/cases",
            "Go to cases",
        ),
        // A query or address the service cannot read: said plainly, never a failure.
        AppError::Invalid(errors) => {
            let said: Vec<&str> = errors.iter().map(|(_, m)| m).collect();
            message(
                state,
                StatusCode::BAD_REQUEST,
                "There is a problem with the page address",
                &said.join(". "),
                "/",
                "Go to the start page",
            )
        }
        AppError::Domain(e) => message(
            state,
            StatusCode::CONFLICT,
            "This cannot be done now",
            &e.to_string(),
            "/staff/cases",
            "Go to cases",
        ),
        other => {
            tracing::error!(error = %other, "request failed");
            message(
                state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "Nothing you sent has been lost. Try again later.",
                "/",
                "Go to the start page",
            )
        }
    }
}

/// What a handler that can fail returns: `?` turns a use case's refusal into the page that
/// explains it, drawn by `error_page` with the site's frame.
pub(crate) type PageResult = Result<Response, PageError>;

/// A refusal on its way to becoming a page. The page needs the site's frame, which a
/// response alone does not have, so the error travels in the response's extensions and
/// `render_errors` (a layer with the state) draws it.
#[derive(Debug)]
pub(crate) enum PageError {
    App(AppError),
    /// A page already made, such as a form shown again with its messages.
    Page(Response),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        PageError::Page(r)
    }
}

/// The error a response still has to be drawn for.
#[derive(Clone)]
struct Unrendered(Arc<Mutex<Option<AppError>>>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Page(r) => r,
            PageError::App(e) => {
                let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                r.extensions_mut()
                    .insert(Unrendered(Arc::new(Mutex::new(Some(e)))));
                r
            }
        }
    }
}

/// Draws the page for any error a handler returned.
pub(crate) async fn render_errors(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut response: Response,
) -> Response {
    let Some(Unrendered(slot)) = response.extensions_mut().remove::<Unrendered>() else {
        return response;
    };
    let taken = match slot.lock() {
        Ok(mut e) => e.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    match taken {
        Some(e) => {
            // The page replaces the response, but what the layers learnt about the request
            // (the route that answered, for the log and the metrics) stays with it.
            let mut page = error_page(&state, e);
            *page.extensions_mut() = std::mem::take(response.extensions_mut());
            page
        }
        None => response,
    }
}
