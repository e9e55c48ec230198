//! Safeguarding: a concern that someone is at risk of harm reaches a named person the same
//! minute. The organisation names its safeguarding leads; a case flagged at intake, or
//! flagged later, emails each of them (the complaints officers when none is named), and the
//! case stays at the top of My work until someone records its review.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::contact::Contact;
use redress_domain::event::{Event, EventKind};
use redress_domain::letter::{Delivery, Letter, LetterKind, default_template, fill};
use redress_domain::role::{Permission, Role, User};
use redress_store::AdminChange;
use std::collections::BTreeMap;

const LEADS: &str = "safeguarding:leads";

impl App {
    /// The named safeguarding leads: for administrators.
    pub async fn safeguarding_leads(&self, who: &Principal) -> Result<Vec<String>, AppError> {
        who.require(Permission::Administer)?;
        self.lead_ids().await
    }

    async fn lead_ids(&self) -> Result<Vec<String>, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, LEADS)
            .await?
            .unwrap_or_default()
            .split(',')
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// How residents reach us and the safeguarding leads, from one settings form: both are
    /// checked before either is saved.
    pub async fn set_reach_and_leads(
        &self,
        who: &Principal,
        form: &BTreeMap<String, String>,
        ids: &[String],
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let reach = redress_domain::reach::Reach::parse(form);
        let leads = self.check_leads(ids).await;
        match (reach, leads) {
            (Ok(_), Ok(_)) => {}
            (reach, leads) => {
                let mut errors = redress_domain::FieldErrors::new();
                if let Err(e) = reach {
                    for (field, message) in e.iter() {
                        errors.add(field, message);
                    }
                }
                if let Err(m) = leads {
                    errors.add("leads", m);
                }
                return Err(AppError::Invalid(errors));
            }
        }
        self.set_reach(who, form).await?;
        self.set_safeguarding_leads(who, ids).await
    }

    /// The names of the chosen leads, or why the choice cannot be saved.
    async fn check_leads(&self, ids: &[String]) -> Result<Vec<String>, String> {
        let users = self.store.users().await.map_err(|e| e.to_string())?;
        ids.iter()
            .map(|id| {
                users
                    .iter()
                    .find(|u| &u.id == id && u.active && u.role.can(Permission::ViewCases))
                    .map(|u| u.name.clone())
                    .ok_or_else(|| {
                        "Choose safeguarding leads from the colleagues listed".to_string()
                    })
            })
            .collect()
    }

    /// Names the safeguarding leads: active colleagues who see cases.
    pub async fn set_safeguarding_leads(
        &self,
        who: &Principal,
        ids: &[String],
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let users = self.store.users().await?;
        let mut names = Vec::new();
        for id in ids {
            match users
                .iter()
                .find(|u| &u.id == id && u.active && u.role.can(Permission::ViewCases))
            {
                Some(u) => names.push(u.name.clone()),
                None => {
                    return Err(AppError::invalid(
                        "leads",
                        "Choose safeguarding leads from the colleagues listed",
                    ));
                }
            }
        }
        let value = ids.join(",");
        let summary = if names.is_empty() {
            "Safeguarding leads: none named (the complaints officers are alerted)".to_string()
        } else {
            format!("Safeguarding leads: {}", names.join(", "))
        };
        self.change(
            who,
            &[AdminChange::Setting {
                name: LEADS,
                value: &value,
            }],
            &summary,
        )
        .await
    }

    /// Who is alerted: the named leads still active, or the complaints officers.
    async fn alerted(&self) -> Result<Vec<User>, AppError> {
        let leads = self.lead_ids().await?;
        let users = self.store.users().await?;
        let named: Vec<User> = users
            .iter()
            .filter(|u| u.active && leads.contains(&u.id))
            .cloned()
            .collect();
        if !named.is_empty() {
            return Ok(named);
        }
        Ok(users
            .into_iter()
            .filter(|u| u.active && u.role == Role::ComplaintsOfficer)
            .collect())
    }

    /// The alerts a case calls for: on arrival when it is a priority, or when a change
    /// flags it. The email names the case and links to it; the concern itself stays on the
    /// case, behind sign-in.
    pub(crate) async fn safeguarding_alerts(
        &self,
        contact: &Contact,
        events: &[Event],
    ) -> Result<Vec<Letter>, AppError> {
        let raised = events.iter().any(|e| match e.kind {
            EventKind::Received => contact.is_priority(),
            EventKind::Corrected => e.detail["changes"].as_array().is_some_and(|changes| {
                changes
                    .iter()
                    .any(|c| c["field"] == "safeguarding" && c["new"] == "yes")
            }),
            _ => false,
        });
        if !raised {
            return Ok(Vec::new());
        }
        let template = self
            .store
            .letter_template(
                &self.organisation.id,
                LetterKind::SafeguardingAlert,
                redress_domain::language::Language::English,
            )
            .await?
            .unwrap_or_else(|| default_template(LetterKind::SafeguardingAlert));
        let why = if contact.detail.safeguarding {
            "someone may be at risk of harm"
        } else {
            "an anonymous report about a vulnerable group"
        };
        Ok(self
            .alerted()
            .await?
            .into_iter()
            .map(|u| {
                let mut v = BTreeMap::new();
                v.insert("name", u.name.clone());
                v.insert("reference", contact.reference.to_string());
                v.insert("kind", contact.detail.kind.label().to_lowercase());
                v.insert("outcome", why.to_string());
                v.insert(
                    "link",
                    format!("{}/staff/cases/{}", self.public_url(), contact.reference),
                );
                v.insert("organisation", self.display_name());
                Letter {
                    kind: LetterKind::SafeguardingAlert,
                    delivery: Delivery::Email,
                    recipient: u.email.clone(),
                    large_print: false,
                    subject: fill(&template.subject, &v),
                    body: fill(&template.body, &v),
                    draft_by: None,
                    convert: None,
                    // Staff read English.
                    language: redress_domain::language::Language::English,
                }
            })
            .collect())
    }
}
