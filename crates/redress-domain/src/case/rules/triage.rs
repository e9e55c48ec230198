//! Sorting a contact out: what kind it really is, which cases it relates to, and which
//! service area handles it.

use super::{OPEN, optional, required};
use crate::case::deadlines::new_stage;
use crate::case::{COMMENT_REPLY_WORKING_DAYS, CaseLink, Context, LinkRelation};
use crate::case::{Contact, ContactError};
use crate::event::{Event, EventKind};
use crate::intake::{ContactKind, ContactStatus::*, OtherRoute, Reference};
use crate::scheme::{Scheme, SchemeError};

pub(super) fn accepts_reclassify(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_status(&[Received], "reclassified")?;
    if c.acknowledged_on().is_some() || c.stage() > 1 {
        return Err(ContactError::Rule(
            "to",
            "A complaint that has been acknowledged cannot be reclassified".into(),
        ));
    }
    Ok(())
}

/// Any case may be linked: the other side of a link is recorded whatever state this one is
/// in. Closing as a repeat or duplicate depends on the relation, so it is checked with it.
pub(super) fn accepts_link(_: &Contact, _: &Scheme) -> Result<(), ContactError> {
    Ok(())
}

/// A withdrawn or declined case has nobody left to handle it.
pub(super) fn accepts_set_service_area(c: &Contact, _: &Scheme) -> Result<(), ContactError> {
    c.require_status(
        &[Received, Acknowledged, Responded, Closed],
        "passed to another service area",
    )
}

impl Contact {
    pub(in crate::case) fn reclassify(
        &mut self,
        to: ContactKind,
        route: Option<OtherRoute>,
        explanation: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        if to == self.detail.kind {
            return Err(ContactError::Rule(
                "to",
                format!("It is already a {}", to.label().to_lowercase()),
            ));
        }
        accepts_reclassify(self, ctx.scheme)?;
        let explanation = required(
            &explanation,
            "explanation",
            "the explanation for the person",
        )?;
        if to == ContactKind::OtherRoute && route.is_none() {
            return Err(ContactError::Missing("route", "which route applies"));
        }
        let from = self.detail.kind;
        if to == ContactKind::Complaint {
            self.suggestion_raised(ctx);
        }
        self.detail.kind = to;
        self.detail.other_route = if to == ContactKind::OtherRoute {
            route
        } else {
            None
        };
        self.case.stages.clear();
        self.case.reply_by = None;
        if to == ContactKind::Complaint {
            // The clock runs from when the person first got in touch, not from triage.
            self.case.stages.push(new_stage(
                ctx.scheme,
                ctx.calendar,
                1,
                self.received_on,
                None,
            )?);
        }
        if to == ContactKind::Comment && self.detail.wants_reply {
            let due = ctx
                .calendar
                .add_working_days(self.received_on, COMMENT_REPLY_WORKING_DAYS);
            self.case.reply_by = Some(due.map_err(SchemeError::from)?);
        }
        Ok(ctx.event(
            EventKind::Reclassified,
            format!(
                "Reclassified from {} to {}{}: {explanation}",
                from.label().to_lowercase(),
                to.label().to_lowercase(),
                route
                    .filter(|_| to == ContactKind::OtherRoute)
                    .map(|r| format!(" ({})", r.label()))
                    .unwrap_or_default()
            ),
            serde_json::json!({"from": from, "to": to, "route": route, "explanation": explanation}),
        ))
    }

    pub(in crate::case) fn link(
        &mut self,
        relation: LinkRelation,
        reference: Option<Reference>,
        agency: Option<String>,
        their_reference: Option<String>,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_link(self, ctx.scheme)?;
        let their_reference = optional(their_reference);
        let agency = optional(agency);
        match relation {
            LinkRelation::OtherAgency => {
                if agency.is_none() {
                    return Err(ContactError::Missing("agency", "the other agency"));
                }
            }
            _ => {
                let Some(r) = &reference else {
                    return Err(ContactError::Missing(
                        "reference",
                        "the reference of the other case",
                    ));
                };
                if *r == self.reference {
                    return Err(ContactError::Rule(
                        "reference",
                        "A case cannot be linked to itself".into(),
                    ));
                }
                if self
                    .case
                    .links
                    .iter()
                    .any(|l| l.reference.as_ref() == Some(r))
                {
                    return Err(ContactError::Rule(
                        "reference",
                        format!("It is already linked to {r}"),
                    ));
                }
            }
        }
        let closes = matches!(
            relation,
            LinkRelation::EarlierIssue | LinkRelation::DuplicateOf
        );
        if closes {
            self.require_status(&OPEN, "linked and closed")?;
            if self.acknowledged_on().is_some() || self.stage() > 1 {
                return Err(ContactError::Rule(
                    "relation",
                    "Only a new contact can be closed as a repeat or duplicate".into(),
                ));
            }
        }
        let label = match (&reference, &agency) {
            (Some(r), _) => r.to_string(),
            (None, Some(a)) => format!(
                "{a}{}",
                their_reference
                    .as_ref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            ),
            (None, None) => String::new(),
        };
        if relation == LinkRelation::ComplaintRaised {
            self.suggestion_raised(ctx);
        }
        self.case.links.push(CaseLink {
            relation,
            reference: reference.clone(),
            agency: agency.clone(),
            their_reference: their_reference.clone(),
        });
        if closes {
            self.status = Closed;
            self.closed_on = Some(ctx.today);
            self.case.paused = None;
        }
        Ok(ctx.event(
            EventKind::Linked,
            format!("{}: {label}{}", relation.label(), if closes { ". Closed here; handled on that case" } else { "" }),
            serde_json::json!({"relation": relation, "reference": reference, "agency": agency, "their_reference": their_reference, "closed": closes}),
        ))
    }

