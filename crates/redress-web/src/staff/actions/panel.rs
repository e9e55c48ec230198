//! The Tenants Panel step recorded by staff: a request the resident made by phone or
//! letter, and input the panel gave on paper. The panel's own page is `staff/panel.rs`.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "ask-tenants-panel",
        title: "Ask the Tenants Panel",
        intro: "Where the Tenants Panel is offered for this service area, a resident unhappy with the stage 1 response can ask the panel to look at the complaint and the response. The panel's target date follows from the area's setting. The resident can still ask for stage 2.",
        run: Run::Command(CommandKind::AskTenantsPanel, parse_ask),
        fields: fields_ask,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "record-panel-input",
        title: "Record the Tenants Panel's input",
        intro: "Where the panel gave its input on paper or at a meeting, record it here. Panel members can also give it themselves on the Tenants Panel page.",
        run: Run::Command(CommandKind::RecordPanelInput, parse_input),
        fields: fields_input,
        ..ActionForm::BASE
    },
];

fn fields_ask(c: &Ctx) -> String {
    [
        c.date("on", "Date the resident asked", ""),
        c.area(
            "why",
            "What the resident is unhappy with in the response",
            "The panel reads this with the complaint and the response.",
        ),
    ]
    .concat()
}

fn parse_ask(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    // The area's target replaces `within` when the command is applied.
    parse_date(form, e, "on").map(|on| Command::AskTenantsPanel {
        on,
        why: text(form, "why"),
        within: 0,
    })
}

fn fields_input(c: &Ctx) -> String {
    [
        c.date("on", "Date the panel gave its input", ""),
        c.area("input", "The panel's input", ""),
    ]
    .concat()
}

fn parse_input(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::RecordPanelInput {
        on,
        input: text(form, "input"),
    })
}
