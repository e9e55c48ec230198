//! A Community Call for Scrutiny in Welsh: where a request is, the team's decision, and
//! the history a requester reads. Terms: Galwad Gymunedol am Graffu (Community Call for
//! Scrutiny), Tîm Craffu Cwsmeriaid (Customer Scrutiny Team), deiseb (petition), apêl
//! (appeal). `docs/welsh.md` lists what a translator should check.

use super::{Outcome, Route, Status, Step};
use crate::language::welsh_long_date as long;
use jiff::civil::Date;

pub fn status(s: Status) -> &'static str {
    match s {
        Status::Draft => "Drafft (heb ei anfon)",
        Status::Submitted => "Wedi dod i law",
        Status::Acknowledged => "Wedi'i chydnabod",
        Status::Collecting => "Yn casglu llofnodion neu dystiolaeth",
        Status::Ready => "Yn barod ar gyfer y Tîm Craffu Cwsmeriaid",
        Status::Decided => "Penderfyniad wedi'i wneud",
        Status::Appealed => "Apêl ar y gweill",
        Status::Closed => "Wedi cau",
    }
}

pub fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::NotYet => "Heb ei derbyn eto: nid yw'r ffyrdd eraill wedi'u defnyddio",
        Outcome::Referred => "Wedi'i chyfeirio at Grŵp Adolygu Gwasanaethau",
        Outcome::Accepted => "Wedi'i derbyn ar gyfer craffu",
        Outcome::SeriousFailure => "Methiant difrifol: argymhellion ar unwaith",
    }
}

pub fn route(r: Route) -> &'static str {
    match r {
        Route::Petition => "Deiseb: preswylwyr yn llofnodi i ddangos cefnogaeth",
        Route::Individual => "Cais unigol: swyddog yn casglu'r dystiolaeth",
        Route::SignificantFailure => "Methiant sylweddol: derbynnir y ffurflen ar ei phen ei hun",
    }
}

/// Why a petition takes no more signatures, in Welsh.
pub fn closed(request_is_petition: bool) -> &'static str {
    if request_is_petition {
        "Mae'r ddeiseb hon wedi cau: mae'r Tîm Craffu Cwsmeriaid wedi gwneud ei benderfyniad"
    } else {
        "Nid deiseb yw'r cais hwn"
    }
}

