//! Administrators' settings: staff and their roles, service areas, closure days, homes, and
//! the admin log that records every change with who made it.

use crate::access::Principal;
use crate::{App, AppError};
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::FieldErrors;
use redress_domain::organisation::{HomesCount, ServiceArea, Tenure};
use redress_domain::role::{Permission, Role, User};
use redress_domain::scheme::Scheme;
use redress_store::AdminChange;

/// The organisation's set-up as the settings page shows it.
#[derive(Debug, Clone)]
pub struct OrganisationSetup {
    pub homes: Vec<HomesCount>,
    pub areas: Vec<ServiceArea>,
    pub closures: Vec<(Date, String)>,
    /// The built-in schemes and the organisation's own.
    pub schemes: Vec<Scheme>,
}

/// Longest service area name, in characters.
const MAX_AREA_NAME: usize = 100;

impl App {
    /// Writes an administrative change and its entry in the admin log, under the name of
    /// who made it, in one transaction: neither is kept without the other.
    pub(crate) async fn change(
        &self,
        who: &Principal,
        changes: &[AdminChange<'_>],
        summary: &str,
    ) -> Result<(), AppError> {
        Ok(self
            .store
            .change_logged(
                &self.organisation.id,
                changes,
                self.now(),
                &who.actor().name,
                summary,
            )
            .await?)
    }

    /// Notes in the admin log something that changes no setting (a search, say).
    pub(crate) async fn log_admin(&self, who: &Principal, summary: &str) -> Result<(), AppError> {
        self.change(who, &[], summary).await
    }

    /// The organisation's service areas: not personal data, shown on public forms too.
    pub async fn service_areas(&self) -> Result<Vec<ServiceArea>, AppError> {
        Ok(self.store.service_areas(&self.organisation.id).await?)
    }

    /// The latest entries in the admin log: (when, who, what).
    pub async fn admin_log(
        &self,
        who: &Principal,
        limit: i64,
    ) -> Result<Vec<(Timestamp, String, String)>, AppError> {
        who.require(Permission::Administer)?;
        Ok(self.store.admin_log(&self.organisation.id, limit).await?)
    }

    /// Every member of staff, for lists that name colleagues (who a case is assigned to,
    /// who supports a request). Any signed-in member of staff may read it.
    pub async fn colleagues(&self, who: &Principal) -> Result<Vec<User>, AppError> {
        if !(who.can(Permission::ViewCases)
            || who.can(Permission::ViewScrutiny)
            || who.can(Permission::Administer))
        {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.users().await?)
    }

    /// Every member of staff with, for service managers, the areas they look after.
    pub async fn staff_with_areas(
        &self,
        who: &Principal,
    ) -> Result<Vec<(User, Vec<String>)>, AppError> {
        who.require(Permission::Administer)?;
        let mut out = Vec::new();
        for u in self.store.users().await? {
            let areas = if u.role == Role::ServiceManager {
                self.store.user_areas(&u.id).await?
            } else {
                Vec::new()
            };
            out.push((u, areas));
        }
        Ok(out)
    }

    /// Changes a member of staff's role and whether they may sign in; a service manager's
    /// areas are saved with the role once it is service manager. An administrator cannot
    /// lock themselves out; another administrator can.
    pub async fn update_user(
        &self,
        who: &Principal,
        id: &str,
        role: Role,
        active: bool,
        areas: Vec<String>,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        if who.user().is_some_and(|me| me.id == id) && (!active || role != Role::Admin) {
            return Err(AppError::invalid(
                format!("role-{id}").as_str(),
                "You cannot remove your own administrator access",
            ));
        }
        let user = self
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.id == id)
            .ok_or(AppError::NotFound)?;
        let summary = format!(
            "{}: role {}{}",
            user.name,
            role.label(),
            if active { "" } else { ", cannot sign in" }
        );
        self.change(who, &[AdminChange::User { id, role, active }], &summary)
            .await?;
        if role == Role::ServiceManager && user.role == Role::ServiceManager {
            self.set_user_areas(who, &user, areas).await?;
        }
        Ok(())
    }

