//! Properties of every command together: a refusal changes nothing, the clocks stay sane,
//! and `allows` agrees with what `apply` does.

use super::test_support::*;
use super::*;
use crate::contact::ContactStatus;
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
