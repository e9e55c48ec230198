//! A stage's own steps: acknowledge, extend, pause and resume, respond.

use super::fields::*;
use super::{ActionForm, Ctx, Run, Start};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "acknowledge",
        title: "Acknowledge the complaint",
        intro: "Set out your understanding of the complaint and the outcome the resident wants, in their words where you can.",
        run: Run::Command(CommandKind::Acknowledge, parse_acknowledge),
        fields: fields_acknowledge,
        prefill: start_acknowledge,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "extend",
        title: "Extend the response date",
        intro: "Agree the new date before the current one passes, tell the resident why, and give them the Ombudsman's details.",
        run: Run::Command(CommandKind::Extend, parse_extend),
        fields: fields_extend,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "pause",
        title: "Pause for another procedure",
        intro: "Use this when the response must wait for another procedure, such as a disciplinary investigation. The clock keeps running; keep the resident informed.",
        run: Run::Command(CommandKind::Pause, parse_pause),
        fields: fields_pause,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "resume",
        title: "Resume after the pause",
        run: Run::Command(CommandKind::Resume, parse_resume),
        fields: fields_resume,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "respond",
        title: "Record the response",
        intro: "Give a decision on every point the resident raised. The overall outcome follows from the decisions.",
        button: "Record response",
        run: Run::Command(CommandKind::Respond, parse_respond),
        fields: fields_respond,
        ..ActionForm::BASE
    },
];

fn fields_acknowledge(c: &Ctx) -> String {
    [
        c.date("on", "Date acknowledged", ""),
        c.area("understanding", "Our understanding of the complaint", ""),
        c.area("outcome_wanted", "The outcome the resident wants", ""),
    ]
    .concat()
}

fn parse_acknowledge(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::Acknowledge {
        on,
        understanding: text(form, "understanding"),
        outcome_wanted: text(form, "outcome_wanted"),
    })
}

fn fields_extend(c: &Ctx) -> String {
    [
        c.date("on", "Date the extension was agreed", ""),
        c.date("to", "New response date", ""),
        c.area(
            "reason",
            "Why more time is needed",
            "This is given to the resident.",
        ),
        c.date("resident_told_on", "Date the resident was told", ""),
        c.area(
            "good_reason",
            "Good reason to go beyond the scheme's limit (only if needed)",
            "Extensions beyond the limit are reported as outside the Code.",
        ),
    ]
    .concat()
}

fn parse_extend(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let on = parse_date(form, e, "on");
    let to = parse_date(form, e, "to");
    let told = parse_date(form, e, "resident_told_on");
    match (on, to, told) {
        (Some(on), Some(to), Some(resident_told_on)) => Some(Command::Extend {
            on,
            to,
            reason: text(form, "reason"),
            resident_told_on,
            good_reason: Some(text(form, "good_reason")).filter(|s| !s.is_empty()),
        }),
        _ => None,
    }
}

fn fields_pause(c: &Ctx) -> String {
    [
        c.date("on", "Date paused", ""),
        c.area("reason", "The other procedure", ""),
    ]
    .concat()
}

fn parse_pause(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::Pause {
        on,
        reason: text(form, "reason"),
    })
}

fn fields_resume(c: &Ctx) -> String {
    c.date("on", "Date resumed", "")
}

fn parse_resume(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::Resume { on })
}

fn fields_respond(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let mut html = c.date("on", "Date the response was sent", "");
    html.push_str("<h2 class=\"heading-m\">Points of complaint</h2><p class=\"hint\">Fill in one row per point the resident raised.</p>");
    for n in 1..=POINTS {
        html.push_str(&form.input(
            &format!("point_{n}"),
            &format!("Point {n}"),
            "",
            "text",
            "",
            "",
        ));
        html.push_str(&form.radios(
            &format!("upheld_{n}"),
            &format!("Decision on point {n}"),
            "",
            &[
                ("yes".into(), "Upheld".into()),
                ("no".into(), "Not upheld".into()),
            ],
            true,
        ));
    }
    html.push_str(&c.area(
        "reasons",
        "Reasons for the decisions",
        "Plain language, addressing every point.",
    ));
    html.push_str(&c.area(
        "outstanding_actions",
        "Actions still to do, with dates (optional)",
        "",
    ));
    html.push_str(&form.checkbox(
        "early_resolution",
        "Resolved at the first point of contact (early resolution, stage 1 only)",
    ));
    html
}

fn parse_respond(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let on = parse_date(form, e, "on");
    let mut points = Vec::new();
    for n in 1..=POINTS {
        let point = text(form, &format!("point_{n}"));
        let decision = form.v(&format!("upheld_{n}"));
        match (point.is_empty(), decision) {
            (true, "") => {}
            (true, _) => e.add(
                format!("point_{n}"),
                format!("Enter point {n}, or clear its decision"),
            ),
            (false, "yes" | "no") => points.push(PointDecision {
                point,
                upheld: decision == "yes",
            }),
            (false, _) => e.add(
                format!("upheld_{n}"),
                format!("Select whether point {n} is upheld"),
            ),
        }
    }
    on.map(|on| Command::Respond {
        on,
        points,
        reasons: text(form, "reasons"),
        outstanding_actions: Some(text(form, "outstanding_actions")).filter(|s| !s.is_empty()),
        early_resolution: form.v("early_resolution") == "yes",
    })
}

/// The acknowledgement starts from what the person told us, in their words.
/// At stage 1 the officer starts from what the person told us; at a later stage, from what
/// they said is still unresolved when they asked to escalate.
fn start_acknowledge(s: &Start, form: &mut FormState) {
    let d = &s.contact.detail;
    let unresolved = s
        .contact
        .current()
        .filter(|st| st.stage > 1)
        .and_then(|st| st.escalation_reason.clone());
    form.values.insert(
        "understanding".into(),
        unresolved.unwrap_or_else(|| d.summary.to_string()),
    );
    form.values.insert(
        "outcome_wanted".into(),
        d.outcome_wanted
            .as_ref()
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
}
