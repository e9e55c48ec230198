//! Moving a complaint to its next stage, or refusing to.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "escalate",
        title: "Escalate to the next stage",
        intro: "A resident does not need to give a reason to escalate. Record what they say is still unresolved, if they told you.",
        run: Run::Command(CommandKind::Escalate, parse_escalate),
        fields: fields_escalate,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "refuse-escalation",
        title: "Refuse escalation",
        intro: "Escalation should only be refused for a reason you can defend, such as the unacceptable behaviour policy. The resident will be told they can go to the Ombudsman.",
        run: Run::Command(CommandKind::RefuseEscalation, parse_refuse_escalation),
        fields: fields_refuse_escalation,
        ..ActionForm::BASE
    },
];

fn fields_escalate(c: &Ctx) -> String {
    [
        c.date("requested_on", "Date the resident asked to escalate", ""),
        c.area(
            "reason",
            "What the resident says is still unresolved (optional)",
            "",
        ),
    ]
    .concat()
}

fn parse_escalate(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let reason = || Some(text(form, "reason")).filter(|s| !s.is_empty());
    parse_date(form, e, "requested_on").map(|requested_on| Command::Escalate {
        requested_on,
        reason: reason(),
    })
}

fn fields_refuse_escalation(c: &Ctx) -> String {
    [
        c.date("on", "Date of the decision", ""),
        c.area("reason", "Reason for refusing", ""),
    ]
    .concat()
}

fn parse_refuse_escalation(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::RefuseEscalation {
        on,
        reason: text(form, "reason"),
    })
}
