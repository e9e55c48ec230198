//! Performance measures and the Tenant Satisfaction Measures, from the organisation's own
//! records.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::figures::{AtPeriodEnd, Total, measures_from, stages_by_tenure};
use redress_domain::measures::{Measures, Period, Tsm, tsm_from};
use redress_domain::organisation::ServiceArea;
use redress_domain::role::Permission;

/// The years a report's dates may fall in, as for a financial year.
const REPORT_YEARS: std::ops::RangeInclusive<i16> = 2000..=2100;
/// The longest period one report covers.
const MAX_REPORT_YEARS: i64 = 10;

/// Reads a period typed as two dates.
pub fn parse_period(from: &str, to: &str) -> Result<Period, AppError> {
    let mut e = FieldErrors::new();
    let date =
        |e: &mut FieldErrors, field: &str, raw: &str| match raw.trim().parse::<jiff::civil::Date>()
        {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(field, "Enter a real date, like 2026-04-01");
                None
            }
        };
    let from = date(&mut e, "from", from);
    let to = date(&mut e, "to", to);
    // Reports count day by day: a period of centuries would keep a server busy for
    // minutes, and no organisation's records reach back that far.
    for (field, d) in [("from", from), ("to", to)] {
        if d.is_some_and(|d| !REPORT_YEARS.contains(&d.year())) {
            e.add(field, "Enter a date from 2000 to 2100");
        }
    }
    match (from, to) {
        (Some(from), Some(to)) if e.is_empty() => {
            if from.saturating_add(jiff::Span::new().years(MAX_REPORT_YEARS)) < to {
                return Err(AppError::invalid(
                    "to",
                    format!(
                        "A report covers at most {MAX_REPORT_YEARS} years: choose a shorter period"
                    ),
                ));
            }
            Period::new(from, to).map_err(|m| AppError::invalid("to", m))
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Reads a financial year given by the year it starts in.
pub fn parse_year(raw: &str) -> Result<i16, AppError> {
    match raw.trim().parse::<i16>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(AppError::invalid(
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
            .ok_or_else(|| {
                AppError::invalid("service_area", "There is no service area with that name")
            })
    }

    /// The performance measures for a period, for those who read reports: counts and
    /// rates, no personal data.
    pub async fn measures(
        &self,
        who: &Principal,
        period: Period,
        service_area: Option<&str>,
    ) -> Result<Measures, AppError> {
        who.require(Permission::ViewReports)?;
        self.count_measures(period, service_area).await
    }

    /// Contacts received and letters written in the period, by language, for those who
    /// read reports.
    pub async fn language_counts(
        &self,
        who: &Principal,
        period: Period,
        service_area: Option<&str>,
    ) -> Result<redress_store::LanguageCounts, AppError> {
        who.require(Permission::ViewReports)?;
        let area = match service_area.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_area(a).await?.id),
            None => None,
        };
        Ok(self
            .store
            .language_counts(
                &self.organisation.id,
                period.from,
                period.to,
                area.as_deref(),
            )
            .await?)
    }

    pub(crate) async fn count_measures(
        &self,
        period: Period,
        service_area: Option<&str>,
    ) -> Result<Measures, AppError> {
        let area = match service_area.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_area(a).await?),
            None => None,
        };
        let area_id = area.as_ref().map(|a| a.id.as_str());
        let org = &self.organisation.id;
        // Nothing has happened after today; the open figures are as at today.
        let today = self.today();
        let until = period.to.min(today);
        let (totals, mut end) = self
            .store
            .figure_totals(org, period.from, until, area_id)
            .await?;
        end.repeat_complainants = self
            .store
            .repeat_complainants(org, period.from, period.to, area_id)
            .await?;
        let mut m = self
            .measures_from_totals(&totals, &end, period, area)
            .await?;
        m.open_as_at = (period.to > today).then_some(today);
        Ok(m)
    }

    async fn measures_from_totals(
        &self,
        totals: &[Total],
        end: &AtPeriodEnd,
        period: Period,
        area: Option<ServiceArea>,
    ) -> Result<Measures, AppError> {
        let areas = self.store.service_areas(&self.organisation.id).await?;
        let calendar = self.calendar().await?;
        let name = |id: Option<&str>| {
            id.and_then(|id| areas.iter().find(|a| a.id == id))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "No service area".into())
        };
        let mut m = measures_from(totals, end, period, &calendar, &name);
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

    /// Empties the report totals and counts every case into them again, in one
    /// transaction: for operators, after a change to how figures are made.
    pub async fn recount_figures(&self, who: &Principal) -> Result<u64, AppError> {
        who.require(Permission::Administer)?;
        Ok(self.store.recount_figures().await?)
    }

    /// CH01 and CH02 for a financial year, for those who read reports.
    pub async fn tsm(&self, who: &Principal, year: i16) -> Result<Tsm, AppError> {
        who.require(Permission::ViewReports)?;
        self.count_tsm(year).await
    }

    pub(crate) async fn count_tsm(&self, year: i16) -> Result<Tsm, AppError> {
        let period = Period::financial_year(year).map_err(|m| AppError::invalid("year", m))?;
        let (totals, end) = self
            .store
            .figure_totals(&self.organisation.id, period.from, period.to, None)
            .await?;
        let m = self
            .measures_from_totals(&totals, &end, period, None)
            .await?;
        let homes = self.store.homes(&self.organisation.id).await?;
        tsm_from(&m, stages_by_tenure(&totals), year, &homes)
            .map_err(|m| AppError::invalid("year", m))
    }
}

