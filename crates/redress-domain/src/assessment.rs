//! The annual self-assessment against the Housing Ombudsman's Complaint Handling Code
//! (reporting.md): each requirement, with the evidence Redress can show from its own
//! configuration and records, and non-compliance flagged where the set-up breaks the Code
//! (a three-stage scheme, targets longer than the Code's). Where the data cannot show it,
//! the organisation writes a statement.
//!
//! The requirements are summarised in this project's words by the Code's sections; check
//! them against the published Code when completing the assessment. Each has its Welsh
//! (`welsh.rs`), and the evidence is written in both, for the report published in Welsh.

pub mod welsh;

use crate::choice;
use crate::measures::Measures;
use crate::scheme::{Ombudsman, Scheme, Target};
use serde::Serialize;

choice!(
    Assessment, "the assessment" {
        Meets = "meets": "Meets the Code",
        DoesNotMeet = "does-not-meet": "Does not meet the Code",
        Statement = "statement": "Statement needed",
    }
);

/// A requirement with what the data shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessedRequirement {
    pub id: &'static str,
    pub section: &'static str,
    pub requirement: &'static str,
    pub assessment: Assessment,
    pub evidence: String,
    /// The same evidence in Welsh, for the Welsh copy of the published report.
    #[serde(skip)]
    pub evidence_cy: String,
    /// Complaints overdue now that the assessment rests on, by reference: for staff only,
    /// so never in what is published (the evidence gives their number).
    #[serde(skip)]
    pub overdue: Vec<String>,
}

/// What the assessment looks at besides the year's measures.
pub struct Facts<'a> {
    /// The schemes the organisation uses under the Housing Ombudsman (default and per area).
    pub schemes: &'a [Scheme],
    pub complaints_officers: usize,
    pub member_responsible: Option<&'a str>,
    pub governing_body_response: bool,
    pub published: bool,
    pub remedies_overdue: usize,
    pub service_requests: u32,
    /// The share answered on time, in per cent, that the organisation counts as meeting the
    /// Code's timescales.
    pub on_time_target_pct: f64,
    /// Complaints past their response date now, by stage, by reference.
    pub overdue_now: &'a std::collections::BTreeMap<u8, Vec<String>>,
}

/// The time-limit rows: the scheme must allow the Code's timescales, and the record must
/// show them kept: the share on time at or above the organisation's threshold, and nothing
/// overdue now. Either failing is "Does not meet", with the figures that show it.
fn timescales_kept(
    (scheme, evidence, cy): Found,
    on_time_pct: Option<f64>,
    counted: u32,
    overdue: &[String],
    target: f64,
) -> (Found, Vec<String>) {
    let short = on_time_pct.is_some_and(|p| counted > 0 && p < target);
    let mut evidence =
        format!("{evidence} Our threshold for meeting the Code is {target:.0}% on time.");
    let mut cy = format!("{cy} Ein trothwy ar gyfer bodloni'r Cod yw {target:.0}% yn brydlon.");
    if !overdue.is_empty() {
        evidence.push_str(&format!(" {} overdue now.", overdue.len()));
        cy.push_str(&format!(" {} yn hwyr nawr.", overdue.len()));
    }
    let assessment = if scheme == Assessment::Meets && (short || !overdue.is_empty()) {
        Assessment::DoesNotMeet
    } else {
        scheme
    };
    ((assessment, evidence, cy), overdue.to_vec())
}

/// An assessment with its evidence in English and in Welsh.
type Found = (Assessment, String, String);

fn working_days(t: &Target) -> Option<u32> {
    match t {
        Target::WorkingDays(n) => Some(*n),
        _ => None,
    }
}

fn within(t: Option<&Target>, max: u32) -> bool {
    t.and_then(working_days).is_some_and(|n| n <= max)
}

fn pct(p: Option<f64>) -> String {
    p.map(|v| format!("{v:.1}%"))
        .unwrap_or_else(|| "no responses".into())
}

