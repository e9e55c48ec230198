//! The team's agenda and decision, telling the requester, and the actions taken after.

use super::{LONG, Request, SHORT, Status, not_future, refuse, text};
use crate::FieldErrors;
use crate::field::Text;
use crate::scrutiny::meeting::{self, Meeting};
use crate::scrutiny::{Decision, Outcome, Step};
use jiff::civil::Date;

impl Request {
    /// Takes an undecided request off the agenda of a cancelled meeting.
    pub fn off_agenda(&self, meeting_id: &str) -> Option<Step> {
        (self.status == Status::Ready
            && self.meeting.as_ref().is_some_and(|(m, _)| m == meeting_id))
        .then_some(Step::OffAgenda)
    }

    /// The agenda step for a ready request: onto the next meeting after `today` when it is
    /// on none, or its meeting was cancelled or has passed without a decision.
    pub fn agenda(&self, meetings: &[Meeting], today: Date) -> Option<Step> {
        if self.status != Status::Ready {
            return None;
        }
        if let Some((id, on)) = &self.meeting {
            let still_on = *on >= today && meetings.iter().any(|m| m.id == *id && !m.cancelled);
            if still_on {
                return None;
            }
        }
        meeting::next_after(meetings, today)
            .filter(|m| self.meeting.as_ref().is_none_or(|(id, _)| *id != m.id))
            .map(|m| Step::OnAgenda {
                meeting_id: m.id.clone(),
                meeting_on: m.on,
            })
    }

    pub fn decide(
        &self,
        outcome: &str,
        reasons: &str,
        review_group: &str,
        recommendations: &str,
        today: Date,
    ) -> Result<Vec<Step>, FieldErrors> {
        self.expect(&[Status::Ready], "outcome", "Recording a decision")?;
        let decision =
            self.checked_decision("", [outcome, reasons, review_group, recommendations], today)?;
        Ok(vec![
            Step::Considered { on: today },
            Step::Decided { decision },
        ])
    }

    /// A decision as the team (or, on an upheld appeal, the panel) makes it: the outcome and
    /// its reasons, the Service Review Group of a referral, the recommendations for a
    /// serious failure, and for an accepted request the business area it scores for. Each
    /// problem is named at its field, whose name starts with `prefix`.
    pub(super) fn checked_decision(
        &self,
        prefix: &str,
        [outcome, reasons, review_group, recommendations]: [&str; 4],
        today: Date,
    ) -> Result<Decision, FieldErrors> {
        let f = |name: &str| format!("{prefix}{name}");
        let mut e = FieldErrors::new();
        let outcome = e.take(&f("outcome"), Outcome::parse(outcome));
        let reasons = e.take(
            &f("reasons"),
            Text::parse(reasons, "the reasons for the decision", LONG),
        );
        let review_group = e.take_opt(
            &f("review_group"),
            Text::parse_optional(review_group, "the Service Review Group", SHORT),
        );
        let recommendations = e.take_opt(
            &f("recommendations"),
            Text::parse_optional(recommendations, "the recommendations", LONG),
        );
        if outcome == Some(Outcome::Referred)
            && review_group.is_none()
            && e.get(&f("review_group")).is_none()
        {
            e.add(
                f("review_group"),
                "Enter the Service Review Group it is referred to",
            );
        }
        if outcome == Some(Outcome::SeriousFailure)
            && recommendations.is_none()
            && e.get(&f("recommendations")).is_none()
        {
            e.add(
                f("recommendations"),
                "Enter the immediate recommendations to resolve the failure",
            );
        }
        let area = self.form.as_ref().and_then(|f| f.business_area.as_ref());
        if outcome == Some(Outcome::Accepted) && area.is_none() {
            e.add(
                f("outcome"),
                "Record the business area it is about first: an accepted request adds points \
                 to that area's score",
            );
        }
        e.into_result()?;
        let (Some(outcome), Some(reasons)) = (outcome, reasons) else {
            return Err(refuse(&f("outcome"), "Select the decision"));
        };
        Ok(Decision {
            outcome,
            reasons,
            review_group: review_group.filter(|_| outcome == Outcome::Referred),
            recommendations: recommendations.filter(|_| outcome == Outcome::SeriousFailure),
            decided_on: today,
            meeting_id: self.meeting.as_ref().map(|(id, _)| id.clone()),
            sent_on: None,
            sent_by: None,
        })
    }