/// One open complaint on the management dashboard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenComplaint {
    pub reference: String,
    pub stage: u8,
    pub service_area: String,
    pub handler: Option<String>,
    pub respond_by: jiff::civil::Date,
    /// Working days left to the response date; negative once it has passed.
    pub working_days_left: i64,
}

impl App {
    /// Complaints waiting for a response today, most at risk of breach first: for those
    /// who read reports, narrowed to a service manager's own areas.
    pub async fn open_complaints(&self, who: &Principal) -> Result<Vec<OpenComplaint>, AppError> {
        let scope = self.grant(who, Permission::ViewReports).await?;
        let today = self.today();
        let mut contacts = self
            .store
            .contacts_for_report(&self.organisation.id, today, today, None)
            .await?;
        contacts.retain(|c| scope.allows(c));
        let areas = self.store.service_areas(&self.organisation.id).await?;
        let calendar = self.calendar().await?;
        let mut out: Vec<OpenComplaint> =
            redress_domain::measures::awaiting_response(&contacts, today)
                .into_iter()
                .map(|(c, s)| OpenComplaint {
                    reference: c.reference.to_string(),
                    stage: s.stage,
                    service_area: c
                        .detail
                        .service_area
                        .as_ref()
                        .and_then(|id| areas.iter().find(|a| &a.id == id))
                        .map(|a| a.name.clone())
                        .unwrap_or_else(|| "No service area".into()),
                    handler: s
                        .handler
                        .as_ref()
                        .or(c.case.officer.as_ref())
                        .map(|a| a.name.clone()),
                    respond_by: s.respond_by,
                    working_days_left: calendar.working_days_left(today, s.respond_by),
                })
                .collect();
        out.sort_by(|a, b| {
            a.working_days_left
                .cmp(&b.working_days_left)
                .then_with(|| a.reference.cmp(&b.reference))
        });
        Ok(out)
    }
}

impl App {
    /// This organisation's figures for a period in the common benchmarking format.
    pub async fn benchmark(
        &self,
        who: &Principal,
        period: Period,
    ) -> Result<redress_domain::benchmark::Benchmark, AppError> {
        who.require(Permission::ViewReports)?;
        let m = self.count_measures(period, None).await?;
        let homes = redress_domain::measures::tsm_homes(
            &self.store.homes(&self.organisation.id).await?,
            Period::financial_year_of(period.from),
        );
        let homes: i64 = homes.values().sum();
        Ok(redress_domain::benchmark::Benchmark::from_measures(
            &self.display_name(),
            &m,
            period,
            (homes > 0).then_some(homes),
        ))
    }
}
