//! Putting things right: remedies with an owner and a due date, followed through, and
//! payments approved before they are made.

use super::{check_date, required};
use crate::case::{Assignee, Context};
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::ContactStatus::*;
use crate::remedy::{Note, Payment, PaymentKind, Pence, Remedy, RemedyKind};
use crate::scheme::Scheme;
use jiff::civil::Date;

pub(super) fn accepts_add_remedy(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("given a remedy")?;
    c.require_status(&[Acknowledged, Responded, Closed], "given a remedy")
}

/// Updates are for a remedy still being delivered.
pub(super) fn accepts_note_remedy(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    if c.case.remedies.iter().any(|r| r.done_on.is_none()) {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "remedy",
            "Every remedy on this case has been delivered".into(),
        ))
    }
}

pub(super) fn accepts_complete_remedy(c: &Contact, scheme: &Scheme) -> Result<(), ContactError> {
    accepts_note_remedy(c, scheme)
}

pub(super) fn accepts_approve_payment(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    let waiting = c
        .case
        .remedies
        .iter()
        .any(|r| r.payment.as_ref().is_some_and(|p| p.approved_on.is_none()));
    if waiting {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "remedy",
            "There is no payment waiting to be approved".into(),
        ))
    }
}

pub(super) fn accepts_record_payment(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    let approved = c.case.remedies.iter().any(|r| {
        r.payment
            .as_ref()
            .is_some_and(|p| p.approved_on.is_some() && p.paid_on.is_none())
    });
    if approved {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "remedy",
            "There is no approved payment still to be made".into(),
        ))
    }
}

impl Contact {
    fn remedy_mut(&mut self, id: u32) -> Result<&mut Remedy, ContactError> {
        self.case
            .remedies
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| ContactError::Rule("remedy", format!("There is no remedy {id}")))
    }
}

impl Contact {
    pub(in crate::case) fn add_remedy(
        &mut self,
        kind: RemedyKind,
        description: String,
        owner: Assignee,
        due: Date,
        payment: Option<(PaymentKind, Pence)>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_add_remedy(self, ctx.scheme)?;
        let description = required(&description, "description", "what will be done")?;
        if due < self.received_on {
            return Err(ContactError::Rule(
                "due",
                "The due date cannot be before the complaint was received".into(),
            ));
        }
        let payment = match (kind, payment) {
            (RemedyKind::Financial, Some((kind, amount))) => Some(Payment {
                kind,
                amount,
                approved_by: None,
                approved_on: None,
                paid_on: None,
                proposed_by: ctx.actor.user_id.clone(),
            }),
            (RemedyKind::Financial, None) => {
                return Err(ContactError::Missing("amount", "the amount"));
            }
            (_, Some(_)) => {
                return Err(ContactError::Rule(
                    "kind",
                    "Only a financial remedy has an amount: choose Financial remedy".into(),
                ));
            }
            (_, None) => None,
        };
        let id = u32::try_from(self.case.remedies.len() + 1).unwrap_or(u32::MAX);
        let money = payment
            .as_ref()
            .map(|p| format!(" ({} {})", p.amount, p.kind.label().to_lowercase()))
            .unwrap_or_default();
        let summary = format!(
            "Remedy {id}: {}{money}, owned by {}, due {due}",
            kind.label(),
            owner.name
        );
        let detail = serde_json::json!({"id": id, "kind": kind, "description": description, "owner": owner.user_id,
            "due": due, "amount_pence": payment.as_ref().map(|p| p.amount.0), "payment_kind": payment.as_ref().map(|p| p.kind)});
        self.case.remedies.push(Remedy {
            id,
            kind,
            description,
            owner,
            due,
            done_on: None,
            payment,
            notes: Vec::new(),
        });
        Ok(ctx.event(EventKind::RemedyAdded, summary, detail))
    }

    pub(in crate::case) fn note_remedy(
        &mut self,
        id: u32,
        on: Date,
        text: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let text = required(&text, "text", "the update")?;
        let received = self.received_on;
        let accepted = accepts_note_remedy(self, ctx.scheme);
        let remedy = self.remedy_mut(id)?;
        accepted?;
        check_date(on, received, "the complaint was received", ctx.today)?;
        remedy.notes.push(Note {
            on,
            by: ctx.actor.name.clone(),
            text: text.clone(),
        });
        Ok(ctx.event(
            EventKind::RemedyUpdated,
            format!("Remedy {id}: {text}"),
            serde_json::json!({"id": id, "on": on, "text": text}),
        ))
    }

