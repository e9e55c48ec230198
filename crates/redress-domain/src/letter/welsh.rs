//! The Welsh for the values letters fill in, and the Welsh wording letters ship with (in
//! `locales/letters-cy.ftl`). Every kind of letter written to a resident has Welsh
//! wording; letters to staff have none, as staff read English.
//!
//! Terms follow the Public Services Ombudsman for Wales's and the Welsh Government's
//! published bilingual wording where there is one (cwyn, gweithdrefn gwyno, cyfeirnod,
//! iawndal). `docs/welsh.md` lists what a professional translator should check.

use super::{LetterKind, Template};
use crate::case::{DeclineReason, Outcome};
use crate::intake::ContactKind;
use crate::remedy::PaymentKind;
use crate::scheme::{Ombudsman, Target};

/// The Welsh wording of a kind of letter (`locales/letters-cy.ftl`), for those written to
/// residents.
pub fn default_welsh_template(kind: LetterKind) -> Option<Template> {
    super::shipped::shipped(kind, crate::language::Language::Welsh)
}

/// How an outcome reads after "mae eich cwyn" ("your complaint is").
pub fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Upheld => "wedi'i chadarnhau",
        Outcome::PartlyUpheld => "wedi'i chadarnhau'n rhannol",
        Outcome::NotUpheld => "heb ei chadarnhau",
    }
}

/// A point's decision in a response's list.
pub fn point(upheld: bool) -> &'static str {
    if upheld {
        "wedi'i gadarnhau"
    } else {
        "heb ei gadarnhau"
    }
}

pub fn decline_reason(r: DeclineReason) -> &'static str {
    match r {
        DeclineReason::TimeLimit => "fe'i codwyd ar ôl terfyn amser y cynllun heb reswm da",
        DeclineReason::LegalProceedings => "mae achos cyfreithiol wedi dechrau",
        DeclineReason::InsuranceClaim => "mae'n cael ei hawlio drwy'r yswirwyr",
        DeclineReason::OutsideControl => "mae y tu hwnt i reolaeth y sefydliad",
        DeclineReason::AlreadyConsidered => "mae eisoes wedi'i hystyried o dan y weithdrefn gwyno",
    }
}

pub fn payment(k: PaymentKind) -> &'static str {
    match k {
        PaymentKind::Compensation => "iawndal",
        PaymentKind::ExGratia => "taliad ex gratia",
        PaymentKind::Goodwill => "taliad ewyllys da",
    }
}

/// A kind of contact as it reads after "fel" ("as a").
pub fn contact_kind(k: ContactKind) -> &'static str {
    match k {
        ContactKind::Complaint => "cwyn",
        ContactKind::ServiceRequest => "cais am wasanaeth",
        ContactKind::Comment => "sylw",
        ContactKind::Compliment => "canmoliaeth",
        ContactKind::OtherRoute => "mater sydd â'i lwybr statudol ei hun",
    }
}

/// An ombudsman's Welsh name. The wording puts it after "ag" and "i", so none takes
/// the article.
pub fn ombudsman(o: Ombudsman) -> &'static str {
    match o {
        Ombudsman::Housing => "Ombwdsmon Tai",
        Ombudsman::LocalGovernmentAndSocialCare => {
            "Ombwdsmon Llywodraeth Leol a Gofal Cymdeithasol"
        }
        Ombudsman::ScottishPublicServices => "Ombwdsmon Gwasanaethau Cyhoeddus yr Alban",
        Ombudsman::PublicServicesWales => "Ombwdsmon Gwasanaethau Cyhoeddus Cymru",
    }
}

/// How to contact an ombudsman, in Welsh; the English details where the ombudsman
/// publishes none in Welsh.
pub fn ombudsman_contact(o: Ombudsman) -> &'static str {
    match o {
        Ombudsman::PublicServicesWales => {
            "Ombwdsmon Gwasanaethau Cyhoeddus Cymru, 1 Ffordd yr Hen Gae, Pencoed CF35 5LJ. Ffôn 0300 790 0203. Gwefan www.ombwdsmon.cymru"
        }
        other => super::ombudsman_contact(other),
    }
}

/// A time limit in Welsh: a number takes the singular noun ("10 diwrnod gwaith").
pub fn target(t: Target) -> String {
    match t {
        Target::WorkingDays(n) => format!("{n} diwrnod gwaith"),
        Target::CalendarDays(n) => format!("{n} diwrnod calendr"),
        Target::CalendarMonths(n) => format!("{n} mis"),
    }
}

/// The phrases a letter builds around its values.
pub struct Phrases {
    pub remedies: &'static str,
    pub by: &'static str,
    pub still_to_do: &'static str,
    pub handler: &'static str,
}

pub const PHRASES: Phrases = Phrases {
    remedies: "I unioni pethau byddwn yn:",
    by: "erbyn",
    still_to_do: "Yr hyn y byddwn yn dal i'w wneud:",
    handler: "Ein tîm cwynion",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_to_a_resident_has_welsh_wording_that_fills() {
        for kind in LetterKind::ALL {
            let welsh = default_welsh_template(*kind);
            if kind.to_resident() || *kind == LetterKind::ScrutinyLink {
                let Some(t) = welsh else {
                    unreachable!("{kind:?} has no Welsh wording")
                };
                assert!(
                    super::super::check_template(&t.subject).is_ok()
                        && super::super::check_template(&t.body).is_ok(),
                    "{kind:?}"
                );
                // The same placeholders as the English, so nothing is said in one
                // language and left out of the other.
                let english = super::super::default_template(*kind);
                let mut a = super::super::unfilled(&english.body);
                let mut b = super::super::unfilled(&t.body);
                a.sort();
                a.dedup();
                b.sort();
                b.dedup();
                assert_eq!(a, b, "{kind:?}");
            }
        }
        assert!(default_welsh_template(LetterKind::StaffReminder).is_none());
    }

    #[test]
    fn time_limits_read_in_welsh() {
        assert_eq!(target(Target::WorkingDays(10)), "10 diwrnod gwaith");
        assert_eq!(target(Target::CalendarMonths(1)), "1 mis");
    }
}
