//! The message files are complete and nothing in them is left over: every key is in both
//! languages, every key the pages use exists, and every key is used.

use super::*;
use std::collections::BTreeSet;
use std::path::Path;

fn keys(source: &str) -> BTreeSet<String> {
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((_, errors)) => panic!("the message file does not parse: {errors:?}"),
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Every file under a folder with one of the endings.
fn files(dir: &Path, endings: &[&str], out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, endings, out);
        } else if endings.iter().any(|e| path.to_string_lossy().ends_with(e))
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

fn sources() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    files(&root.join("templates"), &[".html"], &mut out);
    files(&root.join("src"), &[".rs"], &mut out);
    out
}

/// Keys named where a message is asked for: `t("…")`, `tf("…"`, `push("…"` (the check
/// page's rows), `message(lang, "…"` and a resident page's title, read with the whitespace taken out.
fn asked_for(sources: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for text in sources {
        let text: String = text.split_whitespace().collect();
        for opener in [
            "t(\"",
            "tf(\"",
            "push(\"",
            "message(lang,\"",
            "resident(&state,lang,\"",
            "resident(state,lang,\"",
            // A key chosen by a match, then asked for.
            "=>\"",
            // A key in a list of them, as the paper form's questions.
            "(\"",
        ] {
            for (i, _) in text.match_indices(opener) {
                // `get("…")` is not `t("…")`.
                let before = text[..i].chars().next_back();
                if opener.ends_with("(\"")
                    && before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    continue;
                }
                let rest = &text[i + opener.len()..];
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                // A match arm's string is a key only in a message file's namespace.
                let namespaced = (opener != "=>\"" && opener != "(\"")
                    || [
                        "confirm-", "track-", "check-", "survey-", "message-", "ccs-",
                    ]
                    .iter()
                    .any(|n| key.starts_with(n));
                if rest[key.len()..].starts_with('"') && key.contains('-') && namespaced {
                    found.insert(key);
                }
            }
        }
        // Reports name their keys as they pass them on: any such literal is one.
        for prefix in ["\"report-", "\"annual-"] {
            for (i, _) in text.match_indices(prefix) {
                let rest = &text[i + 1..];
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if rest[key.len()..].starts_with('"') && !key.ends_with('-') {
                    found.insert(key);
                }
            }
        }
    }
    found
}

/// Keys built from values: option labels, titles by kind, field errors, message pages.
fn built() -> BTreeSet<String> {
    use crate::forms;
    let mut out = BTreeSet::new();
    let lists = [
        ("kind", forms::all_kinds()),
        ("who", forms::who()),
        ("relationship", forms::relationships()),
        ("contact-method", forms::contact_methods()),
        ("format", forms::formats()),
        ("language", forms::languages()),
        ("yes-no", forms::yes_no()),
        ("age", forms::monitoring("age")),
        ("disability", forms::monitoring("disability")),
        ("ethnic-group", forms::monitoring("ethnic-group")),
    ];
    for (list, options) in lists {
        for (value, _) in options {
            let value = if value.is_empty() {
                "blank".into()
            } else {
                value
            };
            out.insert(format!("option-{list}-{value}"));
        }
    }
    for kind in redress_domain::contact::ContactKind::ALL {
        out.insert(format!("confirm-title-{}", kind.as_str()));
        out.insert(format!("check-send-{}", kind.as_str()));
    }
    for field in ERROR_FIELDS {
        out.insert(format!("error-{field}"));
    }
    for (_, key) in EXACT {
        out.insert((*key).to_string());
    }
    out.insert("error-field".into());
    out.insert("error-petition-areas".into());
    out.insert("error-too-long".into());
    for page in RESIDENT_MESSAGES {
        for part in ["heading", "body", "link"] {
            out.insert(format!("{page}-{part}"));
        }
    }
    out.extend(extra_built_keys());
    out
}

#[test]
fn every_key_is_in_both_languages_and_every_key_is_used() {
    let english = keys(ENGLISH);
    let welsh = keys(WELSH);
    let only_english: Vec<_> = english.difference(&welsh).collect();
    let only_welsh: Vec<_> = welsh.difference(&english).collect();
    assert!(
        only_english.is_empty(),
        "missing in Welsh: {only_english:?}"
    );
    assert!(only_welsh.is_empty(), "missing in English: {only_welsh:?}");

    let sources = sources();
    let mut used = asked_for(&sources);
    used.extend(built());
    let missing: Vec<_> = used.difference(&english).collect();
    assert!(
        missing.is_empty(),
        "used but in no message file: {missing:?}"
    );
    let unused: Vec<_> = english.difference(&used).collect();
    assert!(
        unused.is_empty(),
        "in the message files but used nowhere: {unused:?}"
    );
}

#[test]
fn english_choices_say_what_the_rules_call_them() {
    use crate::forms;
    for (list, options) in [
        ("kind", forms::all_kinds()),
        ("who", forms::who()),
        ("contact-method", forms::contact_methods()),
        ("format", forms::formats()),
        ("age", forms::monitoring("age")),
        ("ethnic-group", forms::monitoring("ethnic-group")),
    ] {
        let english = forms::localised(Language::English, list, options.clone());
        assert_eq!(english, options, "{list}");
    }
}

#[test]
fn english_report_labels_say_what_the_rules_call_them() {
    for (list, choices) in report_choices() {
        for (value, english) in choices {
            let key = format!("report-{list}-{value}");
            assert_eq!(message(Language::English, &key, &[]), english, "{key}");
            assert!(has(Language::Welsh, &key), "{key}");
        }
    }
}

#[test]
fn welsh_pages_never_show_an_english_rule() {
    assert_eq!(
        error(
            Language::Welsh,
            "summary",
            "Enter what happened, or what you want to say"
        ),
        "Rhowch beth ddigwyddodd, neu beth rydych am ei ddweud"
    );
    assert_eq!(
        error(
            Language::Welsh,
            "summary",
            "The summary must be 10000 characters or fewer"
        ),
        "Rhaid i hwn fod yn 10000 nod neu lai"
    );
    assert_eq!(
        error(
            Language::Welsh,
            "email",
            "Enter your email address, as you asked us to contact you by email"
        ),
        "Rhowch eich cyfeiriad e-bost, gan i chi ofyn i ni gysylltu â chi drwy e-bost"
    );
    assert_eq!(
        error(Language::Welsh, "made_up", "Anything"),
        "Gwiriwch yr ateb hwn"
    );
    assert_eq!(
        error(Language::English, "summary", "As written"),
        "As written"
    );
}

#[test]
fn the_language_comes_from_the_choice_then_the_browser() {
    let mut headers = HeaderMap::new();
    assert_eq!(language(&headers), Language::English);
    headers.insert(
        header::ACCEPT_LANGUAGE,
        "cy-GB,cy;q=0.9,en;q=0.8".parse().unwrap(),
    );
    assert_eq!(language(&headers), Language::Welsh);
    let mut refused = HeaderMap::new();
    refused.insert(header::ACCEPT_LANGUAGE, "cy;q=0, en-GB".parse().unwrap());
    assert_eq!(language(&refused), Language::English);
    headers.insert(header::COOKIE, "redress_lang=en".parse().unwrap());
    assert_eq!(language(&headers), Language::English);
    assert_eq!(
        message(
            Language::Welsh,
            "footer-contact",
            &[("organisation", "Cyngor Demo".into())]
        ),
        "Cysylltu â Cyngor Demo"
    );
}