/// The line a requester's history shows for a step, in Welsh.
pub fn describe(step: &Step) -> String {
    match step {
        Step::DraftSaved => "Drafft wedi'i gadw".into(),
        Step::Submitted { on_paper: None, .. } => "Cais wedi'i anfon".into(),
        Step::Submitted {
            on_paper: Some(on), ..
        } => format!(
            "Cais wedi dod i law ar bapur ar {} a'i gofnodi gan staff",
            long(*on)
        ),
        Step::FileAdded { name, description } => {
            format!("Ffeil wedi'i hychwanegu: {description} ({name})")
        }
        Step::Acknowledged { on } => format!("Wedi dod i law a'i chydnabod ar {}", long(*on)),
        Step::OfficerAssigned { name, .. } => format!("Swyddog cymorth wedi'i neilltuo: {name}"),
        Step::RouteSet {
            route: r,
            threshold,
            ..
        } => match threshold {
            Some(n) => format!("Llwybr: {}; mae angen {n} llofnod", route(*r)),
            None => format!("Llwybr: {}", route(*r)),
        },
        Step::Signed { paper, count, .. } => format!(
            "Llofnod {} ({count} hyd yma)",
            if *paper {
                "wedi'i gofnodi o ddeiseb bapur"
            } else {
                "wedi'i ychwanegu ar-lein"
            }
        ),
        Step::EvidenceRecorded { .. } => "Tystiolaeth wedi'i chofnodi".into(),
        Step::Ready { .. } => "Yn barod ar gyfer y Tîm Craffu Cwsmeriaid".into(),
        Step::OnAgenda { meeting_on, .. } => {
            format!("Wedi'i rhoi ar agenda'r cyfarfod ar {}", long(*meeting_on))
        }
        Step::OffAgenda => "Wedi'i thynnu oddi ar yr agenda: cafodd y cyfarfod ei ganslo".into(),
        Step::AreaSet { area } => match area {
            Some(_) => "Maes busnes wedi'i gofnodi".into(),
            None => "Maes busnes wedi'i glirio".into(),
        },
        Step::Considered { on } => format!("Wedi'i hystyried ar {}", long(*on)),
        Step::Decided { decision } => format!("Penderfyniad: {}", outcome(decision.outcome)),
        Step::Informed { on, .. } => {
            format!(
                "Dywedwyd wrth y sawl a wnaeth y cais am y penderfyniad ar {}",
                long(*on)
            )
        }
        Step::StaffNote { .. } => "Cam wedi'i gofnodi".into(),
        Step::AppealReceived { on, .. } => format!("Apêl wedi dod i law ar {}", long(*on)),
        Step::PanelSet { members } => format!("Panel apêl o {} wedi'i bennu", members.len()),
        Step::AppealDecided {
            upheld, decision, ..
        } => match decision {
            Some(d) if *upheld => format!(
                "Penderfyniad terfynol y panel apêl: cadarnhawyd yr apêl; y penderfyniad nawr yw: {}",
                outcome(d.outcome)
            ),
            _ => format!(
                "Penderfyniad terfynol y panel apêl: {}",
                if *upheld {
                    "cadarnhawyd yr apêl"
                } else {
                    "ni chadarnhawyd yr apêl"
                }
            ),
        },
        Step::FollowUpSet { due, .. } => format!("Camau dilynol i'w cwblhau erbyn {}", long(*due)),
        Step::FollowUpDone { on, .. } => {
            format!(
                "Camau dilynol wedi'u cwblhau ar {}: canlyniad wedi'i gofnodi",
                long(*on)
            )
        }
        Step::AppealSent { on, .. } => format!(
            "Dywedwyd wrth y sawl a wnaeth y cais am benderfyniad y panel ar {}",
            long(*on)
        ),
    }
}

/// How a request goes to the team, for the letter that says so.
pub fn route_explanation(
    r: Route,
    threshold: Option<u32>,
    eligible: &[String],
    petition_page: &str,
) -> String {
    match r {
        Route::Petition => format!(
            "Mae'r tîm yn gofyn am ddeiseb: mae angen i {} o breswylwyr yr effeithir arnynt ei llofnodi{}. Gallant lofnodi ar-lein yn {petition_page}, neu ar bapur: argraffwch daflen o {petition_page}/sheet, neu gofynnwch i ni bostio rhai atoch. Mae pob person yn llofnodi unwaith. Byddwn yn rhoi gwybod i chi pan fydd digon o bobl wedi llofnodi.",
            threshold.unwrap_or(0),
            if eligible.is_empty() {
                String::new()
            } else {
                format!(" (preswylwyr sy'n byw yn {})", eligible.join(", "))
            }
        ),
        Route::Individual => "Bydd swyddog yn casglu'r dystiolaeth gyda chi ac yn cysylltu â chi cyn bo hir. Pan fydd y dystiolaeth yn gyflawn, bydd eich cais yn mynd i gyfarfod nesaf y tîm.".into(),
        Route::SignificantFailure => "Mae'r methiant rydych yn ei ddisgrifio yn sylweddol, felly mae eich cais yn mynd yn syth i gyfarfod nesaf y tîm.".into(),
    }
}

/// The meeting that will consider a request; `signed` when a petition reached its number.
pub fn meeting_explanation(signed: Option<u32>, reference: &str, meeting_on: Date) -> String {
    format!(
        "{}Bydd y Tîm Craffu Cwsmeriaid yn ystyried eich Galwad Gymunedol am Graffu {reference} yn ei gyfarfod ar {}. Os caiff y cyfarfod hwnnw ei symud, byddwn yn rhoi'r dyddiad newydd i chi.",
        signed
            .map(|n| format!("Mae digon o breswylwyr wedi llofnodi: {n} llofnod. "))
            .unwrap_or_default(),
        long(meeting_on)
    )
}

