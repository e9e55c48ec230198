//! The ombudsman: referral, determination, orders and compliance.

use super::fields::*;
use super::{ActionForm, Ctx, Run, Start};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "refer-to-ombudsman",
        title: "Record a referral to the ombudsman",
        run: Run::Command(CommandKind::ReferToOmbudsman, parse_refer),
        fields: fields_refer,
        prefill: start_referral,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "record-determination",
        title: "Record the ombudsman's determination",
        run: Run::Command(CommandKind::RecordDetermination, parse_determination),
        fields: fields_determination,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "add-order",
        title: "Add an ombudsman order",
        run: Run::Command(CommandKind::AddOrder, parse_add_order),
        fields: fields_add_order,
        prefill: start_due,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "comply-with-order",
        title: "Record compliance with an order",
        run: Run::Command(CommandKind::ComplyOrder, parse_comply_order),
        fields: fields_comply_order,
        ..ActionForm::BASE
    },
];

fn fields_refer(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let ombudsmen = choices(Ombudsman::ALL.iter().map(|o| (o.as_str(), o.name())));
    [
        c.date("on", "Date the ombudsman told us of the complaint", ""),
        form.select("ombudsman", "Ombudsman", "", &ombudsmen),
        form.input(
            "their_reference",
            "Their reference (optional)",
            "",
            "text",
            "",
            "20",
        ),
    ]
    .concat()
}

fn parse_refer(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let on = parse_date(form, e, "on");
    let ombudsman = e.take("ombudsman", Ombudsman::parse(form.v("ombudsman")));
    on.zip(ombudsman)
        .map(|(on, ombudsman)| Command::ReferToOmbudsman {
            on,
            ombudsman,
            their_reference: Some(text(form, "their_reference")).filter(|s| !s.is_empty()),
        })
}

fn fields_determination(c: &Ctx) -> String {
    let Ctx { form, .. } = *c;
    let determinations: crate::forms::Options = Determination::ALL
        .iter()
        .map(|d| (d.as_str().to_string(), d.label().to_string()))
        .collect();
    [
        c.date("on", "Date of the determination", ""),
        form.radios("determination", "Determination", "", &determinations, false),
        c.area("summary", "Summary of the findings", ""),
    ]
    .concat()
}

fn parse_determination(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let on = parse_date(form, e, "on");
    let determination = e.take(
        "determination",
        Determination::parse(form.v("determination")),
    );
    on.zip(determination)
        .map(|(on, determination)| Command::RecordDetermination {
            on,
            determination,
            summary: text(form, "summary"),
        })
}

fn fields_add_order(c: &Ctx) -> String {
    [
        c.area("description", "What the ombudsman ordered", ""),
        c.date("due", "Due date", ""),
    ]
    .concat()
}

fn parse_add_order(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    parse_date(form, e, "due").map(|due| Command::AddOrder {
        description: text(form, "description"),
        due,
    })
}

fn fields_comply_order(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    let orders: crate::forms::Options =
        std::iter::once((String::new(), "Select an order".to_string()))
            .chain(
                contact
                    .case
                    .referrals
                    .iter()
                    .flat_map(|r| r.orders.iter())
                    .filter(|o| o.complied_on.is_none())
                    .map(|o| {
                        (
                            o.id.to_string(),
                            format!("Order {}: {} (due {})", o.id, o.description, o.due),
                        )
                    }),
            )
            .collect();
    [
        form.select("order", "Order", "", &orders),
        c.date("on", "Date complied with", ""),
        c.area(
            "evidence",
            "Evidence of compliance",
            "What was sent to the ombudsman.",
        ),
    ]
    .concat()
}

fn parse_comply_order(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let id = number(form, e, "order", "an order");
    let on = parse_date(form, e, "on");
    id.zip(on).map(|(id, on)| Command::ComplyOrder {
        id,
        on,
        evidence: text(form, "evidence"),
    })
}

/// A referral starts with the ombudsman of the case's scheme.
fn start_referral(s: &Start, form: &mut FormState) {
    let ombudsman = s.scheme.ombudsman.map(|o| o.as_str()).unwrap_or_default();
    form.values.insert("ombudsman".into(), ombudsman.into());
}
