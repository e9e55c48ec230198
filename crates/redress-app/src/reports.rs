//! Performance measures and the Tenant Satisfaction Measures, from the organisation's own
//! records.

use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::measures::{Measures, Period, Tsm, measures, tsm};
use redress_domain::organisation::ServiceArea;

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    let mut e = FieldErrors::new();
    e.add(field, message.into());
    AppError::Invalid(e)
}

/// Reads a period typed as two dates.
pub fn parse_period(from: &str, to: &str) -> Result<Period, AppError> {
    let mut e = FieldErrors::new();
    let date = |e: &mut FieldErrors, field: &str, raw: &str| match raw.trim().parse() {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(field, "Enter a real date, like 2026-04-01");
            None
        }
    };
    let from = date(&mut e, "from", from);
    let to = date(&mut e, "to", to);
    match (from, to) {
        (Some(from), Some(to)) if e.is_empty() => {
            Period::new(from, to).map_err(|m| invalid("to", m))
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Reads a financial year given by the year it starts in.
pub fn parse_year(raw: &str) -> Result<i16, AppError> {
    match raw.trim().parse::<i16>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(invalid(
            "year",
            "Enter the year the financial year starts in, like 2025 for April 2025 to March 2026",
        )),
    }
}

impl App {
    /// A service area by its id or its name (any case).
    pub async fn find_area(&self, id_or_name: &str) -> Result<ServiceArea, AppError> {
        let wanted = id_or_name.trim();
        self.store
            .service_areas(&self.organisation.id)
            .await?
            .into_iter()
            .find(|a| a.id == wanted || a.name.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| invalid("service_area", "There is no service area with that name"))
    }

    pub async fn measures(
        &self,
        period: Period,
        service_area: Option<&str>,
    ) -> Result<Measures, AppError> {
        let area = match service_area.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_area(a).await?),
            None => None,
        };
        let areas = self.store.service_areas(&self.organisation.id).await?;
        let contacts = self
            .store
            .contacts_for_report(
                &self.organisation.id,
                period.from,
                period.to,
                area.as_ref().map(|a| a.id.as_str()),
            )
            .await?;
        let calendar = self.calendar().await?;
        let name = |id: Option<&str>| {
            id.and_then(|id| areas.iter().find(|a| a.id == id))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "No service area".into())
        };
        let mut m = measures(&contacts, period, &calendar, &name);
        let implemented = match &area {
            // The register is kept per service area; count those of the area asked for.
            Some(a) => self
                .store
                .improvements(&self.organisation.id)
                .await?
                .iter()
                .filter(|(i, _)| {
                    i.service_area.as_deref() == Some(a.id.as_str())
                        && i.implemented_on.is_some_and(|d| period.contains(d))
                })
                .count(),
            None => usize::try_from(
                self.store
                    .improvements_implemented(&self.organisation.id, period.from, period.to)
                    .await?,
            )
            .unwrap_or(0),
        };
        m.improvements_implemented = u32::try_from(implemented).unwrap_or(u32::MAX);
        m.service_area = area.map(|a| a.name);
        Ok(m)
    }

    pub async fn tsm(&self, year: i16) -> Result<Tsm, AppError> {
        let period = Period::financial_year(year).map_err(|m| invalid("year", m))?;
        let contacts = self
            .store
            .contacts_for_report(&self.organisation.id, period.from, period.to, None)
            .await?;
        let homes = self.store.homes(&self.organisation.id).await?;
        let calendar = self.calendar().await?;
        tsm(&contacts, year, &homes, &calendar).map_err(|m| invalid("year", m))
    }
}
