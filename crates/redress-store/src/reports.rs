//! Reading cases for reports: every case that could count in a period.

use crate::{Store, StoreError};
use jiff::civil::Date;
use redress_domain::contact::Contact;

macro_rules! report_methods {
    ($db:ty) => {
        /// Cases received by the end of the period and not finished before it began (or
        /// changed since, such as a referral to the ombudsman after closure).
        pub(crate) async fn contacts_for_report(&self, org: &str, from: Date, to: Date, area: Option<&str>) -> Result<Vec<Contact>, StoreError> {
            let since = from
                .to_datetime(jiff::civil::Time::midnight())
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| micros(z.timestamp()))
                .map_err(StoreError::corrupt)?;
            let area_clause = if area.is_some() { " AND c.service_area_id = ?" } else { "" };
            let sql = format!(
                "SELECT {} FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                 WHERE c.organisation_id = ? AND c.received_on <= ? \
                 AND (c.closed_on IS NULL OR c.closed_on >= ? OR c.updated_at >= ?){area_clause} \
                 ORDER BY c.received_at, c.reference",
                crate::backend::CONTACT_COLUMNS
            );
            let mut query = sqlx::query(Self::sql_owned(sql))
                .bind(org.to_string())
                .bind(to.to_string())
                .bind(from.to_string())
                .bind(since);
            if let Some(area) = area {
                query = query.bind(area.to_string());
            }
            let rows = query.fetch_all(&self.pool).await?;
            rows.iter()
                .map(|r| Self::contact_columns(r)?.into_contact())
                .collect()
        }
    };
}
pub(crate) use report_methods;

impl Store {
    pub async fn contacts_for_report(
        &self,
        org: &str,
        from: Date,
        to: Date,
        area: Option<&str>,
    ) -> Result<Vec<Contact>, StoreError> {
        dispatch!(self, s => s.contacts_for_report(org, from, to, area).await)
    }
}