    pub(in crate::case) fn set_service_area(
        &mut self,
        id: String,
        name: String,
        ctx: &Context<'_>,
    ) -> Result<Event, ContactError> {
        accepts_set_service_area(self, ctx.scheme)?;
        if self.detail.service_area.as_deref() == Some(id.as_str()) {
            return Err(ContactError::Rule(
                "area",
                format!("It is already with {name}"),
            ));
        }
        let from = self.detail.service_area.replace(id.clone());
        Ok(ctx.event(
            EventKind::Routed,
            format!("Passed to {name}"),
            serde_json::json!({"from": from, "to": id}),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::case::test_support::*;
    use crate::case::*;
    use crate::intake::Reference;
    use crate::intake::{ContactKind, ContactStatus};
    use jiff::civil::date;

    #[test]
    fn triage_reclassifies_and_links() {
        let mut c = received("");
        let to_request = Command::Reclassify {
            to: ContactKind::ServiceRequest,
            route: None,
            explanation: "A first report of a repair".into(),
        };
        assert!(run(&mut c, to_request).is_ok());
        assert_eq!(
            (c.detail.kind, c.stage(), c.respond_by()),
            (ContactKind::ServiceRequest, 0, None)
        );
        let back = Command::Reclassify {
            to: ContactKind::Complaint,
            route: None,
            explanation: "The resident is unhappy with the delay".into(),
        };
        assert!(run(&mut c, back).is_ok());
        assert_eq!(
            c.acknowledge_by(),
            Some(date(2025, 3, 10)),
            "the clock still runs from first contact"
        );
        let route = Command::Reclassify {
            to: ContactKind::OtherRoute,
            route: None,
            explanation: "Whistleblowing".into(),
        };
        assert!(run(&mut c, route).is_err_and(|e| e.field() == "route"));
        assert!(run(&mut c, acknowledge(date(2025, 3, 4))).is_ok());
        let late = Command::Reclassify {
            to: ContactKind::Comment,
            route: None,
            explanation: "x".into(),
        };
        assert!(run(&mut c, late).is_err());

        let other = Reference::new(ContactKind::Complaint, 2025, 7);
        let link = |relation, reference: Option<Reference>| Command::Link {
            relation,
            reference,
            agency: None,
            their_reference: None,
        };
        assert!(run(&mut c, link(LinkRelation::Related, Some(other.clone()))).is_ok());
        assert!(
            run(&mut c, link(LinkRelation::Related, Some(other.clone())))
                .is_err_and(|e| e.to_string().contains("already linked"))
        );
        let itself = c.reference.clone();
        assert!(run(&mut c, link(LinkRelation::Related, Some(itself))).is_err());
        assert!(
            run(&mut c, link(LinkRelation::OtherAgency, None))
                .is_err_and(|e| e.field() == "agency")
        );
        let agency = Command::Link {
            relation: LinkRelation::OtherAgency,
            reference: None,
            agency: Some("Cardiff Council".into()),
            their_reference: Some("CC/99".into()),
        };
        assert!(run(&mut c, agency).is_ok());
        assert!(
            run(
                &mut c,
                link(
                    LinkRelation::DuplicateOf,
                    Some(Reference::new(ContactKind::Complaint, 2025, 8))
                )
            )
            .is_err(),
            "acknowledged cases are not closed as duplicates"
        );

        let mut repeat = received("");
        assert!(run(&mut repeat, link(LinkRelation::EarlierIssue, Some(other))).is_ok());
        assert_eq!(repeat.status, ContactStatus::Closed);
    }

    #[test]
    fn a_duplicate_does_not_make_its_maker_a_repeat_complainant() {
        let first = received("");
        let mut second = received("");
        second.id = "c2".into();
        second.reference = Reference::new(ContactKind::Complaint, 2025, 2);
        let period =
            crate::measures::Period::financial_year(2024).unwrap_or_else(|e| unreachable!("{e}"));
        let count = |cases: &[Contact]| {
            crate::measures::measures(cases, period, &calendar(), &|_| String::new())
                .repeat_complainants
        };
        // The same person twice: a repeat complainant, until one is found to be a duplicate.
        assert_eq!(count(&[first.clone(), second.clone()]), 1);
        let link = Command::Link {
            relation: LinkRelation::DuplicateOf,
            reference: Some(first.reference.clone()),
            agency: None,
            their_reference: None,
        };
        assert!(run(&mut second, link).is_ok());
        assert_eq!(count(&[first.clone(), second.clone()]), 0);
        // Raised before is a repeat, and still counts.
        let mut third = received("");
        third.id = "c3".into();
        third.reference = Reference::new(ContactKind::Complaint, 2025, 3);
        let earlier = Command::Link {
            relation: LinkRelation::EarlierIssue,
            reference: Some(first.reference.clone()),
            agency: None,
            their_reference: None,
        };
        assert!(run(&mut third, earlier).is_ok());
        assert_eq!(count(&[first, third]), 1);
    }
}
