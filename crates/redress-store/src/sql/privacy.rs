//! Storage side of data protection: the retention policy, erasing a case's personal data
//! everywhere it was copied (person, history, letters, files, search), redaction, and
//! finding everything held about one person.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::contact::{Contact, ContactKind, Reference};
use redress_domain::event::Event;
use redress_domain::field::phone_digits;
use redress_domain::privacy::RetentionPolicy;
use sqlx::Row;

/// Who a subject access search is for. Either may be left out, not both.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub email: Option<String>,
    /// As `redress_domain::field::phone_digits` gives them, so "029 2087 2000" and
    /// "+44 29 2087 2000" match.
    pub phone_digits: Option<String>,
}

impl PersonQuery {
    /// Whether this case is about, or was brought by, the person searched for.
    pub fn matches(&self, c: &Contact) -> bool {
        let email = |e: &Option<String>| {
            self.email
                .as_deref()
                .zip(e.as_deref())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        let phone = |p: &Option<String>| {
            self.phone_digits
                .as_deref()
                .zip(p.as_deref())
                .is_some_and(|(a, b)| phone_digits(b).as_deref() == Some(a))
        };
        let person = c
            .detail
            .person
            .as_ref()
            .is_some_and(|p| email(&p.email) || phone(&p.phone));
        let rep = c
            .detail
            .representative
            .as_ref()
            .is_some_and(|r| email(&r.email) || phone(&r.phone));
        person || rep
    }
}

/// Phone numbers are stored as typed; this strips the usual separators in SQL.
pub(crate) const PHONE_DIGITS_SQL: &str = "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(\
    COALESCE(p.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')";

/// Data protection, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! privacy_methods {
    ($db:ty) => {
        pub(crate) async fn retention_policy(
            &self,
            org: &str,
        ) -> Result<redress_domain::privacy::RetentionPolicy, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT kind, years FROM retention_policy WHERE organisation_id = ?",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            let mut policy = redress_domain::privacy::RetentionPolicy::default();
            for r in rows {
                let kind = ContactKind::parse(&r.try_get::<String, _>("kind")?)
                    .map_err(StoreError::corrupt)?;
                let years: i64 = r.try_get("years")?;
                policy.set(kind, u8::try_from(years).map_err(StoreError::corrupt)?);
            }
            Ok(policy)
        }

        pub(crate) async fn set_retention(
            &self,
            org: &str,
            kind: ContactKind,
            years: u8,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_retention(&mut conn, org, kind, years).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_retention(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            kind: ContactKind,
            years: u8,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO retention_policy (organisation_id, kind, years) VALUES (?, ?, ?) \
                 ON CONFLICT (organisation_id, kind) DO UPDATE SET years = excluded.years",
            ))
            .bind(org)
            .bind(kind.as_str())
            .bind(i64::from(years))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub(crate) async fn due_for_erasure(
            &self,
            org: &str,
            kind: ContactKind,
            closed_before: Date,
            limit: i64,
        ) -> Result<Vec<Reference>, StoreError> {
            let refs: Vec<String> = sqlx::query_scalar(Self::sql(
                "SELECT reference FROM contacts WHERE organisation_id = ? AND kind = ? \
                 AND erased_on IS NULL \
                 AND closed_on IS NOT NULL AND closed_on < ? ORDER BY closed_on, reference LIMIT ?",
            ))
            .bind(org)
            .bind(kind.as_str())
            .bind(closed_before.to_string())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            refs.iter()
                .map(|r| {
                    Reference::parse(r)
                        .ok_or_else(|| StoreError::corrupt(format!("bad reference {r}")))
                })
                .collect()
        }

