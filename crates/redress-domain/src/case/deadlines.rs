//! The clocks of a case: each stage's due dates when it starts, and how they stand today.

use super::{Contact, ContactError, StageRecord};
use crate::calendar::WorkingCalendar;
use crate::scheme::Scheme;
use jiff::civil::Date;
use serde::Serialize;

/// How a deadline stands today, for the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    pub label: &'static str,
    pub due: Date,
    pub met_on: Option<Date>,
    /// Working days left (positive), or overdue (negative); `None` once met or paused.
    pub working_days_left: Option<i64>,
}

impl Contact {
    /// The clocks as they stand on `today`.
    pub fn deadlines_on(&self, calendar: &WorkingCalendar, today: Date) -> Vec<DeadlineView> {
        let Some(stage) = self.current() else {
            return self
                .case
                .reply_by
                .map(|due| {
                    let replied = self.case.reply.as_ref().map(|r| r.on);
                    vec![DeadlineView {
                        label: "Reply by",
                        due,
                        met_on: replied,
                        working_days_left: (replied.is_none() && self.status.is_open())
                            .then(|| calendar.working_days_left(today, due)),
                    }]
                })
                .unwrap_or_default();
        };
        // A pause for another procedure does not stop the Code's clock (complaints.md §4):
        // the days left keep counting so a paused case cannot drift past its date unseen.
        let running = self.status.is_open();
        let mut out = Vec::new();
        if let Some(due) = stage.acknowledge_by {
            out.push(DeadlineView {
                label: "Acknowledge by",
                due,
                met_on: stage.acknowledged_on,
                working_days_left: (stage.acknowledged_on.is_none() && running)
                    .then(|| calendar.working_days_left(today, due)),
            });
        }
        let responded = stage.response.as_ref().map(|r| r.sent_on);
        out.push(DeadlineView {
            label: "Respond by",
            due: stage.respond_by,
            met_on: responded,
            working_days_left: (responded.is_none() && running)
                .then(|| calendar.working_days_left(today, stage.respond_by)),
        });
        // The panel's target runs whatever the case's status: a closed case can wait on it.
        if let Some(panel) = &self.case.panel {
            let given = panel.input.as_ref().map(|i| i.on);
            out.push(DeadlineView {
                label: "Tenants Panel input by",
                due: panel.due_by,
                met_on: given,
                working_days_left: given
                    .is_none()
                    .then(|| calendar.working_days_left(today, panel.due_by)),
            });
        }
        out
    }
}

/// A new stage with its clocks set from the day it starts.
pub(super) fn new_stage(
    scheme: &Scheme,
    calendar: &WorkingCalendar,
    stage: u8,
    started_on: Date,
    escalation_reason: Option<String>,
) -> Result<StageRecord, ContactError> {
    let d = scheme.deadlines(calendar, stage, started_on, None)?;
    Ok(StageRecord {
        stage,
        started_on,
        escalation_reason,
        handler: None,
        acknowledge_by: d.acknowledge_by,
        acknowledged_on: None,
        understanding: None,
        outcome_wanted: None,
        original_respond_by: d.respond_by,
        respond_by: d.respond_by,
        latest_extended_respond_by: d.latest_extended_respond_by,
        extensions: Vec::new(),
        response: None,
    })
}
