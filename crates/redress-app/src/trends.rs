//! Trends for the audit committee and the board: every measure by financial quarter for the
//! last eight quarters and by financial year for the last three, overall or for one service
//! area. The current quarter and year are counted to date, and say so.

use crate::access::Principal;
use crate::{App, AppError};
use jiff::civil::Date;
use redress_domain::measures::{Measures, Period};
use redress_domain::role::Permission;

/// Quarters and years shown.
pub const QUARTERS: usize = 8;
pub const YEARS: usize = 3;

/// One period's measures, with how it is named in tables.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrendPoint {
    pub label: String,
    pub period: Period,
    /// The period has not ended: its figures are to date.
    pub to_date: bool,
    pub measures: Measures,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Trends {
    /// The service area's name, or none for the whole organisation.
    pub service_area: Option<String>,
    /// Oldest first.
    pub quarters: Vec<TrendPoint>,
    /// Oldest first.
    pub years: Vec<TrendPoint>,
}

/// The financial quarter a day falls in: (the year its financial year starts in, 1 to 4).
pub fn quarter_of(d: Date) -> (i16, u8) {
    let year = Period::financial_year_of(d);
    // April is month 0 of the financial year, March month 11.
    let months_in = u8::try_from((d.month() + 8) % 12).unwrap_or(0);
    (year, months_in / 3 + 1)
}

/// The quarter before.
fn previous((year, q): (i16, u8)) -> (i16, u8) {
    if q == 1 { (year - 1, 4) } else { (year, q - 1) }
}

impl App {
    /// Trends for those who read reports, for the whole organisation or one service area
    /// (its name or id).
    pub async fn trends(
        &self,
        who: &Principal,
        service_area: Option<&str>,
    ) -> Result<Trends, AppError> {
        who.require(Permission::ViewReports)?;
        let today = self.today();
        let area = service_area.filter(|a| !a.trim().is_empty());
        let mut quarters = Vec::with_capacity(QUARTERS);
        let mut at = quarter_of(today);
        for _ in 0..QUARTERS {
            let period = Period::quarter(at.0, at.1).map_err(AppError::Internal)?;
            let label = format!("Q{} {}", at.1, Period::financial_year_label(at.0));
            quarters.push(self.trend_point(label, period, area).await?);
            at = previous(at);
        }
        quarters.reverse();
        let this_year = Period::financial_year_of(today);
        let mut years = Vec::with_capacity(YEARS);
        for back in (0..YEARS).rev() {
            let year = this_year - i16::try_from(back).unwrap_or(0);
            let period = Period::financial_year(year).map_err(AppError::Internal)?;
            years.push(
                self.trend_point(Period::financial_year_label(year), period, area)
                    .await?,
            );
        }
        let service_area = match area {
            Some(a) => Some(self.find_area(a).await?.name),
            None => None,
        };
        Ok(Trends {
            service_area,
            quarters,
            years,
        })
    }

    /// For the annual report on `year`: its four quarters, and it with the two years before.
    pub(crate) async fn year_trends(
        &self,
        year: i16,
    ) -> Result<(Vec<TrendPoint>, Vec<TrendPoint>), AppError> {
        let mut quarters = Vec::with_capacity(4);
        for q in 1..=4 {
            let period = Period::quarter(year, q).map_err(AppError::Internal)?;
            let label = format!("Q{q} {}", Period::financial_year_label(year));
            quarters.push(self.trend_point(label, period, None).await?);
        }
        let mut years = Vec::with_capacity(YEARS);
        for y in (year - 2)..=year {
            let period = Period::financial_year(y).map_err(AppError::Internal)?;
            years.push(
                self.trend_point(Period::financial_year_label(y), period, None)
                    .await?,
            );
        }
        Ok((quarters, years))
    }

    async fn trend_point(
        &self,
        label: String,
        period: Period,
        area: Option<&str>,
    ) -> Result<TrendPoint, AppError> {
        let measures = self.count_measures(period, area).await?;
        Ok(TrendPoint {
            label,
            to_date: period.to >= self.today(),
            period,
            measures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn financial_quarters_run_from_april() {
        assert_eq!(quarter_of(date(2026, 4, 1)), (2026, 1));
        assert_eq!(quarter_of(date(2026, 12, 5)), (2026, 3));
        assert_eq!(quarter_of(date(2027, 3, 31)), (2026, 4));
        assert_eq!(previous((2026, 1)), (2025, 4));
    }
}
