//! The service improvement register, and telling the people whose complaints led to a
//! change what became of it.

use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::case::Command;
use redress_domain::contact::Reference;
use redress_domain::event::Actor;
use redress_domain::learning::{Improvement, ImprovementStatus};
use redress_store::ImprovementWithCases;

impl App {
    pub async fn improvements(&self) -> Result<Vec<ImprovementWithCases>, AppError> {
        Ok(self.store.improvements(&self.organisation.id).await?)
    }

    pub async fn improvement(&self, id: &str) -> Result<ImprovementWithCases, AppError> {
        self.improvements()
            .await?
            .into_iter()
            .find(|(i, _)| i.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Adds a proposal to the register, linked to the complaints that suggested it (by
    /// reference, separated by spaces or commas).
    pub async fn propose_improvement(
        &self,
        title: &str,
        description: &str,
        service_area: Option<String>,
        references: &str,
        actor: Actor,
    ) -> Result<Improvement, AppError> {
        let mut errors = FieldErrors::new();
        let refs = self.case_references(references, &mut errors).await?;
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

    /// Checks every reference typed is a complaint here.
    async fn case_references(
        &self,
        raw: &str,
        errors: &mut FieldErrors,
    ) -> Result<Vec<Reference>, AppError> {
        let mut out = Vec::new();
        for word in raw
            .split([',', ' ', '\n', '\r', '\t'])
            .filter(|w| !w.is_empty())
        {
            match Reference::parse(word) {
                Some(r)
                    if self
                        .store
                        .contact_by_reference(&self.organisation.id, &r)
                        .await?
                        .is_some() =>
                {
                    out.push(r)
                }
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
            self.apply_command(
                reference.as_str(),
                Command::ImprovementNews {
                    improvement: proposed,
                },
                actor,
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// Links more complaints to an improvement still being considered.
    pub async fn link_improvement_cases(
        &self,
        id: &str,
        references: &str,
        actor: Actor,
    ) -> Result<(), AppError> {
        let (improvement, _) = self.improvement(id).await?;
        let mut errors = FieldErrors::new();
        let refs = self.case_references(references, &mut errors).await?;
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
        id: &str,
        status: &str,
        on: &str,
        explanation: &str,
        actor: Actor,
    ) -> Result<usize, AppError> {
        let (mut improvement, cases) = self.improvement(id).await?;
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
                self.apply_command(
                    reference.as_str(),
                    Command::ImprovementNews {
                        improvement: improvement.clone(),
                    },
                    actor.clone(),
                    None,
                )
                .await?;
                told += 1;
            }
        }
        Ok(told)
    }
}
