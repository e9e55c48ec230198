//! Scrutiny requests: drafts and sent requests with the next reference, each step kept in
//! their history (shared with the programme's exercises), and letters to requesters.

use crate::Store;
use crate::StoreError;
use crate::model::StoredLetter;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sql::scrutiny::{Doer, HistoryLine};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::letter::Letter;
use redress_domain::scrutiny::{Request, Step};
use sqlx::Row;

/// Scrutiny requests, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! request_methods {
    ($db:ty) => {
        pub(crate) async fn scrutiny_events(
            tx: &mut sqlx::Transaction<'static, $db>,
            subject: &str,
            lines: &[(String, Option<String>)],
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<(), StoreError> {
            let now = micros(Timestamp::now());
            for (summary, step) in lines {
                sqlx::query(Self::sql(
                    "INSERT INTO scrutiny_events (subject_id, seq, at, actor_id, actor_name, \
                     summary, step) \
                     VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM scrutiny_events \
                     WHERE subject_id = ?), ?, ?, ?, ?, ?)",
                ))
                .bind(subject)
                .bind(subject)
                .bind(now)
                .bind(by.id.as_deref())
                .bind(&by.name)
                .bind(summary)
                .bind(step.as_deref())
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        pub(crate) fn step_lines(
            steps: &[redress_domain::scrutiny::Step],
        ) -> Result<Vec<(String, Option<String>)>, StoreError> {
            steps
                .iter()
                .map(|s| Ok((s.describe(), Some(crate::sql::scrutiny::json(s)?))))
                .collect()
        }

        /// A new request (a draft, or sent at once) with the next reference for the year, and
        /// the letters `letters` writes once the reference is known, in one transaction.
        #[allow(clippy::too_many_arguments)]
        pub(crate) async fn create_scrutiny_request<F>(
            &self,
            (org, year): (&str, i16),
            mut request: redress_domain::scrutiny::Request,
            token_hash: &str,
            steps: &[redress_domain::scrutiny::Step],
            by: &crate::sql::scrutiny::Doer,
            files: &[(crate::sql::scrutiny::ScrutinyFile, Vec<u8>)],
            letters: F,
        ) -> Result<redress_domain::scrutiny::Request, StoreError>
        where
            F: FnOnce(&redress_domain::scrutiny::Request) -> Vec<redress_domain::letter::Letter>
                + Send,
        {
            let mut tx = self.begin_write().await?;
            let number: i64 = sqlx::query_scalar(Self::sql(
                "INSERT INTO reference_counters (organisation_id, prefix, year, last_number) \
                 VALUES (?, 'CCS', ?, 1) \
                 ON CONFLICT (organisation_id, prefix, year) \
                 DO UPDATE SET last_number = reference_counters.last_number + 1 \
                 RETURNING last_number",
            ))
            .bind(org)
            .bind(i64::from(year))
            .fetch_one(&mut *tx)
            .await?;
            request.reference = redress_domain::scrutiny::reference(year, number);
            let now = micros(Timestamp::now());
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_requests (id, organisation_id, reference, token_hash, \
                 status, state, version, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
            ))
            .bind(&request.id)
            .bind(org)
            .bind(&request.reference)
            .bind(token_hash)
            .bind(crate::sql::scrutiny::status_of(&request)?)
            .bind(crate::sql::scrutiny::json(&request)?)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            Self::scrutiny_events(&mut tx, &request.id, &Self::step_lines(steps)?, by).await?;
            Self::write_outbox(
                &mut tx,
                "INSERT INTO scrutiny_messages (id, request_id",
                &request.id,
                &letters(&request),
            )
            .await?;
            for (file, bytes) in files {
                Self::put_scrutiny_file(&mut tx, &request.id, file, bytes).await?;
            }
            tx.commit().await?;
            Ok(request)
        }

        /// Saves a request moved on by `steps`, if nobody else changed it since `version`
        /// was read; its letters go in the same transaction.
        pub(crate) async fn save_scrutiny_request(
            &self,
            request: &redress_domain::scrutiny::Request,
            version: i64,
            steps: &[redress_domain::scrutiny::Step],
            letters: &[redress_domain::letter::Letter],
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<i64, StoreError> {
            self.save_scrutiny_request_linked(request, version, steps, letters, by, None)
                .await
        }

        /// As `save_scrutiny_request`, also replacing the requester's private link with
        /// the one whose hash is `link`, when given: the letter carrying the new link and
        /// the change are kept together or not at all.
        pub(crate) async fn save_scrutiny_request_linked(
            &self,
            request: &redress_domain::scrutiny::Request,
            version: i64,
            steps: &[redress_domain::scrutiny::Step],
            letters: &[redress_domain::letter::Letter],
            by: &crate::sql::scrutiny::Doer,
            link: Option<crate::sql::scrutiny::NewLink<'_>>,
        ) -> Result<i64, StoreError> {
            let mut tx = self.begin_write().await?;
            let saved = Self::update_scrutiny_request(
                &mut tx,
                request,
                (version, steps, letters, by),
                link,
            )
            .await?;
            tx.commit().await?;
            Ok(saved)
        }

        /// As `save_scrutiny_request`, also keeping a file that came with the steps (a
        /// scan, a piece of evidence): the file and its line in the history together.
        pub(crate) async fn save_scrutiny_request_with_file(
            &self,
            request: &redress_domain::scrutiny::Request,
            version: i64,
            steps: &[redress_domain::scrutiny::Step],
            by: &crate::sql::scrutiny::Doer,
            file: (&crate::sql::scrutiny::ScrutinyFile, &[u8]),
        ) -> Result<i64, StoreError> {
            let mut tx = self.begin_write().await?;
            let saved =
                Self::update_scrutiny_request(&mut tx, request, (version, steps, &[], by), None)
                    .await?;
            Self::put_scrutiny_file(&mut tx, &request.id, file.0, file.1).await?;
            tx.commit().await?;
            Ok(saved)
        }

        /// The request's new state, its history and letters, within a transaction; the
        /// transaction is left to be committed or dropped by the caller.
        async fn update_scrutiny_request(
            tx: &mut sqlx::Transaction<'static, $db>,
            request: &redress_domain::scrutiny::Request,
            (version, steps, letters, by): (
                i64,
                &[redress_domain::scrutiny::Step],
                &[redress_domain::letter::Letter],
                &crate::sql::scrutiny::Doer,
            ),
            link: Option<crate::sql::scrutiny::NewLink<'_>>,
        ) -> Result<i64, StoreError> {
            if let Some(link) = link {
                let (code, expires) = link.code.unzip();
                sqlx::query(Self::sql(
                    "UPDATE scrutiny_requests SET token_hash = ?, code_hash = ?, \
                     code_expires = ? WHERE id = ?",
                ))
                .bind(link.token_hash.to_string())
                .bind(code.map(str::to_string))
                .bind(expires.map(micros))
                .bind(request.id.clone())
                .execute(&mut **tx)
                .await?;
            }
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_requests SET status = ?, state = ?, version = version + 1, \
                 updated_at = ? WHERE id = ? AND version = ?",
            ))
            .bind(crate::sql::scrutiny::status_of(request)?)
            .bind(crate::sql::scrutiny::json(request)?)
            .bind(micros(Timestamp::now()))
            .bind(request.id.clone())
            .bind(version)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict);
            }
            Self::scrutiny_events(tx, &request.id, &Self::step_lines(steps)?, by).await?;
            Self::write_outbox(
                tx,
                "INSERT INTO scrutiny_messages (id, request_id",
                &request.id,
                letters,
            )
            .await?;
            Ok(version + 1)
        }

        /// Opens a request with a short code from a letter, once: the request whose code
        /// this is, still in date, gets the new private link `token_hash` and its code is
        /// spent. Returns the request's id, or `None` for a code unknown, spent or expired.
        pub(crate) async fn redeem_scrutiny_code(
            &self,
            org: &str,
            code_hash: &str,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<String>, StoreError> {
            let mut tx = self.begin_write().await?;
            let id: Option<String> = sqlx::query_scalar(Self::sql(
                "SELECT id FROM scrutiny_requests WHERE organisation_id = ? AND code_hash = ? \
                 AND code_expires > ?",
            ))
            .bind(org)
            .bind(code_hash)
            .bind(micros(now))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                return Ok(None);
            };
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_requests SET token_hash = ?, code_hash = NULL, \
                 code_expires = NULL WHERE id = ? AND code_hash = ?",
            ))
            .bind(token_hash)
            .bind(&id)
            .bind(code_hash)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(None);
            }
            tx.commit().await?;
            Ok(Some(id))
        }

        pub(crate) async fn scrutiny_request_where(
            &self,
            clause: &'static str,
            org: &str,
            value: &str,
        ) -> Result<Option<(redress_domain::scrutiny::Request, i64)>, StoreError> {
            let row = sqlx::query(Self::sql_owned(format!(
                "SELECT state, version FROM scrutiny_requests WHERE organisation_id = ? \
                 AND {clause}"
            )))
            .bind(org.to_string())
            .bind(value.to_string())
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok((
                    crate::sql::scrutiny::from_json(&r.try_get::<String, _>("state")?)?,
                    r.try_get("version")?,
                ))
            })
            .transpose()
        }

        pub(crate) async fn scrutiny_requests(
            &self,
            org: &str,
            drafts: bool,
        ) -> Result<Vec<redress_domain::scrutiny::Request>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT state FROM scrutiny_requests WHERE organisation_id = ? \
                 AND (status <> 'draft' OR ?) ORDER BY created_at DESC",
            ))
            .bind(org)
            .bind(drafts)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| crate::sql::scrutiny::from_json(&r.try_get::<String, _>("state")?))
                .collect()
        }

        pub(crate) async fn scrutiny_history(
            &self,
            subject: &str,
        ) -> Result<Vec<crate::sql::scrutiny::HistoryLine>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT at, actor_name, summary, step FROM scrutiny_events WHERE subject_id = ? \
                 ORDER BY seq",
            ))
            .bind(subject)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::scrutiny::HistoryLine {
                        at: crate::sql::timestamp(r.try_get("at")?)?,
                        actor: r.try_get("actor_name")?,
                        summary: r.try_get("summary")?,
                        step: r
                            .try_get::<Option<String>, _>("step")?
                            .map(|s| crate::sql::scrutiny::from_json(&s))
                            .transpose()?,
                    })
                })
                .collect()
        }

        /// Letters to requesters in one state (to print, failed, …), oldest first; each
        /// one's `contact_id` is its request's id.
        pub(crate) async fn scrutiny_messages_with_status(
            &self,
            org: &str,
            status: &str,
        ) -> Result<Vec<StoredLetter>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT m.*, m.request_id AS contact_id, r.reference FROM scrutiny_messages m \
                 JOIN scrutiny_requests r ON r.id = m.request_id WHERE r.organisation_id = ? \
                 AND m.status = ? \
                 ORDER BY m.created_at, m.id",
            ))
            .bind(org)
            .bind(status)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::letter_from_row).collect()
        }

        pub(crate) async fn scrutiny_messages(
            &self,
            request_id: &str,
        ) -> Result<Vec<StoredLetter>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT m.*, m.request_id AS contact_id, r.reference FROM scrutiny_messages m \
                 JOIN scrutiny_requests r ON r.id = m.request_id WHERE m.request_id = ? \
                 ORDER BY m.created_at, m.id",
            ))
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::letter_from_row).collect()
        }
    };
}

