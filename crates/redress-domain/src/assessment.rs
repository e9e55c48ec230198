//! The annual self-assessment against the Housing Ombudsman's Complaint Handling Code
//! (reporting.md): each requirement, with the evidence Redress can show from its own
//! configuration and records, and non-compliance flagged where the set-up breaks the Code
//! (a three-stage scheme, targets longer than the Code's). Where the data cannot show it,
//! the organisation writes a statement.
//!
//! The requirements are summarised in this project's words by the Code's sections; check
//! them against the published Code when completing the assessment.

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
    (scheme, evidence): (Assessment, String),
    on_time_pct: Option<f64>,
    counted: u32,
    overdue: &[String],
    target: f64,
) -> (Assessment, String, Vec<String>) {
    let short = on_time_pct.is_some_and(|p| counted > 0 && p < target);
    let mut evidence =
        format!("{evidence} Our threshold for meeting the Code is {target:.0}% on time.");
    if !overdue.is_empty() {
        evidence.push_str(&format!(" {} overdue now.", overdue.len()));
    }
    let assessment = if scheme == Assessment::Meets && (short || !overdue.is_empty()) {
        Assessment::DoesNotMeet
    } else {
        scheme
    };
    (assessment, evidence, overdue.to_vec())
}

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

/// Checks every scheme against a rule; names those that fail.
fn schemes_failing(schemes: &[Scheme], ok: impl Fn(&Scheme) -> bool) -> Vec<String> {
    schemes
        .iter()
        .filter(|s| !ok(s))
        .map(|s| s.name.clone())
        .collect()
}

