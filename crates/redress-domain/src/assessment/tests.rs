//! The assessment rests on the record as well as the set-up.

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
