//! The frame every page shares, and rendering a page.

use crate::AppState;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use redress_domain::language::Language;

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

/// A message page for residents, in their language: `<key>-heading`, `<key>-body` and
/// `<key>-link` from the message files.
pub(crate) fn resident_message(
    state: &AppState,
    lang: Language,
    status: StatusCode,
    key: &str,
    link: &str,
) -> Response {
    ResidentMessage {
        key,
        link,
        here: None,
        detail: None,
    }
    .render(state, lang, status)
}

/// A message page for residents, with more than `resident_message` says.
pub(crate) struct ResidentMessage<'a> {
    pub key: &'a str,
    pub link: &'a str,
    /// The address the language link reopens in the other language; none, no link.
    pub here: Option<&'a str>,
    /// Said before the body, on English pages only: the rules speak English, and a Welsh
    /// page never carries an English sentence.
    pub detail: Option<String>,
}

impl ResidentMessage<'_> {
    pub fn render(self, state: &AppState, lang: Language, status: StatusCode) -> Response {
        let t = |part: &str| crate::i18n::message(lang, &format!("{}-{part}", self.key), &[]);
        let mut layout = Layout::resident(
            state,
            lang,
            &format!("{}-heading", self.key),
            self.here.unwrap_or(self.link),
        );
        if self.here.is_none() {
            layout.switch = None;
        }
        let body = match self
            .detail
            .filter(|d| lang == Language::English && !d.is_empty())
        {
            Some(detail) => format!("{}. {}", detail.trim_end_matches('.'), t("body")),
            None => t("body"),
        };
        render(
            status,
            &MessagePage {
                layout,
                heading: t("heading"),
                body,
                link: self.link.into(),
                link_text: t("link"),
            },
        )
    }
}
