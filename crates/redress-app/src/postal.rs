//! Residents who only use post are served as well as those online: every posted letter
//! about a case carries a short code, easy to read aloud and to type, that opens the case
//! once at a short address (and a QR code of the same link, drawn on the printed page). A
//! posted survey has a short code of its own in place of a long web address.

use crate::auth::{short_code, spaced, token_hash};
use crate::{App, AppError};
use jiff::SignedDuration;
use redress_domain::calendar::long_date;
use redress_domain::contact::Contact;
use redress_domain::language::Language;
use redress_domain::letter::{BETWEEN_LANGUAGES, Delivery, Letter, LetterKind};

/// A posted code lasts four weeks: post is slow, and people keep letters.
pub const CODE_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 28);

/// The kinds of letter about a case that a posted code is added to.
fn carries_a_code(kind: LetterKind) -> bool {
    !matches!(
        kind,
        LetterKind::SurveyInvitation
            | LetterKind::StaffReminder
            | LetterKind::SignInLink
            | LetterKind::ComplimentPassedOn
            | LetterKind::SafeguardingAlert
            | LetterKind::HazardReferral
            | LetterKind::ScrutinyLink
            | LetterKind::ScrutinyAcknowledged
            | LetterKind::ScrutinyRoute
            | LetterKind::ScrutinyMeeting
            | LetterKind::ScrutinyDecision
            | LetterKind::ScrutinyAppealReceived
            | LetterKind::ScrutinyAppealDecision
            | LetterKind::ScrutinyOutcome
    )
}

impl App {
    /// The words a posted letter ends with, giving a new single-use code for the case, or
    /// nothing for an email or a case with nobody to write to.
    pub(crate) async fn posted_code(
        &self,
        contact: &Contact,
        kind: LetterKind,
        delivery: Delivery,
    ) -> Result<Option<Vec<(Language, String)>>, AppError> {
        if delivery != Delivery::Post || !carries_a_code(kind) || contact.detail.person.is_none() {
            return Ok(None);
        }
        let code = short_code()?;
        let now = self.now();
        let expires = now
            .checked_add(CODE_LIFETIME)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .create_resident_link(&token_hash(&code), &contact.id, now, expires)
            .await?;
        let base = self.public_url();
        let until = redress_domain::contact::uk_date(expires);
        // In the letter's languages, Welsh first when both; a Welsh letter's links open
        // the pages in Welsh.
        let words = self
            .writing_for(contact)
            .await?
            .languages()
            .iter()
            .map(|language| {
                let text = match language {
                    Language::English => format!(
                    "Follow this online: go to {base}/c/{code}\nor go to {base}/c and type the code {}. \
                     The code works once, until {}.",
                    spaced(&code),
                    long_date(until)
                ),
                    Language::Welsh => format!(
                        "Dilynwch hyn ar-lein: ewch i {base}/c/{code}?lang=cy\nneu ewch i {base}/c?lang=cy a theipiwch y cod {}. \
                         Mae'r cod yn gweithio unwaith, tan {}.",
                        spaced(&code),
                        Language::Welsh.long_date(until)
                    ),
                };
                (*language, text)
            })
            .collect();
        Ok(Some(words))
    }

    /// Adds a code to each posted letter about the case.
    pub(crate) async fn add_posted_codes(
        &self,
        contact: &Contact,
        letters: &mut [Letter],
    ) -> Result<(), AppError> {
        for l in letters.iter_mut() {
            if let Some(words) = self.posted_code(contact, l.kind, l.delivery).await? {
                l.body = with_code(&l.body, &words);
            }
        }
        Ok(())
    }
}

/// A letter's words with its code added, each language's words at the end of that
/// language's part of a letter in both.
pub(crate) fn with_code(body: &str, words: &[(Language, String)]) -> String {
    let said = |language: Language| {
        words
            .iter()
            .filter(|(l, _)| *l == language)
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    match (body.split_once(BETWEEN_LANGUAGES), words.len()) {
        (Some((welsh, english)), 2) => format!(
            "{welsh}\n\n{}{BETWEEN_LANGUAGES}{english}\n\n{}",
            said(Language::Welsh),
            said(Language::English)
        ),
        _ => {
            let all: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
            format!("{body}\n\n{}", all.join("\n\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_goes_at_the_end_of_each_languages_part() {
        let words = [
            (Language::Welsh, "Cod: ABCD".to_string()),
            (Language::English, "Code: ABCD".to_string()),
        ];
        let body = format!("Annwyl Aled{BETWEEN_LANGUAGES}Dear Aled");
        assert_eq!(
            with_code(&body, &words),
            format!("Annwyl Aled\n\nCod: ABCD{BETWEEN_LANGUAGES}Dear Aled\n\nCode: ABCD")
        );
        assert_eq!(
            with_code("Dear Aled", &words[1..]),
            "Dear Aled\n\nCode: ABCD"
        );
    }
}