impl SqliteStore {
    request_methods!(sqlx::Sqlite);
}

impl PgStore {
    request_methods!(sqlx::Postgres);
}

impl Store {
    /// A new request with the organisation's next reference for `year`; `letters` makes the
    /// letters to keep with it once its reference is known, written in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_scrutiny_request<F>(
        &self,
        (org, year): (&str, i16),
        request: Request,
        token_hash: &str,
        steps: &[Step],
        by: &Doer,
        files: &[(crate::sql::scrutiny::ScrutinyFile, Vec<u8>)],
        letters: F,
    ) -> Result<Request, StoreError>
    where
        F: FnOnce(&Request) -> Vec<Letter> + Send,
    {
        dispatch!(self, s => {
            s.create_scrutiny_request((org, year), request, token_hash, steps, by, files, letters)
                .await
        })
    }

    pub async fn scrutiny_request(
        &self,
        org: &str,
        id: &str,
    ) -> Result<Option<(Request, i64)>, StoreError> {
        dispatch!(self, s => s.scrutiny_request_where("id = ?", org, id).await)
    }

    pub async fn scrutiny_request_by_token(
        &self,
        org: &str,
        token_hash: &str,
    ) -> Result<Option<(Request, i64)>, StoreError> {
        dispatch!(self, s => s.scrutiny_request_where("token_hash = ?", org, token_hash).await)
    }

    pub async fn scrutiny_request_by_reference(
        &self,
        org: &str,
        reference: &str,
    ) -> Result<Option<(Request, i64)>, StoreError> {
        dispatch!(self, s => s.scrutiny_request_where("reference = ?", org, reference).await)
    }

    /// Sent requests, newest first (drafts stay private to their writer).
    pub async fn scrutiny_requests(&self, org: &str) -> Result<Vec<Request>, StoreError> {
        dispatch!(self, s => s.scrutiny_requests(org, false).await)
    }

    /// Every request including drafts, for finding a person's data.
    pub async fn scrutiny_requests_and_drafts(
        &self,
        org: &str,
    ) -> Result<Vec<Request>, StoreError> {
        dispatch!(self, s => s.scrutiny_requests(org, true).await)
    }
}

