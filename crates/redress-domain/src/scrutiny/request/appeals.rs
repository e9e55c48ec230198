//! The appeal to a Link Group panel, from the decision being sent.

use super::{Request, SHORT, Status, not_future, refuse, text};
use crate::FieldErrors;
use crate::field::Text;
use crate::scrutiny::{Step, appeal};
use jiff::civil::Date;

impl Request {
    /// An appeal, in writing, within the window from the decision being sent.
    pub fn appeal(
        &self,
        received_on: Date,
        grounds: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Decided], "grounds", "Appealing")?;
        let sent = self
            .decision
            .as_ref()
            .and_then(|d| d.sent_on)
            .ok_or_else(|| refuse("grounds", "The decision has not been sent yet"))?;
        not_future("received_on", received_on, today)?;
        appeal::check_in_time(sent, received_on).map_err(|m| refuse("received_on", m))?;
        Ok(Step::AppealReceived {
            on: received_on,
            grounds: text("grounds", grounds, "why you disagree with the decision")?,
        })
    }

    /// The panel: 4 to 6 of the registered Link Group members (`registered`), none of whom
    /// took part in the team's decision (`decided_by`), so the panel reviews it freshly.
    pub fn set_panel(
        &self,
        chosen: &[String],
        registered: &[String],
        decided_by: &[String],
    ) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Appealed], "panel", "Setting the panel")?;
        if self.appeal.as_ref().is_some_and(|a| a.upheld.is_some()) {
            return Err(refuse("panel", "The panel has already decided"));
        }
        if let Some(stranger) = chosen.iter().find(|c| !registered.contains(c)) {
            return Err(refuse(
                "panel",
                format!("{stranger} is not a registered Link Group member"),
            ));
        }
        if let Some(judge) = chosen.iter().find(|c| decided_by.contains(c)) {
            return Err(refuse(
                "panel",
                format!(
                    "{judge} took part in the team's decision, so cannot sit on the panel that \
                     reviews it"
                ),
            ));
        }
        Ok(Step::PanelSet {
            members: appeal::parse_panel(&chosen.join("\n")).map_err(|m| refuse("panel", m))?,
        })
    }

    /// The panel's final decision. An upheld appeal puts the panel's decision (`outcome`,
    /// with a Service Review Group or recommendations where it needs them) in place of the
    /// team's; one not upheld leaves the team's standing.
    pub fn decide_appeal(
        &self,
        upheld: &str,
        reasons: &str,
        [outcome, review_group, recommendations]: [&str; 3],
        today: Date,
    ) -> Result<Step, FieldErrors> {
        self.expect(
            &[Status::Appealed],
            "upheld",
            "Recording the panel's decision",
        )?;
        let appeal = self
            .appeal
            .as_ref()
            .ok_or_else(|| refuse("upheld", "There is no appeal"))?;
        if appeal.panel.is_empty() {
            return Err(refuse(
                "upheld",
                "Set the panel of 4 to 6 Link Group members first",
            ));
        }
        if appeal.upheld.is_some() {
            return Err(refuse(
                "upheld",
                "The panel's decision is final and already recorded",
            ));
        }
        let upheld = match upheld {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(refuse(
                    "upheld",
                    "Select whether the panel upheld the appeal",
                ));
            }
        };
        let reasons = text("reasons", reasons, "the panel's reasons")?;
        let decision = if upheld {
            let d = self.checked_decision(
                "appeal_",
                [outcome, reasons.as_str(), review_group, recommendations],
                today,
            )?;
            if self
                .decision
                .as_ref()
                .is_some_and(|t| t.outcome == d.outcome)
            {
                return Err(refuse(
                    "appeal_outcome",
                    "An upheld appeal changes the team's decision: select the decision the \
                     panel puts in its place",
                ));
            }
            Some(d)
        } else {
            None
        };
        Ok(Step::AppealDecided {
            upheld,
            reasons,
            on: today,
            decision,
        })
    }

    pub fn send_appeal_decision(
        &self,
        on: Date,
        how: &str,
        today: Date,
    ) -> Result<Step, FieldErrors> {
        let decided = self.appeal.as_ref().and_then(|a| a.decided_on);
        let Some(decided) = decided.filter(|_| self.status == Status::Appealed) else {
            return Err(refuse("on", "The panel has not decided yet"));
        };
        not_future("on", on, today)?;
        if on < decided {
            return Err(refuse(
                "on",
                "The date cannot be before the panel's decision",
            ));
        }
        Ok(Step::AppealSent {
            on,
            how: Text::parse(how, "how they were told", SHORT)
                .map_err(|m| refuse("how", m))?
                .into_string(),
        })
    }

    /// The last day an appeal can be received, once the decision has been sent.
    pub fn appeal_by(&self) -> Option<Date> {
        self.decision
            .as_ref()
            .and_then(|d| d.sent_on)
            .and_then(appeal::deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use jiff::civil::date;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_appeal_runs_from_the_decision_being_sent() {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        for s in r
            .decide(
                "not-yet",
                "Use the complaints procedure first",
                "",
                "",
                date(2026, 3, 10),
            )
            .unwrap()
        {
            r.apply(&s, date(2026, 3, 10));
        }
        let today = date(2026, 5, 1);
        assert!(
            r.appeal(date(2026, 3, 12), "I did", today).is_err(),
            "not sent yet"
        );
        let s = r.inform(date(2026, 3, 11), "email", today).unwrap();
        r.apply(&s, date(2026, 3, 11));
        assert_eq!(r.appeal_by(), Some(date(2026, 4, 8)));
        let late = r.appeal(date(2026, 4, 9), "I did", today).unwrap_err();
        assert!(late.get("received_on").unwrap().contains("8 April 2026"));
        let s = r
            .appeal(date(2026, 4, 8), "I complained twice", today)
            .unwrap();
        r.apply(&s, date(2026, 4, 8));
        assert!(
            r.decide_appeal("yes", "x", ["accepted", "", ""], today)
                .unwrap_err()
                .get("upheld")
                .is_some()
        );
        let registered = names(&["A", "B", "C", "D", "E"]);
        assert!(
            r.set_panel(&names(&["A", "B", "C"]), &registered, &[])
                .is_err()
        );
        let s = r
            .set_panel(&names(&["A", "B", "C", "D"]), &registered, &[])
            .unwrap();
        r.apply(&s, today);
        let s = r
            .decide_appeal("no", "Avenues not exhausted", ["", "", ""], today)
            .unwrap();
        r.apply(&s, today);
        assert!(
            r.decide_appeal("yes", "again", ["accepted", "", ""], today)
                .is_err(),
            "final"
        );
        let s = r.send_appeal_decision(today, "email", today).unwrap();
        r.apply(&s, today);
        assert_eq!(r.status, Status::Closed);
    }

    /// A request the team did not accept yet, told to the requester, appealed in time.
    fn appealed() -> Request {
        let mut r = sent();
        for s in r.set_route("significant-failure", "", "").unwrap() {
            r.apply(&s, date(2026, 3, 3));
        }
        let area = r.set_area("repairs", &["repairs".to_string()]).unwrap();
        r.apply(&area, date(2026, 3, 3));
        for s in r
            .decide(
                "not-yet",
                "Use the complaints procedure first",
                "",
                "",
                date(2026, 3, 10),
            )
            .unwrap()
        {
            r.apply(&s, date(2026, 3, 10));
        }
        let s = r
            .inform(date(2026, 3, 11), "post", date(2026, 3, 11))
            .unwrap();
        r.apply(&s, date(2026, 3, 11));
        let s = r
            .appeal(
                date(2026, 3, 20),
                "I complained twice already",
                date(2026, 3, 20),
            )
            .unwrap();
        r.apply(&s, date(2026, 3, 20));
        r
    }

    #[test]
    fn the_panel_is_registered_members_who_did_not_decide() {
        let r = appealed();
        let registered = names(&["Ann", "Bo", "Cy", "Di", "Ed"]);
        let stranger = r.set_panel(&names(&["Ann", "Bo", "Cy", "Zed"]), &registered, &[]);
        assert!(
            stranger
                .unwrap_err()
                .get("panel")
                .is_some_and(|m| m.contains("Zed"))
        );
        let judge = r.set_panel(
            &names(&["Ann", "Bo", "Cy", "Di"]),
            &registered,
            &names(&["Di"]),
        );
        assert!(
            judge
                .unwrap_err()
                .get("panel")
                .is_some_and(|m| m.contains("took part"))
        );
        assert!(
            r.set_panel(
                &names(&["Ann", "Bo", "Cy", "Ed"]),
                &registered,
                &names(&["Di"])
            )
            .is_ok()
        );
    }

    #[test]
    fn an_upheld_appeal_replaces_the_team_s_decision() {
        let mut r = appealed();
        let registered = names(&["Ann", "Bo", "Cy", "Di"]);
        let s = r.set_panel(&registered, &registered, &[]).unwrap();
        r.apply(&s, date(2026, 4, 1));
        let today = date(2026, 4, 2);
        let same = r.decide_appeal("yes", "Avenues were exhausted", ["not-yet", "", ""], today);
        assert!(same.unwrap_err().get("appeal_outcome").is_some());
        let referral =
            r.decide_appeal("yes", "Avenues were exhausted", ["referred", "", ""], today);
        assert!(referral.unwrap_err().get("appeal_review_group").is_some());
        let s = r
            .decide_appeal("yes", "Avenues were exhausted", ["accepted", "", ""], today)
            .unwrap();
        r.apply(&s, today);
        let d = r.decision.as_ref().unwrap();
        assert_eq!(
            (d.outcome, d.decided_on),
            (crate::scrutiny::Outcome::Accepted, today)
        );
        assert_eq!(
            d.sent_on,
            Some(date(2026, 3, 11)),
            "the team's letter still dates the appeal window"
        );
        assert_eq!(
            r.appeal.as_ref().and_then(|a| a.outcome),
            Some(crate::scrutiny::Outcome::Accepted)
        );
        assert!(s.describe().contains("Accepted for scrutiny"));
    }

    #[test]
    fn a_dismissed_appeal_leaves_the_decision_standing() {
        let mut r = appealed();
        let registered = names(&["Ann", "Bo", "Cy", "Di"]);
        let s = r.set_panel(&registered, &registered, &[]).unwrap();
        r.apply(&s, date(2026, 4, 1));
        let s = r
            .decide_appeal(
                "no",
                "The complaints procedure is still open",
                ["accepted", "", ""],
                date(2026, 4, 2),
            )
            .unwrap();
        r.apply(&s, date(2026, 4, 2));
        assert_eq!(
            r.decision.as_ref().map(|d| d.outcome),
            Some(crate::scrutiny::Outcome::NotYet)
        );
    }
}
