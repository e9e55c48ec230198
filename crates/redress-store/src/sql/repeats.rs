//! The earlier cases a new contact might repeat: the same person (by email or phone) or
//! the same home (by property reference), still open or closed since a date.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use jiff::civil::Date;
use redress_domain::contact::Contact;

/// Who and where a contact is from, to find the cases it might repeat.
#[derive(Debug, Clone, Default)]
pub struct RepeatQuery {
    pub email: Option<String>,
    /// As `redress_domain::field::phone_digits` gives them.
    pub phone_digits: Option<String>,
    pub property_ref: Option<String>,
    /// Closed cases count if they closed on or after this date.
    pub closed_since: Option<Date>,
    /// Only cases in these service areas (the member of staff's own); `None` for all.
    pub areas: Option<Vec<String>>,
}

/// The most earlier cases looked at: a person with more is a matter for a person.
const MOST: i64 = 50;

macro_rules! repeat_methods {
    ($db:ty) => {
        pub(crate) async fn repeat_candidates(
            &self,
            org: &str,
            q: &RepeatQuery,
        ) -> Result<Vec<Contact>, StoreError> {
            let mut clauses = Vec::new();
            let mut binds = Vec::new();
            if let Some(email) = q.email.as_deref().filter(|e| !e.is_empty()) {
                clauses.push("LOWER(p.email) = ?".to_string());
                binds.push(email.to_lowercase());
            }
            if let Some(phone) = q.phone_digits.as_deref().filter(|p| p.len() >= 9) {
                // The last nine digits are the same however the number was written.
                let tail = &phone[phone.len() - 9..];
                clauses.push(format!("{} LIKE ?", crate::sql::privacy::PHONE_DIGITS_SQL));
                binds.push(format!("%{tail}"));
            }
            if let Some(property) = q.property_ref.as_deref().filter(|p| !p.is_empty()) {
                clauses.push("LOWER(c.property_ref) = ?".to_string());
                binds.push(property.to_lowercase());
            }
            if clauses.is_empty() {
                return Ok(Vec::new());
            }
            let since = q
                .closed_since
                .map(|d| d.to_string())
                .unwrap_or_else(|| "0000-01-01".into());
            // The areas are filtered here, so cases the member of staff cannot see never
            // crowd out those they can.
            let areas = match &q.areas {
                None => String::new(),
                Some(a) if a.is_empty() => return Ok(Vec::new()),
                Some(a) => format!(
                    " AND c.service_area_id IN ({})",
                    vec!["?"; a.len()].join(", ")
                ),
            };
            let sql = format!(
                "SELECT {} FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                 WHERE c.organisation_id = ? AND c.erased_on IS NULL AND ({}) \
                 AND (c.status IN ('received', 'acknowledged') OR c.closed_on >= ? \
                      OR c.closed_on IS NULL){areas} \
                 ORDER BY c.received_at DESC LIMIT {MOST}",
                crate::sql::CONTACT_COLUMNS,
                clauses.join(" OR ")
            );
            let mut query = sqlx::query(Self::sql_owned(sql)).bind(org.to_string());
            for b in binds {
                query = query.bind(b);
            }
            query = query.bind(since);
            for a in q.areas.iter().flatten() {
                query = query.bind(a.clone());
            }
            let rows = query.fetch_all(&self.pool).await?;
            rows.iter()
                .map(|r| Self::contact_columns(r)?.into_contact())
                .collect()
        }
    };
}

impl SqliteStore {
    repeat_methods!(sqlx::Sqlite);
}

impl PgStore {
    repeat_methods!(sqlx::Postgres);
}

store_api! {
    /// Open cases, and those closed since the query's date, of the same person or home.
    pub async fn repeat_candidates(
        &self,
        org: &str,
        q: &RepeatQuery,
    ) -> Result<Vec<Contact>, StoreError>;
}