/// What the year's responses at a stage show, in English and in Welsh; with `strict`, the
/// share by the original date too.
fn record(stage: u8, t: &crate::measures::Timeliness, strict: bool) -> (String, String) {
    if t.responses == 0 {
        return (
            format!("No stage {stage} responses this year."),
            format!("Dim ymatebion cam {stage} eleni."),
        );
    }
    let mut en = format!(
        "{} of stage {stage} responses within the Code's timescales ({} of {})",
        pct(t.on_time_pct),
        t.on_time,
        t.responses
    );
    let mut cy = format!(
        "{} o ymatebion cam {stage} o fewn amserlenni'r Cod ({} o {})",
        pct(t.on_time_pct),
        t.on_time,
        t.responses
    );
    if strict {
        en.push_str(&format!(
            "; {} by the original date",
            pct(t.on_time_strict_pct)
        ));
        cy.push_str(&format!(
            "; {} erbyn y dyddiad gwreiddiol",
            pct(t.on_time_strict_pct)
        ));
    }
    (format!("{en}."), format!("{cy}."))
}

/// Checks every scheme against a rule; names those that fail.
fn schemes_failing(schemes: &[Scheme], ok: impl Fn(&Scheme) -> bool) -> Vec<String> {
    schemes
        .iter()
        .filter(|s| !ok(s))
        .map(|s| s.name.clone())
        .collect()
}

/// Meets the Code when no scheme fails; otherwise names those that do. `good` and `bad`
/// are each in English and Welsh.
fn verdict(failing: &[String], good: (&str, &str), bad: (&str, &str)) -> Found {
    if failing.is_empty() {
        (Assessment::Meets, good.0.to_string(), good.1.to_string())
    } else {
        let names = failing.join(", ");
        (
            Assessment::DoesNotMeet,
            format!("{}: {names}", bad.0),
            format!("{}: {names}", bad.1),
        )
    }
}

