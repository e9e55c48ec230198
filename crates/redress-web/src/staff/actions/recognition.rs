//! Answering the recognition assistant: "This may be a complaint" set aside with a reason;
//! a possible hazard confirmed or set aside; each step of a confirmed hazard recorded.

use super::fields::*;
use super::{ActionForm, Ctx, Run, Start};
use redress_domain::hazard::{HazardKind, HazardStep, Urgency};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "not-a-complaint",
        title: "Not a complaint",
        intro: "The assistant read this as a complaint. If it is not, say why: the decision is kept, and the reports show how often the assistant was right. If the person is unhappy with the service, raise it as a complaint instead.",
        run: Run::Command(CommandKind::DismissSuggestion, parse_dismiss_suggestion),
        fields: fields_dismiss_suggestion,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "survey-not-a-complaint",
        title: "Survey answer not a complaint",
        intro: "The assistant read what the person wrote in their survey answer as a complaint. If it is not, say why: the decision is kept and counted in the reports.",
        run: Run::Command(CommandKind::DismissSurveySuggestion, parse_dismiss_survey),
        fields: fields_dismiss_survey,
        listed: false,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "confirm-hazard",
        title: "Confirm a hazard",
        intro: "A hazard in the home goes to the repairs service at once. Where Awaab's Law applies (a social home in England), its timescales run from when the resident told us.",
        button: "Confirm the hazard",
        run: Run::Command(CommandKind::ConfirmHazard, parse_confirm_hazard),
        fields: fields_confirm_hazard,
        prefill: prefill_hazard,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "not-a-hazard",
        title: "Not a hazard",
        run: Run::Command(CommandKind::DismissHazard, parse_dismiss_hazard),
        fields: fields_dismiss_hazard,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "hazard-step",
        title: "Record a hazard step",
        intro: "Record when each step was done: the investigation, making safe, the written summary to the resident, safety work and further work.",
        run: Run::Command(CommandKind::RecordHazardStep, parse_hazard_step),
        fields: fields_hazard_step,
        prefill: prefill_time,
        ..ActionForm::BASE
    },
];

fn fields_dismiss_suggestion(c: &Ctx) -> String {
    [
        c.date("on", "Date decided", ""),
        c.area(
            "reason",
            "Why it is not a complaint",
            "For example: a first request for a repair, with nothing yet gone wrong.",
        ),
    ]
    .concat()
}

fn parse_dismiss_suggestion(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "on").map(|on| Command::DismissSuggestion {
        on,
        reason: text(form, "reason"),
    })
}

fn fields_dismiss_survey(c: &Ctx) -> String {
    c.area(
        "reason",
        "Why it is not a complaint",
        "For example: they were pleased with the repair and only wanted quicker updates, which we have noted.",
    )
}

fn parse_dismiss_survey(c: &Ctx, _: &mut FieldErrors) -> Option<Command> {
    Some(Command::DismissSurveySuggestion {
        reason: text(c.form, "reason"),
    })
}

fn options<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> crate::forms::Options {
    all.iter()
        .map(|k| (id(*k).to_string(), label(*k).to_string()))
        .collect()
}

fn fields_confirm_hazard(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    [
        form.radios("kind", "What is the hazard?", "", &options(HazardKind::ALL, HazardKind::as_str, HazardKind::label), false),
        form.radios(
            "urgency",
            "How urgent is it?",
            "Emergency: a risk to health or safety now (a gas smell, live wires, a ceiling coming down, no heating for a baby or an elderly person). Make it safe within 24 hours.",
            &options(Urgency::ALL, Urgency::as_str, Urgency::label),
            false,
        ),
    ]
    .concat()
}

fn prefill_hazard(s: &Start, form: &mut FormState) {
    if let Some(h) = &s.contact.case.hazard_suggestion {
        form.values.insert("kind".into(), h.kind.as_str().into());
        form.values
            .insert("urgency".into(), h.urgency.as_str().into());
    }
}

fn parse_confirm_hazard(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let kind = e.take("kind", HazardKind::parse(form.v("kind")));
    let urgency = e.take("urgency", Urgency::parse(form.v("urgency")));
    Some(Command::ConfirmHazard {
        kind: kind?,
        urgency: urgency?,
    })
}

fn fields_dismiss_hazard(c: &Ctx) -> String {
    c.area(
        "reason",
        "Why it is not a hazard",
        "For example: the damp was in a neighbour's home, and they have been told.",
    )
}

fn parse_dismiss_hazard(c: &Ctx, _: &mut FieldErrors) -> Option<Command> {
    Some(Command::DismissHazard {
        reason: text(c.form, "reason"),
    })
}

fn fields_hazard_step(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let steps = match &contact.case.hazard {
        Some(h) => redress_domain::case::steps_for(h.urgency)
            .iter()
            .filter(|s| !h.steps.iter().any(|(done, _)| done == *s))
            .map(|s| (s.as_str().to_string(), s.label().to_string()))
            .collect(),
        None => Vec::new(),
    };
    [
        form.radios("step", "Which step was done?", "", &steps, false),
        c.date("on", "Date done", ""),
        form.input(
            "time",
            "Time done",
            "For example, 14:30. The 24-hour clock of an emergency is counted in hours.",
            "text",
            "off",
            "5",
        ),
    ]
    .concat()
}

/// The next step still to record, done now: what staff most often record.
fn prefill_time(s: &Start, form: &mut FormState) {
    if let Some(h) = &s.contact.case.hazard
        && let Some(next) = redress_domain::case::steps_for(h.urgency)
            .iter()
            .find(|step| !h.steps.iter().any(|(done, _)| done == *step))
    {
        form.values.insert("step".into(), next.as_str().into());
    }
    let now = jiff::Timestamp::now().to_zoned_datetime(redress_domain::calendar::uk_time_zone());
    form.values
        .insert("time".into(), now.strftime("%H:%M").to_string());
}

fn parse_hazard_step(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let step = e.take("step", HazardStep::parse(form.v("step")));
    let on = parse_date(form, e, "on");
    let time = match form.v("time").trim().parse::<jiff::civil::Time>() {
        Ok(t) => Some(t),
        Err(_) => {
            e.add("time", "Enter the time as hours and minutes, like 14:30");
            None
        }
    };
    let at = match (on, time) {
        (Some(on), Some(time)) => match on
            .to_datetime(time)
            .to_zoned_datetime(redress_domain::calendar::uk_time_zone())
        {
            Ok(z) => Some(z.timestamp()),
            Err(_) => {
                e.add("time", "Enter a time that exists on that day");
                None
            }
        },
        _ => None,
    };
    Some(Command::RecordHazardStep {
        step: step?,
        at: at?,
    })
}
