//! Resident scrutiny: requests with their history and signatures, meetings, the scoring
//! matrix's figures and scores, the annual programme's exercises, and letters to
//! requesters (sent through the same outbox as case letters).

use crate::Store;
use crate::StoreError;
use crate::model::StoredLetter;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::letter::Letter;
use redress_domain::scrutiny::matrix::{AreaScore, Criterion};
use redress_domain::scrutiny::meeting::Meeting;
use redress_domain::scrutiny::petition::Signature;
use redress_domain::scrutiny::programme::Exercise;
use redress_domain::scrutiny::{Request, Step};
use sqlx::Row;

/// Who made a change, for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doer {
    pub id: Option<String>,
    pub name: String,
}

/// One line of a request's or exercise's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub at: Timestamp,
    pub actor: String,
    pub summary: String,
    /// The step itself, for requests (exercises record a summary only).
    pub step: Option<Step>,
}

/// A signature as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRow {
    pub name: String,
    pub postcode: String,
    pub paper: bool,
    pub signed_at: Timestamp,
}

/// What became of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// Counted; the request as it now stands.
    Counted(Box<Request>, i64),
    /// This person (by name and postcode, or by email) has already signed.
    AlreadySigned,
}

/// A figure the team entered for the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub area_id: String,
    pub criterion: Criterion,
    pub value: Option<f64>,
    pub evidence: String,
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(StoreError::corrupt)
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(StoreError::corrupt)
}

pub(crate) fn status_of(r: &Request) -> Result<String, StoreError> {
    Ok(json(&r.status)?.trim_matches('"').to_string())
}

