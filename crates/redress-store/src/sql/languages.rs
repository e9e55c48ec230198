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
    /// Letters and emails about cases.
    pub letters: Vec<(String, i64)>,
    /// Letters and emails about Community Calls for Scrutiny: counted for the whole
    /// organisation only, as a call for scrutiny belongs to no one service area.
    pub scrutiny_letters: Option<Vec<(String, i64)>>,
}

/// Adds `n` under `key`, keeping the list in order.
fn add<K: Ord>(counts: &mut Vec<(K, i64)>, key: K, n: i64) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, total)) => *total += n,
        None => {
            counts.push((key, n));
            counts.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }
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
            let mut contacts = contacts
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("language")?, r.try_get("n")?)))
                .collect::<Result<Vec<(Option<String>, i64)>, StoreError>>()?;
            // A contact saved before the language had its own column says it only in its
            // person's needs, read here the way its letters read it.
            let unsaid = contacts.iter().position(|(l, _)| l.is_none());
            if let Some(i) = unsaid {
                contacts.remove(i);
                let mut needs = sqlx::query(Self::sql_owned(format!(
                    "SELECT p.needs AS needs FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                     WHERE c.organisation_id = ? AND c.received_on >= ? AND c.received_on <= ? \
                     AND c.language IS NULL{area_clause}"
                )))
                .bind(org.to_string())
                .bind(from.to_string())
                .bind(to.to_string());
                if let Some(area) = area {
                    needs = needs.bind(area.to_string());
                }
                for row in needs.fetch_all(&self.pool).await? {
                    let text: Option<String> = row.try_get("needs")?;
                    let language = text
                        .and_then(|t| {
                            serde_json::from_str::<redress_domain::person::Needs>(&t).ok()
                        })
                        .and_then(|n| n.language())
                        .map(|l| l.as_str().to_string());
                    add(&mut contacts, language, 1);
                }
            }
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
            let scrutiny_letters = if area.is_some() {
                None
            } else {
                let rows = sqlx::query(Self::sql(
                    "SELECT m.language AS language, COUNT(*) AS n FROM scrutiny_messages m \
                     JOIN scrutiny_requests r ON r.id = m.request_id \
                     WHERE r.organisation_id = ? AND m.created_at >= ? AND m.created_at < ? \
                     AND m.status <> 'draft' GROUP BY m.language ORDER BY m.language",
                ))
                .bind(org.to_string())
                .bind(start(from)?)
                .bind(start(until)?)
                .fetch_all(&self.pool)
                .await?;
                Some(
                    rows.iter()
                        .map(|r| Ok((r.try_get("language")?, r.try_get("n")?)))
                        .collect::<Result<Vec<_>, StoreError>>()?,
                )
            };
            Ok(LanguageCounts {
                contacts,
                letters,
                scrutiny_letters,
            })
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