    /// What the organisation settings page shows.
    pub async fn organisation_setup(&self, who: &Principal) -> Result<OrganisationSetup, AppError> {
        who.require(Permission::Administer)?;
        let org = &self.organisation.id;
        let mut homes = self.store.homes(org).await?;
        homes.sort_by_key(|h| (std::cmp::Reverse(h.year), h.tenure.as_str()));
        Ok(OrganisationSetup {
            homes,
            areas: self.store.service_areas(org).await?,
            closures: self.store.closure_days(org).await?,
            schemes: self
                .scheme_choices()
                .await?
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
        })
    }

    /// Adds a service area running under a scheme.
    pub async fn add_service_area(
        &self,
        who: &Principal,
        name: &str,
        scheme: &str,
    ) -> Result<ServiceArea, AppError> {
        who.require(Permission::Administer)?;
        let mut errors = FieldErrors::new();
        let name = name.trim().to_string();
        if name.is_empty() {
            errors.add("area_name", "Enter the name of the service area");
        } else if name.chars().count() > MAX_AREA_NAME {
            errors.add("area_name", "The name must be 100 characters or fewer");
        }
        if !self
            .scheme_choices()
            .await?
            .iter()
            .any(|(s, _)| s.id == scheme)
        {
            errors.add("scheme", "Select a scheme from the list");
        }
        errors.into_result()?;
        let area = ServiceArea {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.clone(),
            scheme: scheme.to_string(),
        };
        let summary = format!("Added the service area {name}");
        match self
            .change(who, &[AdminChange::ServiceArea(&area)], &summary)
            .await
        {
            Ok(()) => Ok(area),
            Err(AppError::Store(redress_store::StoreError::Duplicate(_))) => {
                Err(AppError::invalid(
                    "area_name",
                    "There is already a service area with this name",
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// Records a day the organisation is closed: no working day, so no deadline falls on it.
    /// The same day again replaces its reason.
    pub async fn add_closure_day(
        &self,
        who: &Principal,
        day: &str,
        reason: &str,
    ) -> Result<Date, AppError> {
        who.require(Permission::Administer)?;
        let mut errors = FieldErrors::new();
        let day = match day.trim().parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("day", "Enter a real date, like 2026-12-24");
                None
            }
        };
        let reason = reason.trim();
        if reason.is_empty() {
            errors.add("reason", "Enter why the organisation is closed");
        }
        let Some(day) = day.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let summary = format!(
            "Closure day {}: {reason}",
            redress_domain::calendar::long_date(day)
        );
        self.change(who, &[AdminChange::ClosureDay(day, reason)], &summary)
            .await?;
        Ok(day)
    }

    /// The organisation's closure days, oldest first.
    pub async fn closure_days(&self, who: &Principal) -> Result<Vec<(Date, String)>, AppError> {
        who.require(Permission::Administer)?;
        Ok(self.store.closure_days(&self.organisation.id).await?)
    }

    /// Homes owned or managed in a year and tenure: what rates per 1,000 homes divide by.
    pub async fn set_homes(
        &self,
        who: &Principal,
        year: &str,
        tenure: &str,
        homes: &str,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let mut errors = FieldErrors::new();
        let year = match year.trim().parse::<i16>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                errors.add("homes_year", "Enter the year as four digits, like 2026");
                None
            }
        };
        let tenure = match Tenure::parse(tenure) {
            Ok(t) if t != Tenure::NotAResident => Some(t),
            _ => {
                errors.add("tenure", "Select a tenure");
                None
            }
        };
        let homes = match homes.trim().replace(',', "").parse::<i64>() {
            Ok(n) if (0..=10_000_000).contains(&n) => Some(n),
            _ => {
                errors.add(
                    "homes",
                    "Enter the number of homes as a whole number, like 8420",
                );
                None
            }
        };
        let (Some(year), Some(tenure), Some(homes)) = (year, tenure, homes) else {
            return Err(AppError::Invalid(errors));
        };
        let summary = format!(
            "Homes in {year}, {}: {homes}",
            tenure.label().to_lowercase()
        );
        let count = HomesCount {
            year,
            tenure,
            homes,
        };
        self.change(who, &[AdminChange::Homes(&count)], &summary)
            .await
    }
}
