//! Linking cases to each other and to other agencies' cases, and raising a complaint about
//! how a service request is being handled.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::Text;
use redress_domain::case::{CaseLink, Command, LinkRelation};
use redress_domain::contact::{Contact, ContactKind, MAX_SUMMARY, uk_date};
use redress_domain::role::Permission;

impl App {
    /// Links a case to another: both cases record the link, so each history shows it. A
    /// repeat or duplicate closes here and is handled on the other case.
    pub async fn link_cases(
        &self,
        who: &Principal,
        reference: &str,
        command: Command,
        expected_version: Option<i64>,
    ) -> Result<Contact, AppError> {
        let Command::Link {
            reference: Some(target),
            ..
        } = &command
        else {
            return self
                .apply_command(who, reference, command, expected_version)
                .await;
        };
        let target = target.clone();
        let scope = self.grant(who, Permission::HandleCases).await?;
        // A case outside the principal's areas is one they cannot write to: to them it is
        // not there.
        match self.contact_by_reference(target.as_str()).await {
            Ok(c) if scope.allows(&c) => {}
            Ok(_) | Err(AppError::NotFound) => {
                return Err(AppError::invalid(
                    "reference",
                    format!("There is no case {target}"),
                ));
            }
            Err(e) => return Err(e),
        }
        let actor = who.actor();
        let this = self
            .apply_command(who, reference, command, expected_version)
            .await?;
        let back = Command::Link {
            relation: LinkRelation::Related,
            reference: Some(this.reference.clone()),
            agency: None,
            their_reference: None,
        };
        match self.apply_as(target.as_str(), back, actor).await {
            // Linked from both sides already: nothing more to record.
            Ok(_) | Err(AppError::Domain(_)) => Ok(this),
            Err(e) => Err(e),
        }
    }

    /// Raises a complaint about how a service request is being handled, while the request
    /// carries on, or from a survey answer that reads as one: a new complaint for the same
    /// person, linked both ways.
    pub async fn raise_complaint_from(
        &self,
        who: &Principal,
        reference: &str,
        dissatisfaction: &str,
    ) -> Result<Contact, AppError> {
        let request = self
            .case_in_scope(who, Permission::HandleCases, reference)
            .await?;
        let actor = who.actor();
        // From a request, whose handling the person is unhappy with; or from any case whose
        // survey answer read as a complaint nobody has made yet.
        if request.detail.kind != ContactKind::ServiceRequest
            && request.survey_suggestion_waiting().is_none()
        {
            return Err(AppError::invalid(
                "summary",
                "A complaint can be raised this way only from a service request, or from a survey answer that reads as a complaint",
            ));
        }
        let summary = Text::parse(
            dissatisfaction,
            "what the person is unhappy about",
            MAX_SUMMARY,
        )
        .map_err(|m| {
            let mut e = FieldErrors::new();
            e.add("summary", m);
            AppError::Invalid(e)
        })?;
        let mut detail = request.detail.clone();
        detail.kind = ContactKind::Complaint;
        detail.summary = summary;
        detail.received_at = self.now();
        detail.other_route = None;
        let scheme = self.scheme_for(detail.service_area.as_deref()).await?;
        let calendar = self.calendar().await?;
        let id = uuid::Uuid::now_v7().to_string();
        let year = uk_date(detail.received_at).year();
        let from = request.reference.clone();
        let receiver = actor.clone();
        let complaint = self
            .store
            .insert_contact(
                &self.organisation.id,
                None,
                (ContactKind::Complaint, year),
                move |new_reference| {
                    let (mut contact, event) = Contact::receive(
                        id.clone(),
                        new_reference,
                        detail.clone(),
                        &scheme,
                        &calendar,
                        receiver.clone(),
                    )?;
                    contact.case.links.push(CaseLink {
                        relation: LinkRelation::RaisedFrom,
                        reference: Some(from.clone()),
                        agency: None,
                        their_reference: None,
                    });
                    Ok((contact, event))
                },
            )
            .await?
            .into_contact();
        let back = Command::Link {
            relation: LinkRelation::ComplaintRaised,
            reference: Some(complaint.reference.clone()),
            agency: None,
            their_reference: None,
        };
        self.apply_as(request.reference.as_str(), back, actor)
            .await?;
        Ok(complaint)
    }
}
