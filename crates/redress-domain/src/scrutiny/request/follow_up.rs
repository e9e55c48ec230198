//! Following a referral or a serious failure to its outcome: a decision that sends a request
//! to a Service Review Group, or makes immediate recommendations, is only as good as what
//! comes of it. Staff name who owns the follow-up and by when, and record the outcome.

use super::{LONG, Request, SHORT, not_future, refuse};
use crate::FieldErrors;
use crate::calendar::long_date;
use crate::field::Text;
use crate::scrutiny::{Outcome, Step};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Who follows a referral or recommendations up, by when, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub owner: Text,
    pub due: Date,
    pub outcome: Option<Text>,
    pub done_on: Option<Date>,
}

impl FollowUp {
    pub fn overdue(&self, today: Date) -> bool {
        self.done_on.is_none() && self.due < today
    }
}

impl Request {
    /// The decision in force needs following up: a referral to a Service Review Group, or
    /// a serious failure's recommendations.
    pub fn needs_follow_up(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| matches!(d.outcome, Outcome::Referred | Outcome::SeriousFailure))
    }

    /// Names who owns the follow-up and when it is due; it can be changed until the
    /// outcome is recorded.
    pub fn set_follow_up(&self, owner: &str, due: &str) -> Result<Step, FieldErrors> {
        let Some(decision) = self.decision.as_ref().filter(|_| self.needs_follow_up()) else {
            return Err(refuse(
                "follow_owner",
                "Only a referral to a Service Review Group or a serious failure's recommendations are followed up",
            ));
        };
        if self.follow_up.as_ref().is_some_and(|f| f.done_on.is_some()) {
            return Err(refuse(
                "follow_owner",
                "The outcome has been recorded: the follow-up is finished",
            ));
        }
        let mut e = FieldErrors::new();
        let owner = e.take(
            "follow_owner",
            Text::parse(owner, "who owns the follow-up", SHORT),
        );
        let due = match due.trim().parse::<Date>() {
            Ok(d) if d < decision.decided_on => {
                e.add(
                    "follow_due",
                    format!(
                        "The date cannot be before the decision, on {}",
                        long_date(decision.decided_on)
                    ),
                );
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add("follow_due", "Enter the date it is due, like 2027-06-30");
                None
            }
        };
        e.into_result()?;
        match (owner, due) {
            (Some(owner), Some(due)) => Ok(Step::FollowUpSet { owner, due }),
            _ => Err(refuse("follow_owner", "Enter who owns the follow-up")),
        }
    }

    /// Records what came of the referral or the recommendations.
    pub fn finish_follow_up(
        &self,
        outcome: &str,
        on: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        let Some(follow) = &self.follow_up else {
            return Err(refuse(
                "follow_outcome",
                "Name who owns the follow-up and when it is due first",
            ));
        };
        if follow.done_on.is_some() {
            return Err(refuse(
                "follow_outcome",
                "The outcome has already been recorded",
            ));
        }
        let mut e = FieldErrors::new();
        let outcome = e.take(
            "follow_outcome",
            Text::parse(outcome, "what came of it", LONG),
        );
        let on = match on.trim().parse::<Date>() {
            Ok(d) => match not_future("follow_on", d, today) {
                Ok(()) => Some(d),
                Err(err) => {
                    for (f, m) in err.iter() {
                        e.add(f, m);
                    }
                    None
                }
            },
            Err(_) => {
                e.add("follow_on", "Enter the date, like 2027-06-30");
                None
            }
        };
        e.into_result()?;
        match (outcome, on) {
            (Some(outcome), Some(on)) => Ok(Step::FollowUpDone { outcome, on }),
            _ => Err(refuse("follow_outcome", "Enter what came of it")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use jiff::civil::date;

    fn decided(outcome: &str) -> Request {
        let mut r = sent();
        let today = date(2026, 3, 4);
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, today);
        }
        for s in r
            .decide(
                outcome,
                "Reasons",
                "Repairs Review Group",
                "Fix the lifts",
                today,
            )
            .unwrap()
        {
            r.apply(&s, today);
        }
        r
    }

    #[test]
    fn a_referral_is_followed_to_its_outcome() {
        let today = date(2026, 4, 10);
        assert!(
            decided("not-yet")
                .set_follow_up("Head of Repairs", "2026-05-01")
                .is_err(),
            "nothing to follow up"
        );
        let mut r = decided("referred");
        assert!(r.finish_follow_up("Done", "2026-04-01", today).is_err());
        let e = r.set_follow_up("", "2026-03-01").unwrap_err();
        assert!(e.get("follow_owner").is_some());
        assert!(e.get("follow_due").unwrap().contains("before the decision"));
        let step = r.set_follow_up("Head of Repairs", "2026-04-01").unwrap();
        r.apply(&step, today);
        assert!(r.follow_up.as_ref().unwrap().overdue(today));
        assert!(
            r.finish_follow_up("Done", "2026-04-11", today)
                .unwrap_err()
                .get("follow_on")
                .is_some(),
            "not in the future"
        );
        let step = r
            .finish_follow_up("The group set new repair targets", "2026-04-09", today)
            .unwrap();
        assert!(step.describe().contains("9 April 2026"));
        r.apply(&step, today);
        let f = r.follow_up.as_ref().unwrap();
        assert!(!f.overdue(today) && f.outcome.is_some());
        assert!(r.set_follow_up("Someone else", "2026-05-01").is_err());
        assert!(r.finish_follow_up("Again", "2026-04-09", today).is_err());
    }
}
