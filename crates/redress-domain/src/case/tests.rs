//! Properties of every command together: a refusal changes nothing, the clocks stay sane,
//! and `allows` agrees with what `apply` does.

use super::test_support::*;
use super::*;
use crate::intake::ContactStatus;
use jiff::civil::date;
use proptest::prelude::*;

#[test]
fn refused_commands_change_nothing() {
    let mut c = received("");
    let before = c.clone();
    assert!(run(&mut c, acknowledge(date(2025, 7, 1))).is_err_and(|e| e == ContactError::InFuture));
    assert!(
        run(
            &mut c,
            Command::Acknowledge {
                on: date(2025, 3, 4),
                understanding: " ".into(),
                outcome_wanted: "x".into()
            }
        )
        .is_err_and(|e| e.field() == "understanding")
    );
    assert_eq!(c, before);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn lifecycle_invariants_hold(commands in prop::collection::vec(any_command(), 1..40)) {
        let mut c = received("2023-01-01");
        for command in commands {
            let before = c.clone();
            let is_escalation = matches!(command, Command::Escalate { .. });
            match run(&mut c, command) {
                // A refused command leaves the case exactly as it was.
                Err(_) => prop_assert_eq!(&c, &before),
                // Every change is described by at least one event.
                Ok(events) => {
                    prop_assert!(!events.is_empty());
                    prop_assert!(c != before);
                }
            }
            // No due date before the stage began, and no stage before receipt.
            for s in &c.case.stages {
                prop_assert!(s.started_on >= c.received_on);
                prop_assert!(s.acknowledge_by.is_none_or(|d| d >= s.started_on));
                prop_assert!(s.respond_by >= s.started_on);
            }
            // A closed case reopens only by escalation; withdrawn and declined stay so.
            if before.status == ContactStatus::Closed && c.status != ContactStatus::Closed {
                prop_assert!(is_escalation);
            }
            if matches!(before.status, ContactStatus::Withdrawn | ContactStatus::Declined) {
                prop_assert_eq!(c.status, before.status);
            }
            // Money is approved before it is paid, and paid before the remedy counts as done.
            for r in &c.case.remedies {
                if let Some(p) = &r.payment {
                    prop_assert!(p.paid_on.is_none() || p.approved_on.is_some_and(|a| p.paid_on >= Some(a)));
                    prop_assert!(r.done_on.is_none() || p.paid_on.is_some());
                }
            }
            // The stage 2 handler is never the stage 1 handler.
            let handlers: Vec<Option<&str>> = c.case.stages.iter().map(|s| s.handler.as_ref().map(|h| h.user_id.as_str())).collect();
            for pair in handlers.windows(2) {
                if let [Some(a), Some(b)] = pair {
                    prop_assert_ne!(a, b);
                }
            }
        }
    }
}

/// Today in `run`, so every date in a sample is real and not in the future.
fn today() -> jiff::civil::Date {
    date(2025, 6, 30)
}