    pub(in crate::case) fn complete_remedy(
        &mut self,
        id: u32,
        on: Date,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        // Asked before the remedy is borrowed, reported after its own more precise refusals.
        let accepted = accepts_complete_remedy(self, ctx.scheme);
        let received = self.received_on;
        let remedy = self.remedy_mut(id)?;
        if remedy.done_on.is_some() {
            return Err(ContactError::Rule(
                "remedy",
                format!("Remedy {id} is already delivered"),
            ));
        }
        if remedy.payment.as_ref().is_some_and(|p| p.paid_on.is_none()) {
            return Err(ContactError::Rule(
                "remedy",
                format!("Record the payment for remedy {id} first"),
            ));
        }
        accepted?;
        check_date(on, received, "the complaint was received", ctx.today)?;
        remedy.done_on = Some(on);
        let late = on > remedy.due;
        Ok(ctx.event(
            EventKind::RemedyDone,
            format!(
                "Remedy {id} delivered on {on}{}",
                if late { " (late)" } else { "" }
            ),
            serde_json::json!({"id": id, "on": on, "late": late}),
        ))
    }

    pub(in crate::case) fn approve_payment(
        &mut self,
        id: u32,
        on: Date,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let accepted = accepts_approve_payment(self, ctx.scheme);
        let received = self.received_on;
        let remedy = self.remedy_mut(id)?;
        let Some(payment) = remedy.payment.as_mut() else {
            return Err(ContactError::Rule(
                "remedy",
                format!("Remedy {id} has no payment"),
            ));
        };
        if payment.approved_on.is_some() {
            return Err(ContactError::Rule(
                "remedy",
                format!("The payment for remedy {id} is already approved"),
            ));
        }
        accepted?;
        check_date(on, received, "the complaint was received", ctx.today)?;
        let own = payment.proposed_by.is_some() && payment.proposed_by == ctx.actor.user_id;
        if own
            && ctx
                .payment_approval_above
                .is_some_and(|limit| payment.amount > limit)
        {
            return Err(ContactError::Rule(
                "remedy",
                format!(
                    "You proposed this payment of {}: someone else must approve a payment above {}",
                    payment.amount,
                    ctx.payment_approval_above.unwrap_or(Pence(0))
                ),
            ));
        }
        payment.approved_on = Some(on);
        payment.approved_by = Some(ctx.actor.name.clone());
        let amount = payment.amount;
        Ok(ctx.event(
            EventKind::PaymentApproved,
            format!(
                "Payment of {amount} for remedy {id} approved by {} on {on}",
                ctx.actor.name
            ),
            serde_json::json!({"id": id, "on": on, "amount_pence": amount.0}),
        ))
    }

