//! The service improvement register, and telling the people whose complaints led to a
//! change what became of it.

use crate::access::Principal;
use crate::access::Scope;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::case::Command;
use redress_domain::contact::Reference;
use redress_domain::event::Actor;
use redress_domain::learning::{Improvement, ImprovementStatus};
use redress_domain::role::Permission;
use redress_store::ImprovementWithCases;

impl App {
    /// The register, for everyone who sees cases. Each improvement lists only the cases
    /// the reader may see.
    pub async fn improvements(
        &self,
        who: &Principal,
    ) -> Result<Vec<ImprovementWithCases>, AppError> {
        let scope = self.grant(who, Permission::ViewCases).await?;
        let mut all = self.store.improvements(&self.organisation.id).await?;
        if let Scope::Areas(_) = scope {
            for (_, cases) in &mut all {
                let mut mine = Vec::with_capacity(cases.len());
                for (id, reference) in cases.drain(..) {
                    if self.in_scope(&scope, reference.as_str()).await? {
                        mine.push((id, reference));
                    }
                }
                *cases = mine;
            }
        }
        Ok(all)
    }

    pub async fn improvement(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<ImprovementWithCases, AppError> {
        self.improvements(who)
            .await?
            .into_iter()
            .find(|(i, _)| i.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Adds a proposal to the register, linked to the complaints that suggested it (by
    /// reference, separated by spaces or commas).
    pub async fn propose_improvement(
        &self,
        who: &Principal,
        title: &str,
        description: &str,
        service_area: Option<String>,
        references: &str,
    ) -> Result<Improvement, AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        let mut errors = FieldErrors::new();
        if !scope.allows_area(service_area.as_deref()) {
            errors.add(
                "service_area",
                "Select one of the service areas you look after",
            );
        }
        let refs = self
            .case_references(references, &scope, &mut errors)
            .await?;
        let actor = who.actor();
        let parsed = Improvement::parse(
            uuid::Uuid::now_v7().to_string(),
            title,
            description,
            service_area,
            self.today(),
        );
        let improvement = match parsed {
            Ok(i) if errors.is_empty() => i,
            Ok(_) => return Err(AppError::Invalid(errors)),
            Err(mut e) => {
                for (f, m) in errors.iter() {
                    e.add(f, m);
                }
                return Err(AppError::Invalid(e));
            }
        };
        self.store
            .save_improvement(&self.organisation.id, &improvement)
            .await?;
        for r in refs {
            self.link_to_improvement(&improvement, &r, actor.clone())
                .await?;
        }
        Ok(improvement)
    }

    /// Checks every reference typed is a case here that the principal may handle: one
    /// outside their areas is, to them, not there.
    async fn case_references(
        &self,
        raw: &str,
        scope: &Scope,
        errors: &mut FieldErrors,
    ) -> Result<Vec<Reference>, AppError> {
        let mut out = Vec::new();
        for word in raw
            .split([',', ' ', '\n', '\r', '\t'])
            .filter(|w| !w.is_empty())
        {
            match Reference::parse(word) {
                Some(r) if self.in_scope(scope, r.as_str()).await? => out.push(r),
                _ => errors.add("cases", format!("There is no case {word}")),
            }
        }
        Ok(out)
    }

    async fn link_to_improvement(
        &self,
        improvement: &Improvement,
        reference: &Reference,
        actor: Actor,
    ) -> Result<(), AppError> {
        let contact = self
            .store
            .contact_by_reference(&self.organisation.id, reference)
            .await?
            .ok_or(AppError::NotFound)?;
        if self
            .store
            .link_improvement(&improvement.id, &contact.id)
            .await?
        {
            let mut proposed = improvement.clone();
            proposed.status = ImprovementStatus::Proposed;
            self.apply_as(
                reference.as_str(),
                Command::ImprovementNews {
                    improvement: proposed,
                },
                actor,
            )
            .await?;
        }
        Ok(())
    }

    /// Links more complaints to an improvement still being considered.
    pub async fn link_improvement_cases(
        &self,
        who: &Principal,
        id: &str,
        references: &str,
    ) -> Result<(), AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        let (improvement, _) = self.improvement_to_change(&scope, id).await?;
        let actor = who.actor();
        let mut errors = FieldErrors::new();
        let refs = self
            .case_references(references, &scope, &mut errors)
            .await?;
        if refs.is_empty() && errors.is_empty() {
            errors.add("cases", "Enter the reference of a case");
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        for r in refs {
            self.link_to_improvement(&improvement, &r, actor.clone())
                .await?;
        }
        Ok(())
    }

    /// Moves an improvement on. Once it is implemented or declined, every case that led
    /// to it records the news, which writes to the person by their preferred channel.
    /// Returns how many cases were told.
    pub async fn set_improvement_status(
        &self,
        who: &Principal,
        id: &str,
        status: &str,
        on: &str,
        explanation: &str,
    ) -> Result<usize, AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        let (mut improvement, cases) = self.improvement_to_change(&scope, id).await?;
        let actor = who.actor();
        let status =
            ImprovementStatus::parse(status).map_err(|m| AppError::invalid("status", m))?;
        let on = on
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("on", "Enter a real date, like 2026-04-01"))?;
        improvement
            .set_status(status, on, explanation, self.today())
            .map_err(AppError::Invalid)?;
        self.store
            .save_improvement(&self.organisation.id, &improvement)
            .await?;
        let mut told = 0;
        if status.is_final() {
            for (_, reference) in &cases {
                self.apply_as(
                    reference.as_str(),
                    Command::ImprovementNews {
                        improvement: improvement.clone(),
                    },
                    actor.clone(),
                )
                .await?;
                told += 1;
            }
        }
        Ok(told)
    }

    /// An improvement the principal may change: one in their areas whose cases are all
    /// theirs, since changing it writes to every one of those cases' residents.
    async fn improvement_to_change(
        &self,
        scope: &Scope,
        id: &str,
    ) -> Result<ImprovementWithCases, AppError> {
        let found = self
            .store
            .improvements(&self.organisation.id)
            .await?
            .into_iter()
            .find(|(i, _)| i.id == id)
            .ok_or(AppError::NotFound)?;
        if !scope.allows_area(found.0.service_area.as_deref()) {
            return Err(AppError::Forbidden);
        }
        for (_, reference) in &found.1 {
            if !self.in_scope(scope, reference.as_str()).await? {
                return Err(AppError::Forbidden);
            }
        }
        Ok(found)
    }

    /// Whether a case exists here and lies in the scope.
    async fn in_scope(&self, scope: &Scope, reference: &str) -> Result<bool, AppError> {
        match self.contact_by_reference(reference).await {
            Ok(c) => Ok(scope.allows(&c)),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