/// Assesses each requirement for the year.
pub fn assess(m: &Measures, f: &Facts<'_>) -> Vec<AssessedRequirement> {
    let hos: Vec<Scheme> = f
        .schemes
        .iter()
        .filter(|s| s.ombudsman == Some(Ombudsman::Housing))
        .cloned()
        .collect();
    let stage1 = m.timeliness_by_stage.get(&1).cloned().unwrap_or_default();
    let stage2 = m.timeliness_by_stage.get(&2).cloned().unwrap_or_default();
    let refused: u32 = m.declined_by_reason.values().sum();
    let mut out = Vec::new();
    let overdue = |stage: u8| f.overdue_now.get(&stage).cloned().unwrap_or_default();
    let target = f.on_time_target_pct;
    let mut timed = Vec::new();
    let mut add = |id, section, requirement, (assessment, evidence, evidence_cy): Found| {
        out.push(AssessedRequirement {
            id,
            section,
            requirement,
            assessment,
            evidence,
            evidence_cy,
            overdue: Vec::new(),
        })
    };
    add(
        "definition",
        "1. Definition of a complaint",
        "Any expression of dissatisfaction is treated as a complaint, whatever words are used, and kept apart from a request for service.",
        (
            Assessment::Statement,
            format!(
                "{} complaints and {} service requests recorded separately this year.",
                m.new_complaints, f.service_requests
            ),
            format!(
                "{} o gwynion a {} o geisiadau am wasanaeth wedi'u cofnodi ar wahân eleni.",
                m.new_complaints, f.service_requests
            ),
        ),
    );
    add(
        "exclusions",
        "2. Exclusions",
        "A complaint is refused only for a reason the Code allows, and the resident is told why and that they can ask the Ombudsman to review the decision.",
        (
            Assessment::Meets,
            format!(
                "{refused} complaints not taken on this year; every refusal letter gives the reason and the Ombudsman's details."
            ),
            format!(
                "{refused} o gwynion heb eu derbyn eleni; mae pob llythyr gwrthod yn rhoi'r rheswm a manylion yr Ombwdsmon."
            ),
        ),
    );
    add(
        "time-limit",
        "2. Exclusions",
        "Complaints are accepted up to twelve months after the issue, or after the resident became aware of it.",
        verdict(
            &schemes_failing(&hos, |s| s.time_limit_months.is_none_or(|m| m >= 12)),
            (
                "The time limit to complain is at least 12 months in every scheme used.",
                "Mae'r terfyn amser i gwyno yn 12 mis o leiaf ym mhob cynllun a ddefnyddir.",
            ),
            (
                "Time limit shorter than 12 months in",
                "Terfyn amser byrrach na 12 mis yn",
            ),
        ),
    );
    add(
        "accessibility",
        "3. Accessibility and awareness",
        "Residents can complain in any way they choose, reasonable adjustments are made and recorded, and the policy is easy to find.",
        (
            Assessment::Statement,
            format!(
                "Contacts arrived by {} different channels this year.",
                m.channels.len()
            ),
            format!(
                "Daeth cysylltiadau drwy {} o sianeli gwahanol eleni.",
                m.channels.len()
            ),
        ),
    );
    add(
        "complaints-officer",
        "4. Complaint handling staff",
        "A named person or team is responsible for complaint handling, with the authority to resolve complaints.",
        if f.complaints_officers > 0 {
            (
                Assessment::Meets,
                format!("{} complaints officers have access.", f.complaints_officers),
                format!(
                    "Mae gan {} o swyddogion cwynion fynediad.",
                    f.complaints_officers
                ),
            )
        } else {
            (
                Assessment::DoesNotMeet,
                "No active complaints officer is set up.".into(),
                "Nid oes swyddog cwynion gweithredol wedi'i sefydlu.".into(),
            )
        },
    );
    add(
        "two-stages",
        "5. The complaint handling process",
        "The procedure has two stages only, with no informal or extra stage.",
        verdict(
            &schemes_failing(&hos, |s| s.stages.len() == 2),
            (
                "Every scheme used has exactly two stages.",
                "Mae gan bob cynllun a ddefnyddir ddau gam yn union.",
            ),
            ("Not two stages", "Heb ddau gam yn union"),
        ),
    );
    add(
        "acknowledgement",
        "5. The complaint handling process",
        "Complaints are acknowledged, with the organisation's understanding of them, within five working days.",
        {
            let (a, e, cy) = verdict(
                &schemes_failing(&hos, |s| {
                    s.stages
                        .iter()
                        .all(|st| within(st.acknowledge_within.as_ref(), 5))
                }),
                (
                    "Acknowledgement targets are five working days or fewer.",
                    "Mae'r targedau cydnabod yn bum diwrnod gwaith neu lai.",
                ),
                (
                    "Acknowledgement target longer than five working days in",
                    "Targed cydnabod hwy na phum diwrnod gwaith yn",
                ),
            );
            let pct = (m.acknowledgements > 0)
                .then(|| f64::from(m.acknowledged_on_time) * 100.0 / f64::from(m.acknowledgements));
            let (found, _) = timescales_kept(
                (
                    a,
                    format!(
                        "{e} {} of {} acknowledgements this year were on time.",
                        m.acknowledged_on_time, m.acknowledgements
                    ),
                    format!(
                        "{cy} Roedd {} o'r {} o gydnabyddiaethau eleni yn brydlon.",
                        m.acknowledged_on_time, m.acknowledgements
                    ),
                ),
                pct,
                m.acknowledgements,
                &[],
                target,
            );
            found
        },
    );
    add(
        "stage-1",
        "6. Complaint stages: stage 1",
        "Stage 1 responses are sent within ten working days of acknowledgement; any extension is no more than ten further working days, explained to the resident.",
        {
            let (a, e, cy) = verdict(
                &schemes_failing(&hos, |s| {
                    s.stages.first().is_some_and(|st| {
                        within(Some(&st.respond_within), 10)
                            && within(st.extension_cap.as_ref(), 10)
                    })
                }),
                (
                    "Stage 1 targets are within the Code.",
                    "Mae targedau cam 1 o fewn y Cod.",
                ),
                (
                    "Stage 1 target or extension limit beyond the Code in",
                    "Targed cam 1 neu derfyn estyniad y tu hwnt i'r Cod yn",
                ),
            );
            let (found, late) = timescales_kept(
                (
                    a,
                    format!("{e} {}", record(1, &stage1, true).0),
                    format!("{cy} {}", record(1, &stage1, true).1),
                ),
                stage1.on_time_pct,
                stage1.responses,
                &overdue(1),
                target,
            );
            timed.push(("stage-1", late));
            found
        },
    );
    add(
        "stage-2",
        "6. Complaint stages: stage 2",
        "Stage 2 responses are sent within twenty working days of acknowledging the escalation, by someone not involved at stage 1; any extension is no more than twenty further working days.",
        {
            let (a, e, cy) = verdict(
                &schemes_failing(&hos, |s| {
                    s.stages.get(1).is_some_and(|st| {
                        within(Some(&st.respond_within), 20)
                            && within(st.extension_cap.as_ref(), 20)
                            && st.different_handler
                    })
                }),
                (
                    "Stage 2 targets are within the Code and a different handler is required.",
                    "Mae targedau cam 2 o fewn y Cod ac mae'n rhaid i rywun gwahanol ymdrin â'r gŵyn.",
                ),
                (
                    "Stage 2 target, extension limit or handler rule beyond the Code in",
                    "Targed cam 2, terfyn estyniad neu reol yr ymdriniwr y tu hwnt i'r Cod yn",
                ),
            );
            let (found, late) = timescales_kept(
                (
                    a,
                    format!("{e} {}", record(2, &stage2, false).0),
                    format!("{cy} {}", record(2, &stage2, false).1),
                ),
                stage2.on_time_pct,
                stage2.responses,
                &overdue(2),
                target,
            );
            timed.push(("stage-2", late));
            found
        },
    );
    add(
        "escalation",
        "6. Complaint stages",
        "Residents can escalate without giving a reason.",
        (
            Assessment::Meets,
            format!(
                "Escalation needs no reason; {} requests were refused this year, each with a recorded reason.",
                m.escalations_refused
            ),
            format!(
                "Nid oes angen rheswm i uwchgyfeirio; gwrthodwyd {} o geisiadau eleni, pob un â rheswm wedi'i gofnodi.",
                m.escalations_refused
            ),
        ),
    );
    add(
        "putting-right",
        "7. Putting things right",
        "Remedies fit what went wrong and are followed through; compensation is not offset against arrears.",
        (
            if f.remedies_overdue == 0 {
                Assessment::Statement
            } else {
                Assessment::DoesNotMeet
            },
            format!(
                "{} payments approved this year, totalling {}; {} remedies overdue now.",
                m.compensation.payments,
                crate::remedy::Pence(m.compensation.total_pence),
                f.remedies_overdue
            ),
            format!(
                "{} o daliadau wedi'u cymeradwyo eleni, cyfanswm o {}; {} o gamau unioni yn hwyr nawr.",
                m.compensation.payments,
                crate::remedy::Pence(m.compensation.total_pence),
                f.remedies_overdue
            ),
        ),
    );
    add(
        "self-assessment",
        "8. Self-assessment, reporting and compliance",
        "This self-assessment and an annual complaints performance and service improvement report are published with the governing body's response.",
        match (f.governing_body_response, f.published) {
            (true, true) => (
                Assessment::Meets,
                "Published with the governing body's response.".into(),
                "Wedi'i gyhoeddi gydag ymateb y corff llywodraethu.".into(),
            ),
            (true, false) => (
                Assessment::DoesNotMeet,
                "The governing body has responded; the report is not published yet.".into(),
                "Mae'r corff llywodraethu wedi ymateb; nid yw'r adroddiad wedi'i gyhoeddi eto."
                    .into(),
            ),
            _ => (
                Assessment::DoesNotMeet,
                "The governing body's response is not recorded yet.".into(),
                "Nid yw ymateb y corff llywodraethu wedi'i gofnodi eto.".into(),
            ),
        },
    );
    add(
        "learning",
        "9. Scrutiny and oversight: continuous learning and improvement",
        "Complaints are used to improve services, and a Member Responsible for Complaints on the governing body receives regular reports.",
        match f.member_responsible {
            Some(name) => (
                Assessment::Meets,
                format!(
                    "{} service improvements made this year; {} complaints had a root cause recorded. Member Responsible for Complaints: {name}.",
                    m.improvements_implemented,
                    m.root_causes.values().sum::<u32>()
                ),
                format!(
                    "{} o welliannau i wasanaethau eleni; cofnodwyd achos sylfaenol ar gyfer {} o gwynion. Yr Aelod sy'n Gyfrifol am Gwynion: {name}.",
                    m.improvements_implemented,
                    m.root_causes.values().sum::<u32>()
                ),
            ),
            None => (
                Assessment::DoesNotMeet,
                format!(
                    "{} service improvements made this year, but no Member Responsible for Complaints is named.",
                    m.improvements_implemented
                ),
                format!(
                    "{} o welliannau i wasanaethau eleni, ond nid oes Aelod sy'n Gyfrifol am Gwynion wedi'i enwi.",
                    m.improvements_implemented
                ),
            ),
        },
    );
    for (id, late) in timed {
        if let Some(r) = out.iter_mut().find(|r| r.id == id) {
            r.overdue.extend(late);
        }
    }
    out
}

#[cfg(test)]
mod tests;