    pub(in crate::case) fn record_payment(
        &mut self,
        id: u32,
        on: Date,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let accepted = accepts_record_payment(self, ctx.scheme);
        let remedy = self.remedy_mut(id)?;
        let Some(payment) = remedy.payment.as_mut() else {
            return Err(ContactError::Rule(
                "remedy",
                format!("Remedy {id} has no payment"),
            ));
        };
        let Some(approved) = payment.approved_on else {
            return Err(ContactError::Rule(
                "remedy",
                format!("The payment for remedy {id} must be approved before it is paid"),
            ));
        };
        if payment.paid_on.is_some() {
            return Err(ContactError::Rule(
                "remedy",
                format!("The payment for remedy {id} is already recorded"),
            ));
        }
        accepted?;
        check_date(on, approved, "the payment was approved", ctx.today)?;
        payment.paid_on = Some(on);
        let amount = payment.amount;
        Ok(ctx.event(
            EventKind::PaymentMade,
            format!("Payment of {amount} for remedy {id} made on {on}"),
            serde_json::json!({"id": id, "on": on, "amount_pence": amount.0}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::remedy::{PaymentKind, Pence, RemedyKind};
    use jiff::civil::date;

    #[test]
    fn a_payment_above_the_limit_is_approved_by_someone_other_than_who_proposed_it() {
        use crate::event::Actor;
        let mut c = received("");
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        let scheme = hos();
        let cal = calendar();
        let as_user = |id: &str, limit: Option<i64>| Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor {
                user_id: Some(id.into()),
                name: format!("Officer {id}"),
            },
            at: jiff::Timestamp::UNIX_EPOCH,
            today: date(2025, 6, 30),
            payment_approval_above: limit.map(Pence),
        };
        let add = |pence| Command::AddRemedy {
            kind: RemedyKind::Financial,
            description: "Pay for the carpet".into(),
            owner: person(3),
            due: date(2025, 4, 1),
            payment: Some((PaymentKind::Compensation, Pence(pence))),
        };
        let approve = |id| Command::ApprovePayment {
            id,
            on: date(2025, 3, 10),
        };
        assert!(c.apply(add(30_000), &as_user("u1", Some(25_000))).is_ok());
        assert!(c.apply(add(20_000), &as_user("u1", Some(25_000))).is_ok());
        let own = c.apply(approve(1), &as_user("u1", Some(25_000)));
        assert!(
            own.is_err_and(|e| e.to_string().contains("someone else must approve")),
            "£300 proposed by u1 cannot be approved by u1"
        );
        assert!(c.apply(approve(2), &as_user("u1", Some(25_000))).is_ok());
        let other = c.apply(approve(1), &as_user("u2", Some(25_000)));
        assert!(other.is_ok_and(|e| e[0].summary.contains("approved by Officer u2")));
    }

    #[test]
    fn remedies_are_followed_through_and_payments_approved_before_paid() {
        let mut c = received("");
        let add = |kind, payment| Command::AddRemedy {
            kind,
            description: "Pay for the damaged carpet".into(),
            owner: person(3),
            due: date(2025, 4, 1),
            payment,
        };
        assert!(
            run(&mut c, add(RemedyKind::Apology, None))
                .is_err_and(|e| e.to_string().contains("cannot be given a remedy")
                    || e.to_string().contains("awaiting acknowledgement"))
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        assert!(
            run(&mut c, add(RemedyKind::Financial, None)).is_err_and(|e| e.field() == "amount")
        );
        assert!(
            run(
                &mut c,
                add(
                    RemedyKind::Apology,
                    Some((PaymentKind::Goodwill, Pence(5_000)))
                )
            )
            .is_err_and(|e| e.field() == "kind")
        );
        assert!(
            run(
                &mut c,
                add(
                    RemedyKind::Financial,
                    Some((PaymentKind::Compensation, Pence(25_000)))
                )
            )
            .is_ok()
        );
        assert!(run(&mut c, add(RemedyKind::Apology, None)).is_ok());
        assert!(c.case.remedies[0].is_overdue(date(2025, 4, 2)));
        assert!(
            run(
                &mut c,
                Command::CompleteRemedy {
                    id: 1,
                    on: date(2025, 3, 20)
                }
            )
            .is_err_and(|e| e.to_string().contains("payment"))
        );
        assert!(
            run(
                &mut c,
                Command::RecordPayment {
                    id: 1,
                    on: date(2025, 3, 20)
                }
            )
            .is_err_and(|e| e.to_string().contains("approved"))
        );
        assert!(
            run(
                &mut c,
                Command::ApprovePayment {
                    id: 1,
                    on: date(2025, 3, 18)
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::RecordPayment {
                    id: 1,
                    on: date(2025, 3, 17)
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::RecordPayment {
                    id: 1,
                    on: date(2025, 3, 20)
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::NoteRemedy {
                    id: 2,
                    on: date(2025, 3, 20),
                    text: "Letter drafted".into()
                }
            )
            .is_ok()
        );
        assert!(
            run(
                &mut c,
                Command::CompleteRemedy {
                    id: 1,
                    on: date(2025, 3, 21)
                }
            )
            .is_ok()
        );
        assert!(!c.case.remedies[0].is_overdue(date(2025, 4, 2)));
        assert!(
            run(
                &mut c,
                Command::CompleteRemedy {
                    id: 9,
                    on: date(2025, 3, 21)
                }
            )
            .is_err_and(|e| e.to_string().contains("no remedy 9"))
        );
    }
}
