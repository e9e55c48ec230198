//! Who handles a case: the complaints officer for the whole case, and a case worker for
//! each stage of a complaint.

use super::{OPEN, optional};
use crate::case::{Assignee, Context};
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::ContactStatus::*;
use crate::scheme::Scheme;

pub(super) fn accepts_assign_officer(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_status(&[Received, Acknowledged, Responded], "reassigned")
}

pub(super) fn accepts_assign_handler(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("given a case worker")?;
    c.require_status(&OPEN, "given a case worker")
}

impl Contact {
    pub(in crate::case) fn assign_officer(
        &mut self,
        to: Assignee,
        reason: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_assign_officer(self, ctx.scheme)?;
        let reason = optional(reason);
        if let Some(current) = &self.case.officer {
            if current.user_id == to.user_id {
                return Err(ContactError::Rule(
                    "to",
                    format!("{} is already the complaints officer", to.name),
                ));
            }
            if reason.is_none() {
                return Err(ContactError::Missing(
                    "reason",
                    "the reason for the reassignment",
                ));
            }
        }
        let summary = format!("Complaints officer: {}", to.name);
        let detail = serde_json::json!({"officer": to.user_id, "reason": reason});
        self.case.officer = Some(to);
        Ok(ctx.event(EventKind::Assigned, summary, detail))
    }

    pub(in crate::case) fn assign_handler(
        &mut self,
        to: Assignee,
        reason: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_assign_handler(self, ctx.scheme)?;
        let reason = optional(reason);
        let stage = self.stage();
        let rule = ctx.scheme.stage(stage)?;
        if rule.different_handler
            && let Some(previous) = self
                .case
                .stages
                .iter()
                .rev()
                .skip(1)
                .find_map(|s| s.handler.as_ref())
            && previous.user_id == to.user_id
        {
            return Err(ContactError::Rule(
                "to",
                format!(
                    "The stage {stage} handler must be a different person from the one who handled the earlier stage ({})",
                    previous.name
                ),
            ));
        }
        let current = self.current_mut()?;
        if let Some(existing) = &current.handler {
            if existing.user_id == to.user_id {
                return Err(ContactError::Rule(
                    "to",
                    format!("{} is already handling this stage", to.name),
                ));
            }
            if reason.is_none() {
                return Err(ContactError::Missing(
                    "reason",
                    "the reason for the reassignment",
                ));
            }
        }
        let summary = format!("Stage {stage} case worker: {}", to.name);
        let detail = serde_json::json!({"stage": stage, "handler": to.user_id, "reason": reason});
        current.handler = Some(to);
        Ok(ctx.event(EventKind::Assigned, summary, detail))
    }
}
