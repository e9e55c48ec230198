//! The wording letters are written with, in English and Welsh: the organisation's own
//! where it has written some, else what Redress ships with. An organisation that has
//! changed a letter's English but not its Welsh has no Welsh wording for it: the built-in
//! Welsh no longer says what its English says, so Welsh letters of that kind are held for
//! someone to write rather than sent in words nobody approved.

use crate::{App, AppError};
use redress_domain::case::Contact;
use redress_domain::language::Language;
use redress_domain::letter::{
    LetterKind, Template, Writing, Written, built_in_wording, default_template,
    default_welsh_template, write,
};
use std::collections::BTreeMap;

/// The organisation's own wording of some kinds of letter, by language.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wordings {
    own: BTreeMap<(LetterKind, Language), Template>,
}

impl Wordings {
    /// Whether the organisation's English wording of a kind differs from the built-in.
    fn english_changed(&self, kind: LetterKind) -> bool {
        self.own
            .get(&(kind, Language::English))
            .is_some_and(|t| *t != default_template(kind))
    }

    /// The wording of a kind in a language, or `None` where there is none to use.
    pub(crate) fn get(&self, kind: LetterKind, language: Language) -> Option<Template> {
        if let Some(t) = self.own.get(&(kind, language)) {
            return Some(t.clone());
        }
        match language {
            Language::English => Some(default_template(kind)),
            Language::Welsh if self.english_changed(kind) => None,
            Language::Welsh => default_welsh_template(kind),
        }
    }
}

impl App {
    /// The organisation's wording of these kinds, in both languages.
    pub(crate) async fn wordings(&self, kinds: &[LetterKind]) -> Result<Wordings, AppError> {
        let mut own = BTreeMap::new();
        for kind in kinds {
            for language in Language::ALL {
                if let Some(t) = self
                    .store
                    .letter_template(&self.organisation.id, *kind, *language)
                    .await?
                {
                    own.insert((*kind, *language), t);
                }
            }
        }
        Ok(Wordings { own })
    }

    /// The languages letters to this case's person are written in.
    pub(crate) async fn writing_for(&self, contact: &Contact) -> Result<Writing, AppError> {
        Ok(Writing::for_choice(
            contact.language(),
            self.sender().await?.welsh_first,
        ))
    }

    /// Writes one letter of a kind to a case's person, each language filled by `values`.
    /// An `urgent` one (a link someone has just asked for) is never held for missing
    /// Welsh wording.
    pub(crate) async fn write_to(
        &self,
        contact: &Contact,
        kind: LetterKind,
        urgent: bool,
        values: &(dyn Fn(Language) -> BTreeMap<&'static str, String> + Sync),
    ) -> Result<Written, AppError> {
        let wordings = self.wordings(&[kind]).await?;
        let writing = self.writing_for(contact).await?;
        let reach = self.reach();
        // The organisation's details end every letter, labelled in its language.
        let values = |language: Language| {
            let mut v = values(language);
            if v.contains_key("contact_details") && !reach.is_empty() {
                v.insert("contact_details", reach.in_a_letter_in(language));
            }
            v
        };
        let written = if urgent {
            // Sent at once or not at all: the built-in Welsh stands in for the missing
            // wording rather than holding a link someone is waiting for.
            let wording = |k, l| wordings.get(k, l).or_else(|| built_in_wording(k, l));
            write(kind, writing, &wording, &values)
        } else {
            write(kind, writing, &|k, l| wordings.get(k, l), &values)
        };
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_english_wording_leaves_no_welsh_until_it_is_written() {
        let mut w = Wordings::default();
        let kind = LetterKind::Acknowledgement;
        assert!(w.get(kind, Language::Welsh).is_some());
        // The built-in English put back is not a change.
        w.own
            .insert((kind, Language::English), default_template(kind));
        assert!(w.get(kind, Language::Welsh).is_some());
        w.own.insert(
            (kind, Language::English),
            Template {
                subject: "Got it".into(),
                body: "Dear {{name}}".into(),
            },
        );
        assert_eq!(w.get(kind, Language::Welsh), None);
        w.own.insert(
            (kind, Language::Welsh),
            Template {
                subject: "Wedi'i chael".into(),
                body: "Annwyl {{name}}".into(),
            },
        );
        assert_eq!(
            w.get(kind, Language::Welsh).map(|t| t.subject),
            Some("Wedi'i chael".to_string())
        );
        assert_eq!(w.get(LetterKind::StaffReminder, Language::Welsh), None);
    }
}
