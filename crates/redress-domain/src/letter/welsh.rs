//! The Welsh wording Redress ships with, and the Welsh for the values letters fill in.
//! Every kind of letter written to a resident about a case has Welsh wording; letters to
//! staff have none, as staff read English.
//!
//! Terms follow the Public Services Ombudsman for Wales's and the Welsh Government's
//! published bilingual wording where there is one (cwyn, gweithdrefn gwyno, cyfeirnod,
//! iawndal). `docs/welsh.md` lists what a professional translator should check.

use super::{LetterKind, Template};
use crate::case::{DeclineReason, Outcome};
use crate::intake::ContactKind;
use crate::remedy::PaymentKind;
use crate::scheme::{Ombudsman, Target};

const CLOSE: &str = "Yn gywir\n\n{{signature}}\n{{organisation}}\n\n{{contact_details}}";

/// The Welsh wording of a kind of letter, for those written to residents.
pub fn default_welsh_template(kind: LetterKind) -> Option<Template> {
    let (subject, body) = match kind {
        LetterKind::Acknowledgement => (
            "Rydym wedi cael eich cwyn {{reference}}",
            "Annwyl {{name}}\n\nDiolch am eich cwyn, a gawsom ar {{received}}. Eich cyfeirnod yw {{reference}}.\n\nRydym yn deall mai dyma yw eich cwyn:\n{{understanding}}\n\nDywedoch yr hoffech:\n{{outcome_wanted}}\n\nOs ydym wedi camddeall unrhyw beth, rhowch wybod i ni cyn gynted ag y gallwch.\n\nMae {{handler}} yn ymchwilio i'ch cwyn. Byddwn yn anfon ein hymateb llawn atoch erbyn {{respond_by}}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam a phryd y byddwch yn clywed gennym.",
        ),
        LetterKind::EscalationAcknowledgement => (
            "Mae eich cwyn {{reference}} bellach yng ngham {{stage}}",
            "Annwyl {{name}}\n\nGofynnoch i ni ar {{started}} edrych eto ar eich cwyn {{reference}}. Mae bellach yng ngham {{stage}} ein gweithdrefn gwyno, a bydd rhywun gwahanol yn ei hadolygu.\n\nRydym yn deall mai dyma sydd heb ei ddatrys o hyd:\n{{understanding}}\n\nDywedoch yr hoffech:\n{{outcome_wanted}}\n\nMae {{handler}} yn adolygu eich cwyn. Byddwn yn anfon ein hymateb atoch erbyn {{respond_by}}.",
        ),
        LetterKind::Extension => (
            "Mae angen mwy o amser arnom i ymateb i'ch cwyn {{reference}}",
            "Annwyl {{name}}\n\nMae'n ddrwg gennym, ond mae angen mwy o amser arnom i ymateb i'ch cwyn {{reference}}. Y rheswm yw:\n{{extension_reason}}\n\nByddwn nawr yn anfon ein hymateb atoch erbyn {{respond_by}}.\n\nOs ydych yn anhapus â hyn, gallwch gysylltu ag {{ombudsman}}: {{ombudsman_contact}}",
        ),
        LetterKind::Decline => (
            "Ynglŷn â'ch cwyn {{reference}}",
            "Annwyl {{name}}\n\nDiolch am gysylltu â ni. Rydym wedi ystyried eich cwyn {{reference}} yn ofalus, ac ni allwn ei derbyn drwy ein gweithdrefn gwyno oherwydd: {{decline_reason}}.\n\n{{explanation}}\n\nOs ydych yn anghytuno â'r penderfyniad hwn, gallwch ofyn i {{ombudsman}} edrych arno: {{ombudsman_contact}}",
        ),
        LetterKind::StageResponse => (
            "Ein hymateb cam {{stage}} i'ch cwyn {{reference}}",
            "Annwyl {{name}}\n\nDyma ein hymateb cam {{stage}} i'ch cwyn {{reference}}.\n\nEich cwyn fel yr oeddem yn ei deall:\n{{understanding}}\n\nEin penderfyniad ar bob pwynt:\n{{decisions}}\n\nAr y cyfan, mae eich cwyn {{outcome}}.\n\nEin rhesymau:\n{{reasons}}\n\n{{remedies}}\n\n{{outstanding_actions}}\n\nOs nad ydych yn fodlon, gallwch ofyn i ni symud eich cwyn i'r cam nesaf. Nid oes angen i chi roi rheswm: atebwch y llythyr hwn, ffoniwch ni neu defnyddiwch ein gwefan, gan ddyfynnu {{reference}}.",
        ),
        LetterKind::FinalResponse => (
            "Ein hymateb terfynol i'ch cwyn {{reference}}",
            "Annwyl {{name}}\n\nDyma ein hymateb terfynol i'ch cwyn {{reference}}, yng ngham {{stage}} ein gweithdrefn gwyno.\n\nEich cwyn fel yr oeddem yn ei deall:\n{{understanding}}\n\nEin penderfyniad ar bob pwynt:\n{{decisions}}\n\nAr y cyfan, mae eich cwyn {{outcome}}.\n\nEin rhesymau:\n{{reasons}}\n\n{{remedies}}\n\n{{outstanding_actions}}\n\nDyma ddiwedd ein gweithdrefn gwyno. Os nad ydych yn fodlon, gallwch ofyn i {{ombudsman}} edrych ar eich cwyn: {{ombudsman_contact}}",
        ),
        LetterKind::Paused => (
            "Mae eich cwyn {{reference}} yn aros am weithdrefn arall",
            "Annwyl {{name}}\n\nMae'n rhaid i ran o'ch cwyn {{reference}} aros i weithdrefn arall ddod i ben:\n{{pause_reason}}\n\nRydym yn dal i anelu at anfon ein hymateb atoch erbyn {{respond_by}}. Os bydd angen mwy o amser arnom, byddwn yn ysgrifennu i ddweud wrthych pam a phryd y byddwch yn clywed gennym. Byddwn yn rhoi gwybod i chi pan fydd y weithdrefn arall wedi dod i ben.\n\nOs ydych yn anhapus â hyn, rhowch wybod i ni, neu cysylltwch ag {{ombudsman}}: {{ombudsman_contact}}",
        ),
        LetterKind::Resumed => (
            "Nid yw eich cwyn {{reference}} yn aros mwyach",
            "Annwyl {{name}}\n\nMae'r weithdrefn yr oedd eich cwyn {{reference}} yn aros amdani wedi dod i ben, ac rydym yn delio â'ch cwyn yn llawn eto. Byddwn yn anfon ein hymateb atoch erbyn {{respond_by}}.",
        ),
        LetterKind::AuthorityNeeded => (
            "Yr hyn sydd ei angen arnom cyn i chi ddilyn {{reference}} ar-lein",
            "Annwyl {{name}}\n\nRydych wedi ceisio dilyn {{reference}} ar-lein. Rydych wedi'ch cofnodi fel rhywun sy'n gweithredu ar ran rhywun arall, ond nid ydym wedi cofnodi eto eu bod wedi cytuno.\n\nAnfonwch eu caniatâd atom: llythyr neu ffurflen wedi'i llofnodi ganddynt, neu atwrneiaeth, gan ddyfynnu {{reference}}. Unwaith y byddwn wedi'i gofnodi, gallwch ddilyn yr achos ar-lein gyda'r cyfeiriad e-bost hwn.",
        ),
        LetterKind::EmailReceipt => (
            "Rydym wedi cael eich e-bost: {{reference}}",
            "Annwyl {{name}}\n\nDiolch am eich e-bost, a gawsom ar {{received}}. Eich cyfeirnod yw {{reference}}.\n\nBydd aelod o'n tîm yn ei ddarllen ac yn dweud wrthych sut y byddwn yn delio ag ef. Os ydych am ychwanegu unrhyw beth, atebwch yr e-bost hwn neu dyfynnwch {{reference}} pan fyddwch yn cysylltu â ni.",
        ),
        LetterKind::ComplimentThanks => (
            "Diolch am eich canmoliaeth {{reference}}",
            "Annwyl {{name}}\n\nDiolch am roi o'ch amser i ddweud wrthym am wasanaeth da. Rydym wedi rhannu eich canmoliaeth â'r bobl y mae'n sôn amdanynt ac â'u rheolwr.",
        ),
        LetterKind::CommentReply => (
            "Ein hateb i'ch sylw {{reference}}",
            "Annwyl {{name}}\n\nDiolch am eich sylw, a gawsom ar {{received}}:\n{{summary}}\n\n{{reply}}",
        ),
        LetterKind::Reclassified => (
            "Sut rydym yn delio â {{reference}}",
            "Annwyl {{name}}\n\nDiolch am gysylltu â ni ar {{received}}. Rydym yn delio â'r hyn a ddywedoch wrthym fel {{kind}}.\n\n{{explanation}}\n\nOs ydych yn anhapus â'r ffordd rydym yn delio ag ef, gallwch wneud cwyn.",
        ),
        LetterKind::SurveyInvitation => (
            "Sut wnaethon ni? ({{reference}})",
            "Annwyl {{name}}\n\nHoffem wybod sut y gwnaethom ddelio â {{reference}}. Mae'n cymryd dwy funud, a gallwch ateb heb fewngofnodi:\n\n{{link}}\n\nRydym yn gofyn ar wahân sut rydych yn teimlo am y ffordd y cafodd ei drin ac am y canlyniad, a beth y gallem ei wneud yn well. Mae eich atebion yn ein helpu i wella.",
        ),
        LetterKind::ImprovementMade => (
            "Beth sydd wedi newid oherwydd {{reference}}",
            "Annwyl {{name}}\n\nPan wnaethoch gysylltu â ni ({{reference}}), gwnaethoch ein helpu i weld rhywbeth yr oedd angen i ni ei wneud yn well. Rydym am i chi wybod beth sydd wedi newid:\n\n{{improvement}}\n\n{{change}}\n\nDiolch am roi o'ch amser i ddweud wrthym.",
        ),
        LetterKind::ImprovementDeclined => (
            "Ynglŷn â'r newid a awgrymoch ({{reference}})",
            "Annwyl {{name}}\n\nPan wnaethoch gysylltu â ni ({{reference}}), arweiniodd eich cwyn at ystyried y newid hwn:\n\n{{improvement}}\n\nRydym wedi penderfynu peidio â bwrw ymlaen ag ef, ac rydym am esbonio pam:\n\n{{change}}\n\nOs ydych yn anhapus â hyn, rhowch wybod i ni.",
        ),
        LetterKind::SignInLink => (
            "Dilyn {{reference}} ar-lein",
            "Annwyl {{name}}\n\nGofynnoch am ddolen i ddilyn {{reference}} ar-lein. Agorwch y ddolen hon i weld sut mae pethau arni, i ychwanegu gwybodaeth neu i ofyn am adolygiad:\n\n{{link}}\n\nMae'r ddolen yn gweithio unwaith ac yn peidio â gweithio ar ôl 7 diwrnod. Os na wnaethoch ofyn amdani, gallwch anwybyddu'r e-bost hwn: ni all neb ei defnyddio heb fynediad i'ch e-bost.\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyLink => (
            "Eich Galwad Gymunedol am Graffu {{reference}}",
            "Annwyl {{name}}\n\nDyma'r ddolen breifat i'ch Galwad Gymunedol am Graffu {{reference}}. Defnyddiwch hi i orffen ffurflen a gadwyd, i weld faint o bobl sydd wedi llofnodi, i ddilyn penderfyniad y tîm ac, os oes angen, i apelio:\n\n{{link}}\n\nCadwch yr e-bost hwn: gall unrhyw un sydd â'r ddolen weld eich cais.\n\n{{organisation}}",
        ),
        LetterKind::ScrutinyAcknowledged => (
            "Rydym wedi cael eich Galwad Gymunedol am Graffu {{reference}}",
            "Annwyl {{name}}\n\nDiolch am eich Galwad Gymunedol am Graffu {{reference}}, a gawsom ar {{received}}.\n\nNesaf byddwn yn penderfynu sut y bydd yn mynd at y Tîm Craffu Cwsmeriaid. Fel arfer mae'r tîm yn gofyn am ddeiseb, er mwyn i breswylwyr eraill yr effeithir arnynt ychwanegu eu henwau; weithiau bydd swyddog yn casglu tystiolaeth gyda chi; mae methiant sylweddol yn mynd yn syth at y tîm. Byddwn yn ysgrifennu atoch eto i ddweud pa un, a beth sy'n digwydd wedyn.\n\nGallwch ddilyn eich cais gyda'r ddolen breifat a roesom i chi, neu ffonio neu ysgrifennu atom gan ddefnyddio'r manylion isod, gan ddyfynnu {{reference}}.",
        ),
        LetterKind::ScrutinyRoute => (
            "Beth sy'n digwydd nesaf gyda'ch Galwad Gymunedol am Graffu {{reference}}",
            "Annwyl {{name}}\n\nRydym wedi penderfynu sut y bydd eich Galwad Gymunedol am Graffu {{reference}} yn mynd at y Tîm Craffu Cwsmeriaid.\n\n{{explanation}}\n\nOs oes gennych unrhyw gwestiynau, ffoniwch neu ysgrifennwch atom gan ddefnyddio'r manylion isod, gan ddyfynnu {{reference}}.",
        ),
        LetterKind::ScrutinyMeeting => (
            "Mae eich Galwad Gymunedol am Graffu {{reference}} yn mynd i gyfarfod y tîm",
            "Annwyl {{name}}\n\n{{explanation}}\n\nByddwn yn ysgrifennu atoch gyda phenderfyniad y tîm a'i resymau. Os oes gennych unrhyw gwestiynau, ffoniwch neu ysgrifennwch atom gan ddefnyddio'r manylion isod, gan ddyfynnu {{reference}}.",
        ),
        LetterKind::ScrutinyDecision => (
            "Penderfyniad y Tîm Craffu Cwsmeriaid ar {{reference}}",
            "Annwyl {{name}}\n\nMae'r Tîm Craffu Cwsmeriaid wedi ystyried eich Galwad Gymunedol am Graffu {{reference}}.\n\nEi benderfyniad: {{outcome}}.\n\nEi resymau:\n{{reasons}}\n\n{{explanation}}\n\nOs ydych yn anhapus â'r penderfyniad hwn, gallwch apelio yn ysgrifenedig erbyn {{respond_by}}. Bydd panel annibynnol o aelodau Link Group yn edrych ar eich cais a phenderfyniad y tîm, ac mae ei benderfyniad yn derfynol. Gallwch apelio drwy eich dolen eich hun, sy'n cymryd lle unrhyw ddolen a anfonwyd gennym o'r blaen:\n{{link}}\n\nNeu ysgrifennwch at y Rheolwr Grymuso Cwsmeriaid yn y cyfeiriad isod, gan ddyfynnu {{reference}}.",
        ),
        LetterKind::ScrutinyAppealReceived => (
            "Rydym wedi cael eich apêl am {{reference}}",
            "Annwyl {{name}}\n\nDiolch am eich apêl yn erbyn penderfyniad y Tîm Craffu Cwsmeriaid ar eich Galwad Gymunedol am Graffu {{reference}}, a gawsom ar {{received}}.\n\nBydd panel o bedwar i chwech o aelodau Link Group, nad oedd yr un ohonynt yn rhan o benderfyniad y tîm, yn edrych ar eich cais, penderfyniad y tîm a'r hyn rydych wedi'i ddweud wrthym. Mae penderfyniad y panel yn derfynol. Byddwn yn ysgrifennu atoch gyda'r penderfyniad a'i resymau.\n\nOs oes gennych unrhyw beth i'w ychwanegu, ffoniwch neu ysgrifennwch at y Rheolwr Grymuso Cwsmeriaid gan ddefnyddio'r manylion isod, gan ddyfynnu {{reference}}.",
        ),
        LetterKind::ScrutinyAppealDecision => (
            "Penderfyniad y panel apêl ar {{reference}}",
            "Annwyl {{name}}\n\nMae panel o aelodau Link Group wedi ystyried eich apêl am eich Galwad Gymunedol am Graffu {{reference}}.\n\nEi benderfyniad: {{outcome}}.\n\nEi resymau:\n{{reasons}}\n\nMae penderfyniad y panel yn derfynol.",
        ),
        LetterKind::ScrutinyOutcome => (
            "Beth ddaeth o'ch Galwad Gymunedol am Graffu {{reference}}",
            "Annwyl {{name}}\n\n{{explanation}}\n\nBeth ddaeth ohoni:\n{{outcome}}\n\nDiolch am ei chodi. Os oes gennych unrhyw gwestiynau, ffoniwch neu ysgrifennwch atom gan ddefnyddio'r manylion isod, gan ddyfynnu {{reference}}.",
        ),
        _ => return None,
    };
    // The sign-in link and the scrutiny link are unsigned, as their English is.
    let body = if matches!(kind, LetterKind::SignInLink | LetterKind::ScrutinyLink) {
        body.to_string()
    } else {
        format!("{body}\n\n{CLOSE}")
    };
    Some(Template {
        subject: subject.into(),
        body,
    })
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
