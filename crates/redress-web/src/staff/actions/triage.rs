//! What a contact is and where it goes: reclassify, link, raise a complaint from a request, pass to a service.

use super::fields::*;
use super::{ActionForm, Ctx, Performed, Run, Use};
use redress_app::AppError;

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "reclassify",
        title: "Reclassify",
        run: Run::Command(CommandKind::Reclassify, parse_reclassify),
        fields: fields_reclassify,
        prefill: prefill_reclassify,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "link",
        title: "Link to another case",
        run: Run::Special {
            offered: |c, s| c.allows(CommandKind::Link, s),
            perform: link,
        },
        fields: fields_link,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "raise-complaint",
        title: "Raise a complaint about this request",
        run: Run::Special {
            offered: |c, _| {
                c.detail.kind == ContactKind::ServiceRequest
                    || c.survey_suggestion_waiting().is_some()
            },
            perform: raise_complaint,
        },
        fields: fields_raise_complaint,
        prefill: prefill_raise_complaint,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "pass-to-service",
        title: "Pass to a service area",
        run: Run::Command(CommandKind::SetServiceArea, parse_route),
        fields: fields_route,
        ..ActionForm::BASE
    },
];

fn fields_reclassify(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let kinds: crate::forms::Options = ContactKind::ALL
        .iter()
        .filter(|k| **k != contact.detail.kind)
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let routes = crate::forms::other_routes();
    [
        form.radios(
            "to",
            "What is it?",
            "A complaint's clock runs from when the person first got in touch.",
            &kinds,
            false,
        ),
        form.select(
            "route",
            "The statutory route (for other routes only)",
            "",
            &routes,
        ),
        c.area(
            "explanation",
            "Explanation for the person",
            "Say why, and for another route, how to use it.",
        ),
    ]
    .concat()
}

fn parse_reclassify(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let to = e.take("to", ContactKind::parse(form.v("to")));
    let route = e.take_opt(
        "route",
        if form.v("route").trim().is_empty() {
            Ok(None)
        } else {
            OtherRoute::parse(form.v("route")).map(Some)
        },
    );
    to.map(|to| Command::Reclassify {
        to,
        route,
        explanation: text(form, "explanation"),
    })
}

fn fields_link(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let relations: crate::forms::Options = [
        LinkRelation::Related,
        LinkRelation::EarlierIssue,
        LinkRelation::DuplicateOf,
        LinkRelation::OtherAgency,
    ]
    .iter()
    .map(|r| (r.as_str().to_string(), r.label().to_string()))
    .collect();
    [
        form.radios("relation", "How are they linked?", "A repeat or duplicate is closed here and handled on the other case; both histories are kept.", &relations, false),
        form.input("reference", "Reference of the other case here", "For example, CMP-2026-000123", "text", "", "20"),
        form.input("agency", "Other agency (for another agency's case)", "", "text", "", ""),
        form.input("their_reference", "Their reference", "", "text", "", "20"),
    ]
    .concat()
}

fn parse_link(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let relation = e.take("relation", LinkRelation::parse(form.v("relation")));
    let reference = match form.v("reference").trim() {
        "" => None,
        raw => match Reference::parse(raw) {
            Some(r) => Some(r),
            None => {
                e.add("reference", "Enter a reference like CMP-2026-000123");
                None
            }
        },
    };
    relation.map(|relation| Command::Link {
        relation,
        reference,
        agency: Some(text(form, "agency")).filter(|s| !s.is_empty()),
        their_reference: Some(text(form, "their_reference")).filter(|s| !s.is_empty()),
    })
}

/// When the assistant read it as a complaint, the form starts there.
fn prefill_reclassify(s: &super::Start, form: &mut FormState) {
    if s.contact
        .case
        .suggestion
        .as_ref()
        .is_some_and(|g| g.may_be_complaint(s.contact.detail.kind))
    {
        form.values
            .insert("to".into(), ContactKind::Complaint.as_str().into());
        form.values.insert(
            "explanation".into(),
            "What you told us shows you are unhappy with our service, so we are dealing with it as a complaint under our complaints procedure.".into(),
        );
    }
}

/// Starts from what the person wrote, for staff to cut down to what they are unhappy about.
/// What the person is unhappy about: their survey answer's words when that is where it
/// came from, otherwise the request as they described it.
fn prefill_raise_complaint(s: &super::Start, form: &mut FormState) {
    let from_survey = s.contact.survey_suggestion_waiting().and_then(|w| {
        let answer = s.contact.case.surveys.iter().find(|a| a.stage == w.stage)?;
        let words: Vec<&str> = [answer.why.as_deref(), answer.better.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        (!words.is_empty()).then(|| words.join("\n\n"))
    });
    form.values.insert(
        "summary".into(),
        from_survey.unwrap_or_else(|| s.contact.detail.summary.as_str().to_string()),
    );
}

fn fields_raise_complaint(c: &Ctx) -> String {
    c.area(
        "summary",
        "What the person is unhappy about",
        "The request carries on; the complaint is recorded and linked to it.",
    )
}

fn fields_route(c: &Ctx) -> String {
    let Ctx { form, areas, .. } = *c;
    form.select("area", "Service area", "", &areas_options(areas))
}

fn parse_route(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, areas, .. } = *c;
    match areas.iter().find(|a| a.id == form.v("area")) {
        Some(a) => Some(Command::SetServiceArea {
            id: a.id.clone(),
            name: a.name.clone(),
        }),
        None => {
            e.add("area", "Select a service area from the list");
            None
        }
    }
}

/// A link is written on both cases, so it goes through its own use case.
fn link(u: Use<'_>) -> Performed<'_> {
    Box::pin(async move {
        let mut errors = FieldErrors::new();
        let command = match parse_link(&u.ctx, &mut errors) {
            Some(c) if errors.is_empty() => c,
            _ => return Err(AppError::Invalid(errors)),
        };
        let reference = u.ctx.contact.reference.to_string();
        let c = u
            .app
            .link_cases(u.who, &reference, command, Some(u.version))
            .await?;
        Ok(c.reference.to_string())
    })
}

/// The new complaint's page is shown next, not the request's.
fn raise_complaint(u: Use<'_>) -> Performed<'_> {
    Box::pin(async move {
        let reference = u.ctx.contact.reference.to_string();
        let c = u
            .app
            .raise_complaint_from(u.who, &reference, u.ctx.form.v("summary"))
            .await?;
        Ok(c.reference.to_string())
    })
}