/// A command of the kind, with details a clerk could sensibly type for this case, picking
/// remedies, orders, notes and files that are still open to it where there are any.
fn sample(kind: CommandKind, c: &Contact) -> Option<Command> {
    use crate::remedy::{Determination, RemedyKind};
    let on = today();
    let open_remedy = c.case.remedies.iter().find(|r| r.done_on.is_none());
    let remedy_where = |f: fn(&crate::remedy::Payment) -> bool| {
        c.case
            .remedies
            .iter()
            .find(|r| r.payment.as_ref().is_some_and(f))
            .map_or(1, |r| r.id)
    };
    let reason = || "Because the resident asked".to_string();
    Some(match kind {
        CommandKind::AssignOfficer => Command::AssignOfficer {
            to: person(
                if c.case.officer.as_ref().is_some_and(|o| o.user_id == "u7") {
                    8
                } else {
                    7
                },
            ),
            reason: Some(reason()),
        },
        CommandKind::AssignHandler => Command::AssignHandler {
            to: Assignee {
                user_id: format!(
                    "h{}{}",
                    c.stage(),
                    if c.handler().is_some_and(|h| h.user_id.ends_with('a')) {
                        'b'
                    } else {
                        'a'
                    }
                ),
                name: "Handler".into(),
            },
            reason: Some(reason()),
        },
        CommandKind::Acknowledge => Command::Acknowledge {
            on,
            understanding: "The boiler".into(),
            outcome_wanted: "Heating".into(),
        },
        CommandKind::Extend => Command::Extend {
            on,
            to: date(2026, 1, 30),
            reason: reason(),
            resident_told_on: on,
            good_reason: Some(reason()),
        },
        CommandKind::Pause => Command::Pause {
            on,
            reason: reason(),
        },
        CommandKind::Resume => Command::Resume { on },
        CommandKind::Respond => Command::Respond {
            on,
            points: vec![PointDecision {
                point: "The boiler".into(),
                upheld: true,
            }],
            reasons: "It broke".into(),
            outstanding_actions: None,
            early_resolution: c.status == ContactStatus::Received,
        },
        CommandKind::Escalate => Command::Escalate {
            requested_on: on,
            reason: None,
        },
        CommandKind::RefuseEscalation => Command::RefuseEscalation {
            on,
            reason: reason(),
        },
        CommandKind::Withdraw => Command::Withdraw {
            on,
            reason: reason(),
        },
        CommandKind::Close => Command::Close { on },
        CommandKind::OverrideTimeLimit => Command::OverrideTimeLimit { reason: reason() },
        CommandKind::Decline => Command::Decline {
            on,
            reason: DeclineReason::LegalProceedings,
            explanation: reason(),
        },
        CommandKind::AddAttachment => Command::AddAttachment {
            id: format!("f{}", c.case.attachments.len() + 1),
            name: "photo.png".into(),
            file_type: crate::attachment::FileType::Png,
            size: 2_000,
            description: "The damp wall".into(),
        },
        CommandKind::Reclassify => Command::Reclassify {
            to: if c.detail.kind == ContactKind::Comment {
                ContactKind::ServiceRequest
            } else {
                ContactKind::Comment
            },
            route: None,
            explanation: reason(),
        },
        CommandKind::Link => Command::Link {
            relation: LinkRelation::Related,
            reference: Some(Reference::new(
                ContactKind::Complaint,
                2024,
                i64::try_from(c.case.links.len()).unwrap_or(0) + 50,
            )),
            agency: None,
            their_reference: None,
        },
        CommandKind::SetServiceArea => Command::SetServiceArea {
            id: if c.detail.service_area.as_deref() == Some("a9") {
                "a8"
            } else {
                "a9"
            }
            .into(),
            name: "Repairs".into(),
        },
        CommandKind::PassOn => Command::PassOn {
            on,
            to: "Huw".into(),
            manager: "Gareth".into(),
            notify: Vec::new(),
        },
        CommandKind::ReplyToComment => Command::ReplyToComment {
            on,
            text: "Thank you".into(),
        },
        CommandKind::DecideComment => Command::DecideComment {
            on,
            outcome: CommentOutcome::Noted,
            reason: None,
        },
        CommandKind::AddNote => Command::AddNote {
            kind: NoteKind::Note,
            on,
            text: "Rang the contractor".into(),
        },
        CommandKind::AddRemedy => Command::AddRemedy {
            kind: RemedyKind::Financial,
            description: "Compensation".into(),
            owner: person(3),
            due: on,
            payment: Some((
                crate::remedy::PaymentKind::Compensation,
                crate::remedy::Pence(5_000),
            )),
        },
        CommandKind::NoteRemedy => Command::NoteRemedy {
            id: open_remedy.map_or(1, |r| r.id),
            on,
            text: "Chased".into(),
        },
        CommandKind::CompleteRemedy => Command::CompleteRemedy {
            id: open_remedy.map_or(1, |r| r.id),
            on,
        },
        CommandKind::ApprovePayment => Command::ApprovePayment {
            id: remedy_where(|p| p.approved_on.is_none()),
            on,
        },
        CommandKind::RecordPayment => Command::RecordPayment {
            id: remedy_where(|p| p.approved_on.is_some() && p.paid_on.is_none()),
            on,
        },
        CommandKind::ReferToOmbudsman => Command::ReferToOmbudsman {
            on,
            ombudsman: crate::scheme::Ombudsman::Housing,
            their_reference: None,
        },
        CommandKind::RecordDetermination => Command::RecordDetermination {
            on,
            determination: Determination::Maladministration,
            summary: "Poor repairs".into(),
        },
        CommandKind::AddOrder => Command::AddOrder {
            description: "Apologise".into(),
            due: on,
        },
        CommandKind::ComplyOrder => Command::ComplyOrder {
            id: c
                .case
                .referrals
                .last()
                .and_then(|r| r.orders.iter().find(|o| o.complied_on.is_none()))
                .map_or(1, |o| o.id),
            on,
            evidence: "Letter sent".into(),
        },
        CommandKind::RecordSurvey => Command::RecordSurvey {
            answer: crate::survey::SurveyAnswer {
                stage: c.stage(),
                answered_on: on,
                handling: crate::survey::Rating::Satisfied,
                outcome: None,
                why: None,
                better: None,
            },
        },
        CommandKind::RecordLearning => Command::RecordLearning {
            root_cause: crate::learning::RootCause::Communication,
            lessons: "Call back".into(),
        },
        CommandKind::ImprovementNews => Command::ImprovementNews {
            improvement: crate::learning::Improvement::parse(
                "i1".into(),
                "Text reminders",
                "Residents get a text the day before",
                None,
                on,
            )
            .ok()?,
        },
        CommandKind::RecordAuthority => Command::RecordAuthority {
            authority: crate::person::Authority::WrittenConsent,
        },
        CommandKind::RedactNote => Command::RedactNote {
            index: c
                .case
                .notes
                .iter()
                .position(|n| !n.text.starts_with(REDACTED))
                .unwrap_or(0),
            reason: "Third party details".into(),
        },
        CommandKind::RedactAttachment => Command::RedactAttachment {
            id: c
                .case
                .attachments
                .iter()
                .find(|a| a.redacted_on.is_none())
                .map_or_else(|| "f1".into(), |a| a.id.clone()),
            reason: "Wrong file".into(),
        },
        CommandKind::Correct => Command::Correct {
            values: [(
                "safeguarding".to_string(),
                if c.detail.safeguarding { "no" } else { "yes" }.to_string(),
            )]
            .into_iter()
            .collect(),
            reason: reason(),
        },
        CommandKind::FollowUpSurvey => Command::FollowUpSurvey {
            stage: c
                .case
                .follow_ups
                .iter()
                .find(|f| f.done_on.is_none())
                .map_or(1, |f| f.stage),
            on,
            note: "Rang them".into(),
        },
        CommandKind::ReviewSafeguarding => Command::ReviewSafeguarding {
            on,
            note: "Told the safeguarding team".into(),
        },
        CommandKind::AskTenantsPanel => Command::AskTenantsPanel {
            on,
            why: "The response missed the point".into(),
            within: 10,
        },
        CommandKind::RecordPanelInput => Command::RecordPanelInput {
            on,
            input: "The panel would have offered a visit".into(),
        },
        CommandKind::CheckLetter => Command::CheckLetter {
            letter_id: "l1".into(),
            subject: "Your complaint".into(),
            step: crate::case::LetterStep::Approved,
        },
        CommandKind::DismissSuggestion => Command::DismissSuggestion {
            on,
            reason: "They asked for a repair; nothing has gone wrong yet".into(),
        },
        CommandKind::ConfirmHazard => Command::ConfirmHazard {
            kind: crate::hazard::HazardKind::DampMould,
            urgency: crate::hazard::Urgency::Significant,
        },
        CommandKind::DismissHazard => Command::DismissHazard {
            reason: "The mould was in a neighbour's flat".into(),
        },
        CommandKind::RecordHazardStep => Command::RecordHazardStep {
            step: crate::hazard::HazardStep::Investigated,
            at: c.detail.received_at,
        },
        CommandKind::RecordEmail => Command::RecordEmail {
            key: format!("k{}", c.case.emails.len()),
            from: "resident@example.org".into(),
            subject: "Re: your complaint".into(),
            text: "The men did not come again today".into(),
            files: Vec::new(),
        },
        CommandKind::MarkEmailsRead => Command::MarkEmailsRead,
        CommandKind::DismissSurveySuggestion => Command::DismissSurveySuggestion {
            reason: "They meant the weather, not us".into(),
        },
        CommandKind::TreatAsNew => Command::TreatAsNew {
            reason: "The earlier case was about the lift, this is about the bins".into(),
        },
    })
}

