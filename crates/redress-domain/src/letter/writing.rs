//! Which language a letter is written in, and writing it: in the resident's language, in
//! both with Welsh first where the organisation asks for that, and never in English in
//! place of Welsh wording that is missing.

use super::{LetterKind, Template, fill};
use crate::language::Language;
use std::collections::BTreeMap;

/// The languages a letter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    In(Language),
    /// Both, Welsh first, as the Welsh Language Standards expect of correspondence to
    /// someone who has not said which they want.
    WelshFirst,
}

impl Writing {
    /// What a person chose, else what the organisation does for people who have not said.
    pub fn for_choice(chosen: Option<Language>, welsh_first: bool) -> Writing {
        match (chosen, welsh_first) {
            (Some(l), _) => Writing::In(l),
            (None, true) => Writing::WelshFirst,
            (None, false) => Writing::In(Language::English),
        }
    }

    pub fn languages(self) -> &'static [Language] {
        match self {
            Writing::In(Language::English) => &[Language::English],
            Writing::In(Language::Welsh) => &[Language::Welsh],
            Writing::WelshFirst => &[Language::Welsh, Language::English],
        }
    }

    /// The language a letter is counted under: the first it is written in.
    pub fn first(self) -> Language {
        self.languages()
            .first()
            .copied()
            .unwrap_or(Language::English)
    }
}

/// A letter's words in every language it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub subject: String,
    pub body: String,
    /// The language whose wording is missing: the letter is held, not sent.
    pub missing: Option<Language>,
    /// The language it is counted under: the first it is written in.
    pub language: Language,
}

impl Written {
    /// The letter these words make, to `recipient` by `delivery`. Wording missing in the
    /// reader's language holds it as a draft for someone to write, never sent.
    pub fn into_letter(
        self,
        kind: LetterKind,
        delivery: super::Delivery,
        recipient: String,
        large_print: bool,
    ) -> super::Letter {
        super::Letter {
            kind,
            delivery,
            recipient,
            large_print,
            subject: self.subject,
            body: self.body,
            draft_by: self.missing.map(|_| String::new()),
            convert: None,
            language: self.language,
        }
    }
}

/// What stands between the Welsh and the English of a letter in both.
pub const BETWEEN_LANGUAGES: &str = "\n\n* * *\n\n";

/// A letter's words as HTML with each language marked: a letter in both has its English
/// in its own `lang="en"` block after the Welsh, so a screen reader switches voice.
pub fn html_in(body: &str, first: Language) -> String {
    match (first, body.split_once(BETWEEN_LANGUAGES)) {
        (Language::Welsh, Some((welsh, english))) => format!(
            "{}<hr>\n<div lang=\"en\">\n{}</div>\n",
            super::body_html(welsh),
            super::body_html(english)
        ),
        _ => super::body_html(body),
    }
}

/// What a letter with missing wording says in its place: a placeholder, so it is held
/// as a draft that cannot be sent until someone writes it.
pub const WELSH_WORDING_MISSING: &str = "{{welsh_wording_missing}}";

/// Writes a letter: each language's wording filled with that language's values, Welsh
/// first when both. Wording missing in a language gives a held letter: the marker, then
/// the words that could be written, for whoever writes the rest.
pub fn write(
    kind: LetterKind,
    writing: Writing,
    wording: &dyn Fn(LetterKind, Language) -> Option<Template>,
    values: &dyn Fn(Language) -> BTreeMap<&'static str, String>,
) -> Written {
    let mut subjects = Vec::new();
    let mut bodies = Vec::new();
    let mut missing = None;
    for language in writing.languages() {
        match wording(kind, *language) {
            Some(t) => {
                let v = values(*language);
                subjects.push(fill(&t.subject, &v));
                bodies.push(fill(&t.body, &v));
            }
            None => missing = Some(*language),
        }
    }
    if let Some(language) = missing {
        // The English words, if that is all there are, show what the letter must say.
        let english = wording(kind, Language::English)
            .map(|t| {
                let v = values(Language::English);
                (fill(&t.subject, &v), fill(&t.body, &v))
            })
            .unwrap_or_default();
        return Written {
            subject: format!("{WELSH_WORDING_MISSING} {}", english.0),
            body: format!("{WELSH_WORDING_MISSING}\n\n{}", english.1),
            missing: Some(language),
            language: writing.first(),
        };
    }
    Written {
        subject: subjects.join(" / "),
        body: bodies.join(BETWEEN_LANGUAGES),
        missing: None,
        language: writing.first(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wording(kind: LetterKind, language: Language) -> Option<Template> {
        match language {
            Language::English => Some(super::super::default_template(kind)),
            Language::Welsh => super::super::default_welsh_template(kind),
        }
    }

    fn values(language: Language) -> BTreeMap<&'static str, String> {
        let mut v = BTreeMap::new();
        v.insert("reference", "CMP-2026-00001".to_string());
        v.insert("name", "Aled Jones".to_string());
        v.insert(
            "received",
            language.long_date(jiff::civil::date(2026, 12, 1)),
        );
        v
    }

    #[test]
    fn a_welsh_first_letter_has_both_with_welsh_first() {
        let w = write(
            LetterKind::EmailReceipt,
            Writing::for_choice(None, true),
            &wording,
            &values,
        );
        assert_eq!(w.missing, None);
        assert_eq!(
            w.subject,
            "Rydym wedi cael eich e-bost: CMP-2026-00001 / We have received your email: CMP-2026-00001"
        );
        let welsh = w.body.find("a gawsom ar 1 Rhagfyr 2026");
        let english = w.body.find("which we received on 1 December 2026");
        assert!(
            welsh.is_some() && english.is_some() && welsh < english,
            "{}",
            w.body
        );
    }

    #[test]
    fn a_letter_in_both_marks_its_english() {
        let w = write(
            LetterKind::EmailReceipt,
            Writing::WelshFirst,
            &wording,
            &values,
        );
        let html = html_in(&w.body, Language::Welsh);
        let english = html.find("<div lang=\"en\">");
        assert!(english.is_some() && english > html.find("Annwyl"), "{html}");
        assert!(html.find("Dear") > english, "{html}");
        assert!(!html_in("Dear Aled", Language::English).contains("lang"));
    }

    #[test]
    fn a_chosen_language_is_the_only_one() {
        let w = write(
            LetterKind::EmailReceipt,
            Writing::for_choice(Some(Language::Welsh), false),
            &wording,
            &values,
        );
        assert!(w.body.starts_with("Annwyl Aled Jones"), "{}", w.body);
        assert!(!w.body.contains("Dear"));
        let english = write(
            LetterKind::EmailReceipt,
            Writing::for_choice(Some(Language::English), true),
            &wording,
            &values,
        );
        assert!(english.body.starts_with("Dear Aled Jones"));
        assert_eq!(
            Writing::for_choice(None, false),
            Writing::In(Language::English)
        );
    }

    #[test]
    fn missing_welsh_wording_is_held_never_sent_in_english() {
        let w = write(
            LetterKind::StaffReminder,
            Writing::In(Language::Welsh),
            &wording,
            &values,
        );
        assert_eq!(w.missing, Some(Language::Welsh));
        assert!(w.body.starts_with(WELSH_WORDING_MISSING));
        assert!(!super::super::unfilled(&w.body).is_empty());
    }
}
