//! The organisation's own wording for each kind of letter, changed by administrators.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::language::Language;
use redress_domain::letter::{self, LetterKind, Signatory, Template};
use redress_domain::role::Permission;
use redress_store::AdminChange;

/// Longest subject or letter body accepted, in characters.
const MAX_TEMPLATE: usize = 20_000;

impl App {
    /// The wording in use for a kind of letter in a language: the organisation's, else the
    /// built-in one; `None` when there is no Welsh wording to use (see `wording`).
    pub async fn letter_template(
        &self,
        who: &Principal,
        kind: LetterKind,
        language: Language,
    ) -> Result<Option<Template>, AppError> {
        who.require(Permission::Administer)?;
        Ok(self.wordings(&[kind]).await?.get(kind, language))
    }

    /// Who signs a kind of letter, if it has a signatory of its own.
    pub async fn letter_signatory(
        &self,
        who: &Principal,
        kind: LetterKind,
    ) -> Result<Signatory, AppError> {
        who.require(Permission::Administer)?;
        Ok(self
            .letter_settings()
            .await?
            .by_kind
            .into_iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, s)| s)
            .unwrap_or_default())
    }

    /// Saves new wording for a kind of letter (`None` puts the built-in wording back),
    /// checked for placeholders Redress can fill, with who signs it (empty: the default
    /// signatory), and logs who changed it.
    pub async fn save_letter_template(
        &self,
        who: &Principal,
        kind: LetterKind,
        language: Language,
        wording: Option<(&str, &str)>,
        signatory: &Signatory,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let mut errors = FieldErrors::new();
        for (field, value) in [
            ("signatory_name", &signatory.name),
            ("signatory_title", &signatory.job_title),
        ] {
            if let Err(m) = redress_domain::Text::parse_optional(value, "the signatory", 200) {
                errors.add(field, m);
            }
        }
        let signatory = Signatory {
            name: signatory.name.trim().to_string(),
            job_title: signatory.job_title.trim().to_string(),
        };
        let template = match wording {
            None => match letter::built_in_wording(kind, language) {
                Some(t) => t,
                None => {
                    return Err(AppError::invalid(
                        "body",
                        "There is no built-in Welsh wording for this letter: write it here",
                    ));
                }
            },
            Some((subject, body)) => {
                for (field, what, text) in [
                    ("subject", "a subject", subject),
                    ("body", "the letter", body),
                ] {
                    let text = text.trim();
                    if text.is_empty() {
                        errors.add(field, format!("Enter {what}"));
                    } else if text.chars().count() > MAX_TEMPLATE {
                        errors.add(field, "The text must be 20,000 characters or fewer");
                    } else if let Err(m) = letter::check_template(text) {
                        errors.add(field, m);
                    }
                }
                errors.clone().into_result()?;
                Template {
                    subject: subject.trim().to_string(),
                    body: body.trim().replace("\r\n", "\n"),
                }
            }
        };
        errors.into_result()?;
        let summary = match language {
            Language::English => format!(
                "Changed the wording of the {} letter",
                kind.label().to_lowercase()
            ),
            Language::Welsh => format!(
                "Changed the Welsh wording of the {} letter",
                kind.label().to_lowercase()
            ),
        };
        let key = crate::letter_settings::signatory_key(kind);
        let signed = if signatory == Signatory::default() {
            String::new()
        } else {
            serde_json::to_string(&signatory).unwrap_or_default()
        };
        self.change(
            who,
            &[
                AdminChange::LetterTemplate(kind, language, &template),
                AdminChange::Setting {
                    name: &key,
                    value: &signed,
                },
            ],
            &summary,
        )
        .await
    }
}