    /// Records that the requester was told of the decision; the appeal window opens.
    pub fn inform(&self, on: Date, how: &str, today: Date) -> Result<Step, FieldErrors> {
        let decision = self
            .decision
            .as_ref()
            .ok_or_else(|| refuse("on", "There is no decision to tell the requester about"))?;
        if decision.sent_on.is_some() {
            return Err(refuse(
                "on",
                "The requester has already been told of the decision",
            ));
        }
        not_future("on", on, today)?;
        if on < decision.decided_on {
            return Err(refuse("on", "The date cannot be before the decision"));
        }
        Ok(Step::Informed {
            on,
            how: Text::parse(how, "how they were told", SHORT)
                .map_err(|m| refuse("how", m))?
                .into_string(),
        })
    }

    pub fn note(&self, action: &str) -> Result<Step, FieldErrors> {
        if self.status == Status::Draft {
            return Err(refuse("action", "The request has not been sent yet"));
        }
        Ok(Step::StaffNote {
            action: text("action", action, "the action taken")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use jiff::civil::date;

    #[test]
    fn decisions_need_reasons_and_what_the_outcome_calls_for() {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let today = date(2026, 3, 10);
        assert!(
            r.decide("accepted", "", "", "", today)
                .unwrap_err()
                .get("reasons")
                .is_some()
        );
        assert!(
            r.decide("referred", "x", "", "", today)
                .unwrap_err()
                .get("review_group")
                .is_some()
        );
        assert!(
            r.decide("serious-failure", "x", "", "", today)
                .unwrap_err()
                .get("recommendations")
                .is_some()
        );
        // Accepting needs the business area it will score for.
        let no_area = r.decide("accepted", "Persistent failure", "", "", today);
        assert!(
            no_area
                .unwrap_err()
                .get("outcome")
                .is_some_and(|m| m.contains("business area"))
        );
        let area = r.set_area("repairs", &["repairs".to_string()]).unwrap();
        r.apply(&area, today);
        let steps = r
            .decide("accepted", "Persistent failure", "", "", today)
            .unwrap();
        for s in &steps {
            r.apply(s, today);
        }
        assert_eq!(r.status, Status::Decided);
        assert_eq!(r.considered_on, Some(today));
        assert!(r.decide("accepted", "again", "", "", today).is_err());
    }

    #[test]
    fn the_area_is_one_of_ours_and_a_cancelled_meeting_releases_the_request() {
        let mut r = sent();
        let known = vec!["repairs".to_string()];
        assert!(
            r.set_area("gardens", &known)
                .unwrap_err()
                .get("area")
                .is_some()
        );
        let s = r.set_area("repairs", &known).unwrap();
        r.apply(&s, date(2026, 3, 3));
        assert_eq!(
            r.form.as_ref().unwrap().business_area.as_deref(),
            Some("repairs")
        );
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let meetings = vec![Meeting {
            id: "m1".into(),
            on: date(2026, 3, 10),
            time: "18:00".into(),
            place: Text::from_trusted("Hall".into()),
            cancelled: false,
        }];
        let s = r.agenda(&meetings, date(2026, 3, 3)).unwrap();
        r.apply(&s, date(2026, 3, 3));
        assert!(
            r.agenda(&meetings, date(2026, 3, 3)).is_none(),
            "placed once"
        );
        assert!(r.off_agenda("other").is_none());
        let s = r.off_agenda("m1").unwrap();
        r.apply(&s, date(2026, 3, 4));
        assert_eq!(r.meeting, None);
        assert_eq!(r.status, Status::Ready, "still ready for the next meeting");
    }

    #[test]
    fn a_request_whose_meeting_passed_undecided_goes_to_the_next() {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let meeting = |id: &str, on| Meeting {
            id: id.into(),
            on,
            time: "18:00".into(),
            place: Text::from_trusted("Hall".into()),
            cancelled: false,
        };
        let meetings = vec![
            meeting("m1", date(2026, 3, 10)),
            meeting("m2", date(2026, 3, 20)),
        ];
        let s = r.agenda(&meetings, date(2026, 3, 3)).unwrap();
        r.apply(&s, date(2026, 3, 3));
        assert!(
            r.agenda(&meetings, date(2026, 3, 10)).is_none(),
            "decided on the day"
        );
        match r.agenda(&meetings, date(2026, 3, 11)) {
            Some(Step::OnAgenda { meeting_id, .. }) => assert_eq!(meeting_id, "m2"),
            other => panic!("expected the next meeting, got {other:?}"),
        }
    }
}
