//! Moving a complaint to its next stage at the person's request, or refusing to.

use super::{check_date, optional, required};
use crate::case::deadlines::new_stage;
use crate::case::{Contact, ContactError};
use crate::case::{Context, EscalationRefusal};
use crate::event::{Event, EventKind};
use crate::intake::ContactStatus::*;
use crate::scheme::Scheme;
use jiff::civil::Date;

pub(super) fn accepts_escalate(c: &Contact, scheme: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("escalated")?;
    c.require_status(&[Responded, Closed], "escalated")?;
    if c.is_final_stage(scheme) {
        return Err(ContactError::Rule(
            "requested_on",
            format!(
                "Stage {} is the final stage: the resident can now go to the {}",
                c.stage(),
                scheme.ombudsman.map(|o| o.name()).unwrap_or("ombudsman")
            ),
        ));
    }
    Ok(())
}

pub(super) fn accepts_refuse_escalation(c: &Contact, scheme: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("refused escalation")?;
    c.require_status(&[Responded, Closed], "refused escalation")?;
    if c.is_final_stage(scheme) {
        return Err(ContactError::Rule(
            "reason",
            "There is no further stage to refuse".into(),
        ));
    }
    Ok(())
}

impl Contact {
    /// Whether the person may ask for the next stage now: a complaint answered (or closed)
    /// at a stage that is not the scheme's last.
    pub fn can_escalate(&self, scheme: &Scheme) -> bool {
        accepts_escalate(self, scheme).is_ok()
    }
}

impl Contact {
    pub(in crate::case) fn escalate(
        &mut self,
        requested_on: Date,
        reason: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_escalate(self, ctx.scheme)?;
        // Escalating answers a survey answer that read as a complaint.
        self.survey_suggestions_raised(ctx);
        let answered = self.responded_on().unwrap_or(self.received_on);
        check_date(requested_on, answered, "the response was sent", ctx.today)?;
        let reason = optional(reason);
        let stage = self.stage() + 1;
        let record = new_stage(
            ctx.scheme,
            ctx.calendar,
            stage,
            requested_on,
            reason.clone(),
        )?;
        let summary = format!(
            "Escalated to stage {stage} at the resident's request on {requested_on}; acknowledge by {}, respond by {}",
            record
                .acknowledge_by
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            record.respond_by
        );
        let detail = serde_json::json!({"stage": stage, "requested_on": requested_on, "reason": reason,
            "acknowledge_by": record.acknowledge_by, "respond_by": record.respond_by});
        self.case.stages.push(record);
        self.status = Received;
        self.closed_on = None;
        Ok(ctx.event(EventKind::Escalated, summary, detail))
    }

    pub(in crate::case) fn refuse_escalation(
        &mut self,
        on: Date,
        reason: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_refuse_escalation(self, ctx.scheme)?;
        let reason = required(&reason, "reason", "the reason for refusing escalation")?;
        check_date(
            on,
            self.responded_on().unwrap_or(self.received_on),
            "the response was sent",
            ctx.today,
        )?;
        self.case.escalation_refusals.push(EscalationRefusal {
            on,
            reason: reason.clone(),
        });
        let ombudsman = ctx
            .scheme
            .ombudsman
            .map(|o| o.name())
            .unwrap_or("ombudsman");
        Ok(ctx.event(
            EventKind::EscalationRefused,
            format!("Escalation refused on {on}: {reason}. Signposted to the {ombudsman}"),
            serde_json::json!({"on": on, "reason": reason, "signposted_to": ombudsman}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::intake::ContactStatus;
    use jiff::civil::date;

    #[test]
    fn a_complaint_through_both_stages() {
        let mut c = received("2025-02-20");
        assert_eq!(
            (c.stage(), c.acknowledge_by(), c.respond_by()),
            (1, Some(date(2025, 3, 10)), Some(date(2025, 3, 24)))
        );
        assert!(
            run(&mut c, respond(date(2025, 3, 5)))
                .is_err_and(|e| e.to_string().contains("Acknowledge the complaint first"))
        );
        assert!(
            run(
                &mut c,
                Command::AssignHandler {
                    to: person(1),
                    reason: None
                }
            )
            .is_ok()
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        // Acknowledged early: ten working days from 4 March.
        assert_eq!(c.respond_by(), Some(date(2025, 3, 18)));
        assert!(run(&mut c, respond(date(2025, 3, 17))).is_ok());
        let response = c.current().and_then(|s| s.response.clone());
        assert_eq!(response.map(|r| r.outcome), Some(Outcome::PartlyUpheld));
        assert!(
            run(
                &mut c,
                Command::Close {
                    on: date(2025, 3, 17)
                }
            )
            .is_ok()
        );
        assert_eq!(c.status, ContactStatus::Closed);

        // The resident escalates; no reason is needed.
        assert!(
            run(
                &mut c,
                Command::Escalate {
                    requested_on: date(2025, 3, 20),
                    reason: None
                }
            )
            .is_ok()
        );
        assert_eq!(
            (c.stage(), c.status, c.closed_on),
            (2, ContactStatus::Received, None)
        );
        assert_eq!(c.acknowledge_by(), Some(date(2025, 3, 27)));
        let same = run(
            &mut c,
            Command::AssignHandler {
                to: person(1),
                reason: None,
            },
        );
        assert!(same.is_err_and(|e| e.to_string().contains("different person")));
        assert!(
            run(
                &mut c,
                Command::AssignHandler {
                    to: person(2),
                    reason: None
                }
            )
            .is_ok()
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 24))).is_ok());
        assert_eq!(
            c.respond_by(),
            Some(date(2025, 4, 23)),
            "20 working days, skipping Easter"
        );
        assert!(run(&mut c, respond(date(2025, 4, 15))).is_ok());
        let again = run(
            &mut c,
            Command::Escalate {
                requested_on: date(2025, 4, 16),
                reason: None,
            },
        );
        assert!(again.is_err_and(|e| e.to_string().contains("Housing Ombudsman")));
    }
}