fn verdict(failing: &[String], good: &str, bad: &str) -> (Assessment, String) {
    if failing.is_empty() {
        (Assessment::Meets, good.to_string())
    } else {
        (
            Assessment::DoesNotMeet,
            format!("{bad}: {}", failing.join(", ")),
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
    let mut add = |id, section, requirement, (assessment, evidence): (Assessment, String)| {
        out.push(AssessedRequirement {
            id,
            section,
            requirement,
            assessment,
            evidence,
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
        ),
    );
    add(
        "time-limit",
        "2. Exclusions",
        "Complaints are accepted up to twelve months after the issue, or after the resident became aware of it.",
        verdict(
            &schemes_failing(&hos, |s| s.time_limit_months.is_none_or(|m| m >= 12)),
            "The time limit to complain is at least 12 months in every scheme used.",
            "Time limit shorter than 12 months in",
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
            )
        } else {
            (
                Assessment::DoesNotMeet,
                "No active complaints officer is set up.".into(),
            )
        },
    );
    add(
        "two-stages",
        "5. The complaint handling process",
        "The procedure has two stages only, with no informal or extra stage.",
        verdict(
            &schemes_failing(&hos, |s| s.stages.len() == 2),
            "Every scheme used has exactly two stages.",
            "Not two stages",
        ),
    );
    add(
        "acknowledgement",
        "5. The complaint handling process",
        "Complaints are acknowledged, with the organisation's understanding of them, within five working days.",
        {
            let (a, e) = verdict(
                &schemes_failing(&hos, |s| {
                    s.stages
                        .iter()
                        .all(|st| within(st.acknowledge_within.as_ref(), 5))
                }),
                "Acknowledgement targets are five working days or fewer.",
                "Acknowledgement target longer than five working days in",
            );
            let pct = (m.acknowledgements > 0)
                .then(|| f64::from(m.acknowledged_on_time) * 100.0 / f64::from(m.acknowledgements));
            let (a, e, _) = timescales_kept(
                (
                    a,
                    format!(
                        "{e} {} of {} acknowledgements this year were on time.",
                        m.acknowledged_on_time, m.acknowledgements
                    ),
                ),
                pct,
                m.acknowledgements,
                &[],
                target,
            );
            (a, e)
        },
    );
    add(
        "stage-1",
        "6. Complaint stages: stage 1",
        "Stage 1 responses are sent within ten working days of acknowledgement; any extension is no more than ten further working days, explained to the resident.",
        {
            let (a, e) = verdict(
                &schemes_failing(&hos, |s| {
                    s.stages.first().is_some_and(|st| {
                        within(Some(&st.respond_within), 10)
                            && within(st.extension_cap.as_ref(), 10)
                    })
                }),
                "Stage 1 targets are within the Code.",
                "Stage 1 target or extension limit beyond the Code in",
            );
            let (a, e, late) = timescales_kept(
                (
                    a,
                    format!(
                        "{e} {} of stage 1 responses within the Code's timescales ({} of {}); {} by the original date.",
                        pct(stage1.on_time_pct),
                        stage1.on_time,
                        stage1.responses,
                        pct(stage1.on_time_strict_pct)
                    ),
                ),
                stage1.on_time_pct,
                stage1.responses,
                &overdue(1),
                target,
            );
            timed.push(("stage-1", late));
            (a, e)
        },
    );
    add(
        "stage-2",
        "6. Complaint stages: stage 2",
        "Stage 2 responses are sent within twenty working days of acknowledging the escalation, by someone not involved at stage 1; any extension is no more than twenty further working days.",
        {
            let (a, e) = verdict(
                &schemes_failing(&hos, |s| {
                    s.stages.get(1).is_some_and(|st| {
                        within(Some(&st.respond_within), 20)
                            && within(st.extension_cap.as_ref(), 20)
                            && st.different_handler
                    })
                }),
                "Stage 2 targets are within the Code and a different handler is required.",
                "Stage 2 target, extension limit or handler rule beyond the Code in",
            );
            let (a, e, late) = timescales_kept(
                (
                    a,
                    format!(
                        "{e} {} of stage 2 responses within the Code's timescales ({} of {}).",
                        pct(stage2.on_time_pct),
                        stage2.on_time,
                        stage2.responses
                    ),
                ),
                stage2.on_time_pct,
                stage2.responses,
                &overdue(2),
                target,
            );
            timed.push(("stage-2", late));
            (a, e)
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
            ),
            (true, false) => (
                Assessment::DoesNotMeet,
                "The governing body has responded; the report is not published yet.".into(),
            ),
            _ => (
                Assessment::DoesNotMeet,
                "The governing body's response is not recorded yet.".into(),
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
            ),
            None => (
                Assessment::DoesNotMeet,
                format!(
                    "{} service improvements made this year, but no Member Responsible for Complaints is named.",
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
mod tests {
    use super::*;

    fn facts(schemes: &[Scheme]) -> Facts<'_> {
        Facts {
            schemes,
            complaints_officers: 1,
            member_responsible: Some("Cllr Jones"),
            governing_body_response: true,
            published: true,
            remedies_overdue: 0,
            service_requests: 0,
            on_time_target_pct: 95.0,
            overdue_now: &NONE_OVERDUE,
        }
    }

    static NONE_OVERDUE: std::collections::BTreeMap<u8, Vec<String>> =
        std::collections::BTreeMap::new();

    fn find<'a>(r: &'a [AssessedRequirement], id: &str) -> &'a AssessedRequirement {
        match r.iter().find(|x| x.id == id) {
            Some(x) => x,
            None => unreachable!("{id} is assessed"),
        }
    }

    #[test]
    fn the_standard_scheme_meets_the_code_and_three_stages_do_not() {
        let hos = Scheme::find_built_in("hos-2024")
            .map(|s| vec![s])
            .unwrap_or_default();
        let r = assess(&Measures::default(), &facts(&hos));
        for id in [
            "time-limit",
            "two-stages",
            "acknowledgement",
            "stage-1",
            "stage-2",
        ] {
            assert_eq!(
                find(&r, id).assessment,
                Assessment::Meets,
                "{id}: {}",
                find(&r, id).evidence
            );
        }
        // A three-step policy run under the Housing Ombudsman breaks the Code.
        let mut three = Scheme::find_built_in("three-step")
            .map(|s| vec![s])
            .unwrap_or_default();
        for s in &mut three {
            s.ombudsman = Some(Ombudsman::Housing);
        }
        let r = assess(&Measures::default(), &facts(&three));
        let two = find(&r, "two-stages");
        assert_eq!(two.assessment, Assessment::DoesNotMeet);
        assert!(two.evidence.contains("Not two stages"), "{}", two.evidence);
        let mut f = facts(&hos);
        f.member_responsible = None;
        f.published = false;
        let r = assess(&Measures::default(), &f);
        assert_eq!(find(&r, "learning").assessment, Assessment::DoesNotMeet);
        assert_eq!(
            find(&r, "self-assessment").assessment,
            Assessment::DoesNotMeet
        );
    }

    #[test]
    fn meeting_the_timescales_rests_on_the_record_not_only_the_set_up() {
        let hos = Scheme::find_built_in("hos-2024")
            .map(|s| vec![s])
            .unwrap_or_default();
        let mut m = Measures::default();
        m.timeliness_by_stage.insert(
            1,
            crate::measures::Timeliness {
                responses: 10,
                on_time: 8,
                on_time_strict: 8,
                on_time_pct: Some(80.0),
                on_time_strict_pct: Some(80.0),
            },
        );
        m.acknowledgements = 10;
        m.acknowledged_on_time = 10;
        let r = assess(&m, &facts(&hos));
        let stage1 = find(&r, "stage-1");
        assert_eq!(
            stage1.assessment,
            Assessment::DoesNotMeet,
            "80% is under 95%"
        );
        assert!(
            stage1.evidence.contains("80.0%") && stage1.evidence.contains("95%"),
            "{}",
            stage1.evidence
        );
        assert_eq!(find(&r, "acknowledgement").assessment, Assessment::Meets);
        let mut f = facts(&hos);
        f.on_time_target_pct = 75.0;
        assert_eq!(
            find(&assess(&m, &f), "stage-1").assessment,
            Assessment::Meets
        );
        // Twelve complaints overdue now: stage 1 does not meet the Code, whatever the year's share.
        let overdue: std::collections::BTreeMap<u8, Vec<String>> =
            [(1, (1..=12).map(|n| format!("CMP-2026-{n:06}")).collect())].into();
        f.overdue_now = &overdue;
        let r = assess(&m, &f);
        let stage1 = find(&r, "stage-1");
        assert_eq!(stage1.assessment, Assessment::DoesNotMeet);
        assert!(
            stage1.evidence.contains("12 overdue now"),
            "{}",
            stage1.evidence
        );
        assert_eq!(stage1.overdue.len(), 12);
        assert_eq!(find(&r, "stage-2").assessment, Assessment::Meets);
    }
}
