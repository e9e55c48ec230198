//! What the action forms share: the parts of a field, the lists they choose from, and the
//! parsing of dates, numbers and people. Every action file reads these through `use
//! super::fields::*`, with the domain types its command is made of.

pub(super) use crate::html::FormState;
pub(super) use jiff::civil::Date;
pub(super) use redress_domain::FieldErrors;
pub(super) use redress_domain::case::{
    Assignee, Command, CommandKind, CommentOutcome, DeclineReason, LinkRelation, NoteKind,
    PointDecision,
};
pub(super) use redress_domain::contact::{Contact, ContactKind, OtherRoute, Reference};
pub(super) use redress_domain::organisation::ServiceArea;
pub(super) use redress_domain::remedy::{Determination, PaymentKind, Pence, RemedyKind};
pub(super) use redress_domain::restriction::RestrictionKind;
pub(super) use redress_domain::role::{Permission, User};
pub(super) use redress_domain::scheme::Ombudsman;

/// Remedies and orders are due in two working weeks unless staff say otherwise.
pub(super) fn start_due(s: &super::Start, form: &mut FormState) {
    if let Some(due) = s.two_weeks {
        form.values.insert("due".into(), due.to_string());
    }
}

/// How many points of complaint the response form offers.
pub(super) const POINTS: usize = 6;

pub(super) fn staff_options(users: &[User]) -> crate::forms::Options {
    std::iter::once((String::new(), "Select a person".to_string()))
        .chain(
            users
                .iter()
                .filter(|u| u.active && u.role.can(Permission::HandleCases))
                .map(|u| (u.id.clone(), format!("{} ({})", u.name, u.role.label()))),
        )
        .collect()
}

pub(super) fn choices<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)>,
) -> crate::forms::Options {
    std::iter::once((String::new(), "Select".to_string()))
        .chain(items.map(|(v, l)| (v.to_string(), l.to_string())))
        .collect()
}

pub(super) fn remedy_options(
    contact: &Contact,
    keep: impl Fn(&redress_domain::remedy::Remedy) -> bool,
) -> crate::forms::Options {
    std::iter::once((String::new(), "Select a remedy".to_string()))
        .chain(contact.case.remedies.iter().filter(|r| keep(r)).map(|r| {
            let money = r
                .payment
                .as_ref()
                .map(|p| format!(", {}", p.amount))
                .unwrap_or_default();
            (
                r.id.to_string(),
                format!("{}: {}{money} (due {})", r.id, r.kind.label(), r.due),
            )
        }))
        .collect()
}

pub(super) fn number(form: &FormState, e: &mut FieldErrors, name: &str, what: &str) -> Option<u32> {
    match form.v(name).trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            e.add(name, format!("Select {what}"));
            None
        }
    }
}

pub(super) fn parse_date(form: &FormState, e: &mut FieldErrors, name: &str) -> Option<Date> {
    let v = form.v(name).trim();
    if v.is_empty() {
        e.add(name, "Enter a date");
        return None;
    }
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(name, "Enter a real date, like 2026-03-27");
            None
        }
    }
}

pub(super) fn text(form: &FormState, name: &str) -> String {
    form.v(name).trim().to_string()
}

pub(super) fn assignee(form: &FormState, e: &mut FieldErrors, users: &[User]) -> Option<Assignee> {
    let id = form.v("to");
    match users
        .iter()
        .find(|u| u.id == id && u.active && u.role.can(Permission::HandleCases))
    {
        Some(u) => Some(Assignee {
            user_id: u.id.clone(),
            name: u.name.clone(),
        }),
        None => {
            e.add("to", "Select a person from the list");
            None
        }
    }
}

/// Notes whose words are still as written, with their position on the case.
pub(super) fn redactable_notes(
    c: &Contact,
) -> impl Iterator<Item = (usize, &redress_domain::case::CaseNote)> {
    c.case
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.text.starts_with(redress_domain::privacy::REDACTED))
}

pub(super) fn areas_options(areas: &[ServiceArea]) -> crate::forms::Options {
    std::iter::once((String::new(), "Select a service area".to_string()))
        .chain(areas.iter().map(|a| (a.id.clone(), a.name.clone())))
        .collect()
}
