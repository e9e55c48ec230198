//! Letters written in Welsh: to a Welsh speaker, in both for those who have not said, and
//! held when the Welsh wording is missing.

use super::test_support::*;
use super::*;

#[test]
fn a_welsh_speakers_psow_acknowledgement_is_in_welsh_with_welsh_dates() {
    let (c, scheme) = complaint_under("psow", "email", "", "cy");
    let Some(letter) = letter_for(
        &c,
        &acknowledged_event(),
        &scheme,
        &Sender::named("Cyngor Demo"),
        &built_in_wording,
    ) else {
        unreachable!("a letter is due")
    };
    assert_eq!(letter.language, crate::language::Language::Welsh);
    assert_eq!(
        letter.subject,
        format!("Rydym wedi cael eich cwyn {}", c.reference)
    );
    assert!(
        letter.body.starts_with("Annwyl Aled Jones"),
        "{}",
        letter.body
    );
    // Received on 3 March 2025; the PSOW model's 20 working days from then.
    assert!(
        letter.body.contains("a gawsom ar 3 Mawrth 2025"),
        "{}",
        letter.body
    );
    let due = c.current().map(|s| s.respond_by);
    let Some(due) = due else {
        unreachable!("a stage is open")
    };
    assert!(
        letter
            .body
            .contains(&format!("erbyn {}", crate::language::welsh_long_date(due))),
        "{}",
        letter.body
    );
    assert!(!letter.body.contains("March") && !letter.body.contains("Dear"));
    assert_eq!(letter.draft_by, None);
}

#[test]
fn a_case_from_before_the_choice_that_said_welsh_is_written_to_in_welsh() {
    let (mut c, scheme) = complaint_under("psow", "email", "", "");
    if let Some(p) = c.detail.person.as_mut() {
        p.needs.language = crate::Text::parse("Cymraeg", "the language", 60).ok();
    }
    assert_eq!(c.language(), Some(crate::language::Language::Welsh));
    let letter = letter_for(
        &c,
        &acknowledged_event(),
        &scheme,
        &Sender::named("Cyngor Demo"),
        &built_in_wording,
    );
    assert!(letter.is_some_and(|l| l.body.starts_with("Annwyl")));
}

#[test]
fn welsh_first_organisations_write_both_to_those_who_have_not_said() {
    let (c, scheme) = complaint_under("psow", "email", "", "");
    let mut sender = Sender::named("Cyngor Demo");
    sender.welsh_first = true;
    let letter = letter_for(
        &c,
        &acknowledged_event(),
        &scheme,
        &sender,
        &built_in_wording,
    );
    let Some(letter) = letter else {
        unreachable!("a letter is due")
    };
    let welsh = letter.body.find("Annwyl");
    let english = letter.body.find("Dear");
    assert!(welsh.is_some() && welsh < english, "{}", letter.body);
}

#[test]
fn a_letter_without_welsh_wording_is_held_for_a_welsh_speaker() {
    let (c, scheme) = complaint_under("psow", "email", "", "cy");
    let english_only = |kind, language| match language {
        crate::language::Language::English => Some(default_template(kind)),
        crate::language::Language::Welsh => None,
    };
    let letter = letter_for(
        &c,
        &acknowledged_event(),
        &scheme,
        &Sender::named("Cyngor Demo"),
        &english_only,
    );
    let Some(letter) = letter else {
        unreachable!("a letter is due")
    };
    assert!(letter.draft_by.is_some(), "held as a draft");
    assert!(letter.body.starts_with(WELSH_WORDING_MISSING));
}
