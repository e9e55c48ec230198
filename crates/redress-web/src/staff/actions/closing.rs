//! Ending a case: withdrawn, closed, declined, or accepted despite the time limit.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "withdraw",
        title: "Record a withdrawal",
        run: Run::Command(CommandKind::Withdraw, parse_withdraw),
        fields: fields_withdraw,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "close",
        title: "Close the case",
        button: "Close case",
        run: Run::Command(CommandKind::Close, parse_close),
        fields: fields_close,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "accept-late",
        title: "Accept outside the time limit",
        intro: "Record why the complaint is being considered even though it was made after the time limit.",
        run: Run::Command(CommandKind::OverrideTimeLimit, parse_accept_late),
        fields: fields_accept_late,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "decline",
        title: "Decline the complaint",
        intro: "A complaint is taken on unless there is a valid reason not to. The resident will be told why and that they can ask the Ombudsman to look at the decision.",
        button: "Decline complaint",
        run: Run::Command(CommandKind::Decline, parse_decline),
        fields: fields_decline,
        ..ActionForm::BASE
    },
];

fn fields_withdraw(c: &Ctx) -> String {
    [
        c.date("on", "Date withdrawn", ""),
        c.area("reason", "What the person said", ""),
    ]
    .concat()
}

fn parse_withdraw(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::Withdraw {
        on,
        reason: text(form, "reason"),
    })
}

fn fields_close(c: &Ctx) -> String {
    c.date("on", "Date closed", "")
}

fn parse_close(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::Close { on })
}

fn fields_accept_late(c: &Ctx) -> String {
    c.area("reason", "Good reason for the delay", "")
}

fn parse_accept_late(c: &Ctx, _e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    Some(Command::OverrideTimeLimit {
        reason: text(form, "reason"),
    })
}

fn fields_decline(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let reasons: crate::forms::Options = DeclineReason::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect();
    [
        c.date("on", "Date of the decision", ""),
        form.radios("reason", "Reason", "", &reasons, false),
        c.area(
            "explanation",
            "Explanation for the resident",
            "This goes in the decline letter.",
        ),
    ]
    .concat()
}

fn parse_decline(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let on = parse_date(form, e, "on");
    let reason = e.take("reason", DeclineReason::parse(form.v("reason")));
    match (on, reason) {
        (Some(on), Some(reason)) => Some(Command::Decline {
            on,
            reason,
            explanation: text(form, "explanation"),
        }),
        _ => None,
    }
}
