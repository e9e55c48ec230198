//! The Tenants Panel (seed 002): where the organisation offers it for a service area, a
//! resident unhappy with the stage 1 response can ask the panel to look at the complaint and
//! the response. The panel (its own role, which sees no contact details) reads both and
//! records its input to the service within a target of working days set for the area.

use crate::access::Principal;
use crate::{App, AppError};
use jiff::civil::Date;
use redress_domain::case::{Command, PanelReview, StageResponse};
use redress_domain::contact::Contact;
use redress_domain::role::Permission;
use redress_store::{AdminChange, OpenAction};

/// The setting holding an area's target for the panel's input, in working days.
fn setting(area_id: &str) -> String {
    format!("tenants-panel:{area_id}")
}

/// Longest target an area may set for the panel's input.
const MAX_DAYS: u32 = 60;

/// A complaint as the Tenants Panel reads it: what was complained about, the stage 1
/// response, and why the resident is unhappy with it; nothing to contact the resident by.
#[derive(Debug, Clone)]
pub struct PanelCase {
    pub reference: String,
    pub service_area: Option<String>,
    pub received_on: Date,
    pub summary: String,
    pub outcome_wanted: Option<String>,
    /// The complaint as the officer understood it when acknowledging.
    pub understanding: Option<String>,
    pub response: Option<StageResponse>,
    pub review: PanelReview,
}

impl App {
    /// The panel's target for `area`, in working days; 0 where the panel is not offered.
    pub async fn panel_days(&self, area: Option<&str>) -> Result<u32, AppError> {
        let Some(area) = area else {
            return Ok(0);
        };
        Ok(self
            .store
            .setting(&self.organisation.id, &setting(area))
            .await?
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0))
    }

    /// Offers the Tenants Panel for a service area with a target for its input (`days`,
    /// 1 to 60 working days), or stops offering it (`days` empty). Requests already made
    /// keep their date.
    pub async fn set_area_panel(
        &self,
        who: &Principal,
        area_id: &str,
        days: &str,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let area = self
            .service_areas()
            .await?
            .into_iter()
            .find(|a| a.id == area_id)
            .ok_or(AppError::NotFound)?;
        let field = format!("panel-{area_id}");
        let days = match days.trim() {
            "" => 0,
            d => match d.parse::<u32>() {
                Ok(n) if (1..=MAX_DAYS).contains(&n) => n,
                _ => {
                    return Err(AppError::invalid(
                        &field,
                        "Enter from 1 to 60 working days, or leave it empty if the panel is not \
                         offered",
                    ));
                }
            },
        };
        if self.panel_days(Some(area_id)).await? == days {
            return Ok(());
        }
        let summary = if days == 0 {
            format!("The Tenants Panel is no longer offered for {}", area.name)
        } else {
            format!(
                "The Tenants Panel is offered for {}: its input is due within {days} working days",
                area.name
            )
        };
        let value = days.to_string();
        self.change(
            who,
            &[AdminChange::Setting {
                name: &setting(area_id),
                value: &value,
            }],
            &summary,
        )
        .await
    }

    /// The complaints waiting for the panel's input, the earliest due first.
    pub async fn panel_queue(&self, who: &Principal) -> Result<Vec<OpenAction>, AppError> {
        who.require(Permission::ReviewForPanel)?;
        Ok(self
            .store
            .open_actions(&self.organisation.id, None)
            .await?
            .into_iter()
            .filter(|a| a.kind == "panel")
            .collect())
    }

    /// One complaint the panel was asked to look at, without the resident's contact details.
    pub async fn panel_case(
        &self,
        who: &Principal,
        reference: &str,
    ) -> Result<PanelCase, AppError> {
        who.require(Permission::ReviewForPanel)?;
        let contact = self.case(reference).await?.contact;
        let Some(review) = contact.case.panel.clone() else {
            return Err(AppError::NotFound);
        };
        if let Some(user) = who.user() {
            self.store
                .record_view(
                    &contact.id,
                    &user.id,
                    &user.name,
                    self.now(),
                    "tenants panel",
                )
                .await?;
        }
        Ok(panel_view(&contact, review))
    }

    /// Records the panel's input on the complaint and its stage 1 response.
    pub async fn record_panel_input(
        &self,
        who: &Principal,
        reference: &str,
        input: &str,
    ) -> Result<Contact, AppError> {
        who.require(Permission::ReviewForPanel)?;
        let command = Command::RecordPanelInput {
            on: self.today(),
            input: input.to_string(),
        };
        self.apply_as(reference, command, who.actor()).await
    }

    /// The area's target, put into a request for the panel whoever made it: the setting
    /// decides, not the form.
    pub(crate) async fn with_panel_target(
        &self,
        command: Command,
        contact: &Contact,
    ) -> Result<Command, AppError> {
        Ok(match command {
            Command::AskTenantsPanel { on, why, .. } => Command::AskTenantsPanel {
                on,
                why,
                within: self
                    .panel_days(contact.detail.service_area.as_deref())
                    .await?,
            },
            other => other,
        })
    }
}

fn panel_view(contact: &Contact, review: PanelReview) -> PanelCase {
    let first = contact.case.stages.first();
    PanelCase {
        reference: contact.reference.to_string(),
        service_area: contact.detail.service_area.clone(),
        received_on: contact.received_on,
        summary: contact.detail.summary.to_string(),
        outcome_wanted: contact
            .detail
            .outcome_wanted
            .as_ref()
            .map(|o| o.to_string()),
        understanding: first.and_then(|s| s.understanding.clone()),
        response: first.and_then(|s| s.response.clone()),
        review,
    }
}
