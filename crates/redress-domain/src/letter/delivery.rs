//! How a letter reaches the person, or whoever acts for them.

use super::Delivery;
use crate::case::Contact;
use crate::person::{ContactMethod, PreferredFormat};

/// Email when the person wants email (or gave only an email address), post otherwise;
/// a representative acting for them receives the correspondence. `None` when there is
/// nobody to write to (anonymous contacts).
pub fn delivery_for(contact: &Contact) -> Option<(Delivery, String, bool)> {
    let person = contact.detail.person.as_ref();
    let needs = person.map(|p| &p.needs);
    let large_print = needs.and_then(|n| n.preferred_format) == Some(PreferredFormat::LargePrint);
    if let Some(email) = contact
        .detail
        .representative
        .as_ref()
        .and_then(|r| r.email.as_ref())
    {
        return Some((Delivery::Email, email.clone(), large_print));
    }
    let person = person?;
    let wants_post = matches!(
        person.needs.preferred_contact,
        Some(ContactMethod::Letter | ContactMethod::InPerson)
    ) || matches!(
        person.needs.preferred_format,
        Some(
            PreferredFormat::LargePrint
                | PreferredFormat::Braille
                | PreferredFormat::Audio
                | PreferredFormat::EasyRead
        )
    );
    match (&person.email, wants_post) {
        (Some(email), false) => Some((Delivery::Email, email.clone(), large_print)),
        _ => {
            let address = [
                Some(person.name.to_string()),
                person.address.as_ref().map(|a| a.to_string()),
                person.postcode.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
            Some((Delivery::Post, address, large_print))
        }
    }
}

/// What a letter to this person must be turned into before it goes, as words for the
/// queue: Braille, audio, easy read, or a translation. Large print is produced directly.
pub fn conversion_needed(contact: &Contact) -> Option<String> {
    // Letters to someone acting for the person go to them, as they read them.
    if contact.detail.representative.is_some() {
        return None;
    }
    let needs = &contact.detail.person.as_ref()?.needs;
    let language = needs
        .language
        .as_ref()
        .map(|l| l.as_str().trim())
        // English and Welsh letters are written in those languages: nothing to translate.
        .filter(|l| !l.is_empty() && crate::language::Language::from_words(l).is_none());
    match (needs.preferred_format, language) {
        (Some(PreferredFormat::Braille), _) => Some("Braille".into()),
        (Some(PreferredFormat::Audio), _) => Some("Audio".into()),
        (Some(PreferredFormat::EasyRead), _) => Some("Easy read".into()),
        (_, Some(language)) => Some(format!("Translation into {language}")),
        (Some(PreferredFormat::OtherLanguage), None) => {
            Some("Translation into the language asked for".into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::letter::*;

    #[test]
    fn large_print_and_letter_preferences_mean_post() {
        let (c, scheme) = complaint("email", "large-print");
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            &Sender::named("Demo Homes"),
            &built_in_wording,
        );
        assert!(letter.as_ref().is_some_and(|l| l.delivery == Delivery::Post
            && l.large_print
            && l.recipient.contains("CF10 1AA")));
        let (c, scheme) = complaint("letter", "");
        let letter = letter_for(
            &c,
            &acknowledged_event(),
            &scheme,
            &Sender::named("Demo Homes"),
            &built_in_wording,
        );
        assert!(letter.is_some_and(|l| l.delivery == Delivery::Post && !l.large_print));
    }
}
