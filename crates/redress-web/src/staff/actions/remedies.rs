//! Putting things right: remedies, their updates and delivery, and payments approved then made.

use super::fields::*;
use super::{ActionForm, Ctx, Run};

pub(super) const ACTIONS: &[ActionForm] = &[
    ActionForm {
        slug: "add-remedy",
        title: "Add a remedy",
        intro: "Every remedy has an owner and a due date and is followed through. Compensation must not be offset against rent arrears.",
        run: Run::Command(CommandKind::AddRemedy, parse_add_remedy),
        fields: fields_add_remedy,
        prefill: start_due,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "update-remedy",
        title: "Add an update to a remedy",
        run: Run::Command(CommandKind::NoteRemedy, parse_note_remedy),
        fields: fields_note_remedy,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "complete-remedy",
        title: "Record a remedy as delivered",
        intro: "If a remedy cannot be delivered, add an update saying why and what is offered instead.",
        run: Run::Command(CommandKind::CompleteRemedy, parse_complete_remedy),
        fields: fields_complete_remedy,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "approve-payment",
        title: "Approve a payment",
        run: Run::Command(CommandKind::ApprovePayment, parse_approve_payment),
        fields: fields_approve_payment,
        ..ActionForm::BASE
    },
    ActionForm {
        slug: "record-payment",
        title: "Record a payment as made",
        run: Run::Command(CommandKind::RecordPayment, parse_record_payment),
        fields: fields_record_payment,
        ..ActionForm::BASE
    },
];

fn fields_add_remedy(c: &Ctx) -> String {
    let Ctx { form, users, .. } = *c;
    let kinds = choices(RemedyKind::ALL.iter().map(|k| (k.as_str(), k.label())));
    let payments = std::iter::once((String::new(), "Not a payment".to_string()))
        .chain(
            PaymentKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.label().to_string())),
        )
        .collect::<Vec<_>>();
    [
        form.select("kind", "Kind of remedy", "", &kinds),
        c.area("description", "What will be done", ""),
        form.select(
            "to",
            "Owner",
            "The person responsible for delivering it",
            &staff_options(users),
        ),
        c.date("due", "Due date", ""),
        form.select(
            "payment_kind",
            "Payment type (financial remedies only)",
            "",
            &payments,
        ),
        form.input(
            "amount",
            "Amount in pounds (financial remedies only)",
            "For example, 150 or 150.50",
            "text",
            "",
            "10",
        ),
    ]
    .concat()
}

fn parse_add_remedy(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, users, .. } = *c;
    let kind = e.take("kind", RemedyKind::parse(form.v("kind")));
    let owner = assignee(form, e, users);
    let due = parse_date(form, e, "due");
    let payment = match (form.v("payment_kind").trim(), form.v("amount").trim()) {
        ("", "") => None,
        (kind, amount) => {
            let kind = e.take("payment_kind", PaymentKind::parse(kind));
            let amount = e.take("amount", Pence::parse(amount));
            kind.zip(amount)
        }
    };
    match (kind, owner, due) {
        (Some(kind), Some(owner), Some(due)) => Some(Command::AddRemedy {
            kind,
            description: text(form, "description"),
            owner,
            due,
            payment,
        }),
        _ => None,
    }
}

fn fields_note_remedy(c: &Ctx) -> String {
    let Ctx { form, contact, .. } = *c;
    [
        form.select(
            "remedy",
            "Remedy",
            "",
            &remedy_options(contact, |r| r.done_on.is_none()),
        ),
        c.date("on", "Date", ""),
        c.area(
            "text",
            "Update",
            "Include why, if the remedy cannot be delivered, and what is offered instead.",
        ),
    ]
    .concat()
}

fn parse_note_remedy(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    let Ctx { form, .. } = *c;
    let id = number(form, e, "remedy", "a remedy");
    let on = parse_date(form, e, "on");
    id.zip(on).map(|(id, on)| Command::NoteRemedy {
        id,
        on,
        text: text(form, "text"),
    })
}

fn fields_complete_remedy(c: &Ctx) -> String {
    remedy_and_date(c, "Remedy", |r| r.done_on.is_none(), "Date delivered", "")
}

fn parse_complete_remedy(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    remedy_step(c, e).map(|(id, on)| Command::CompleteRemedy { id, on })
}

fn fields_approve_payment(c: &Ctx) -> String {
    remedy_and_date(
        c,
        "Payment",
        |r| r.payment.as_ref().is_some_and(|p| p.approved_on.is_none()),
        "Date approved",
        "You are recorded as the approver.",
    )
}

fn parse_approve_payment(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    remedy_step(c, e).map(|(id, on)| Command::ApprovePayment { id, on })
}

fn fields_record_payment(c: &Ctx) -> String {
    remedy_and_date(
        c,
        "Payment",
        |r| {
            r.payment
                .as_ref()
                .is_some_and(|p| p.approved_on.is_some() && p.paid_on.is_none())
        },
        "Date paid",
        "",
    )
}

fn parse_record_payment(c: &Ctx, e: &mut FieldErrors) -> Option<Command> {
    remedy_step(c, e).map(|(id, on)| Command::RecordPayment { id, on })
}

/// A remedy (or its payment) still to act on, and the date it was done.
fn remedy_and_date(
    c: &Ctx,
    label: &str,
    keep: impl Fn(&redress_domain::remedy::Remedy) -> bool,
    date_label: &str,
    hint: &str,
) -> String {
    let options = remedy_options(c.contact, keep);
    [
        c.form.select("remedy", label, "", &options),
        c.date("on", date_label, hint),
    ]
    .concat()
}

/// The remedy chosen and the date: what delivering, approving and paying each take.
fn remedy_step(c: &Ctx, e: &mut FieldErrors) -> Option<(u32, Date)> {
    let id = number(c.form, e, "remedy", "a remedy");
    let on = parse_date(c.form, e, "on");
    id.zip(on)
}
