//! Correcting a case's details after intake: the person's contact details, tenure, needs
//! and the safeguarding flag. The domain records each change with its old and new value.

use super::fields::*;
use super::{ActionForm, Ctx, Run, Start};
use redress_domain::case::CORRECTABLE;
use redress_domain::organisation::Tenure;
use redress_domain::person::{ContactMethod, PreferredFormat};

pub(super) const ACTIONS: &[ActionForm] = &[ActionForm {
    slug: "correct-details",
    title: "Correct the details",
    intro: "Change what was recorded wrongly or has changed since. Each change is kept in the case's history with its old and new value, and the reports count the case as corrected.",
    run: Run::Command(CommandKind::Correct, parse_correct),
    fields: fields_correct,
    prefill: start_correct,
    ..ActionForm::BASE
}];

fn start_correct(s: &Start, form: &mut FormState) {
    for (k, v) in s.contact.correctable_values() {
        form.values.insert(k.to_string(), v);
    }
}

fn options<T: Copy>(
    all: &[T],
    label: fn(T) -> (&'static str, &'static str),
) -> crate::forms::Options {
    std::iter::once((String::new(), "Not recorded".to_string()))
        .chain(all.iter().map(|t| {
            let (v, l) = label(*t);
            (v.to_string(), l.to_string())
        }))
        .collect()
}

fn fields_correct(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let label = |field: &str| {
        CORRECTABLE
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, l)| *l)
    };
    let mut out = Vec::new();
    if contact.detail.person.is_some() {
        for field in ["name", "email", "phone"] {
            let kind = match field {
                "email" => "email",
                "phone" => "tel",
                _ => "text",
            };
            out.push(form.input(field, label(field), "", kind, "off", ""));
        }
        out.push(form.textarea("address", label("address"), "", 3));
        out.push(form.input("postcode", label("postcode"), "", "text", "off", "10"));
        out.push(form.select(
            "preferred_contact",
            label("preferred_contact"),
            "",
            &options(ContactMethod::ALL, |m| (m.as_str(), m.label())),
        ));
        out.push(form.select(
            "preferred_format",
            label("preferred_format"),
            "",
            &options(PreferredFormat::ALL, |m| (m.as_str(), m.label())),
        ));
        out.push(form.input("language", label("language"), "", "text", "off", ""));
        for field in ["accessibility", "vulnerabilities", "adjustments"] {
            out.push(form.textarea(field, label(field), "", 2));
        }
    }
    out.push(form.select(
        "tenure",
        label("tenure"),
        "Counted in the Tenant Satisfaction Measures by tenure",
        &options(Tenure::ALL, |t| (t.as_str(), t.label())),
    ));
    out.push(form.input(
        "property_ref",
        label("property_ref"),
        "",
        "text",
        "off",
        "20",
    ));
    out.push(form.radios(
        "safeguarding",
        "Is anyone at risk of harm?",
        "",
        &crate::forms::yes_no(),
        true,
    ));
    out.push(c.area("reason", "Why the details are being corrected", ""));
    out.concat()
}

fn parse_correct(c: &Ctx, _: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let values = CORRECTABLE
        .iter()
        .filter(|(f, _)| form.values.contains_key(*f))
        .map(|(f, _)| (f.to_string(), form.v(f).to_string()))
        .collect();
    Some(Command::Correct {
        values,
        reason: text(form, "reason"),
    })
}
