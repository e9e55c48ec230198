//! Assigning a case: the complaints officer, and at each stage its case worker.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "assign-officer",
        title: "Assign a complaints officer",
        run: Run::Command(CommandKind::AssignOfficer, parse_assign_officer),
        fields: fields_assign_officer_or_assign_handler,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "assign-case-worker",
        title: "Assign a case worker",
        run: Run::Command(CommandKind::AssignHandler, parse_assign_handler),
        fields: fields_assign_officer_or_assign_handler,
        ..ActionForm::BASE
    },
];

fn fields_assign_officer_or_assign_handler(c: &Ctx) -> String {
    let Ctx { form, users, .. } = *c;
    [
        form.select("to", "Who", "", &staff_options(users)),
        c.area(
            "reason",
            "Reason for the change (needed when reassigning)",
            "",
        ),
    ]
    .concat()
}

fn parse_assign_officer(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, users, .. } = *c;
    let reason = || Some(text(form, "reason")).filter(|s| !s.is_empty());
    assignee(form, e, users).map(|to| Command::AssignOfficer {
        to,
        reason: reason(),
    })
}

fn parse_assign_handler(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, users, .. } = *c;
    let reason = || Some(text(form, "reason")).filter(|s| !s.is_empty());
    assignee(form, e, users).map(|to| Command::AssignHandler {
        to,
        reason: reason(),
    })
}
