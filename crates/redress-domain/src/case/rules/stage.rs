//! A stage's own steps: acknowledging, extending, pausing and resuming, and the response.

use super::{OPEN, check_date, optional, required};
use crate::case::{Contact, ContactError};
use crate::case::{Context, Extension, Outcome, Pause, PointDecision, StageResponse};
use crate::event::{Event, EventKind};
use crate::intake::ContactStatus::*;
use crate::scheme::Scheme;
use jiff::civil::Date;

pub(super) fn accepts_acknowledge(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("acknowledged")?;
    c.require_status(&[Received], "acknowledged")
}

pub(super) fn accepts_extend(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("extended")?;
    c.require_status(&OPEN, "extended")
}

pub(super) fn accepts_pause(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_status(&OPEN, "paused")?;
    if c.case.paused.is_some() {
        return Err(ContactError::Rule(
            "on",
            "The case is already paused".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_resume(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    match c.case.paused {
        Some(_) => Ok(()),
        None => Err(not_paused()),
    }
}

fn not_paused() -> ContactError {
    ContactError::Rule("on", "The case is not paused".into())
}

/// Only stage 1 can be resolved early, so an unacknowledged complaint at a later stage has
/// no response the rule would take until it is acknowledged.
pub(super) fn accepts_respond(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    open_complaint_to_respond(c)?;
    if c.status == Received && c.stage() != 1 {
        return Err(acknowledge_first());
    }
    Ok(())
}

fn open_complaint_to_respond(c: &Contact) -> Result<(), ContactError> {
    c.require_complaint("responded to")?;
    c.require_status(&OPEN, "responded to")
}

fn acknowledge_first() -> ContactError {
    ContactError::Rule(
        "early_resolution",
        "Acknowledge the complaint first, or record the response as an early resolution".into(),
    )
}

impl Contact {
    pub(in crate::case) fn acknowledge(
        &mut self,
        on: Date,
        understanding: String,
        outcome_wanted: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_acknowledge(self, ctx.scheme)?;
        let understanding = required(
            &understanding,
            "understanding",
            "your understanding of the complaint",
        )?;
        let outcome_wanted = required(
            &outcome_wanted,
            "outcome_wanted",
            "the outcome the resident wants",
        )?;
        let stage = self.stage();
        let current = self.current_mut()?;
        check_date(
            on,
            current.started_on,
            "the complaint was received",
            ctx.today,
        )?;
        let late = current.acknowledge_by.is_some_and(|due| on > due);
        if current.extensions.is_empty() {
            let d = ctx
                .scheme
                .deadlines(ctx.calendar, stage, current.started_on, Some(on))?;
            current.original_respond_by = d.respond_by;
            current.respond_by = d.respond_by;
            current.latest_extended_respond_by = d.latest_extended_respond_by;
        }
        current.acknowledged_on = Some(on);
        current.understanding = Some(understanding.clone());
        current.outcome_wanted = Some(outcome_wanted.clone());
        let respond_by = current.respond_by;
        self.status = Acknowledged;
        Ok(ctx.event(
            EventKind::Acknowledged,
            format!("Stage {stage} acknowledged on {on}{}; response due by {respond_by}", if late { " (late)" } else { "" }),
            serde_json::json!({"stage": stage, "acknowledged_on": on, "respond_by": respond_by, "late": late,
                "understanding": understanding, "outcome_wanted": outcome_wanted}),
        ))
    }

    pub(in crate::case) fn extend(
        &mut self,
        on: Date,
        to: Date,
        reason: String,
        resident_told_on: Date,
        good_reason: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_extend(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "the reason for the extension")?;
        let good_reason = optional(good_reason);
        let stage = self.stage();
        let current = self.current_mut()?;
        check_date(on, current.started_on, "the stage started", ctx.today)?;
        if on > current.respond_by {
            return Err(ContactError::Rule(
                "on",
                format!(
                    "An extension must be agreed on or before the current response date ({})",
                    current.respond_by
                ),
            ));
        }
        if to <= current.respond_by {
            return Err(ContactError::Rule(
                "to",
                format!(
                    "The new response date must be after the current one ({})",
                    current.respond_by
                ),
            ));
        }
        if resident_told_on < on || resident_told_on > ctx.today {
            return Err(ContactError::Rule(
                "resident_told_on",
                "The date the resident was told must be between the date agreed and today".into(),
            ));
        }
        let outside_code = current
            .latest_extended_respond_by
            .is_some_and(|cap| to > cap);
        if outside_code && good_reason.is_none() {
            return Err(ContactError::Rule(
                "good_reason",
                format!(
                    "{to} is beyond the scheme's extension limit ({}): record a good reason to go further",
                    current
                        .latest_extended_respond_by
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ),
            ));
        }
        let from = current.respond_by;
        current.extensions.push(Extension {
            agreed_on: on,
            reason: reason.clone(),
            from,
            to,
            resident_told_on,
            outside_code,
            good_reason: good_reason.clone(),
        });
        current.respond_by = to;
        Ok(ctx.event(
            EventKind::Extended,
            format!("Stage {stage} response date moved from {from} to {to}{}", if outside_code { " (outside the Code)" } else { "" }),
            serde_json::json!({"stage": stage, "from": from, "to": to, "reason": reason,
                "resident_told_on": resident_told_on, "outside_code": outside_code, "good_reason": good_reason}),
        ))
    }

    pub(in crate::case) fn pause(
        &mut self,
        on: Date,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_pause(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "the procedure the case is waiting for")?;
        check_date(on, self.received_on, "the contact was received", ctx.today)?;
        self.case.paused = Some(Pause {
            since: on,
            reason: reason.clone(),
        });
        Ok(ctx.event(
            EventKind::Paused,
            format!("Paused on {on} for a concurrent procedure: {reason}"),
            serde_json::json!({"on": on, "reason": reason}),
        ))
    }

    pub(in crate::case) fn resume(
        &mut self,
        on: Date,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_resume(self, ctx.scheme)?;
        let Some(pause) = self.case.paused.clone() else {
            return Err(not_paused());
        };
        check_date(on, pause.since, "the pause began", ctx.today)?;
        self.case.paused = None;
        Ok(ctx.event(
            EventKind::Resumed,
            format!("Resumed on {on} (paused since {})", pause.since),
            serde_json::json!({"on": on, "paused_since": pause.since}),
        ))
    }

    pub(in crate::case) fn respond(
        &mut self,
        on: Date,
        points: Vec<PointDecision>,
        reasons: String,
        outstanding_actions: Option<String>,
        early_resolution: bool,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        // The response's own details are checked before the stage rule, as they always
        // were: an early resolution asked for at stage 2 keeps its own message. Every
        // case the stage rule refuses has been refused by then, so the order changes nothing.
        open_complaint_to_respond(self)?;
        if self.status == Received && !early_resolution {
            return Err(acknowledge_first());
        }
        if early_resolution && self.stage() != 1 {
            return Err(ContactError::Rule(
                "early_resolution",
                "Only a stage 1 complaint can be resolved early".into(),
            ));
        }
        accepts_respond(self, ctx.scheme)?;
        let points: Vec<PointDecision> = points
            .into_iter()
            .map(|p| PointDecision {
                point: p.point.trim().to_string(),
                upheld: p.upheld,
            })
            .filter(|p| !p.point.is_empty())
            .collect();
        if points.is_empty() {
            return Err(ContactError::Missing(
                "points",
                "at least one point of complaint and the decision on it",
            ));
        }
        let reasons = required(&reasons, "reasons", "the reasons for the decision")?;
        let outstanding_actions = optional(outstanding_actions);
        let upheld = points.iter().filter(|p| p.upheld).count();
        let outcome = match upheld {
            0 => Outcome::NotUpheld,
            n if n == points.len() => Outcome::Upheld,
            _ => Outcome::PartlyUpheld,
        };
        let stage = self.stage();
        let current = self.current_mut()?;
        check_date(on, current.started_on, "the stage started", ctx.today)?;
        let late = on > current.respond_by;
        current.response = Some(StageResponse {
            sent_on: on,
            points: points.clone(),
            outcome,
            reasons: reasons.clone(),
            outstanding_actions: outstanding_actions.clone(),
            early_resolution,
        });
        self.status = Responded;
        Ok(ctx.event(
            EventKind::Responded,
            format!(
                "Stage {stage} response sent on {on}: {}{}{}",
                outcome.label().to_lowercase(),
                if early_resolution {
                    ", resolved early"
                } else {
                    ""
                },
                if late { " (late)" } else { "" }
            ),
            serde_json::json!({"stage": stage, "sent_on": on, "outcome": outcome, "points": points,
                "reasons": reasons, "outstanding_actions": outstanding_actions,
                "early_resolution": early_resolution, "late": late}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use jiff::civil::date;

    #[test]
    fn the_next_deadline_is_the_acknowledgement_then_the_response() {
        let mut c = received("");
        assert_eq!(c.next_deadline(), c.acknowledge_by());
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        assert_eq!(c.next_deadline(), c.respond_by());
        assert!(run(&mut c, respond(date(2025, 3, 10))).is_ok());
        assert_eq!(c.next_deadline(), None, "nothing is due once responded");
    }

    #[test]
    fn extensions_within_and_beyond_the_cap() {
        let mut c = received("");
        assert!(run(&mut c, acknowledge(date(2025, 3, 10))).is_ok());
        assert_eq!(c.respond_by(), Some(date(2025, 3, 24)));
        let extend = |to, good_reason: Option<&str>| Command::Extend {
            on: date(2025, 3, 20),
            to,
            reason: "Waiting for the contractor's report".into(),
            resident_told_on: date(2025, 3, 20),
            good_reason: good_reason.map(str::to_string),
        };
        // The cap is ten working days after 24 March: 7 April.
        let beyond = run(&mut c, extend(date(2025, 4, 8), None));
        assert!(
            beyond.as_ref().is_err_and(|e| e.field() == "good_reason"),
            "{beyond:?}"
        );
        assert!(run(&mut c, extend(date(2025, 4, 7), None)).is_ok());
        assert!(c.current().is_some_and(|s| !s.extensions[0].outside_code));
        let late = Command::Extend {
            on: date(2025, 4, 8),
            to: date(2025, 4, 20),
            reason: "More time".into(),
            resident_told_on: date(2025, 4, 8),
            good_reason: None,
        };
        assert!(run(&mut c, late).is_err_and(|e| {
            e.to_string()
                .contains("on or before the current response date")
        }));
        let with_reason = Command::Extend {
            on: date(2025, 4, 1),
            to: date(2025, 4, 30),
            reason: "Structural survey needed".into(),
            resident_told_on: date(2025, 4, 1),
            good_reason: Some("The resident asked us to wait for the survey".into()),
        };
        assert!(run(&mut c, with_reason).is_ok());
        assert!(
            c.current()
                .is_some_and(|s| s.extensions[1].outside_code && s.respond_by == date(2025, 4, 30))
        );
    }

    #[test]
    fn pauses_are_shown_and_stop_the_countdown_display() {
        let mut c = received("");
        assert!(
            run(
                &mut c,
                Command::Pause {
                    on: date(2025, 3, 4),
                    reason: "Disciplinary investigation".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::Pause {
                    on: date(2025, 3, 4),
                    reason: "again".into()
                }
            )
            .is_err()
        );
        assert!(
            c.deadlines_on(&calendar(), date(2025, 3, 5))
                .iter()
                .any(|d| d.working_days_left.is_some()),
            "the clock keeps running while paused"
        );
        assert!(
            run(
                &mut c,
                Command::Resume {
                    on: date(2025, 3, 3)
                }
            )
            .is_err_and(|e| e == ContactError::TooEarly("the pause began"))
        );
        assert!(
            run(
                &mut c,
                Command::Resume {
                    on: date(2025, 3, 6)
                }
            )
            .is_ok()
        );
        assert_eq!(
            c.deadlines_on(&calendar(), date(2025, 3, 5))[0].working_days_left,
            Some(3)
        );
    }

    #[test]
    fn an_unacknowledged_later_stage_offers_no_response() {
        let scheme = hos();
        let mut c = received("");
        // At stage 1 an early resolution can still answer it before acknowledging.
        assert!(c.allows(CommandKind::Respond, &scheme));
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        assert!(run(&mut c, respond(date(2025, 3, 17))).is_ok());
        let escalate = Command::Escalate {
            requested_on: date(2025, 3, 20),
            reason: None,
        };
        assert!(run(&mut c, escalate).is_ok());
        assert_eq!(c.stage(), 2);
        assert!(!c.allows(CommandKind::Respond, &scheme));
        let why = c.accepts(CommandKind::Respond, &scheme);
        let said = "Acknowledge the complaint first, or record the response as an early resolution";
        assert!(why.is_err_and(|e| e.field() == "early_resolution" && e.to_string() == said));
        // The rule's messages for the command itself are as they were.
        assert!(run(&mut c, respond(date(2025, 3, 21))).is_err_and(|e| e.to_string() == said));
        let early = match respond(date(2025, 3, 21)) {
            Command::Respond {
                on,
                points,
                reasons,
                outstanding_actions,
                ..
            } => Command::Respond {
                on,
                points,
                reasons,
                outstanding_actions,
                early_resolution: true,
            },
            other => other,
        };
        assert!(
            run(&mut c, early)
                .is_err_and(|e| e.to_string() == "Only a stage 1 complaint can be resolved early")
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 21))).is_ok());
        assert!(c.allows(CommandKind::Respond, &scheme));
    }
}
