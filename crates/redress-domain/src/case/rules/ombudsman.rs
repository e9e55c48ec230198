//! After the complaints procedure: a referral to the ombudsman, its determination, and
//! the orders it made, complied with.

use super::{check_date, optional, required};
use crate::case::Context;
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::{ContactStatus, ContactStatus::*};
use crate::remedy::{Determination, Order, Referral};
use crate::scheme::{Ombudsman, Scheme};
use jiff::civil::Date;

pub(super) fn accepts_refer_to_ombudsman(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_complaint("referred to an ombudsman")?;
    c.require_status(
        &[Responded, Closed, ContactStatus::Declined],
        "referred to an ombudsman",
    )?;
    if !c.case.referrals.is_empty() {
        return Err(ContactError::Rule(
            "on",
            "The referral is already recorded".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_record_determination(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    let Some(referral) = c.case.referrals.last() else {
        return Err(no_referral("on"));
    };
    if referral.determination.is_some() {
        return Err(ContactError::Rule(
            "on",
            "The determination is already recorded".into(),
        ));
    }
    Ok(())
}

pub(super) fn accepts_add_order(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    let Some(referral) = c.case.referrals.last() else {
        return Err(no_referral("description"));
    };
    match referral.determined_on {
        Some(_) => Ok(()),
        None => Err(not_determined()),
    }
}

pub(super) fn accepts_comply_order(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    let waiting = c
        .case
        .referrals
        .last()
        .is_some_and(|r| r.orders.iter().any(|o| o.complied_on.is_none()));
    if waiting {
        Ok(())
    } else {
        Err(ContactError::Rule(
            "order",
            "There is no order still to comply with".into(),
        ))
    }
}

fn no_referral(field: &'static str) -> ContactError {
    ContactError::Rule(field, "Record the referral to the ombudsman first".into())
}

fn not_determined() -> ContactError {
    ContactError::Rule(
        "description",
        "Record the determination before its orders".into(),
    )
}

impl Contact {
    pub(in crate::case) fn refer_to_ombudsman(
        &mut self,
        on: Date,
        ombudsman: Ombudsman,
        their_reference: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_refer_to_ombudsman(self, ctx.scheme)?;
        check_date(
            on,
            self.received_on,
            "the complaint was received",
            ctx.today,
        )?;
        let their_reference = optional(their_reference);
        self.case.referrals.push(Referral {
            referred_on: on,
            ombudsman,
            their_reference: their_reference.clone(),
            determination: None,
            determined_on: None,
            summary: None,
            orders: Vec::new(),
        });
        Ok(ctx.event(
            EventKind::Referred,
            format!("Referred to the {} on {on}{}", ombudsman.name(), their_reference.as_ref().map(|r| format!(" (their reference {r})")).unwrap_or_default()),
            serde_json::json!({"on": on, "ombudsman": ombudsman, "their_reference": their_reference}),
        ))
    }

    pub(in crate::case) fn record_determination(
        &mut self,
        on: Date,
        determination: Determination,
        summary: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let summary = required(&summary, "summary", "a summary of the determination")?;
        accepts_record_determination(self, ctx.scheme)?;
        let Some(referral) = self.case.referrals.last_mut() else {
            return Err(no_referral("on"));
        };
        check_date(on, referral.referred_on, "the referral", ctx.today)?;
        referral.determination = Some(determination);
        referral.determined_on = Some(on);
        referral.summary = Some(summary.clone());
        Ok(ctx.event(
            EventKind::Determined,
            format!(
                "{}: {}",
                referral.ombudsman.name(),
                determination.label().to_lowercase()
            ),
            serde_json::json!({"on": on, "determination": determination, "summary": summary}),
        ))
    }

    pub(in crate::case) fn add_order(
        &mut self,
        description: String,
        due: Date,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let description = required(&description, "description", "what the ombudsman ordered")?;
        accepts_add_order(self, ctx.scheme)?;
        let Some(referral) = self.case.referrals.last_mut() else {
            return Err(no_referral("description"));
        };
        let Some(determined) = referral.determined_on else {
            return Err(not_determined());
        };
        if due < determined {
            return Err(ContactError::Rule(
                "due",
                "The due date cannot be before the determination".into(),
            ));
        }
        let id = u32::try_from(referral.orders.len() + 1).unwrap_or(u32::MAX);
        referral.orders.push(Order {
            id,
            description: description.clone(),
            due,
            complied_on: None,
            evidence: None,
        });
        Ok(ctx.event(
            EventKind::OrderAdded,
            format!("Order {id}: {description}, due {due}"),
            serde_json::json!({"id": id, "description": description, "due": due}),
        ))
    }

    pub(in crate::case) fn comply_order(
        &mut self,
        id: u32,
        on: Date,
        evidence: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        let evidence = required(&evidence, "evidence", "the evidence of compliance")?;
        // Asked before the order is borrowed, reported after its own more precise refusals.
        let accepted = accepts_comply_order(self, ctx.scheme);
        let Some(order) = self
            .case
            .referrals
            .last_mut()
            .and_then(|r| r.orders.iter_mut().find(|o| o.id == id))
        else {
            return Err(ContactError::Rule(
                "order",
                format!("There is no order {id}"),
            ));
        };
        if order.complied_on.is_some() {
            return Err(ContactError::Rule(
                "order",
                format!("Order {id} is already complied with"),
            ));
        }
        accepted?;
        check_date(
            on,
            self.received_on,
            "the complaint was received",
            ctx.today,
        )?;
        order.complied_on = Some(on);
        order.evidence = Some(evidence.clone());
        let late = on > order.due;
        Ok(ctx.event(
            EventKind::OrderComplied,
            format!(
                "Order {id} complied with on {on}{}",
                if late { " (late)" } else { "" }
            ),
            serde_json::json!({"id": id, "on": on, "evidence": evidence, "late": late}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::remedy::Determination;
    use crate::scheme::Ombudsman;
    use jiff::civil::date;

    #[test]
    fn an_ombudsman_referral_with_determination_and_orders() {
        let mut c = received("");
        let refer = Command::ReferToOmbudsman {
            on: date(2025, 5, 1),
            ombudsman: Ombudsman::Housing,
            their_reference: Some("202501234".into()),
        };
        assert!(
            run(&mut c, refer.clone()).is_err(),
            "not before the complaints procedure has answered"
        );
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        assert!(run(&mut c, respond(date(2025, 3, 10))).is_ok());
        let order = Command::AddOrder {
            description: "Apologise in writing".into(),
            due: date(2025, 7, 1),
        };
        assert!(run(&mut c, order.clone()).is_err());
        assert!(run(&mut c, refer.clone()).is_ok());
        assert!(run(&mut c, refer).is_err());
        assert!(run(&mut c, order.clone()).is_err_and(|e| e.to_string().contains("determination")));
        let determined = Command::RecordDetermination {
            on: date(2025, 6, 1),
            determination: Determination::Maladministration,
            summary: "Repairs handling was poor".into(),
        };
        assert!(run(&mut c, determined).is_ok());
        assert!(run(&mut c, order).is_ok());
        assert!(
            run(
                &mut c,
                Command::ComplyOrder {
                    id: 1,
                    on: date(2025, 6, 20),
                    evidence: " ".into()
                }
            )
            .is_err()
        );
        assert!(
            run(
                &mut c,
                Command::ComplyOrder {
                    id: 1,
                    on: date(2025, 6, 20),
                    evidence: "Letter of 20 June".into()
                }
            )
            .is_ok()
        );
        let referral = &c.case.referrals[0];
        assert_eq!(
            referral.determination,
            Some(Determination::Maladministration)
        );
        assert_eq!(referral.orders[0].complied_on, Some(date(2025, 6, 20)));
    }
}
