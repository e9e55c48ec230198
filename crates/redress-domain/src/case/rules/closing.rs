//! Ending a case: withdrawn by the person, closed once answered, not taken on (declined),
//! or taken on despite the time limit.

use super::{OPEN, check_date, required};
use crate::case::{Contact, ContactError};
use crate::case::{Context, Decline, DeclineReason};
use crate::event::{Event, EventKind};
use crate::intake::{ContactKind, ContactStatus, ContactStatus::*};
use crate::scheme::Scheme;
use jiff::civil::Date;

pub(super) fn accepts_withdraw(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_status(&OPEN, "withdrawn")
}

pub(super) fn accepts_close(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.detail.kind == ContactKind::Comment {
        return Err(ContactError::Rule(
            "on",
            "Record the comment's outcome instead: acted on, noted or not taken forward".into(),
        ));
    }
    let allowed: &[ContactStatus] = if c.detail.kind == ContactKind::Complaint {
        &[Responded]
    } else {
        &OPEN
    };
    c.require_status(allowed, "closed")
}

/// The time limit matters only to declining a new complaint, and one good reason is enough.
pub(super) fn accepts_override_time_limit(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("accepted outside the time limit")?;
    c.require_status(&[Received], "accepted outside the time limit")?;
    if c.stage() != 1 {
        return Err(ContactError::Rule(
            "reason",
            "Only a new complaint is accepted outside the time limit".into(),
        ));
    }
    if c.case.time_limit_override.is_some() {
        return Err(ContactError::Rule(
            "reason",
            "A good reason for accepting it late is already recorded".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_decline(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("declined")?;
    c.require_status(&[Received], "declined")?;
    if c.stage() != 1 {
        return Err(ContactError::Rule(
            "reason",
            "Only a new complaint can be declined; refuse the escalation instead".into(),
        ));
    }
    Ok(())
}

impl Contact {
    pub(in crate::case) fn withdraw(
        &mut self,
        on: Date,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_withdraw(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "what the person said when withdrawing")?;
        check_date(on, self.received_on, "the contact was received", ctx.today)?;
        self.status = Withdrawn;
        self.closed_on = Some(on);
        self.case.paused = None;
        self.case.withdrawal = Some(reason.clone());
        Ok(ctx.event(
            EventKind::Withdrawn,
            format!("Withdrawn on {on}: {reason}"),
            serde_json::json!({"on": on, "reason": reason}),
        ))
    }

    pub(in crate::case) fn close(
        &mut self,
        on: Date,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_close(self, ctx.scheme)?;
        let floor = self.responded_on().unwrap_or(self.received_on);
        check_date(on, floor, "the response was sent", ctx.today)?;
        self.status = Closed;
        self.closed_on = Some(on);
        self.case.paused = None;
        Ok(ctx.event(
            EventKind::Closed,
            format!("Closed on {on}"),
            serde_json::json!({"on": on}),
        ))
    }

    pub(in crate::case) fn override_time_limit(
        &mut self,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_override_time_limit(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "the good reason for accepting it late")?;
        self.case.time_limit_override = Some(reason.clone());
        Ok(ctx.event(
            EventKind::TimeLimitOverridden,
            format!("Accepted outside the time limit: {reason}"),
            serde_json::json!({"reason": reason}),
        ))
    }

    pub(in crate::case) fn decline(
        &mut self,
        on: Date,
        reason: DeclineReason,
        explanation: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_decline(self, ctx.scheme)?;
        let explanation = required(
            &explanation,
            "explanation",
            "the explanation for the resident",
        )?;
        check_date(
            on,
            self.received_on,
            "the complaint was received",
            ctx.today,
        )?;
        if reason == DeclineReason::TimeLimit {
            if let Some(r) = &self.case.time_limit_override {
                return Err(ContactError::Rule(
                    "reason",
                    format!(
                        "A good reason for the delay was recorded ({r}): the time limit cannot be used to decline"
                    ),
                ));
            }
            let Some(months) = ctx.scheme.time_limit_months else {
                return Err(ContactError::Rule(
                    "reason",
                    "This scheme sets no time limit for making a complaint".into(),
                ));
            };
            let limit = self.detail.issue_date.and_then(|d| {
                d.checked_add(jiff::Span::new().months(i64::from(months)))
                    .ok()
            });
            match limit {
                Some(limit) if self.received_on > limit => {}
                Some(_) => {
                    return Err(ContactError::Rule(
                        "reason",
                        format!("The complaint was made within the {months}-month time limit"),
                    ));
                }
                None => {
                    return Err(ContactError::Rule(
                        "reason",
                        "Record when the issue happened before declining it as too old".into(),
                    ));
                }
            }
        }
        self.case.decline = Some(Decline {
            on,
            reason,
            explanation: explanation.clone(),
        });
        self.status = ContactStatus::Declined;
        self.closed_on = Some(on);
        let ombudsman = ctx
            .scheme
            .ombudsman
            .map(|o| o.name())
            .unwrap_or("ombudsman");
        Ok(ctx.event(
            EventKind::Declined,
            format!("Not taken on: {}. The resident can ask the {ombudsman} to look at this decision", reason.label()),
            serde_json::json!({"on": on, "reason": reason, "explanation": explanation, "signposted_to": ombudsman}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::intake::ContactStatus;
    use crate::scheme::Scheme;
    use jiff::civil::date;

    #[test]
    fn declining_needs_a_valid_reason() {
        let mut recent = received("2025-01-10");
        let decline = |reason| Command::Decline {
            on: date(2025, 3, 4),
            reason,
            explanation: "Explained in the letter".into(),
        };
        assert!(
            run(&mut recent, decline(DeclineReason::TimeLimit))
                .is_err_and(|e| e.to_string().contains("within the 12-month"))
        );
        let mut old = received("2023-06-01");
        assert!(
            run(
                &mut old,
                Command::OverrideTimeLimit {
                    reason: "In hospital for most of the year".into()
                }
            )
            .is_ok()
        );
        assert!(run(&mut old, decline(DeclineReason::TimeLimit)).is_err());
        let mut old = received("2023-06-01");
        assert!(run(&mut old, decline(DeclineReason::TimeLimit)).is_ok());
        assert_eq!(old.status, ContactStatus::Declined);
        assert!(run(&mut old, acknowledge(date(2025, 3, 5))).is_err());
    }

    #[test]
    fn a_scheme_without_a_time_limit_declines_nothing_as_too_old() {
        let scheme = Scheme {
            time_limit_months: None,
            ..hos()
        };
        let cal = calendar();
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: crate::event::Actor::system(),
            at: jiff::Timestamp::UNIX_EPOCH,
            today: date(2025, 6, 30),
            payment_approval_above: None,
        };
        let mut old = received("2020-06-01");
        let refused = old.apply(
            Command::Decline {
                on: date(2025, 3, 4),
                reason: DeclineReason::TimeLimit,
                explanation: "Too old".into(),
            },
            &ctx,
        );
        assert!(refused.is_err_and(|e| e.to_string().contains("sets no time limit")));
    }
}
