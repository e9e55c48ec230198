//! Resident pages in English and Welsh. Every resident-facing string is a Project Fluent
//! message in `locales/en.ftl` and `locales/cy.ftl`; a test fails when a key is missing
//! from either file or no longer used.
//!
//! The language a page is in comes from the person's choice this session (a cookie set by
//! the Cymraeg / English link), else their browser's stated preference, else English.
//! Staff pages stay English.

use axum::http::{HeaderMap, header};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use redress_domain::language::Language;
use std::sync::LazyLock;

const ENGLISH: &str = include_str!("../locales/en.ftl");
const WELSH: &str = include_str!("../locales/cy.ftl");

/// The cookie that remembers the language chosen, for the browser session only.
pub(crate) const COOKIE: &str = "redress_lang";

struct Bundles {
    english: FluentBundle<FluentResource>,
    welsh: FluentBundle<FluentResource>,
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles {
    english: bundle("en", ENGLISH),
    welsh: bundle("cy", WELSH),
});

fn bundle(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    let id = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would appear inside attribute values and plain-text emails.
    bundle.set_use_isolating(false);
    // A file that does not parse fails the key test; what parsed is still used.
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, tag, "message file has duplicate keys");
    }
    bundle
}

fn bundle_for(language: Language) -> &'static FluentBundle<FluentResource> {
    match language {
        Language::English => &BUNDLES.english,
        Language::Welsh => &BUNDLES.welsh,
    }
}

/// A message in a language, its `{ $name }`s filled from `args`. A key that is missing
/// shows as itself, so it is seen rather than silently blank (and the key test fails).
pub(crate) fn message(language: Language, key: &str, args: &[(&str, String)]) -> String {
    let bundle = bundle_for(language);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::warn!(key, language = language.as_str(), "message missing");
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(key, ?errors, "message did not format");
    }
    text.into_owned()
}

/// Whether a key has a message in a language.
pub(crate) fn has(language: Language, key: &str) -> bool {
    bundle_for(language).has_message(key)
}

/// The language a resident's page is in: their choice this session, else the first of
/// Welsh or English their browser asks for, else English.
pub(crate) fn language(headers: &HeaderMap) -> Language {
    if let Some(chosen) = chosen(headers) {
        return chosen;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                // `q=0` means "not this one".
                .filter(|part| {
                    !part
                        .split(';')
                        .skip(1)
                        .any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
                })
                .filter_map(|part| Language::from_words(part.split(';').next().unwrap_or("")))
                .next()
        })
        .unwrap_or(Language::English)
}

/// The language of a page about someone's own case: their choice this session, else the
/// language their case is written in, else their browser's.
pub(crate) fn language_for(headers: &HeaderMap, case: Option<Language>) -> Language {
    chosen(headers)
        .or(case)
        .unwrap_or_else(|| language(headers))
}

/// The language chosen with the Cymraeg / English link this session, if any.
fn chosen(headers: &HeaderMap) -> Option<Language> {
    crate::cookies::cookie_named(headers, COOKIE)
        .as_deref()
        .and_then(|c| Language::parse(c).ok())
}

/// The cookie that remembers a choice for the browser session. Lax, so a link from an
/// email keeps it; it holds nothing but the language.
pub(crate) fn remember(language: Language, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
        language.as_str()
    )
}

/// A page with the language it was asked in remembered, when it was asked for one.
pub(crate) fn remembered(
    mut page: axum::response::Response,
    asked: Option<Language>,
    secure: bool,
) -> axum::response::Response {
    if let Some(language) = asked
        && let Ok(cookie) = remember(language, secure).parse()
    {
        page.headers_mut().append(header::SET_COOKIE, cookie);
    }
    page
}

/// A date as people read it in the page's language.
pub(crate) fn date(language: Language, d: jiff::civil::Date) -> String {
    language.long_date(d)
}

/// Domain messages that have their own Welsh, by their exact English.
pub(crate) const EXACT: &[(&str, &str)] = &[
    (
        "Enter an email address, telephone number or postal address so we can reply to you",
        "error-reach-needed",
    ),
    (
        "Enter your address, as you asked us to write to you",
        "error-address-for-letters",
    ),
    (
        "Enter your email address or telephone number so we can reply to you",
        "error-reach-for-reply",
    ),
    (
        "Enter your email address, as you asked us to contact you by email",
        "error-email-for-email",
    ),
    (
        "Enter your telephone number, as you asked us to contact you by phone or text",
        "error-phone-for-calls",
    ),
    (
        "Leave your name and contact details empty if you want to stay anonymous, or choose who this is for",
        "error-anonymous-with-details",
    ),
    (
        "Confirm you are a resident affected and have not signed before",
        "error-petition-declaration",
    ),
    (
        "This person has already signed this petition: each person signs once",
        "error-petition-signed",
    ),
    (
        "This code has expired, has already been used or is not right: check it, or call us for a new one",
        "error-code-used",
    ),
];

