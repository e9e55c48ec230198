//! The kept figures add up to what counting the cases afresh gives, at every step of a
//! case's life.

use super::*;
use crate::Division;
use crate::calendar::WorkingCalendar;
use crate::case::Contact;
use crate::case::{Command, Context, PointDecision};
use crate::event::Actor;
use crate::intake::ContactKind;
use crate::intake::{ContactInput, Reference, Source};
use crate::measures::measures;
use crate::measures::{Measures, Period};
use crate::scheme::Scheme;
use jiff::Timestamp;
use jiff::civil::date;

fn calendar() -> WorkingCalendar {
    WorkingCalendar::standard(Division::EnglandAndWales)
}

fn hos() -> Scheme {
    Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0))
}

fn complaint(id: &str, email: &str, received: &str) -> Contact {
    let input = ContactInput {
        kind: "complaint".into(),
        channel: "phone".into(),
        who: "myself".into(),
        name: "Aled Jones".into(),
        email: email.into(),
        tenure: "low-cost-rental".into(),
        summary: "The boiler keeps breaking down".into(),
        received_date: received.into(),
        received_time: "10:00".into(),
        ..Default::default()
    };
    let now: Timestamp = "2025-12-01T12:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let made = input
        .parse(Source::Staff, now)
        .map_err(|e| format!("{e:?}"))
        .and_then(|d| {
            Contact::receive(
                id.into(),
                Reference::new(ContactKind::Complaint, 2025, 1),
                d,
                &hos(),
                &calendar(),
                Actor::system(),
            )
            .map_err(|e| e.to_string())
        });
    match made {
        Ok((c, _)) => c,
        Err(e) => unreachable!("fixture: {e}"),
    }
}

fn apply(c: &mut Contact, command: Command) {
    let (scheme, cal) = (hos(), calendar());
    let ctx = Context {
        scheme: &scheme,
        calendar: &cal,
        actor: Actor::system(),
        at: Timestamp::UNIX_EPOCH,
        today: date(2025, 12, 1),
        payment_approval_above: None,
    };
    if let Err(e) = c.apply(command, &ctx) {
        unreachable!("fixture: {e}");
    }
}

/// What the store does with the kept figures, done here over a list of cases.
fn from_kept(cases: &[Contact], period: Period) -> Measures {
    let kept: Vec<CaseFigures> = cases.iter().map(of_case).collect();
    let mut totals: BTreeMap<(String, String, Option<String>), [i64; 4]> = BTreeMap::new();
    let mut end = AtPeriodEnd::default();
    let mut people: BTreeMap<&str, i64> = BTreeMap::new();
    for k in &kept {
        for f in &k.figures {
            if f.measure == measure::COMPLAINANT {
                if period.contains(f.day) {
                    *people.entry(f.key.as_str()).or_default() += 1;
                }
            } else if RUNNING.contains(&f.measure.as_str()) {
                if f.day <= period.to {
                    let at = if f.measure == measure::OPEN_WITHIN {
                        &mut end.open_within_target
                    } else {
                        &mut end.open_past_target
                    };
                    *at += f.n;
                }
            } else if period.contains(f.day) {
                let t = totals
                    .entry((f.measure.clone(), f.key.clone(), k.service_area.clone()))
                    .or_default();
                for (slot, v) in t.iter_mut().zip([f.n, f.a, f.b, f.c]) {
                    *slot += v;
                }
            }
        }
    }
    end.repeat_complainants =
        i64::try_from(people.values().filter(|n| **n >= 2).count()).unwrap_or(i64::MAX);
    let totals: Vec<Total> = totals
        .into_iter()
        .filter(|(_, t)| t[0] != 0)
        .map(|((measure, key, service_area), [n, a, b, c])| Total {
            measure,
            key,
            service_area,
            n,
            a,
            b,
            c,
        })
        .collect();
    measures_from(&totals, &end, period, &calendar(), &|_| "area".into())
}

fn same_as_counting_afresh(cases: &[Contact]) {
    let mut periods = vec![
        Period::financial_year(2025).unwrap_or_else(|e| unreachable!("{e}")),
        Period::financial_year(2024).unwrap_or_else(|e| unreachable!("{e}")),
    ];
    // Every single day from before the first receipt to after the last closure.
    let mut d = date(2025, 4, 1);
    while d < date(2025, 8, 1) {
        periods.push(Period { from: d, to: d });
        d = d.tomorrow().unwrap_or(date(2025, 8, 1));
    }
    for p in periods {
        assert_eq!(
            from_kept(cases, p),
            measures(cases, p, &calendar(), &|_| "area".into()),
            "{p:?}"
        );
    }
}

#[test]
fn kept_figures_count_what_the_cases_count_at_every_step() {
    let mut a = complaint("a", "aled@example.org", "2025-04-07");
    let mut b = complaint("b", "ALED@example.org", "2025-05-01");
    let c = complaint("c", "cerys@example.org", "2025-06-02");
    same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
    apply(
        &mut a,
        Command::Acknowledge {
            on: date(2025, 4, 9),
            understanding: "Boiler".into(),
            outcome_wanted: "Fixed".into(),
        },
    );
    same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
    apply(
        &mut a,
        Command::Respond {
            on: date(2025, 6, 20),
            points: vec![PointDecision {
                point: "Boiler".into(),
                upheld: true,
            }],
            reasons: "Checked".into(),
            outstanding_actions: None,
            early_resolution: false,
        },
    );
    apply(
        &mut b,
        Command::Withdraw {
            on: date(2025, 5, 20),
            reason: "Sorted out".into(),
        },
    );
    same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
    apply(
        &mut a,
        Command::Close {
            on: date(2025, 6, 25),
        },
    );
    same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
    // An unhappy answer, followed up, is counted the same both ways.
    apply(
        &mut a,
        Command::RecordSurvey {
            answer: crate::survey::SurveyAnswer {
                stage: 1,
                answered_on: date(2025, 6, 26),
                handling: crate::survey::Rating::Dissatisfied,
                outcome: None,
                why: None,
                better: None,
            },
        },
    );
    apply(
        &mut a,
        Command::FollowUpSurvey {
            stage: 1,
            on: date(2025, 6, 27),
            note: "Rang".into(),
        },
    );
    same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
    let year = Period {
        from: date(2025, 4, 1),
        to: date(2026, 3, 31),
    };
    assert_eq!(from_kept(&[a.clone()], year).survey_follow_ups, 1);
    // A late response leaves a waiting-past-target span; and the totals can say so.
    let june = from_kept(
        &[a.clone()],
        Period {
            from: date(2025, 6, 1),
            to: date(2025, 6, 1),
        },
    );
    assert_eq!((june.open_within_target, june.open_past_target), (0, 1));
}

#[test]
fn a_case_unchanged_changes_no_totals_and_a_new_one_adds_its_own() {
    let a = of_case(&complaint("a", "aled@example.org", "2025-04-07"));
    assert!(a.changes_from(&a).is_empty());
    let added = a.changes_from(&CaseFigures::default());
    let received: Vec<_> = added
        .iter()
        .filter(|((_, _, m, _), _)| m == measure::RECEIVED)
        .collect();
    assert_eq!(received.len(), 1);
    assert_eq!(
        a.complainant().map(|(k, _)| k.to_string()),
        Some("aled@example.org".into())
    );
    assert!(
        added.keys().all(|(_, _, m, _)| m != measure::COMPLAINANT),
        "who complained is never in the daily totals"
    );
}