/// Kinds whose sample is valid whenever the case accepts the kind: for these, `allows`
/// true means the command goes through. Others can still be refused for their details
/// (an extension date past the cap, an early resolution at stage 2, a remedy not yet paid).
fn sample_always_valid(kind: CommandKind, c: &Contact) -> bool {
    use CommandKind as K;
    match kind {
        K::Extend
        | K::CompleteRemedy
        | K::RecordAuthority
        | K::RecordSurvey
        | K::FollowUpSurvey
        | K::RecordHazardStep => false,
        K::Respond => c.status != ContactStatus::Received || c.stage() == 1,
        _ => true,
    }
}

/// Checks both directions for every kind on one case: what `allows` refuses, `apply`
/// refuses; and for the kinds above, what `allows` accepts, `apply` carries out.
fn agrees(c: &Contact) -> Result<(), String> {
    let scheme = hos();
    for kind in CommandKind::ALL {
        let Some(command) = sample(kind, c) else {
            continue;
        };
        prop_assert_eq_kind(command.kind(), kind)?;
        let allowed = c.allows(kind, &scheme);
        let outcome = run(&mut c.clone(), command);
        if !allowed && outcome.is_ok() {
            return Err(format!(
                "{kind:?} is not allowed, yet went through on {:?}",
                c.status
            ));
        }
        if allowed
            && sample_always_valid(kind, c)
            && let Err(e) = outcome
        {
            return Err(format!(
                "{kind:?} is allowed on {:?} but refused: {e}",
                c.status
            ));
        }
    }
    Ok(())
}

