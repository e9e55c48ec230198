//! From sending the form to being ready for the team: acknowledgement, the officer, the
//! route, signatures or evidence, and the business area.

use super::{Request, RequestAnswers, RequestForm, Status, not_future, refuse, text};
use crate::FieldErrors;
use crate::scrutiny::petition::{self, Signature};
use crate::scrutiny::{Route, Step};
use jiff::civil::Date;

impl Request {
    pub fn submit(&self, answers: &RequestAnswers, today: Date) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Draft], "concerns", "Sending")?;
        Ok(Step::Submitted {
            form: RequestForm::parse(answers, today)?,
            on_paper: None,
        })
    }

    /// A form that came on paper, as staff type it in with the day it was received: it is
    /// signed on that day, and its time runs from then.
    pub fn submit_paper(
        &self,
        answers: &RequestAnswers,
        received_on: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Draft], "concerns", "Logging")?;
        let received: Option<Date> = received_on.trim().parse().ok();
        let form = RequestForm::parse(answers, received.unwrap_or(today));
        let mut e = match &form {
            Ok(_) => FieldErrors::new(),
            Err(e) => e.clone(),
        };
        match received {
            None => e.add(
                "received_on",
                "Enter the date the form was received, like 2026-04-01",
            ),
            Some(d) if d > today => e.add("received_on", "The date cannot be in the future"),
            Some(_) => {}
        }
        e.into_result()?;
        match (form, received) {
            (Ok(form), Some(on)) => Ok(Step::Submitted {
                form,
                on_paper: Some(on),
            }),
            _ => Err(refuse(
                "received_on",
                "Enter the date the form was received",
            )),
        }
    }

    pub fn acknowledge(&self, on: Date, today: Date) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Submitted], "on", "Acknowledging")?;
        not_future("on", on, today)?;
        if self.received_on.is_some_and(|r| on < r) {
            return Err(refuse(
                "on",
                "The date cannot be before the request was received",
            ));
        }
        Ok(Step::Acknowledged { on })
    }

    pub fn assign(&self, user_id: &str, name: &str) -> Result<Step, FieldErrors> {
        if matches!(self.status, Status::Draft | Status::Closed) {
            return Err(refuse(
                "officer",
                "An officer can be assigned once the request is sent",
            ));
        }
        Ok(Step::OfficerAssigned {
            user_id: user_id.into(),
            name: name.into(),
        })
    }

    /// Sets how the request will be taken forward. A significant failure is ready at once;
    /// a petition whose signatures already meet the new threshold is ready too.
    pub fn set_route(
        &self,
        route: &str,
        threshold: &str,
        eligible: &str,
    ) -> Result<Vec<Step>, FieldErrors> {
        if self.status == Status::Submitted {
            return Err(refuse("route", "Acknowledge the request first"));
        }
        self.expect(
            &[Status::Acknowledged, Status::Collecting],
            "route",
            "Setting the route",
        )?;
        let mut e = FieldErrors::new();
        let route = e.take("route", Route::parse(route));
        let threshold = match route {
            Some(Route::Petition) => {
                e.take("threshold", petition::parse_threshold(threshold).map(Some))
            }
            _ => Some(None),
        };
        let eligible = match route {
            Some(Route::Petition) => e.take("eligible", petition::parse_areas(eligible)),
            _ => Some(Vec::new()),
        };
        e.into_result()?;
        let (Some(route), Some(threshold), Some(eligible)) = (route, threshold, eligible) else {
            return Err(refuse("route", "Select the route"));
        };
        let mut steps = vec![Step::RouteSet {
            route,
            threshold,
            eligible,
        }];
        match (route, threshold) {
            (Route::SignificantFailure, _) => steps.push(Step::Ready {
                why: "the team accepts the form alone as the failure is significant".into(),
            }),
            (Route::Petition, Some(n)) if self.signatures >= n => steps.push(Step::Ready {
                why: format!("{} of {n} signatures gathered", self.signatures),
            }),
            _ => {}
        }
        Ok(steps)
    }

    /// Whether the petition is open for signatures: it is, from the route being set until
    /// the team decides (signatures after the threshold still show the strength of feeling).
    pub fn open_for_signatures(&self) -> Result<(), String> {
        if self.route != Some(Route::Petition) {
            return Err("This request is not a petition".into());
        }
        match self.status {
            Status::Collecting | Status::Ready => Ok(()),
            _ => Err(
                "This petition has closed: the Customer Scrutiny Team has made its decision".into(),
            ),
        }
    }

    /// The steps a counted signature makes: the count, and readiness when it meets the
    /// threshold for the first time.
    pub fn signature_steps(&self, signature: &Signature, count: u32) -> Vec<Step> {
        let mut steps = vec![Step::Signed {
            name: signature.name.to_string(),
            paper: signature.paper,
            count,
        }];
        if self.status == Status::Collecting && petition::threshold_reached(count, self.threshold) {
            steps.push(Step::Ready {
                why: format!(
                    "{count} of {} signatures gathered",
                    self.threshold.unwrap_or(count)
                ),
            });
        }
        steps
    }

    /// Records the evidence an officer gathered for an individual request; `complete`
    /// makes the request ready for the team.
    /// Adds a piece of evidence by the named officer; earlier evidence is kept.
    pub fn record_evidence(
        &self,
        evidence: &str,
        complete: bool,
        by: &str,
    ) -> Result<Vec<Step>, FieldErrors> {
        self.expect(&[Status::Collecting], "evidence", "Recording evidence")?;
        if self.route != Some(Route::Individual) {
            return Err(refuse(
                "evidence",
                "Evidence is gathered for individual requests; a petition is ready when its signatures reach the number needed",
            ));
        }
        let mut steps = vec![Step::EvidenceRecorded {
            evidence: text("evidence", evidence, "the evidence gathered")?,
            by: by.to_string(),
        }];
        if complete {
            steps.push(Step::Ready {
                why: "the officer has gathered the evidence".into(),
            });
        }
        Ok(steps)
    }

    /// Records which business area the request is about: it is the area an accepted
    /// request adds points to. `known` are the organisation's service area ids.
    pub fn set_area(&self, area: &str, known: &[String]) -> Result<Step, FieldErrors> {
        if matches!(self.status, Status::Draft | Status::Closed) {
            return Err(refuse(
                "area",
                "The business area can be set while the request is open",
            ));
        }
        let area = area.trim();
        if !area.is_empty() && !known.iter().any(|k| k == area) {
            return Err(refuse("area", "Select a business area from the list"));
        }
        // An accepted request scores for its area, so it always keeps one.
        let accepted = self
            .decision
            .as_ref()
            .is_some_and(|d| d.outcome == crate::scrutiny::Outcome::Accepted);
        if accepted && area.is_empty() {
            return Err(refuse(
                "area",
                "An accepted request scores for its business area: select one",
            ));
        }
        Ok(Step::AreaSet {
            area: Some(area.to_string()).filter(|a| !a.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn a_significant_failure_is_ready_at_once_and_a_petition_waits() {
        let r = sent();
        let steps = r.set_route("significant-failure", "", "").unwrap();
        assert!(matches!(steps.last(), Some(Step::Ready { .. })));
        let steps = r.set_route("petition", "25", "LS6").unwrap();
        assert_eq!(steps.len(), 1);
        assert!(
            r.set_route("petition", "0", "")
                .unwrap_err()
                .get("threshold")
                .is_some()
        );
        assert!(r.set_route("", "", "").unwrap_err().get("route").is_some());
    }

    #[test]
    fn a_paper_form_is_received_and_signed_on_the_day_it_came() {
        let today = jiff::civil::date(2026, 3, 10);
        let draft = Request::draft("r2".into(), String::new(), answers());
        let e = draft.submit_paper(&answers(), "", today).unwrap_err();
        assert!(e.get("received_on").is_some());
        let e = draft
            .submit_paper(&answers(), "2026-03-11", today)
            .unwrap_err();
        assert_eq!(
            e.get("received_on"),
            Some("The date cannot be in the future")
        );
        let mut blank = answers();
        blank.remove("concerns");
        let e = draft.submit_paper(&blank, "bad", today).unwrap_err();
        assert!(e.get("concerns").is_some() && e.get("received_on").is_some());
        let step = draft.submit_paper(&answers(), "2026-03-04", today).unwrap();
        let mut r = draft.clone();
        r.apply(&step, today);
        assert_eq!(r.received_on, Some(jiff::civil::date(2026, 3, 4)));
        assert_eq!(
            r.form.as_ref().map(|f| f.signed_on),
            Some(jiff::civil::date(2026, 3, 4))
        );
        assert!(
            step.describe()
                .contains("received on paper on 4 March 2026")
        );
        assert!(
            r.acknowledge(jiff::civil::date(2026, 3, 3), today).is_err(),
            "not acknowledged before it came"
        );
    }

    proptest::proptest! {
        /// However many times evidence is recorded, every piece is kept, in order, with
        /// who added it.
        #[test]
        fn evidence_is_only_ever_added(texts in proptest::collection::vec("[a-z]{1,12}", 1..6)) {
            let mut r = sent();
            for s in r.set_route("individual", "", "").unwrap() {
                r.apply(&s, jiff::civil::date(2026, 3, 3));
            }
            for (i, t) in texts.iter().enumerate() {
                for s in r.record_evidence(t, false, &format!("Officer {i}")).unwrap() {
                    r.apply(&s, jiff::civil::date(2026, 3, 4));
                }
            }
            proptest::prop_assert_eq!(r.evidence_log.len(), texts.len());
            for (i, (entry, t)) in r.evidence_log.iter().zip(&texts).enumerate() {
                proptest::prop_assert_eq!(entry.text.as_str(), t.as_str());
                proptest::prop_assert_eq!(&entry.by, &format!("Officer {i}"));
            }
        }
    }
}
