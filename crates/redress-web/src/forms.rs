//! Option lists for the forms, built from the domain's own lists so labels never drift.

use redress_domain::contact::{Channel, ContactKind, ContactStatus, OtherRoute, Who};
use redress_domain::language::Language;
use redress_domain::organisation::Tenure;
use redress_domain::person::{Authority, ContactMethod, PreferredFormat, Relationship};

pub type Options = Vec<(String, String)>;

fn list<T: Copy>(all: &[T], id: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Options {
    all.iter()
        .map(|v| (id(*v).to_string(), label(*v).to_string()))
        .collect()
}

fn with_blank(blank: &str, mut options: Options) -> Options {
    options.insert(0, (String::new(), blank.to_string()));
    options
}

pub fn public_kinds() -> Options {
    [
        ContactKind::Complaint,
        ContactKind::Comment,
        ContactKind::Compliment,
    ]
    .iter()
    .map(|k| (k.as_str().to_string(), k.label().to_string()))
    .collect()
}

pub fn all_kinds() -> Options {
    list(ContactKind::ALL, ContactKind::as_str, ContactKind::label)
}

pub fn who() -> Options {
    list(Who::ALL, Who::as_str, Who::label)
}

pub fn channels() -> Options {
    with_blank(
        "Select how it was received",
        list(Channel::ALL, Channel::as_str, Channel::label),
    )
}

pub fn relationships() -> Options {
    with_blank(
        "Select",
        list(Relationship::ALL, Relationship::as_str, Relationship::label),
    )
}

pub fn authorities() -> Options {
    with_blank(
        "Select",
        list(Authority::ALL, Authority::as_str, Authority::label),
    )
}

pub fn contact_methods() -> Options {
    list(
        ContactMethod::ALL,
        ContactMethod::as_str,
        ContactMethod::label,
    )
}

pub fn formats() -> Options {
    list(
        PreferredFormat::ALL,
        PreferredFormat::as_str,
        PreferredFormat::label,
    )
}

pub fn other_routes() -> Options {
    with_blank(
        "None",
        list(OtherRoute::ALL, OtherRoute::as_str, OtherRoute::label),
    )
}

pub fn tenures() -> Options {
    with_blank(
        "Not known",
        list(Tenure::ALL, Tenure::as_str, Tenure::label),
    )
}

pub fn any_kind() -> Options {
    with_blank("Any kind", all_kinds())
}

pub fn any_status() -> Options {
    with_blank(
        "Any status",
        list(
            ContactStatus::ALL,
            ContactStatus::as_str,
            ContactStatus::label,
        ),
    )
}

pub fn any_stage() -> Options {
    with_blank(
        "Any stage",
        vec![
            ("1".into(), "Stage 1".into()),
            ("2".into(), "Stage 2".into()),
            ("3".into(), "Stage 3".into()),
        ],
    )
}

/// A list's labels in a language, from the message files: `option-<list>-<value>`, and
/// `option-<list>-blank` for the empty first choice.
pub fn localised(
    lang: impl std::borrow::Borrow<Language>,
    list: &str,
    options: Options,
) -> Options {
    let lang = *lang.borrow();
    options
        .into_iter()
        .map(|(value, _)| {
            let key = if value.is_empty() {
                format!("option-{list}-blank")
            } else {
                format!("option-{list}-{value}")
            };
            let label = crate::i18n::message(lang, &key, &[]);
            (value, label)
        })
        .collect()
}

/// The languages letters and pages are written in, each in its own name.
pub fn languages() -> Options {
    list(Language::ALL, Language::as_str, Language::label)
}

/// The language for letters as staff record it: not said, English or Welsh.
pub fn correspond_in() -> Options {
    with_blank("Not said", languages())
}

/// When an organisation writes in Welsh to people who have not said which they want.
pub fn welsh_policy() -> Options {
    vec![
        (
            "on-request".into(),
            "In English, with Welsh for anyone who asks for it".into(),
        ),
        (
            "welsh-first".into(),
            "In Welsh and English, Welsh first (as the Welsh Language Standards expect)".into(),
        ),
    ]
}

/// Yes or no, for a question answered with radios.
pub fn yes_no() -> Options {
    vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
}

/// The case list's "Show" filter: which cases, beyond their kind and status.
pub fn any_show() -> Options {
    with_blank(
        "All cases",
        vec![
            ("open".into(), "Open cases".into()),
            (
                "triage".into(),
                "New, waiting for someone to take them".into(),
            ),
            (
                "follow-up".into(),
                "Unhappy survey answers to follow up".into(),
            ),
            (
                "safeguarding".into(),
                "Safeguarding concerns to review".into(),
            ),
            (
                "hazards".into(),
                "Hazards in homes to decide on or with steps to record".into(),
            ),
        ],
    )
}

pub fn any_due() -> Options {
    with_blank(
        "Any",
        vec![
            ("overdue".into(), "Overdue".into()),
            ("due-soon".into(), "Due in the next 3 working days".into()),
            ("this-week".into(), "Due in the next 5 working days".into()),
        ],
    )
}

/// Reads a urlencoded body leniently: broken UTF-8 becomes replacement characters rather
/// than an error, so a resident's answers are never thrown away.
pub fn parse_body(body: &[u8]) -> std::collections::BTreeMap<String, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut map = std::collections::BTreeMap::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(v);
    }
    map
}

/// Reads a form sent with one file: the other fields as values, the file as its name and
/// bytes. A body too large or broken becomes a message at the file field, never a failure.
pub async fn read_upload(
    multipart: &mut axum::extract::Multipart,
) -> (crate::html::FormState, Option<(String, Vec<u8>)>) {
    let mut form = crate::html::FormState::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                // A part with a file name is the file, whatever the input is called.
                if let Some(file_name) = field.file_name().map(str::to_string) {
                    match field.bytes().await {
                        Ok(bytes) => file = Some((file_name, bytes.to_vec())),
                        Err(_) => form.errors.add(
                            "file",
                            "The file could not be read: it may be too large (the limit is 10 MB)",
                        ),
                    }
                } else {
                    let value = field.text().await.unwrap_or_default();
                    form.values.insert(name, value);
                }
            }
            Ok(None) => break,
            Err(_) => {
                form.errors.add(
                    "file",
                    "The upload could not be read: try again, with a file under 10 MB",
                );
                break;
            }
        }
    }
    (form, file)
}

/// The answers to one equality question, with "not answered" first.
pub fn monitoring(question: &str) -> Options {
    std::iter::once((String::new(), "Not answered".to_string()))
        .chain(
            redress_domain::equality::questions()
                .into_iter()
                .filter(|(q, _, _)| *q == question)
                .flat_map(|(_, _, answers)| answers)
                .map(|(a, l)| (a.to_string(), l.to_string())),
        )
        .collect()
}

/// A token taken from an address: only the letters and digits tokens are made of, so
/// nothing else typed into the address reaches a page or a query.
pub fn token_in_path(raw: &str) -> String {
    raw.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(100)
        .collect()
}

impl crate::html::FormState {
    /// The fields of a posted form, with no errors yet.
    pub fn from_body(body: &[u8]) -> Self {
        Self {
            values: crate::forms::parse_body(body),
            ..Default::default()
        }
    }
}