fn prop_assert_eq_kind(a: CommandKind, b: CommandKind) -> Result<(), String> {
    if a == b {
        Ok(())
    } else {
        Err(format!("the sample for {b:?} is a {a:?}"))
    }
}

fn kind_index() -> impl Strategy<Value = CommandKind> {
    prop::sample::select(CommandKind::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]
    #[test]
    fn allows_agrees_with_apply(
        start in prop::sample::select(vec!["complaint", "comment", "comment-reply", "compliment", "request"]),
        steps in prop::collection::vec(kind_index(), 0..30),
    ) {
        let mut c = match start {
            "complaint" => received("2023-01-01"),
            "comment" => contact("comment", false),
            "comment-reply" => contact("comment", true),
            "compliment" => contact("compliment", false),
            _ => contact("service-request", false),
        };
        for kind in steps {
            if let Err(why) = agrees(&c) {
                prop_assert!(false, "{}", why);
            }
            if let Some(command) = sample(kind, &c) {
                let _ = run(&mut c, command);
            }
        }
        if let Err(why) = agrees(&c) {
            prop_assert!(false, "{}", why);
        }
    }
}

#[test]
fn every_kind_is_listed_once() {
    let mut seen = std::collections::HashSet::new();
    assert!(CommandKind::ALL.iter().all(|k| seen.insert(*k)));
    let c = received("");
    for kind in CommandKind::ALL {
        assert!(sample(kind, &c).is_some_and(|s| s.kind() == kind));
    }
}

#[test]
fn a_final_stage_answer_cannot_be_escalated() {
    let scheme = hos();
    assert_eq!(scheme.stages.len(), 2);
    let mut c = received("");
    for command in [
        Command::AssignHandler {
            to: person(1),
            reason: None,
        },
        Command::Acknowledge {
            on: date(2025, 3, 4),
            understanding: "x".into(),
            outcome_wanted: "y".into(),
        },
        respond(date(2025, 3, 17)),
    ] {
        assert!(run(&mut c, command).is_ok());
    }
    assert!(c.allows(CommandKind::Escalate, &scheme) && c.can_escalate(&scheme));
    assert!(
        run(
            &mut c,
            Command::Escalate {
                requested_on: date(2025, 3, 20),
                reason: None
            }
        )
        .is_ok()
    );
    assert!(!c.allows(CommandKind::Escalate, &scheme));
    assert!(
        c.allowed_commands(&scheme)
            .contains(&CommandKind::Acknowledge)
    );
    for command in [
        Command::AssignHandler {
            to: person(2),
            reason: None,
        },
        Command::Acknowledge {
            on: date(2025, 3, 24),
            understanding: "x".into(),
            outcome_wanted: "y".into(),
        },
    ] {
        assert!(run(&mut c, command).is_ok());
    }
    assert!(run(&mut c, respond(date(2025, 4, 15))).is_ok());
    assert_eq!((c.stage(), c.status), (2, ContactStatus::Responded));
    assert!(!c.allows(CommandKind::Escalate, &scheme));
    assert!(!c.allows(CommandKind::RefuseEscalation, &scheme));
    assert!(!c.can_escalate(&scheme));
    assert!(
        c.accepts(CommandKind::Escalate, &scheme)
            .is_err_and(|e| e.field() == "requested_on")
    );
    assert!(!c.allowed_commands(&scheme).contains(&CommandKind::Escalate));
    assert!(
        run(
            &mut c,
            Command::Escalate {
                requested_on: today(),
                reason: None
            }
        )
        .is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// `allows(Escalate)` means what `can_escalate` always meant.
    #[test]
    fn allows_escalate_is_can_escalate(commands in prop::collection::vec(any_command(), 0..30)) {
        let scheme = hos();
        let mut c = received("2023-01-01");
        for command in commands {
            let _ = run(&mut c, command);
            let old = c.detail.kind == ContactKind::Complaint
                && matches!(c.status, ContactStatus::Responded | ContactStatus::Closed)
                && usize::from(c.stage()) < scheme.stages.len();
            prop_assert_eq!(c.allows(CommandKind::Escalate, &scheme), old);
            prop_assert_eq!(c.can_escalate(&scheme), old);
        }
    }
}
