//! Supporting a request: reading it, moving it on, its officer, area, history, signatures and the requester's complaints on record.

use super::*;

impl App {
    /// A request, for those who read scrutiny requests.
    pub async fn scrutiny_by_id(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<(Request, i64), AppError> {
        who.require(Permission::ViewScrutiny)?;
        self.request_by_id(id).await
    }

    /// A request for use cases that have already checked who is asking.
    pub(crate) async fn request_by_id(&self, id: &str) -> Result<(Request, i64), AppError> {
        // Ids are UUIDs: anything else (a NUL byte, say) is not one, and never reaches SQL.
        if id.len() > 40 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(AppError::NotFound);
        }
        self.store
            .scrutiny_request(&self.organisation.id, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Every request, for those who read scrutiny requests.
    pub async fn scrutiny_requests(&self, who: &Principal) -> Result<Vec<Request>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        self.all_requests().await
    }

    pub(crate) async fn all_requests(&self) -> Result<Vec<Request>, AppError> {
        Ok(self.store.scrutiny_requests(&self.organisation.id).await?)
    }

    /// Moves a request on by the steps `decide` works out from its current state, then
    /// puts it on the next meeting's agenda if it has just become ready.
    pub(crate) async fn scrutiny_step(
        &self,
        id: &str,
        actor: &Actor,
        decide: impl FnOnce(&Request, jiff::civil::Date) -> Result<Vec<Step>, FieldErrors>,
    ) -> Result<Request, AppError> {
        let (mut request, version) = self.request_by_id(id).await?;
        let today = self.today();
        let mut steps = decide(&request, today)?;
        for s in &steps {
            request.apply(s, today);
        }
        let meetings = self.store.meetings(&self.organisation.id).await?;
        if let Some(s) = request.agenda(&meetings, today) {
            request.apply(&s, today);
            steps.push(s);
        }
        // The requester is told of each step that changes what happens next, in the same
        // transaction as the step.
        let letters = self.step_letters(&request, &steps).await?;
        self.store
            .save_scrutiny_request(&request, version, &steps, &letters, &doer(actor))
            .await?;
        Ok(request)
    }

    /// Assigns a support officer: an active member of staff.
    pub(crate) async fn assign_scrutiny_officer(
        &self,
        id: &str,
        user_id: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let officer = self
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.id == user_id && u.active)
            .ok_or_else(|| AppError::invalid("officer", "Select an officer"))?;
        self.scrutiny_step(id, actor, |r, _| {
            Ok(vec![r.assign(&officer.id, &officer.name)?])
        })
        .await
    }

    /// Records the business area a request is about, one of the organisation's.
    pub(crate) async fn set_scrutiny_area(
        &self,
        id: &str,
        area: &str,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let known: Vec<String> = self.service_area_names().await?.into_keys().collect();
        self.scrutiny_step(id, actor, |r, _| Ok(vec![r.set_area(area, &known)?]))
            .await
    }

    /// Complaints on record from the requester (by email or phone), for a "not yet"
    /// decision: how far through the procedure each went.
    pub async fn complaints_on_record(
        &self,
        who: &Principal,
        request_id: &str,
    ) -> Result<Vec<ComplaintOnRecord>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        // The request as stored, so its requester is the person looked up.
        let (request, _) = self.request_by_id(request_id).await?;
        let Some(form) = &request.form else {
            return Ok(Vec::new());
        };
        let query = PersonQuery {
            email: form.email.clone(),
            phone_digits: form
                .phone
                .as_deref()
                .and_then(redress_domain::field::phone_digits),
        };
        if query.email.is_none() && query.phone_digits.is_none() {
            return Ok(Vec::new());
        }
        let contacts: Vec<Contact> = self
            .store
            .contacts_of_person(&self.organisation.id, &query)
            .await?;
        Ok(contacts
            .iter()
            .map(|c| ComplaintOnRecord {
                reference: c.reference.to_string(),
                kind: c.detail.kind.label().to_string(),
                received_on: c.received_on,
                stage_reached: c.stage(),
                status: c.status.label().to_string(),
                ombudsman: !c.case.referrals.is_empty(),
            })
            .collect())
    }

    /// What has happened to a request, for those who read scrutiny requests.
    /// The registered Link Group members: active users with the appeal panel role, by id.
    pub async fn link_group(&self) -> Result<Vec<(String, String)>, AppError> {
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| u.active && u.role == redress_domain::role::Role::AppealPanelMember)
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// Sets the appeal panel from the registered Link Group members ticked on the form
    /// (`member-{user id}`), refusing anyone who took part in the team's decision.
    pub(crate) async fn set_appeal_panel(
        &self,
        id: &str,
        values: &std::collections::BTreeMap<String, String>,
        actor: &Actor,
    ) -> Result<Request, AppError> {
        let members = self.link_group().await?;
        let chosen: Vec<String> = members
            .iter()
            .filter(|(uid, _)| {
                values
                    .get(&format!("member-{uid}"))
                    .is_some_and(|v| v == "yes")
            })
            .map(|(_, name)| name.clone())
            .collect();
        let registered: Vec<String> = members.into_iter().map(|(_, name)| name).collect();
        let decided_by: Vec<String> = self
            .history_of(id)
            .await?
            .into_iter()
            .filter(|h| matches!(h.step, Some(Step::Decided { .. })))
            .map(|h| h.actor)
            .collect();
        self.scrutiny_step(id, actor, |r, _| {
            Ok(vec![r.set_panel(&chosen, &registered, &decided_by)?])
        })
        .await
    }

    pub async fn scrutiny_history(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<redress_store::HistoryLine>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        self.history_of(id).await
    }

    pub(crate) async fn history_of(
        &self,
        id: &str,
    ) -> Result<Vec<redress_store::HistoryLine>, AppError> {
        Ok(self.store.scrutiny_history(id).await?)
    }

    /// The signatures on a request, for those who read scrutiny requests.
    pub async fn scrutiny_signatures(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<redress_store::SignatureRow>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        Ok(self.store.signatures(id).await?)
    }
}