        pub(crate) async fn events_for_rewrite(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact_id: &str,
        ) -> Result<Vec<(i64, Event)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT seq, kind, at, actor_id, actor_name, summary, detail FROM contact_events \
                 WHERE contact_id = ? ORDER BY seq",
            ))
            .bind(contact_id)
            .fetch_all(&mut **tx)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get::<i64, _>("seq")?, Self::event_row(r)?)))
                .collect()
        }

        pub(crate) async fn rewrite_event(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact_id: &str,
            seq: i64,
            event: &Event,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "UPDATE contact_events SET actor_name = ?, summary = ?, detail = ? \
                 WHERE contact_id = ? AND seq = ?",
            ))
            .bind(&event.actor.name)
            .bind(&event.summary)
            .bind(event.detail.to_string())
            .bind(contact_id)
            .bind(seq)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Saves a redaction: the case, the history entries that quoted the removed words,
        /// and the removed files' bytes, in one transaction with the redaction's own event.
        pub(crate) async fn save_redaction(
            &self,
            contact: &Contact,
            event: &Event,
            texts: &[String],
            files: &[String],
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            if !Self::update_case_row(&mut tx, contact).await? {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            for (seq, mut e) in Self::events_for_rewrite(&mut tx, &contact.id).await? {
                if !redress_domain::privacy::may_quote_redacted(e.kind) {
                    continue;
                }
                let mut changed = false;
                for text in texts {
                    changed |= redress_domain::privacy::redact_event(&mut e, text);
                }
                if changed {
                    Self::rewrite_event(&mut tx, &contact.id, seq, &e).await?;
                }
            }
            for id in files {
                sqlx::query(Self::sql(
                    "DELETE FROM attachments WHERE contact_id = ? AND id = ?",
                ))
                .bind(&contact.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Self::append_events(&mut tx, contact, std::slice::from_ref(event)).await?;
            tx.commit().await?;
            Ok(())
        }

        /// Writes a case whose personal data the domain has already erased, and erases the
        /// copies kept elsewhere: the person record, history wording, letters, files,
        /// the search index and any resident sessions or links.
        pub(crate) async fn save_erasure(
            &self,
            contact: &Contact,
            event: &Event,
        ) -> Result<(), StoreError> {
            let on = contact.case.erased.as_ref().map(|e| e.on).ok_or_else(|| {
                StoreError::corrupt("saving an erasure of a case that was not erased")
            })?;
            let mut tx = self.begin_write().await?;
            let Some((org, before)) = Self::row_as_stored(&mut tx, &contact.id).await? else {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            };
            let before = redress_domain::figures::of_case(&before);
            let d = &contact.detail;
            let representative = d
                .representative
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(StoreError::corrupt)?;
            let updated = sqlx::query(Self::sql(
                "UPDATE contacts SET representative = ?, property_ref = NULL, summary = ?, \
                 outcome_wanted = ?, \
                 staff_named = ?, case_state = ?, erased_on = ?, hazard_open = ?, \
                 emails_waiting = ?, version = version + 1, updated_at = ? \
                 WHERE id = ? AND version = ?",
            ))
            .bind(representative)
            .bind(d.summary.as_str())
            .bind(d.outcome_wanted.as_ref().map(|t| t.as_str()))
            .bind(d.staff_named.as_ref().map(|t| t.as_str()))
            .bind(serde_json::to_string(&contact.case).map_err(StoreError::corrupt)?)
            .bind(on.to_string())
            // What My work lists follows the case as erased.
            .bind(contact.hazard_open())
            .bind(contact.emails_waiting() > 0)
            .bind(micros(Timestamp::now()))
            .bind(&contact.id)
            .bind(contact.version)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            let needs = serde_json::to_string(&redress_domain::person::Needs::default())
                .map_err(StoreError::corrupt)?;
            sqlx::query(Self::sql(
                "UPDATE people SET name = ?, email = NULL, phone = NULL, address = NULL, postcode \
                 = NULL, needs = ? \
                 WHERE id = (SELECT person_id FROM contacts WHERE id = ?)",
            ))
            .bind(redress_domain::privacy::ERASED)
            .bind(needs)
            .bind(&contact.id)
            .execute(&mut *tx)
            .await?;
            for (seq, mut e) in Self::events_for_rewrite(&mut tx, &contact.id).await? {
                redress_domain::privacy::erase_event(&mut e);
                Self::rewrite_event(&mut tx, &contact.id, seq, &e).await?;
            }
            // Letters keep their kind, delivery and dates for the record of what was sent.
            sqlx::query(Self::sql(
                "UPDATE letters SET recipient = ?, subject = ?, body = ?, \
                 status = CASE WHEN status IN ('pending', 'to-print', 'draft', 'to-convert') \
                 THEN 'failed' ELSE status END, convert = NULL, \
                 last_error = CASE WHEN status IN ('pending', 'to-print', 'draft', 'to-convert') \
                 THEN 'Personal data erased before sending' ELSE last_error END \
                 WHERE contact_id = ?",
            ))
            .bind(redress_domain::privacy::ERASED)
            .bind(redress_domain::privacy::ERASED)
            .bind(redress_domain::privacy::ERASED)
            .bind(&contact.id)
            .execute(&mut *tx)
            .await?;
            for table in [
                "DELETE FROM attachments WHERE contact_id = ?",
                "DELETE FROM resident_sessions WHERE contact_id = ?",
                "DELETE FROM resident_links WHERE contact_id = ?",
            ] {
                sqlx::query(Self::sql(table))
                    .bind(&contact.id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(Self::sql(Self::SEARCH_REWRITE))
            .bind(crate::model::search_body(contact))
            .bind(&contact.id)
            .execute(&mut *tx)
            .await?;
            // The figures follow the case as now stored: who complained and any equality
            // answers go with the person; the counts of what happened stay.
            if let Some((_, after)) = Self::row_as_stored(&mut tx, &contact.id).await? {
                Self::put_figures(&mut tx, &org, &[(&after, before)]).await?;
            }
            Self::append_events(&mut tx, contact, std::slice::from_ref(event)).await?;
            tx.commit().await?;
            Ok(())
        }

        /// Cases whose person or representative has this email address or phone number.
        pub(crate) async fn contacts_of_person(
            &self,
            org: &str,
            who: &crate::sql::privacy::PersonQuery,
        ) -> Result<Vec<Contact>, StoreError> {
            let mut clauses = Vec::new();
            let mut binds = Vec::new();
            if let Some(email) = who.email.as_deref().filter(|e| !e.is_empty()) {
                clauses.push("LOWER(p.email) = ?".to_string());
                binds.push(email.to_lowercase());
                clauses.push("LOWER(c.representative) LIKE ? ESCAPE '\\'".to_string());
                binds.push(crate::sql::like_pattern(&email.to_lowercase()));
            }
            if let Some(phone) = who.phone_digits.as_deref().filter(|p| !p.is_empty()) {
                // The last nine digits are the same however the number was written.
                let tail: String = phone
                    .chars()
                    .rev()
                    .take(9)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                clauses.push(format!("{} LIKE ?", crate::sql::privacy::PHONE_DIGITS_SQL));
                binds.push(format!("%{tail}"));
                clauses.push("c.representative LIKE ?".to_string());
                binds.push("%\"phone\":\"%".to_string());
            }
            if clauses.is_empty() {
                return Ok(Vec::new());
            }
            let sql = format!(
                "SELECT {} FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                 WHERE c.organisation_id = ? AND ({}) ORDER BY c.received_at",
                crate::sql::CONTACT_COLUMNS,
                clauses.join(" OR ")
            );
            let mut query = sqlx::query(Self::sql_owned(sql)).bind(org.to_string());
            for b in binds {
                query = query.bind(b);
            }
            let rows = query.fetch_all(&self.pool).await?;
            let mut out = Vec::new();
            for r in &rows {
                let c = Self::contact_columns(r)?.into_contact()?;
                // The SQL casts a wide net over the representative's JSON; this is exact.
                if who.matches(&c) {
                    out.push(c);
                }
            }
            Ok(out)
        }

        /// Who looked at a case and when, for a subject access export.
        pub(crate) async fn all_views(
            &self,
            contact_id: &str,
        ) -> Result<Vec<(String, Timestamp)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT user_name, at FROM case_views WHERE contact_id = ? ORDER BY at",
            ))
            .bind(contact_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("user_name")?,
                        crate::sql::timestamp(r.try_get("at")?)?,
                    ))
                })
                .collect()
        }
    };
}