/// A field's error in a language. English is as the rules wrote it. In Welsh, a message
/// with its own translation uses it; one about length says so; any other says what the
/// field needs (`error-<field>`), so no Welsh page shows an English message.
pub(crate) fn error(language: Language, field: &str, english: &str) -> String {
    if language == Language::English {
        return english.to_string();
    }
    if let Some((_, key)) = EXACT.iter().find(|(e, _)| *e == english) {
        return message(language, key, &[]);
    }
    if let Some(areas) = english
        .strip_prefix("Only residents of ")
        .and_then(|rest| rest.strip_suffix(" can sign this petition"))
    {
        return message(
            language,
            "error-petition-areas",
            &[("areas", areas.to_string())],
        );
    }
    if english.contains("characters or fewer") {
        let limit: String = english.chars().filter(char::is_ascii_digit).collect();
        return message(language, "error-too-long", &[("limit", limit)]);
    }
    let key = format!("error-{}", field.replace('_', "-"));
    if has(language, &key) {
        message(language, &key, &[])
    } else {
        message(language, "error-field", &[])
    }
}

/// Every field a resident's form can show an error at, for the key test.
#[cfg(test)]
pub(crate) const ERROR_FIELDS: &[&str] = &[
    "kind",
    "who",
    "name",
    "email",
    "phone",
    "address",
    "postcode",
    "property-ref",
    "rep-name",
    "rep-relationship",
    "rep-email",
    "rep-phone",
    "summary",
    "outcome-wanted",
    "issue-date",
    "staff-named",
    "safeguarding",
    "preferred-contact",
    "preferred-format",
    "language",
    "correspond-in",
    "needs",
    "age-band",
    "disability",
    "ethnic-group",
    "reference",
    "answer",
    "surname",
    "link-reference",
    "link-email",
    "code",
    "information",
    "file",
    "description",
    "reason",
    "why",
    "withdraw-reason",
    "handling",
    "outcome",
    "better",
    "concerns",
    "actions-taken",
    "failures",
    "affected",
    "affected-why",
    "resolution",
    "signature",
    "declaration",
    "business-area",
    "format",
    "grounds",
];

/// Resident message pages (`crate::page::resident_message`), for the key test.
#[cfg(test)]
pub(crate) const RESIDENT_MESSAGES: &[&str] = &[
    "message-not-found",
    "message-other-site",
    "message-check-email",
    "message-link-used",
    "message-survey-used",
    "message-not-yours",
    "message-changed",
    "message-bad-address",
    "message-not-now",
    "message-problem",
    "message-too-many",
];

/// The choices a report names (`report-<list>-<value>`), with the English the rules give
/// them: a list of received kinds reads in the plural.
#[cfg(test)]
fn report_choices() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    use redress_domain::*;
    fn all<T: Copy>(
        values: &[T],
        name: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> Vec<(&'static str, String)> {
        values
            .iter()
            .map(|v| (name(*v), label(*v).to_string()))
            .collect()
    }
    let mut kinds = all(ContactKind::ALL, |k| k.as_str(), |k| k.label());
    for (_, label) in &mut kinds {
        label.push('s');
    }
    vec![
        ("kinds", kinds),
        ("channel", all(Channel::ALL, |k| k.as_str(), |k| k.label())),
        (
            "outcome",
            all(case::Outcome::ALL, |k| k.as_str(), |k| k.label()),
        ),
        (
            "decline",
            all(case::DeclineReason::ALL, |k| k.as_str(), |k| k.label()),
        ),
        (
            "determination",
            all(remedy::Determination::ALL, |k| k.as_str(), |k| k.label()),
        ),
        (
            "cause",
            all(learning::RootCause::ALL, |k| k.as_str(), |k| k.label()),
        ),
        (
            "tenure",
            all(organisation::Tenure::ALL, |k| k.as_str(), |k| k.label()),
        ),
        (
            "question",
            equality::questions()
                .into_iter()
                .map(|(q, label, _)| (q, label.to_string()))
                .collect(),
        ),
    ]
}

/// Keys other pages build from values, for the key test.
#[cfg(test)]
fn extra_built_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for (list, choices) in report_choices() {
        for (value, _) in choices {
            keys.push(format!("report-{list}-{value}"));
        }
    }
    for kind in redress_domain::contact::ContactKind::ALL {
        keys.push(format!("track-title-{}", kind.as_str()));
        if *kind != redress_domain::contact::ContactKind::Complaint {
            keys.push(format!("survey-about-{}", kind.as_str()));
        }
    }
    for format in crate::public::scrutiny::format_options() {
        keys.push(format!("option-ccs-format-{}", format.0));
    }
    for rating in redress_domain::survey::Rating::ALL {
        keys.push(format!("option-rating-{}", rating.as_str()));
    }
    for done in ["information", "escalate", "withdraw", "panel", "file"] {
        keys.push(format!("track-done-{done}"));
    }
    for event in [
        "received",
        "acknowledged",
        "extended",
        "responded",
        "escalated",
        "escalation-refused",
        "withdrawn",
        "declined",
        "replied",
        "closed",
        "tenants-panel-asked",
        "tenants-panel-input",
    ] {
        keys.push(format!("event-{event}"));
    }
    keys
}

/// Translates every error on a form into the page's language.
pub(crate) fn localise_errors(language: Language, form: &mut crate::html::FormState) {
    form.lang = language;
    if language == Language::English {
        return;
    }
    let mut translated = redress_domain::FieldErrors::new();
    for (field, m) in form.errors.iter() {
        translated.add(field, error(language, field, m));
    }
    form.errors = translated;
}

#[cfg(test)]
mod tests;
