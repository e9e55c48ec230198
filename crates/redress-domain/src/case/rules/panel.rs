//! The Tenants Panel (seed 002): a council tenant unhappy with the stage 1 response to a
//! housing complaint can ask the local Tenants Panel to examine the complaint and the
//! response; the panel gives its input to the service within a target of its own. It sits
//! beside the complaint's stages: asking neither escalates nor stops an escalation.

use super::{check_date, not_erased, required};
use crate::case::{Contact, ContactError, Context, PanelInput, PanelReview};
use crate::event::{Event, EventKind};
use crate::intake::ContactStatus::{Closed, Responded};
use crate::scheme::{Scheme, SchemeError};
use jiff::civil::Date;

/// Once, after the stage 1 response and before stage 2 starts.
pub(super) fn accepts_ask_tenants_panel(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("looked at by the Tenants Panel")?;
    c.require_status(&[Responded, Closed], "looked at by the Tenants Panel")?;
    if c.stage() != 1 {
        return Err(ContactError::Rule(
            "why",
            "The Tenants Panel looks at stage 1 responses only".into(),
        ));
    }
    if c.case.panel.is_some() {
        return Err(ContactError::Rule(
            "why",
            "The Tenants Panel has already been asked to look at this complaint".into(),
        ));
    }
    not_erased(c, "why")
}

/// Once the panel has been asked, until it gives its input.
pub(super) fn accepts_record_panel_input(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    match &c.case.panel {
        None => Err(ContactError::Rule(
            "input",
            "The Tenants Panel has not been asked to look at this complaint".into(),
        )),
        Some(p) if p.input.is_some() => Err(ContactError::Rule(
            "input",
            "The Tenants Panel has already given its input".into(),
        )),
        Some(_) => not_erased(c, "input"),
    }
}

impl Contact {
    pub(in crate::case) fn ask_tenants_panel(
        &mut self,
        on: Date,
        why: String,
        within: u32,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_ask_tenants_panel(self, ctx.scheme)?;
        if within == 0 {
            return Err(ContactError::Rule(
                "why",
                "The Tenants Panel is not offered for this service area".into(),
            ));
        }
        let why = required(&why, "why", "what you are unhappy with in the response")?;
        let responded = self
            .current()
            .and_then(|s| s.response.as_ref())
            .map_or(self.received_on, |r| r.sent_on);
        check_date(on, responded, "the stage 1 response was sent", ctx.today)?;
        let due_by = ctx
            .calendar
            .add_working_days(on, within)
            .map_err(SchemeError::from)?;
        self.case.panel = Some(PanelReview {
            asked_on: on,
            why: why.clone(),
            due_by,
            input: None,
        });
        Ok(ctx.event(
            EventKind::TenantsPanelAsked,
            format!(
                "Tenants Panel asked on {on} to look at the stage 1 response; its input is due by \
                 {due_by}. Why: {why}"
            ),
            serde_json::json!({"on": on, "why": why, "due_by": due_by}),
        ))
    }

    pub(in crate::case) fn record_panel_input(
        &mut self,
        on: Date,
        input: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_record_panel_input(self, ctx.scheme)?;
        let text = required(&input, "input", "the panel's input")?;
        let Some(panel) = self.case.panel.as_mut() else {
            return Err(ContactError::Rule(
                "input",
                "The Tenants Panel has not been asked to look at this complaint".into(),
            ));
        };
        check_date(on, panel.asked_on, "the panel was asked", ctx.today)?;
        let on_time = on <= panel.due_by;
        panel.input = Some(PanelInput {
            on,
            by: ctx.actor.name.clone(),
            text: text.clone(),
        });
        Ok(ctx.event(
            EventKind::TenantsPanelInput,
            format!(
                "Tenants Panel's input on {on}{}: {text}",
                if on_time {
                    ""
                } else {
                    " (after its target date)"
                }
            ),
            serde_json::json!({"on": on, "input": text, "on_time": on_time}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::{Command, CommandKind, Contact};
    use jiff::civil::date;

    fn ask(on: jiff::civil::Date, within: u32) -> Command {
        Command::AskTenantsPanel {
            on,
            why: "The reply ignored the damp in the bedroom".into(),
            within,
        }
    }

    fn responded() -> Contact {
        let mut c = received("");
        run(&mut c, acknowledge(date(2025, 3, 4))).unwrap();
        run(&mut c, respond(date(2025, 3, 14))).unwrap();
        c
    }

    #[test]
    fn asked_once_after_the_stage_1_response_with_its_own_target() {
        let mut c = responded();
        let s = hos();
        assert!(c.allows(CommandKind::AskTenantsPanel, &s));
        assert!(!c.allows(CommandKind::RecordPanelInput, &s));
        let not_offered = run(&mut c, ask(date(2025, 3, 20), 0));
        assert!(not_offered.is_err_and(|e| e.to_string().contains("not offered")));
        let too_early = run(&mut c, ask(date(2025, 3, 13), 10));
        assert!(too_early.is_err_and(|e| e.to_string().contains("response was sent")));
        // Thursday 20 March 2025 plus 10 working days.
        run(&mut c, ask(date(2025, 3, 20), 10)).unwrap();
        assert_eq!(
            c.case.panel.as_ref().map(|p| p.due_by),
            Some(date(2025, 4, 3))
        );
        assert!(!c.allows(CommandKind::AskTenantsPanel, &s));
        // Stage 2 can still be asked for beside it.
        assert!(c.allows(CommandKind::Escalate, &s));
        let input = Command::RecordPanelInput {
            on: date(2025, 4, 4),
            input: "The response should have offered an inspection".into(),
        };
        let events = run(&mut c, input).unwrap();
        assert!(events[0].summary.contains("after its target date"));
        assert!(!c.allows(CommandKind::RecordPanelInput, &s));
        let given = c.case.panel.and_then(|p| p.input).map(|i| i.on);
        assert_eq!(given, Some(date(2025, 4, 4)));
    }

    #[test]
    fn not_before_a_response_nor_for_other_contacts() {
        let mut c = received("");
        run(&mut c, acknowledge(date(2025, 3, 4))).unwrap();
        assert!(run(&mut c, ask(date(2025, 3, 20), 10)).is_err());
        let mut comment = contact("comment", false);
        assert!(run(&mut comment, ask(date(2025, 3, 20), 10)).is_err());
    }

    #[test]
    fn erasing_the_case_erases_what_was_said_to_the_panel() {
        let mut c = responded();
        run(&mut c, ask(date(2025, 3, 20), 10)).unwrap();
        let input = Command::RecordPanelInput {
            on: date(2025, 3, 25),
            input: "The damp survey should be shared with the resident".into(),
        };
        run(&mut c, input).unwrap();
        run(
            &mut c,
            Command::Close {
                on: date(2025, 3, 26),
            },
        )
        .unwrap();
        c.erase_personal_data(date(2025, 6, 1), "Retention ended")
            .unwrap();
        let p = c.case.panel.unwrap();
        assert!(!p.why.contains("damp") && !p.input.unwrap().text.contains("damp"));
    }
}
