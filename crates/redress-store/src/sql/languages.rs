//! How many contacts and letters are in each language, for reports: Welsh services are
//! measured by how much they are used.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::civil::Date;
use sqlx::Row;

/// Contacts received and letters written in a period, by language. A contact whose person
/// has not said counts under `None`; a letter counts under the first language it is in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguageCounts {
    pub contacts: Vec<(Option<String>, i64)>,
    pub letters: Vec<(String, i64)>,
}

macro_rules! language_methods {
    ($db:ty) => {
        pub(crate) async fn language_counts(
            &self,
            org: &str,
            from: Date,
            to: Date,
            area: Option<&str>,
        ) -> Result<LanguageCounts, StoreError> {
            let area_clause = if area.is_some() {
                " AND c.service_area_id = ?"
            } else {
                ""
            };
            let mut contacts = sqlx::query(Self::sql_owned(format!(
                "SELECT c.language AS language, COUNT(*) AS n FROM contacts c \
                 WHERE c.organisation_id = ? AND c.received_on >= ? AND c.received_on <= ?\
                 {area_clause} GROUP BY c.language ORDER BY c.language"
            )))
            .bind(org.to_string())
            .bind(from.to_string())
            .bind(to.to_string());
            if let Some(area) = area {
                contacts = contacts.bind(area.to_string());
            }
            let contacts = contacts
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("language")?, r.try_get("n")?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            let start = |d: Date| {
                d.to_datetime(jiff::civil::Time::midnight())
                    .to_zoned_datetime(redress_domain::calendar::uk_time_zone())
                    .map(|z| micros(z.timestamp()))
                    .map_err(StoreError::corrupt)
            };
            let until = to.tomorrow().map_err(StoreError::corrupt)?;
            // Drafts are not yet letters anyone has approved; they count once they go.
            let mut letters = sqlx::query(Self::sql_owned(format!(
                "SELECT l.language AS language, COUNT(*) AS n FROM letters l \
                 JOIN contacts c ON c.id = l.contact_id \
                 WHERE c.organisation_id = ? AND l.created_at >= ? AND l.created_at < ? \
                 AND l.status <> 'draft'{area_clause} GROUP BY l.language ORDER BY l.language"
            )))
            .bind(org.to_string())
            .bind(start(from)?)
            .bind(start(until)?);
            if let Some(area) = area {
                letters = letters.bind(area.to_string());
            }
            let letters = letters
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("language")?, r.try_get("n")?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(LanguageCounts { contacts, letters })
        }
    };
}

impl SqliteStore {
    language_methods!(sqlx::Sqlite);
}

impl PgStore {
    language_methods!(sqlx::Postgres);
}

store_api! {
    /// Contacts received and letters written in a period, by language.
    pub async fn language_counts(
        &self,
        org: &str,
        from: Date,
        to: Date,
        area: Option<&str>,
    ) -> Result<LanguageCounts, StoreError>;
}
