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

    pub fn set_panel(&self, members: &str) -> Result<Step, FieldErrors> {
        self.expect(&[Status::Appealed], "panel", "Setting the panel")?;
        if self.appeal.as_ref().is_some_and(|a| a.upheld.is_some()) {
            return Err(refuse("panel", "The panel has already decided"));
        }
        Ok(Step::PanelSet {
            members: appeal::parse_panel(members).map_err(|m| refuse("panel", m))?,
        })
    }

    pub fn decide_appeal(
        &self,
        upheld: &str,
        reasons: &str,
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
        Ok(Step::AppealDecided {
            upheld,
            reasons: text("reasons", reasons, "the panel's reasons")?,
            on: today,
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
            r.decide_appeal("yes", "x", today)
                .unwrap_err()
                .get("upheld")
                .is_some()
        );
        assert!(r.set_panel("A\nB\nC").is_err());
        let s = r.set_panel("A\nB\nC\nD").unwrap();
        r.apply(&s, today);
        let s = r
            .decide_appeal("no", "Avenues not exhausted", today)
            .unwrap();
        r.apply(&s, today);
        assert!(r.decide_appeal("yes", "again", today).is_err(), "final");
        let s = r.send_appeal_decision(today, "email", today).unwrap();
        r.apply(&s, today);
        assert_eq!(r.status, Status::Closed);
    }
}
