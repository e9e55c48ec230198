//! Learning from a complaint, and a representative's authority to act.

use super::fields::*;
use super::{ActionForm, Ctx, Performed, Run, Start, Use};
use redress_domain::survey::{Rating, SurveyAnswer};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "record-authority",
        title: "Record the representative's authority",
        intro: "A representative can follow the case online only once their authority to act is recorded.",
        run: Run::Command(CommandKind::RecordAuthority, parse_record_authority),
        fields: fields_record_authority,
        prefill: start_authority,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "record-learning",
        title: "Record the root cause and lessons",
        intro: "Why did this happen, and what should change? Root causes are counted in the reports; lessons can become a service improvement.",
        run: Run::Command(CommandKind::RecordLearning, parse_record_learning),
        fields: fields_record_learning,
        prefill: start_learning,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "survey-by-phone",
        title: "Record a survey answered by phone or on paper",
        intro: "For a resident who answers the satisfaction questions by phone, or on the paper form. Read each question as written and record their answer.",
        run: Run::Special {
            offered: |c, _| survey_waiting(c).is_some(),
            perform: record_survey,
        },
        fields: fields_survey,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "follow-up-survey",
        title: "Record a survey follow-up",
        intro: "The resident said they were dissatisfied. Contact them to understand why and what would help, then record what you did.",
        run: Run::Command(CommandKind::FollowUpSurvey, parse_follow_up),
        fields: fields_follow_up,
        prefill: start_follow_up,
        ..ActionForm::BASE
    },
];

fn start_follow_up(s: &Start, form: &mut FormState) {
    if let Some(f) = s
        .contact
        .case
        .follow_ups
        .iter()
        .find(|f| f.done_on.is_none())
    {
        form.values.insert("stage".into(), f.stage.to_string());
    }
}

fn fields_follow_up(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let answers: crate::forms::Options = contact
        .case
        .follow_ups
        .iter()
        .filter(|f| f.done_on.is_none())
        .map(|f| {
            let about = if f.stage == 0 {
                "Feedback survey".to_string()
            } else {
                format!("Stage {} survey", f.stage)
            };
            (
                f.stage.to_string(),
                format!("{about}, answered {}", crate::html::long_date(f.raised_on)),
            )
        })
        .collect();
    [
        form.select("stage", "Which answer", "", &answers),
        c.date("on", "Date followed up", ""),
        c.area("note", "What you did and what was agreed", ""),
    ]
    .concat()
}

fn parse_follow_up(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let stage = form.v("stage").parse::<u8>().ok();
    if stage.is_none() {
        e.add("stage", "Select the survey answer you followed up");
    }
    let on = parse_date(form, e, "on");
    Some(Command::FollowUpSurvey {
        stage: stage?,
        on: on?,
        note: text(form, "note"),
    })
}

fn fields_record_authority(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let options: crate::forms::Options = redress_domain::person::Authority::ALL
        .iter()
        .map(|a| (a.as_str().to_string(), a.label().to_string()))
        .collect();
    form.radios("authority", "Authority to act", "", &options, false)
}

fn parse_record_authority(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    e.take(
        "authority",
        redress_domain::person::Authority::parse(form.v("authority")),
    )
    .map(|authority| Command::RecordAuthority { authority })
}

fn fields_record_learning(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let causes: crate::forms::Options =
        std::iter::once((String::new(), "Select a root cause".to_string()))
            .chain(
                redress_domain::learning::RootCause::ALL
                    .iter()
                    .map(|r| (r.as_str().to_string(), r.label().to_string())),
            )
            .collect();
    [
        form.select("root_cause", "Root cause", "", &causes),
        c.area(
            "lessons",
            "What was learned",
            "What the organisation should do differently, in plain words.",
        ),
    ]
    .concat()
}

fn parse_record_learning(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    e.take(
        "root_cause",
        redress_domain::learning::RootCause::parse(form.v("root_cause")),
    )
    .map(|root_cause| Command::RecordLearning {
        root_cause,
        lessons: text(form, "lessons"),
    })
}

/// The authority already recorded, to change.
fn start_authority(s: &Start, form: &mut FormState) {
    if let Some(rep) = &s.contact.detail.representative {
        form.values
            .insert("authority".into(), rep.authority.as_str().into());
    }
}

/// What was recorded before, to change.
fn start_learning(s: &Start, form: &mut FormState) {
    if let Some(l) = &s.contact.case.learning {
        form.values
            .insert("root_cause".into(), l.root_cause.as_str().into());
        form.values.insert("lessons".into(), l.lessons.clone());
    }
}

/// The survey a case is waiting for, if any: its stage (0 for a comment or compliment).
fn survey_waiting(c: &Contact) -> Option<u8> {
    let stage = match c.detail.kind {
        ContactKind::Complaint => c
            .current()
            .filter(|s| s.response.is_some())
            .map(|s| s.stage),
        ContactKind::Comment => c.case.reply.is_some().then_some(0),
        ContactKind::Compliment => (!c.case.passed_on.is_empty()).then_some(0),
        _ => None,
    }?;
    (!c.case.surveys.iter().any(|a| a.stage == stage)).then_some(stage)
}

fn fields_survey(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let ratings: crate::forms::Options = Rating::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect();
    let mut out = vec![form.radios(
        "handling",
        "How satisfied are you with how we handled it?",
        "",
        &ratings,
        false,
    )];
    if contact.detail.kind == ContactKind::Complaint {
        out.push(form.radios(
            "outcome",
            "How satisfied are you with the outcome?",
            "",
            &ratings,
            false,
        ));
    }
    out.push(c.area("why", "Why do you say that? (optional)", ""));
    out.push(c.area("better", "What could we do better? (optional)", ""));
    out.concat()
}

/// The answers are the resident's, taken down by staff: checked as the online survey is.
fn record_survey(u: Use<'_>) -> Performed<'_> {
    Box::pin(async move {
        let c = u.ctx.contact;
        let form = u.ctx.form;
        let stage = survey_waiting(c).ok_or_else(|| {
            redress_app::AppError::invalid("handling", "No survey is waiting on this case")
        })?;
        let answer = SurveyAnswer::parse(
            stage,
            c.detail.kind == ContactKind::Complaint,
            form.v("handling"),
            form.v("outcome"),
            form.v("why"),
            form.v("better"),
            u.app.today(),
        )?;
        let reference = c.reference.to_string();
        u.app
            .apply_command(
                u.who,
                &reference,
                Command::RecordSurvey { answer },
                Some(u.version),
            )
            .await?;
        Ok(reference)
    })
}
