//! A hazard confirmed on a case goes to the repairs service at once, with its timescales;
//! and the hazards waiting on someone, for My work.

use crate::{App, AppError};
use redress_domain::calendar::{long_date, long_date_time};
use redress_domain::contact::Contact;
use redress_domain::event::{Event, EventKind};
use redress_domain::letter::{Delivery, Letter, LetterKind, default_template, fill};
use redress_store::ContactFilter;
use std::collections::BTreeMap;

/// A hazard waiting on someone, for My work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HazardDue {
    pub reference: String,
    /// "Possible: damp and mould" or "Significant hazard: damp and mould".
    pub what: String,
    /// The next clock still to meet: the step, when it is due, and whether it is missed.
    pub next: Option<(String, String, bool)>,
    /// An emergency, confirmed or suggested: listed first.
    pub emergency: bool,
}

impl App {
    /// The recognition assistant's and the hazards' figures for contacts received in a
    /// period, for those who read reports.
    pub async fn recognition_figures(
        &self,
        who: &crate::access::Principal,
        period: redress_domain::measures::Period,
        service_area: Option<&str>,
    ) -> Result<redress_domain::recognition::figures::Figures, AppError> {
        who.require(redress_domain::role::Permission::ViewReports)?;
        let area = match service_area.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_area(a).await?.id),
            None => None,
        };
        let contacts = self
            .store
            .contacts_for_report(
                &self.organisation.id,
                period.from,
                period.to,
                area.as_deref(),
            )
            .await?;
        Ok(redress_domain::recognition::figures::figures(
            &contacts,
            &self.statutory_calendar(),
            self.now(),
            self.today(),
        ))
    }

    /// The cases a filter selects that have a hazard waiting on someone, with each one's
    /// next clock (the filter is already limited to what the user may see).
    pub(crate) async fn hazards_due(
        &self,
        filter: &ContactFilter,
    ) -> Result<Vec<HazardDue>, AppError> {
        let calendar = self.statutory_calendar();
        let (now, today) = (self.now(), self.today());
        let mut out = Vec::new();
        for summary in self.list_cases(filter).await?.items {
            let Some(c) = self
                .store
                .contact_by_reference(&self.organisation.id, &summary.reference)
                .await?
            else {
                continue;
            };
            let emergency = match (&c.case.hazard, &c.case.hazard_suggestion) {
                (Some(h), _) => h.urgency == redress_domain::hazard::Urgency::Emergency,
                (None, Some(s)) => s.urgency == redress_domain::hazard::Urgency::Emergency,
                (None, None) => false,
            };
            let (what, next) = match (&c.case.hazard, &c.case.hazard_suggestion) {
                (Some(h), _) => {
                    let next = h
                        .clocks(&calendar)
                        .unwrap_or_default()
                        .into_iter()
                        .find(|k| k.done_on.is_none() && (k.due_on.is_some() || k.due_at.is_some()))
                        .map(|k| {
                            let due = match (k.due_at, k.due_on) {
                                (Some(at), _) => long_date_time(at),
                                (None, Some(on)) => long_date(on),
                                (None, None) => String::new(),
                            };
                            (
                                k.step.label().to_string(),
                                due,
                                k.met(now, today) == Some(false),
                            )
                        });
                    (
                        format!(
                            "{} hazard: {}",
                            h.urgency.label(),
                            h.kind.label().to_lowercase()
                        ),
                        next,
                    )
                }
                (None, Some(s)) => (
                    format!(
                        "Possible {} hazard to confirm: {}",
                        s.urgency.label().to_lowercase(),
                        s.kind.label().to_lowercase()
                    ),
                    None,
                ),
                (None, None) => continue,
            };
            out.push(HazardDue {
                reference: c.reference.to_string(),
                what,
                next,
                emergency,
            });
        }
        // Emergencies first, then a clock already missed; otherwise the list's own order.
        out.sort_by_key(|h| (!h.emergency, !h.next.as_ref().is_some_and(|n| n.2)));
        Ok(out)
    }

    /// The email to the repairs service a change calls for: when it confirms a hazard and
    /// the organisation has given the service's address.
    pub(crate) async fn hazard_referrals(
        &self,
        contact: &Contact,
        events: &[Event],
    ) -> Result<Vec<Letter>, AppError> {
        let confirmed = events.iter().any(|e| e.kind == EventKind::HazardConfirmed);
        let to = self.reach().repairs_email;
        let (Some(hazard), true, false) = (&contact.case.hazard, confirmed, to.is_empty()) else {
            return Ok(Vec::new());
        };
        let calendar = self.statutory_calendar();
        let due: Vec<String> = hazard
            .clocks(&calendar)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| {
                let when = match (c.due_at, c.due_on) {
                    (Some(at), _) => long_date_time(at),
                    (None, Some(on)) => long_date(on),
                    (None, None) => return None,
                };
                Some(format!("- {}: by {when}", c.step.label()))
            })
            .collect();
        let outcome = if hazard.awaabs_law {
            format!(
                "It is {} hazard. Awaab's Law applies: the resident told us on {}, so\n{}\nLater timescales run from the end of the investigation.",
                if hazard.urgency == redress_domain::hazard::Urgency::Emergency {
                    "an emergency"
                } else {
                    "a significant"
                },
                long_date_time(hazard.aware_at),
                due.join("\n")
            )
        } else {
            format!(
                "It is {} hazard. Awaab's Law does not apply to it (not a social home in England, or reported before 27 October 2025), but it needs attention.",
                hazard.urgency.label().to_lowercase()
            )
        };
        let template = self
            .store
            .letter_template(
                &self.organisation.id,
                LetterKind::HazardReferral,
                redress_domain::language::Language::English,
            )
            .await?
            .unwrap_or_else(|| default_template(LetterKind::HazardReferral));
        let mut v = BTreeMap::new();
        v.insert("reference", contact.reference.to_string());
        v.insert("kind", hazard.kind.label().to_lowercase());
        v.insert("outcome", outcome);
        v.insert(
            "link",
            format!("{}/staff/cases/{}", self.public_url(), contact.reference),
        );
        v.insert("organisation", self.display_name());
        Ok(vec![Letter {
            kind: LetterKind::HazardReferral,
            delivery: Delivery::Email,
            recipient: to,
            large_print: false,
            subject: fill(&template.subject, &v),
            body: fill(&template.body, &v),
            draft_by: None,
            convert: None,
            // Staff read English.
            language: redress_domain::language::Language::English,
        }])
    }
}
