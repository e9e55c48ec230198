//! Reviewing a safeguarding concern: what was decided and done, once, so the case leaves
//! the top of My work.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[ActionForm {
    slug: "review-safeguarding",
    title: "Record the safeguarding review",
    intro: "Someone may be at risk. Record what you decided and did: who you told (the safeguarding team, the police, social services), and what happens next.",
    run: Run::Command(CommandKind::ReviewSafeguarding, parse_review),
    fields: fields_review,
    ..ActionForm::BASE
}];

fn fields_review(c: &Ctx) -> String {
    [
        c.date("on", "Date reviewed", ""),
        c.area("note", "What was decided and done", ""),
    ]
    .concat()
}

fn parse_review(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::ReviewSafeguarding {
        on,
        note: text(form, "note"),
    })
}
