//! The wording letters ship with, in the message files `locales/letters-en.ftl` and
//! `locales/letters-cy.ftl` (Project Fluent), where a translator works on it with the same
//! tools as the pages' messages. Each kind has `<kind>-subject` and `<kind>-body`; a
//! `{ $name }` becomes the `{{name}}` placeholder organisations see and edit.

use super::{LetterKind, Template};
use crate::language::Language;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::HashMap;
use std::sync::LazyLock;

const ENGLISH: &str = include_str!("../../locales/letters-en.ftl");
const WELSH: &str = include_str!("../../locales/letters-cy.ftl");

static ENGLISH_WORDING: LazyLock<HashMap<String, String>> = LazyLock::new(|| read(ENGLISH));
static WELSH_WORDING: LazyLock<HashMap<String, String>> = LazyLock::new(|| read(WELSH));

/// Every message in a file, as template text. A file that does not parse fails the tests;
/// what parsed is still used.
fn read(source: &'static str) -> HashMap<String, String> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some((m.id.name.to_string(), template_text(m.value.as_ref()?))),
            _ => None,
        })
        .collect()
}

/// A message's pattern as template text: `{ $name }` is `{{name}}`, and a quoted literal
/// (`{"*"}`, for a line that would otherwise read as Fluent syntax) is its text.
fn template_text(pattern: &Pattern<&str>) -> String {
    pattern
        .elements
        .iter()
        .map(|element| match element {
            PatternElement::TextElement { value } => (*value).to_string(),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    format!("{{{{{}}}}}", id.name)
                }
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    (*value).to_string()
                }
                // Nothing else belongs in letter wording; left visible, it is refused as an
                // unfilled placeholder rather than silently dropped.
                _ => "{{unreadable}}".to_string(),
            },
        })
        .collect()
}

/// A kind's wording as shipped in a language; `None` where it has none (letters to staff
/// have no Welsh).
pub fn shipped(kind: LetterKind, language: Language) -> Option<Template> {
    let wording = match language {
        Language::English => &*ENGLISH_WORDING,
        Language::Welsh => &*WELSH_WORDING,
    };
    let subject = wording.get(&format!("{}-subject", kind.as_str()))?;
    let body = wording.get(&format!("{}-body", kind.as_str()))?;
    Some(Template {
        subject: subject.clone(),
        body: body.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_parse_and_hold_nothing_but_letters() {
        for (source, language) in [(ENGLISH, Language::English), (WELSH, Language::Welsh)] {
            if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
                panic!(
                    "letters-{}.ftl does not parse: {errors:?}",
                    language.as_str()
                );
            }
            let wording = read(source);
            for key in wording.keys() {
                let known = LetterKind::ALL.iter().any(|k| {
                    *key == format!("{}-subject", k.as_str())
                        || *key == format!("{}-body", k.as_str())
                });
                assert!(
                    known,
                    "{key} in letters-{}.ftl is no letter",
                    language.as_str()
                );
            }
        }
    }

    #[test]
    fn every_letter_has_english_wording_and_placeholders_read_as_placeholders() {
        for kind in LetterKind::ALL {
            let t = shipped(*kind, Language::English);
            assert!(t.is_some(), "{kind:?} has no English wording");
        }
        let ack = shipped(LetterKind::Acknowledgement, Language::English);
        let ack = ack.map(|t| t.body).unwrap_or_default();
        assert!(ack.starts_with("Dear {{name}}\n\nThank you"), "{ack}");
        assert!(!ack.contains("{ $") && !ack.ends_with('\n'), "{ack}");
    }
}
