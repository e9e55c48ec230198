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

/// Every active colleague, whatever their role: a compliment may praise anyone.
fn colleague_options(users: &[redress_domain::role::User], none: &str) -> crate::forms::Options {
    std::iter::once((String::new(), none.to_string()))
        .chain(
            users
                .iter()
                .filter(|u| u.active)
                .map(|u| (u.id.clone(), u.name.clone())),
        )
        .collect()
}

fn fields_pass_on(c: &Ctx) -> String {
    let Ctx { form, users, .. } = *c;
    [
        c.date("on", "Date passed on", ""),
        form.select(
            "to_user",
            "Who it praises",
            "They are emailed the compliment",
            &colleague_options(users, "Someone without an account"),
        ),
        form.input(
            "to",
            "Or the person or team, if they have no account",
            "",
            "text",
            "",
            "",
        ),
        form.select(
            "manager",
            "Their manager",
            "Their manager is emailed a copy",
            &colleague_options(users, "Select their manager"),
        ),
    ]
    .concat()
}

fn parse_pass_on(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, users, .. } = *c;
    let find = |field: &str| {
        let id = form.v(field);
        users.iter().find(|u| u.active && u.id == id)
    };
    let praised = find("to_user");
    let to = match praised {
        Some(u) => u.name.clone(),
        None if text(form, "to").is_empty() => {
            e.add(
                "to_user",
                "Select who it praises, or enter the person or team below",
            );
            String::new()
        }
        None => text(form, "to"),
    };
    let Some(manager) = find("manager") else {
        e.add("manager", "Select their manager from the list");
        return None;
    };
    let notify = praised
        .into_iter()
        .chain(std::iter::once(manager))
        .map(|u| u.id.clone())
        .collect();
    parse_date(form, e, "on").map(|on| Command::PassOn {
        on,
        to,
        manager: manager.name.clone(),
        notify,
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
