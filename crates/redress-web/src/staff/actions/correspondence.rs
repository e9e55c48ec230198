//! Answering what the case page shows about correspondence and repeats: new emails from
//! the resident marked read, and a possible repeat set aside as a new matter.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "emails-read",
        title: "Mark new emails as read",
        intro: "The emails stay on the case; they stop showing as new correspondence on My work.",
        button: "Mark as read",
        run: Run::Command(CommandKind::MarkEmailsRead, |_, _| {
            Some(Command::MarkEmailsRead)
        }),
        listed: false,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "not-a-repeat",
        title: "Not a repeat: treat as new",
        intro: "The earlier cases shown on the case page are about something else. Say why: the decision is kept, and the contact is dealt with as a new matter.",
        run: Run::Command(CommandKind::TreatAsNew, parse_treat_as_new),
        fields: fields_treat_as_new,
        listed: false,
        ..ActionForm::BASE
    },
];

fn fields_treat_as_new(c: &Ctx) -> String {
    c.area(
        "reason",
        "Why it is a new matter",
        "For example: the earlier case was about the lift; this one is about the rubbish collection.",
    )
}

fn parse_treat_as_new(c: &Ctx, _: &mut FieldErrors) -> Option<Command> {
    Some(Command::TreatAsNew {
        reason: text(c.form, "reason"),
    })
}
