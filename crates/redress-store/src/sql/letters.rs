//! Letters and emails: kept with their case (or scrutiny request), emails sent through an
//! outbox that workers claim, and the organisation's own wording of each kind of letter.

use crate::model::{LetterChange, StoredLetter};
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use crate::{Store, StoreError};
use jiff::Timestamp;
use redress_domain::contact::Reference;
use redress_domain::language::Language;
use redress_domain::letter::{Delivery, Letter, LetterKind, Template};
use sqlx::Row;

/// Letters, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! letter_methods {
    ($db:ty) => {
        pub(crate) async fn write_letters(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact_id: &str,
            letters: &[Letter],
        ) -> Result<(), StoreError> {
            Self::write_outbox(
                tx,
                "INSERT INTO letters (id, contact_id",
                contact_id,
                letters,
            )
            .await
        }

        /// Keeps letters as written and puts emails in an outbox: `insert` names the table
        /// and the column of what the letters belong to (a case, or a scrutiny request).
        pub(crate) async fn write_outbox(
            tx: &mut sqlx::Transaction<'static, $db>,
            insert: &'static str,
            owner_id: &str,
            letters: &[Letter],
        ) -> Result<(), StoreError> {
            let now = micros(Timestamp::now());
            for l in letters {
                let status = match (&l.draft_by, &l.convert, l.delivery) {
                    (Some(_), _, _) => "draft",
                    (None, Some(_), _) => "to-convert",
                    (None, None, Delivery::Email) => "pending",
                    (None, None, Delivery::Post) => "to-print",
                };
                let (convert, convert_by) = l.convert.clone().unzip();
                sqlx::query(Self::sql_owned(format!(
                    "{insert}, kind, delivery, recipient, large_print, subject, body, created_at, \
                     status, attempts, next_attempt_at, drafted_by, convert, convert_by, \
                     language) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)"
                )))
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(owner_id.to_string())
                .bind(l.kind.as_str())
                .bind(l.delivery.as_str())
                .bind(l.recipient.clone())
                .bind(l.large_print)
                .bind(l.subject.clone())
                .bind(l.body.clone())
                .bind(now)
                .bind(status)
                .bind(now)
                .bind(l.draft_by.clone())
                .bind(convert)
                .bind(convert_by.map(|d| d.to_string()))
                .bind(l.language.as_str())
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        pub(crate) fn letter_from_row(
            r: &<$db as sqlx::Database>::Row,
        ) -> Result<StoredLetter, StoreError> {
            Ok(StoredLetter {
                id: r.try_get("id")?,
                contact_id: r.try_get("contact_id")?,
                reference: Reference::from_trusted(r.try_get("reference")?),
                kind: LetterKind::parse(&r.try_get::<String, _>("kind")?)
                    .map_err(StoreError::corrupt)?,
                delivery: Delivery::parse(&r.try_get::<String, _>("delivery")?)
                    .map_err(StoreError::corrupt)?,
                recipient: r.try_get("recipient")?,
                large_print: r.try_get("large_print")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                created_at: crate::sql::timestamp(r.try_get("created_at")?)?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                sent_at: r
                    .try_get::<Option<i64>, _>("sent_at")?
                    .map(crate::sql::timestamp)
                    .transpose()?,
                last_error: r.try_get("last_error")?,
                drafted_by: r.try_get("drafted_by")?,
                edited_by: r.try_get("edited_by")?,
                approved_by: r.try_get("approved_by")?,
                convert: r.try_get("convert")?,
                convert_by: crate::sql::date_opt(r.try_get("convert_by")?)?,
                converted_at: r
                    .try_get::<Option<i64>, _>("converted_at")?
                    .map(crate::sql::timestamp)
                    .transpose()?,
                language: Language::parse(&r.try_get::<String, _>("language")?)
                    .map_err(StoreError::corrupt)?,
            })
        }

        pub(crate) async fn letters_where(
            &self,
            clause: &'static str,
            org: &str,
            value: &str,
        ) -> Result<Vec<StoredLetter>, StoreError> {
            let rows = sqlx::query(Self::sql_owned(format!(
                "SELECT l.*, c.reference FROM letters l JOIN contacts c ON c.id = l.contact_id \
                 WHERE c.organisation_id = ? AND {clause} ORDER BY l.created_at, l.id"
            )))
            .bind(org.to_string())
            .bind(value.to_string())
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::letter_from_row).collect()
        }

        pub(crate) async fn claim_outbox(
            &self,
            now: Timestamp,
            lease_until: Timestamp,
            limit: i64,
        ) -> Result<Vec<StoredLetter>, StoreError> {
            let mut claimed = self
                .claim_outbox_from(
                    "letters",
                    "SELECT l.*, c.reference FROM letters l \
                JOIN contacts c ON c.id = l.contact_id WHERE l.id = ?",
                    now,
                    lease_until,
                    limit,
                )
                .await?;
            let room = limit - claimed.len() as i64;
            if room > 0 {
                let more = self
                    .claim_outbox_from(
                        "scrutiny_messages",
                        "SELECT m.*, m.request_id AS contact_id, r.reference \
                         FROM scrutiny_messages m \
                         JOIN scrutiny_requests r ON r.id = m.request_id WHERE m.id = ?",
                        now,
                        lease_until,
                        room,
                    )
                    .await;
                match more {
                    Ok(more) => claimed.extend(more),
                    // What is already claimed must still go out, or it would sit as
                    // "sending" and later be set aside; the rest waits for the next round.
                    Err(_) if !claimed.is_empty() => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(claimed)
        }

        /// Claims due emails from one outbox table: case letters, or letters to people who
        /// asked for scrutiny.
        pub(crate) async fn claim_outbox_from(
            &self,
            table: &'static str,
            read: &'static str,
            now: Timestamp,
            lease_until: Timestamp,
            limit: i64,
        ) -> Result<Vec<StoredLetter>, StoreError> {
            let mut tx = self.begin_write().await?;
            // A send that was interrupted may have reached the mail server: never resend it
            // automatically, flag it for a person to check.
            sqlx::query(Self::sql_owned(format!(
                "UPDATE {table} SET status = 'check' WHERE status = 'sending' AND claimed_until < ?"
            )))
            .bind(micros(now))
            .execute(&mut *tx)
            .await?;
            let ids: Vec<String> = sqlx::query_scalar(Self::sql_owned(format!(
                "SELECT id FROM {table} WHERE status = 'pending' AND next_attempt_at <= ? \
                 ORDER BY next_attempt_at, id LIMIT ?{}",
                Self::CLAIM_LOCK
            )))
            .bind(micros(now))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut claimed = Vec::new();
            for id in ids {
                let updated = sqlx::query(Self::sql_owned(format!(
                    "UPDATE {table} \
                     SET status = 'sending', claimed_until = ?, attempts = attempts + 1 \
                     WHERE id = ? AND status = 'pending'",
                )))
                .bind(micros(lease_until))
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() == 1 {
                    let row = sqlx::query(Self::sql(read))
                        .bind(&id)
                        .fetch_one(&mut *tx)
                        .await?;
                    claimed.push(Self::letter_from_row(&row)?);
                }
            }
            tx.commit().await?;
            Ok(claimed)
        }

        pub(crate) async fn mark_letter(
            &self,
            id: &str,
            status: &str,
            at: Timestamp,
            error: Option<&str>,
            next_attempt_at: Option<Timestamp>,
        ) -> Result<(), StoreError> {
            // Ids are unique across both outboxes, so the row is in one table or the other.
            for table in ["letters", "scrutiny_messages"] {
                let done = sqlx::query(Self::sql_owned(format!(
                    "UPDATE {table} SET status = ?, sent_at = CASE WHEN ? IN ('sent', 'printed') \
                     THEN ? ELSE sent_at END, \
                     last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), claimed_until \
                     = NULL WHERE id = ?"
                )))
                .bind(status.to_string())
                .bind(status.to_string())
                .bind(micros(at))
                .bind(error.map(str::to_string))
                .bind(next_attempt_at.map(micros))
                .bind(id.to_string())
                .execute(&self.pool)
                .await?;
                if done.rows_affected() > 0 {
                    break;
                }
            }
            Ok(())
        }

        pub(crate) async fn letter_template(
            &self,
            org: &str,
            kind: LetterKind,
            language: Language,
        ) -> Result<Option<Template>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT subject, body FROM letter_templates \
                 WHERE organisation_id = ? AND kind = ? AND language = ?",
            ))
            .bind(org)
            .bind(kind.as_str())
            .bind(language.as_str())
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok(Template {
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                })
            })
            .transpose()
        }

        pub(crate) async fn save_letter_template(
            &self,
            org: &str,
            kind: LetterKind,
            language: Language,
            t: &Template,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            let mut conn = self.pool.acquire().await?;
            Self::put_letter_template(&mut conn, org, kind, language, t, at).await
        }

        /// On any connection, so a change can be written with its log entry (`admin_changes`).
        pub(crate) async fn put_letter_template(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            kind: LetterKind,
            language: Language,
            t: &Template,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO letter_templates \
                 (organisation_id, kind, language, subject, body, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (organisation_id, kind, language) DO UPDATE \
                 SET subject = excluded.subject, body = excluded.body, \
                 updated_at = excluded.updated_at",
            ))
            .bind(org)
            .bind(kind.as_str())
            .bind(language.as_str())
            .bind(&t.subject)
            .bind(&t.body)
            .bind(micros(at))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub(crate) async fn save_letter_check(
            &self,
            contact: &redress_domain::contact::Contact,
            events: &[redress_domain::event::Event],
            changes: &[(String, LetterChange)],
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            if !Self::update_case_row(&mut tx, contact).await? {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            for (id, change) in changes {
                let (recipient, delivery, large_print) = match &change.address {
                    Some((r, d, l)) => (Some(r.clone()), Some(d.as_str()), Some(*l)),
                    None => (None, None, None),
                };
                let (seen_subject, seen_body) = change.seen.clone().unzip();
                let (convert, convert_by) = change.convert.clone().unzip();
                let updated = sqlx::query(Self::sql(
                    "UPDATE letters SET convert = COALESCE(?, convert), \
                     convert_by = COALESCE(?, convert_by), subject = COALESCE(?, subject), \
                     body = COALESCE(?, body), edited_by = COALESCE(?, edited_by), \
                     approved_by = CASE WHEN ? THEN ? ELSE approved_by END, \
                     recipient = COALESCE(?, recipient), delivery = COALESCE(?, delivery), \
                     large_print = COALESCE(?, large_print), \
                     status = COALESCE(?, status), next_attempt_at = ? \
                     WHERE id = ? AND contact_id = ? AND status = 'draft' \
                     AND (? OR (subject = ? AND body = ?))",
                ))
                .bind(convert)
                .bind(convert_by.map(|d| d.to_string()))
                .bind(change.subject.clone())
                .bind(change.body.clone())
                .bind(change.edited_by.clone())
                .bind(change.approved_by.is_some())
                .bind(change.approved_by.clone().flatten())
                .bind(recipient)
                .bind(delivery)
                .bind(large_print)
                .bind(change.status)
                .bind(micros(Timestamp::now()))
                .bind(id)
                .bind(&contact.id)
                .bind(change.seen.is_none())
                .bind(seen_subject)
                .bind(seen_body)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Err(StoreError::Conflict);
                }
            }
            Self::append_events(&mut tx, contact, events).await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn mark_converted(
            &self,
            id: &str,
            at: Timestamp,
        ) -> Result<bool, StoreError> {
            // Ids are unique across both outboxes, so the row is in one table or the other.
            for table in ["letters", "scrutiny_messages"] {
                let done = sqlx::query(Self::sql_owned(format!(
                    "UPDATE {table} SET status = 'converted', converted_at = ?, sent_at = ? \
                     WHERE id = ? AND status = 'to-convert'"
                )))
                .bind(micros(at))
                .bind(micros(at))
                .bind(id.to_string())
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 1 {
                    return Ok(true);
                }
            }
            Ok(false)
        }

        pub(crate) async fn conversions(
            &self,
            org: &str,
            from: Timestamp,
            to: Timestamp,
        ) -> Result<Vec<(String, i64, i64)>, StoreError> {
            // Letters about cases and letters to people who asked for scrutiny alike.
            let rows = sqlx::query(Self::sql(
                "SELECT need, COUNT(*) AS n, CAST(COALESCE(SUM(took), 0) AS BIGINT) AS took \
                 FROM (SELECT l.convert AS need, l.converted_at - l.created_at AS took \
                 FROM letters l JOIN contacts c ON c.id = l.contact_id \
                 WHERE c.organisation_id = ? AND l.status = 'converted' \
                 AND l.converted_at >= ? AND l.converted_at < ? \
                 UNION ALL \
                 SELECT m.convert AS need, m.converted_at - m.created_at AS took \
                 FROM scrutiny_messages m JOIN scrutiny_requests r ON r.id = m.request_id \
                 WHERE r.organisation_id = ? AND m.status = 'converted' \
                 AND m.converted_at >= ? AND m.converted_at < ?) AS sent \
                 GROUP BY need ORDER BY need",
            ))
            .bind(org)
            .bind(micros(from))
            .bind(micros(to))
            .bind(org)
            .bind(micros(from))
            .bind(micros(to))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get::<Option<String>, _>("need")?.unwrap_or_default(),
                        r.try_get("n")?,
                        r.try_get("took")?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn queue_letters(
            &self,
            contact_id: &str,
            letters: &[Letter],
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            Self::write_letters(&mut tx, contact_id, letters).await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn queue_once(
            &self,
            contact_id: &str,
            letter: &Letter,
        ) -> Result<bool, StoreError> {
            let mut tx = self.begin_write().await?;
            match Self::write_letters(&mut tx, contact_id, std::slice::from_ref(letter)).await {
                Ok(()) => {
                    tx.commit().await?;
                    Ok(true)
                }
                Err(StoreError::Database(sqlx::Error::Database(db))) if db.is_unique_violation() => {
                    tx.rollback().await?;
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        }
    };
}

impl SqliteStore {
    letter_methods!(sqlx::Sqlite);
}

impl PgStore {
    letter_methods!(sqlx::Postgres);
}

impl Store {
    /// The letters and emails of one case, oldest first.
    pub async fn letters(
        &self,
        org: &str,
        contact_id: &str,
    ) -> Result<Vec<StoredLetter>, StoreError> {
        dispatch!(self, s => s.letters_where("l.contact_id = ?", org, contact_id).await)
    }

    pub async fn letter(&self, org: &str, id: &str) -> Result<Option<StoredLetter>, StoreError> {
        Ok(
            dispatch!(self, s => s.letters_where("l.id = ?", org, id).await)?
                .into_iter()
                .next(),
        )
    }

    /// Letters in a given state across all cases: `to-print`, `check`, `failed`…
    pub async fn letters_with_status(
        &self,
        org: &str,
        status: &str,
    ) -> Result<Vec<StoredLetter>, StoreError> {
        dispatch!(self, s => s.letters_where("l.status = ?", org, status).await)
    }
}

store_api! {
    /// Claims up to `limit` emails that are due, so no other worker takes them until
    /// `lease_until`. Emails whose earlier claim ran out are set aside for checking.
    pub async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<StoredLetter>, StoreError>;

    /// Records progress: `sent`, `printed`, `pending` again with a later attempt, or `failed`.
    pub async fn mark_letter(
        &self,
        id: &str,
        status: &str,
        at: Timestamp,
        error: Option<&str>,
        next_attempt_at: Option<Timestamp>,
    ) -> Result<(), StoreError>;

    /// An organisation's own wording of a kind of letter in a language, if it has one.
    pub async fn letter_template(
        &self,
        org: &str,
        kind: LetterKind,
        language: Language,
    ) -> Result<Option<Template>, StoreError>;

    pub async fn save_letter_template(
        &self,
        org: &str,
        kind: LetterKind,
        language: Language,
        template: &Template,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Saves steps in checking draft letters with the case's history, in one transaction:
    /// new words, an approval given or withdrawn, or release into the outbox or the print
    /// queue. Refused as a `Conflict` if a letter is no longer a draft or the case changed.
    pub async fn save_letter_check(
        &self,
        contact: &redress_domain::contact::Contact,
        events: &[redress_domain::event::Event],
        changes: &[(String, LetterChange)],
    ) -> Result<(), StoreError>;

    /// Records a letter waiting to be transcribed or translated as sent in that form;
    /// false if it was not waiting.
    pub async fn mark_converted(&self, id: &str, at: Timestamp) -> Result<bool, StoreError>;

    /// Letters sent in another format or language between two moments: the format, how
    /// many, and the microseconds they took in all from being written to being sent.
    pub async fn conversions(
        &self,
        org: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, i64, i64)>, StoreError>;

    /// Puts letters or emails for a case in the outbox outside any change to the case.
    pub async fn queue_letters(
        &self,
        contact_id: &str,
        letters: &[Letter],
    ) -> Result<(), StoreError>;

    /// Queues a letter a case may have only one of (a receipt for an email): false, and
    /// nothing written, when it has it already.
    pub async fn queue_once(&self, contact_id: &str, letter: &Letter) -> Result<bool, StoreError>;
}