/// Resident scrutiny, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! scrutiny_methods {
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
        pub(crate) async fn create_scrutiny_request<F>(
            &self,
            (org, year): (&str, i16),
            mut request: redress_domain::scrutiny::Request,
            token_hash: &str,
            steps: &[redress_domain::scrutiny::Step],
            by: &crate::sql::scrutiny::Doer,
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
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_requests SET status = ?, state = ?, version = version + 1, \
                 updated_at = ? WHERE id = ? AND version = ?",
            ))
            .bind(crate::sql::scrutiny::status_of(request)?)
            .bind(crate::sql::scrutiny::json(request)?)
            .bind(micros(Timestamp::now()))
            .bind(&request.id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::scrutiny_events(&mut tx, &request.id, &Self::step_lines(steps)?, by).await?;
            Self::write_outbox(
                &mut tx,
                "INSERT INTO scrutiny_messages (id, request_id",
                &request.id,
                letters,
            )
            .await?;
            tx.commit().await?;
            Ok(version + 1)
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

        /// Counts a signature and moves the request on in one transaction: the signature
        /// and the count the requester sees can never disagree.
        pub(crate) async fn sign_petition(
            &self,
            request: &redress_domain::scrutiny::Request,
            version: i64,
            signature: &redress_domain::scrutiny::petition::Signature,
            today: jiff::civil::Date,
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<crate::sql::scrutiny::Signed, StoreError> {
            let mut tx = self.begin_write().await?;
            let inserted = sqlx::query(Self::sql(
                "INSERT INTO scrutiny_signatures (request_id, person_key, name, email, postcode, \
                 paper, entered_by, signed_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ))
            .bind(&request.id)
            .bind(&signature.key)
            .bind(signature.name.as_str())
            .bind(signature.email.as_deref())
            .bind(&signature.postcode)
            .bind(signature.paper)
            .bind(by.id.as_deref())
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(crate::sql::scrutiny::Signed::AlreadySigned);
            }
            let count: i64 = sqlx::query_scalar(Self::sql(
                "SELECT COUNT(*) FROM scrutiny_signatures WHERE request_id = ?",
            ))
            .bind(&request.id)
            .fetch_one(&mut *tx)
            .await?;
            let count = u32::try_from(count).map_err(StoreError::corrupt)?;
            let steps = request.signature_steps(signature, count);
            let mut next = request.clone();
            for s in &steps {
                next.apply(s, today);
            }
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_requests SET status = ?, state = ?, version = version + 1, \
                 updated_at = ? WHERE id = ? AND version = ?",
            ))
            .bind(crate::sql::scrutiny::status_of(&next)?)
            .bind(crate::sql::scrutiny::json(&next)?)
            .bind(micros(Timestamp::now()))
            .bind(&request.id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::scrutiny_events(&mut tx, &request.id, &Self::step_lines(&steps)?, by).await?;
            tx.commit().await?;
            Ok(crate::sql::scrutiny::Signed::Counted(
                Box::new(next),
                version + 1,
            ))
        }

        /// Signatures given with this email address: (reference, name, postcode, when).
        pub(crate) async fn signatures_by_email(
            &self,
            org: &str,
            email: &str,
        ) -> Result<Vec<(String, String, String, Timestamp)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT r.reference, s.name, s.postcode, s.signed_at FROM scrutiny_signatures s \
                 JOIN scrutiny_requests r ON r.id = s.request_id WHERE r.organisation_id = ? \
                 AND s.email = ? ORDER BY s.signed_at",
            ))
            .bind(org)
            .bind(email)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("reference")?,
                        r.try_get("name")?,
                        r.try_get("postcode")?,
                        crate::sql::timestamp(r.try_get("signed_at")?)?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn signatures(
            &self,
            request_id: &str,
        ) -> Result<Vec<crate::sql::scrutiny::SignatureRow>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT name, postcode, paper, signed_at FROM scrutiny_signatures \
                 WHERE request_id = ? ORDER BY signed_at, name",
            ))
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::scrutiny::SignatureRow {
                        name: r.try_get("name")?,
                        postcode: r.try_get("postcode")?,
                        paper: r.try_get("paper")?,
                        signed_at: crate::sql::timestamp(r.try_get("signed_at")?)?,
                    })
                })
                .collect()
        }

        pub(crate) async fn save_meeting(
            &self,
            org: &str,
            m: &redress_domain::scrutiny::meeting::Meeting,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_meetings (id, organisation_id, meeting_on, meeting_time, \
                 place, cancelled, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE \
                 SET meeting_on = excluded.meeting_on, \
                 meeting_time = excluded.meeting_time, place = excluded.place, cancelled = \
                 excluded.cancelled",
            ))
            .bind(&m.id)
            .bind(org)
            .bind(m.on.to_string())
            .bind(&m.time)
            .bind(m.place.as_str())
            .bind(m.cancelled)
            .bind(micros(Timestamp::now()))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn meetings(
            &self,
            org: &str,
        ) -> Result<Vec<redress_domain::scrutiny::meeting::Meeting>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT * FROM scrutiny_meetings WHERE organisation_id = ? \
                 ORDER BY meeting_on, meeting_time",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(redress_domain::scrutiny::meeting::Meeting {
                        id: r.try_get("id")?,
                        on: crate::sql::date(&r.try_get::<String, _>("meeting_on")?)?,
                        time: r.try_get("meeting_time")?,
                        place: redress_domain::Text::from_trusted(r.try_get("place")?),
                        cancelled: r.try_get("cancelled")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn save_figure(
            &self,
            org: &str,
            year: i16,
            f: &crate::sql::scrutiny::Figure,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_figures (organisation_id, year, area_id, criterion, value, \
                 evidence) VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (organisation_id, year, area_id, criterion) DO UPDATE \
                 SET value = excluded.value, evidence = excluded.evidence",
            ))
            .bind(org)
            .bind(i64::from(year))
            .bind(&f.area_id)
            .bind(f.criterion.as_str())
            .bind(f.value)
            .bind(&f.evidence)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn figures(
            &self,
            org: &str,
            year: i16,
        ) -> Result<Vec<crate::sql::scrutiny::Figure>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT area_id, criterion, value, evidence FROM scrutiny_figures \
                 WHERE organisation_id = ? AND year = ?",
            ))
            .bind(org)
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::scrutiny::Figure {
                        area_id: r.try_get("area_id")?,
                        criterion: redress_domain::scrutiny::matrix::Criterion::parse(
                            &r.try_get::<String, _>("criterion")?,
                        )
                        .map_err(StoreError::corrupt)?,
                        value: r.try_get("value")?,
                        evidence: r.try_get("evidence")?,
                    })
                })
                .collect()
        }

        /// Keeps a year's scores as scored, replacing an earlier scoring of the same year.
        pub(crate) async fn save_scores(
            &self,
            org: &str,
            year: i16,
            scores: &[redress_domain::scrutiny::matrix::AreaScore],
            by: &str,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(Self::sql(
                "DELETE FROM scrutiny_scores WHERE organisation_id = ? AND year = ?",
            ))
            .bind(org)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
            let now = micros(Timestamp::now());
            for s in scores {
                sqlx::query(Self::sql(
                    "INSERT INTO scrutiny_scores (organisation_id, year, area_id, total, score, \
                     scored_at, scored_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(org)
                .bind(i64::from(year))
                .bind(&s.area_id)
                .bind(i64::from(s.total))
                .bind(crate::sql::scrutiny::json(s)?)
                .bind(now)
                .bind(by)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        /// A year's kept scores, highest first, with when and by whom they were scored.
        pub(crate) async fn scores(
            &self,
            org: &str,
            year: i16,
        ) -> Result<
            Vec<(
                redress_domain::scrutiny::matrix::AreaScore,
                Timestamp,
                String,
            )>,
            StoreError,
        > {
            let rows = sqlx::query(Self::sql(
                "SELECT score, scored_at, scored_by FROM scrutiny_scores WHERE organisation_id = ? \
                 AND year = ? ORDER BY total DESC, area_id",
            ))
            .bind(org)
            .bind(i64::from(year))
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        crate::sql::scrutiny::from_json(&r.try_get::<String, _>("score")?)?,
                        crate::sql::timestamp(r.try_get("scored_at")?)?,
                        r.try_get("scored_by")?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn create_exercise(
            &self,
            org: &str,
            x: &redress_domain::scrutiny::programme::Exercise,
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(Self::sql(
                "INSERT INTO scrutiny_exercises (id, organisation_id, year, area_id, state, \
                 version, created_at) VALUES (?, ?, ?, ?, ?, 1, ?) \
                 ON CONFLICT DO NOTHING",
            ))
            .bind(&x.id)
            .bind(org)
            .bind(i64::from(x.year))
            .bind(&x.area_id)
            .bind(crate::sql::scrutiny::json(x)?)
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Duplicate("an exercise for this area and year"));
            }
            Self::scrutiny_events(
                &mut tx,
                &x.id,
                &[("Added to the programme".to_string(), None)],
                by,
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn save_exercise(
            &self,
            x: &redress_domain::scrutiny::programme::Exercise,
            version: i64,
            summary: &str,
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_exercises SET state = ?, version = version + 1 WHERE id = ? \
                 AND version = ?",
            ))
            .bind(crate::sql::scrutiny::json(x)?)
            .bind(&x.id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::scrutiny_events(&mut tx, &x.id, &[(summary.to_string(), None)], by).await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn exercises(
            &self,
            org: &str,
        ) -> Result<Vec<(redress_domain::scrutiny::programme::Exercise, i64)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT state, version FROM scrutiny_exercises WHERE organisation_id = ? \
                 ORDER BY year DESC, created_at",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        crate::sql::scrutiny::from_json(&r.try_get::<String, _>("state")?)?,
                        r.try_get("version")?,
                    ))
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
    scrutiny_methods!(sqlx::Sqlite);
}

impl PgStore {
    scrutiny_methods!(sqlx::Postgres);
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
        letters: F,
    ) -> Result<Request, StoreError>
    where
        F: FnOnce(&Request) -> Vec<Letter> + Send,
    {
        dispatch!(self, s => {
            s.create_scrutiny_request((org, year), request, token_hash, steps, by, letters)
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

    pub async fn signatures_by_email(
        &self,
        org: &str,
        email: &str,
    ) -> Result<Vec<(String, String, String, Timestamp)>, StoreError>;

    pub async fn scrutiny_history(&self, subject: &str) -> Result<Vec<HistoryLine>, StoreError>;

    pub async fn sign_petition(
        &self,
        request: &Request,
        version: i64,
        signature: &Signature,
        today: jiff::civil::Date,
        by: &Doer,
    ) -> Result<Signed, StoreError>;

    pub async fn signatures(&self, request_id: &str) -> Result<Vec<SignatureRow>, StoreError>;

    pub async fn save_meeting(&self, org: &str, m: &Meeting) -> Result<(), StoreError>;

    /// Every meeting, earliest first.
    pub async fn meetings(&self, org: &str) -> Result<Vec<Meeting>, StoreError>;

    pub async fn save_figure(&self, org: &str, year: i16, f: &Figure) -> Result<(), StoreError>;

    pub async fn figures(&self, org: &str, year: i16) -> Result<Vec<Figure>, StoreError>;

    pub async fn save_scores(
        &self,
        org: &str,
        year: i16,
        scores: &[AreaScore],
        by: &str,
    ) -> Result<(), StoreError>;

    pub async fn scores(
        &self,
        org: &str,
        year: i16,
    ) -> Result<Vec<(AreaScore, Timestamp, String)>, StoreError>;

    pub async fn create_exercise(
        &self,
        org: &str,
        x: &Exercise,
        by: &Doer,
    ) -> Result<(), StoreError>;

    pub async fn save_exercise(
        &self,
        x: &Exercise,
        version: i64,
        summary: &str,
        by: &Doer,
    ) -> Result<(), StoreError>;

    /// Every exercise with its version, latest year first.
    pub async fn exercises(&self, org: &str) -> Result<Vec<(Exercise, i64)>, StoreError>;

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
