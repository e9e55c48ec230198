//! Comments and compliments: passing praise on, replying, recording what a comment led to.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "pass-on-compliment",
        title: "Pass the compliment on",
        run: Run::Command(CommandKind::PassOn, parse_pass_on),
        fields: fields_pass_on,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "reply",
        title: "Record the reply",
        run: Run::Command(CommandKind::ReplyToComment, parse_reply_to_comment),
        fields: fields_reply_to_comment,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "comment-outcome",
        title: "Record what happened to the comment",
        run: Run::Command(CommandKind::DecideComment, parse_decide_comment),
        fields: fields_decide_comment,
        ..ActionForm::BASE
    },
];

fn fields_pass_on(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    [
        c.date("on", "Date passed on", ""),
        form.input(
            "to",
            "Who it was passed to",
            "The person or team it praises",
            "text",
            "",
            "",
        ),
        form.input("manager", "Their manager", "", "text", "", ""),
    ]
    .concat()
}

fn parse_pass_on(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::PassOn {
        on,
        to: text(form, "to"),
        manager: text(form, "manager"),
    })
}

fn fields_reply_to_comment(c: &Ctx) -> String {
    [
        c.date("on", "Date sent", ""),
        c.area("text", "The reply", ""),
    ]
    .concat()
}

fn parse_reply_to_comment(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::ReplyToComment {
        on,
        text: text(form, "text"),
    })
}

fn fields_decide_comment(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let outcomes: crate::forms::Options = CommentOutcome::ALL
        .iter()
        .map(|o| (o.as_str().to_string(), o.label().to_string()))
        .collect();
    [
        c.date("on", "Date", ""),
        form.radios("outcome", "Outcome", "", &outcomes, false),
        c.area("reason", "Reason (needed when it is not taken forward)", ""),
    ]
    .concat()
}

fn parse_decide_comment(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let reason = || Some(text(form, "reason")).filter(|s| !s.is_empty());
    let on = parse_date(form, e, "on");
    let outcome = e.take("outcome", CommentOutcome::parse(form.v("outcome")));
    on.zip(outcome).map(|(on, outcome)| Command::DecideComment {
        on,
        outcome,
        reason: reason(),
    })
}