/// A petition that reached its number before a meeting was fixed.
pub fn ready_explanation(reference: &str, signatures: u32) -> String {
    format!(
        "Mae digon o breswylwyr wedi llofnodi eich Galwad Gymunedol am Graffu {reference}: {signatures} llofnod. Mae bellach yn mynd i gyfarfod nesaf y Tîm Craffu Cwsmeriaid. Nid oes cyfarfod wedi'i bennu eto: byddwn yn ysgrifennu atoch gyda'r dyddiad cyn gynted ag y bydd."
    )
}

/// What came of a referral (`group`) or of a serious failure's recommendations (`None`).
pub fn follow_up_explanation(group: Option<&str>, reference: &str) -> String {
    match group {
        Some(group) => format!(
            "Cyfeiriodd y Tîm Craffu Cwsmeriaid eich Galwad Gymunedol am Graffu {reference} at {group}. Mae ei waith arni wedi dod i ben."
        ),
        None => format!(
            "Gwnaeth y Tîm Craffu Cwsmeriaid argymhellion i unioni'r methiant y dywedoch wrthym amdano yn eich Galwad Gymunedol am Graffu {reference}. Maent wedi cael eu dilyn."
        ),
    }
}

/// What the team's decision means for the requester.
pub fn decision_explanation(
    o: Outcome,
    review_group: Option<&str>,
    recommendations: Option<&str>,
) -> String {
    match o {
        Outcome::Referred => format!(
            "Mae eich cais wedi'i gyfeirio at {} i fonitro'r gwasanaeth a dod o hyd i welliannau.",
            review_group.unwrap_or("Grŵp Adolygu Gwasanaethau")
        ),
        Outcome::SeriousFailure => format!(
            "Mae'r tîm wedi gwneud yr argymhellion hyn i ddatrys y methiant ar unwaith:\n{}",
            recommendations.unwrap_or("")
        ),
        Outcome::Accepted => "Mae eich cais yn ychwanegu at sgôr ei faes busnes pan fydd y tîm yn dewis y meysydd i graffu arnynt eleni.".into(),
        Outcome::NotYet => "Gallwch ddod yn ôl at y tîm ar ôl i chi ddefnyddio'r ffyrdd eraill o ddatrys eich pryderon, fel ein gweithdrefn gwyno.".into(),
    }
}

/// The appeal panel's decision, after "Ei benderfyniad:".
pub fn appeal_outcome(upheld: Option<bool>, now: Option<Outcome>) -> String {
    match (upheld, now) {
        (Some(true), Some(o)) => format!(
            "mae eich apêl wedi'i chadarnhau, a'r penderfyniad ar eich cais nawr yw: {}",
            outcome(o)
        ),
        (Some(true), None) => "mae eich apêl wedi'i chadarnhau".into(),
        _ => "nid yw eich apêl wedi'i chadarnhau".into(),
    }
}

/// The private link with the short code for someone reading the letter on paper.
pub fn link_with_code(link: &str, code_page: &str, code: &str, until: Date) -> String {
    format!(
        "{link}\nNeu ewch i {code_page} a theipiwch y cod {code}. Mae'r cod yn gweithio unwaith, tan {}.",
        long(until)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requesters_history_reads_in_welsh_with_welsh_dates() {
        let on = jiff::civil::date(2026, 3, 2);
        assert_eq!(
            describe(&Step::Acknowledged { on }),
            "Wedi dod i law a'i chydnabod ar 2 Mawrth 2026"
        );
        assert_eq!(describe(&Step::DraftSaved), "Drafft wedi'i gadw");
        assert_eq!(
            status(Status::Collecting),
            "Yn casglu llofnodion neu dystiolaeth"
        );
    }
}