impl SqliteStore {
    privacy_methods!(sqlx::Sqlite);
}

impl PgStore {
    privacy_methods!(sqlx::Postgres);
}

store_api! {
    /// Years after closure each kind of contact keeps its personal data.
    pub async fn retention_policy(&self, org: &str) -> Result<RetentionPolicy, StoreError>;

    pub async fn set_retention(
        &self,
        org: &str,
        kind: ContactKind,
        years: u8,
    ) -> Result<(), StoreError>;

    /// Cases of a kind, closed before the date, whose personal data is still held.
    pub async fn due_for_erasure(
        &self,
        org: &str,
        kind: ContactKind,
        closed_before: Date,
        limit: i64,
    ) -> Result<Vec<Reference>, StoreError>;

    pub async fn save_redaction(
        &self,
        contact: &Contact,
        event: &Event,
        texts: &[String],
        files: &[String],
    ) -> Result<(), StoreError>;

    pub async fn save_erasure(&self, contact: &Contact, event: &Event) -> Result<(), StoreError>;

    pub async fn contacts_of_person(
        &self,
        org: &str,
        who: &PersonQuery,
    ) -> Result<Vec<Contact>, StoreError>;

    pub async fn all_views(&self, contact_id: &str) -> Result<Vec<(String, Timestamp)>, StoreError>;
}