store_api! {
    /// Saves the request after `steps`; `Conflict` if it changed since `version`. Returns
    /// the new version.
    pub async fn save_scrutiny_request(
        &self,
        request: &Request,
        version: i64,
        steps: &[Step],
        letters: &[Letter],
        by: &Doer,
    ) -> Result<i64, StoreError>;

    /// Saves the request and, in the same transaction, gives the requester a new private
    /// link (`link` is its hash), which replaces the old one.
    pub async fn save_scrutiny_request_linked(
        &self,
        request: &Request,
        version: i64,
        steps: &[Step],
        letters: &[Letter],
        by: &Doer,
        link: Option<crate::sql::scrutiny::NewLink<'_>>,
    ) -> Result<i64, StoreError>;

    /// Spends a letter's short code for a new private link; the request's id, if the code
    /// was good.
    pub async fn redeem_scrutiny_code(
        &self,
        org: &str,
        code_hash: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError>;

    /// Saves the request after `steps` with a file that came with them.
    pub async fn save_scrutiny_request_with_file(
        &self,
        request: &Request,
        version: i64,
        steps: &[Step],
        by: &Doer,
        file: (&crate::sql::scrutiny::ScrutinyFile, &[u8]),
    ) -> Result<i64, StoreError>;

    pub async fn scrutiny_history(&self, subject: &str) -> Result<Vec<HistoryLine>, StoreError>;

    /// Letters and emails to requesters in one state, oldest first.
    pub async fn scrutiny_messages_with_status(
        &self,
        org: &str,
        status: &str,
    ) -> Result<Vec<crate::StoredLetter>, StoreError>;

    /// Letters and emails to a requester, oldest first.
    pub async fn scrutiny_messages(
        &self,
        request_id: &str,
    ) -> Result<Vec<crate::StoredLetter>, StoreError>;
}
