//! Recording new contacts: the group-commit writer's batches (see `crate::intake`), each
//! new contact's rows, and a resident's answers kept between pages before they send them.

use crate::model::Inserted;
use crate::postgres::PgStore;
use crate::sql::{micros, unique};
use crate::sqlite::SqliteStore;
use crate::{Store, StoreError};
use jiff::Timestamp;
use redress_domain::contact::{Contact, ContactError, ContactKind, Reference};
use redress_domain::event::Event;

/// New contacts, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! new_contact_methods {
    ($db:ty) => {
        /// Writes a new contact through the store's group-commit queue when it has one.
        pub(crate) async fn insert_contact(
            &self,
            submission: crate::intake::Submission,
        ) -> Result<Inserted, StoreError> {
            let submission = match &self.intake {
                Some(queue) => match queue.submit(submission).await {
                    Ok(result) => return result,
                    Err(back) => back,
                },
                None => submission,
            };
            self.write_batch(vec![submission])
                .await
                .pop()
                .unwrap_or(Err(StoreError::Conflict))
        }

        /// Gives this store a group-commit writer for new contacts.
        pub(crate) fn with_intake(mut self) -> Self {
            let writer = Self {
                intake: None,
                ..self.clone()
            };
            self.intake = Some(crate::intake::Queue::start(move |batch| {
                let writer = writer.clone();
                async move { writer.write_batch(batch).await }
            }));
            self
        }

        /// One transaction for the whole batch, one savepoint for each submission in it:
        /// the answers come back in order, and only once the batch is committed.
        pub(crate) async fn write_batch(
            &self,
            batch: Vec<crate::intake::Submission>,
        ) -> Vec<Result<Inserted, StoreError>> {
            let count = batch.len();
            if count > 1 {
                match self.write_together(&batch).await {
                    Ok(results) => return results,
                    // Rolled back whole; each is tried again on its own below, which
                    // refuses just the one at fault.
                    Err(e) => tracing::debug!("a batch of {count} is written one by one: {e}"),
                }
            }
            match self.write_batch_once(batch).await {
                Ok(results) => results,
                Err(e) => {
                    let why = e.to_string();
                    (0..count)
                        .map(|_| Err(StoreError::Unavailable(why.clone())))
                        .collect()
                }
            }
        }

        /// The whole batch with a statement per table rather than per submission: keys seen
        /// before found in one query, references taken in one step per kind and year, and
        /// the rows written together. Any failure rolls everything back for the one-by-one
        /// path, so a refusal never leaves a gap in the references.
        pub(crate) async fn write_together(
            &self,
            batch: &[crate::intake::Submission],
        ) -> Result<Vec<Result<Inserted, StoreError>>, StoreError> {
            let Some(org) = batch.first().map(|s| s.org.as_str()) else {
                return Ok(Vec::new());
            };
            if batch.iter().any(|s| s.org != org) {
                return Err(StoreError::Conflict);
            }
            let mut tx = self.begin_write().await?;
            // What each submission becomes: stored before, the same as an earlier one in this
            // batch, or new with the reference to be given.
            enum Fate {
                Stored(Box<Contact>),
                SameAs(usize),
                New,
            }
            let mut fates: Vec<Fate> = Vec::with_capacity(batch.len());
            let keys: Vec<&str> = batch.iter().filter_map(|s| s.key.as_deref()).collect();
            let stored: Vec<String> = if keys.is_empty() {
                Vec::new()
            } else {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT submission_key FROM contacts WHERE organisation_id = ",
                );
                q.push_bind(org.to_string())
                    .push(" AND submission_key IN (");
                let mut list = q.separated(", ");
                for k in &keys {
                    list.push_bind(k.to_string());
                }
                q.push(")");
                q.build_query_scalar().fetch_all(&mut *tx).await?
            };
            for (i, s) in batch.iter().enumerate() {
                let fate = match s.key.as_deref() {
                    Some(k) if stored.iter().any(|x| x == k) => {
                        match Self::contact_where(&mut *tx, "c.submission_key = ?", org, k).await? {
                            Some(c) => Fate::Stored(Box::new(c)),
                            None => return Err(StoreError::Conflict),
                        }
                    }
                    Some(k) => match batch[..i]
                        .iter()
                        .position(|earlier| earlier.key.as_deref() == Some(k))
                    {
                        Some(first) => Fate::SameAs(first),
                        None => Fate::New,
                    },
                    None => Fate::New,
                };
                fates.push(fate);
            }
            // References: one counter step for each kind and year in the batch, taken in one
            // order (kind, then year) so two instances' batches never wait on each other.
            let mut next: Vec<((ContactKind, i16), i64)> = Vec::new();
            for (s, fate) in batch.iter().zip(&fates) {
                if matches!(fate, Fate::New) {
                    match next.iter_mut().find(|(k, _)| *k == s.prefix_year) {
                        Some((_, n)) => *n += 1,
                        None => next.push((s.prefix_year, 1)),
                    }
                }
            }
            next.sort_by_key(|((kind, year), _)| (kind.prefix(), *year));
            for ((kind, year), n) in next.iter_mut() {
                let last: i64 = sqlx::query_scalar(Self::sql(
                    "INSERT INTO reference_counters (organisation_id, prefix, year, last_number) \
                     VALUES (?, ?, ?, ?) \
                     ON CONFLICT (organisation_id, prefix, year) \
                     DO UPDATE SET last_number = reference_counters.last_number + ? \
                     RETURNING last_number",
                ))
                .bind(org)
                .bind(kind.prefix())
                .bind(i64::from(*year))
                .bind(*n)
                .bind(*n)
                .fetch_one(&mut *tx)
                .await?;
                // From now on, the number the next new one of this kind and year takes.
                *n = last - *n + 1;
            }
            let mut built: Vec<Option<(Contact, Event)>> = Vec::with_capacity(batch.len());
            for (s, fate) in batch.iter().zip(&fates) {
                if !matches!(fate, Fate::New) {
                    built.push(None);
                    continue;
                }
                let number = next
                    .iter_mut()
                    .find(|(k, _)| *k == s.prefix_year)
                    .map(|(_, n)| {
                        *n += 1;
                        *n - 1
                    })
                    .ok_or(StoreError::Conflict)?;
                let (kind, year) = s.prefix_year;
                built.push(Some((s.build)(Reference::new(kind, year, number))?));
            }
            let rows: Vec<(Option<&str>, &Contact, &Event)> = batch
                .iter()
                .zip(&built)
                .filter_map(|(s, b)| b.as_ref().map(|(c, e)| (s.key.as_deref(), c, e)))
                .collect();
            Self::write_new_contacts(&mut tx, org, &rows).await?;
            let counted: Vec<(&Contact, redress_domain::figures::CaseFigures)> = rows
                .iter()
                .map(|(_, c, _)| (*c, Default::default()))
                .collect();
            Self::put_figures(&mut tx, org, &counted).await?;
            if let Err(e) = tx.commit().await {
                // It may have been committed all the same (the connection lost on the way
                // back), so the batch is not written again; its submitters are told it failed
                // and a retry with a submission key finds what was kept.
                let why = e.to_string();
                return Ok(batch
                    .iter()
                    .map(|_| Err(StoreError::Unavailable(why.clone())))
                    .collect());
            }
            let mut results: Vec<Result<Inserted, StoreError>> = Vec::with_capacity(batch.len());
            let written = |i: usize| {
                built
                    .get(i)
                    .and_then(Option::as_ref)
                    .map(|(c, _)| Contact {
                        version: 1,
                        ..c.clone()
                    })
                    .ok_or(StoreError::Conflict)
            };
            for (i, fate) in fates.into_iter().enumerate() {
                results.push(match fate {
                    Fate::Stored(c) => Ok(Inserted::Existing(*c)),
                    Fate::SameAs(first) => written(first).map(Inserted::Existing),
                    Fate::New => written(i).map(Inserted::New),
                });
            }
            Ok(results)
        }

        pub(crate) async fn write_batch_once(
            &self,
            batch: Vec<crate::intake::Submission>,
        ) -> Result<Vec<Result<Inserted, StoreError>>, StoreError> {
            let mut tx = self.begin_write().await?;
            // Written in the counters' order (kind, then year), as the batch path takes them,
            // so two instances never wait on each other; answered in arrival order.
            let mut order: Vec<(usize, crate::intake::Submission)> =
                batch.into_iter().enumerate().collect();
            order.sort_by_key(|(i, s)| (s.prefix_year.0.prefix(), s.prefix_year.1, *i));
            let mut results: Vec<(usize, Result<Inserted, StoreError>)> =
                Vec::with_capacity(order.len());
            // The running totals are changed once, after every submission, so their rows are
            // locked after all the counters and in one order, as in the batch path.
            let mut counted: Vec<(String, Contact)> = Vec::new();
            for (i, s) in order {
                sqlx::query(Self::sql("SAVEPOINT submission"))
                    .execute(&mut *tx)
                    .await?;
                let key = s.key.as_deref();
                match Self::write_submission(&mut tx, &s.org, key, s.prefix_year, s.build).await {
                    Ok(inserted) => {
                        sqlx::query(Self::sql("RELEASE SAVEPOINT submission"))
                            .execute(&mut *tx)
                            .await?;
                        if let Inserted::New(c) = &inserted {
                            counted.push((s.org.clone(), c.clone()));
                        }
                        results.push((i, Ok(inserted)));
                    }
                    Err(e) => {
                        sqlx::query(Self::sql("ROLLBACK TO SAVEPOINT submission"))
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(Self::sql("RELEASE SAVEPOINT submission"))
                            .execute(&mut *tx)
                            .await?;
                        results.push((
                            i,
                            match (e, key) {
                                // Two submissions with one key raced past the check (from two
                                // instances); the other was committed first and is the answer.
                                (StoreError::Duplicate(_), Some(key)) => match Self::contact_where(
                                    &mut *tx,
                                    "c.submission_key = ?",
                                    &s.org,
                                    key,
                                )
                                .await?
                                {
                                    Some(existing) => Ok(Inserted::Existing(existing)),
                                    None => Err(StoreError::Conflict),
                                },
                                (e, _) => Err(e),
                            },
                        ));
                    }
                }
            }
            counted.sort_by(|a, b| a.0.cmp(&b.0));
            for (org, group) in counted
                .chunk_by(|a, b| a.0 == b.0)
                .map(|g| (g[0].0.clone(), g))
            {
                let cases: Vec<(&Contact, redress_domain::figures::CaseFigures)> =
                    group.iter().map(|(_, c)| (c, Default::default())).collect();
                Self::put_figures(&mut tx, &org, &cases).await?;
            }
            tx.commit().await?;
            results.sort_by_key(|(i, _)| *i);
            Ok(results.into_iter().map(|(_, r)| r).collect())
        }

        pub(crate) async fn write_submission(
            tx: &mut sqlx::Transaction<'static, $db>,
            org: &str,
            submission_key: Option<&str>,
            (kind, year): (ContactKind, i16),
            build: crate::intake::Build,
        ) -> Result<Inserted, StoreError> {
            if let Some(key) = submission_key {
                if let Some(existing) =
                    Self::contact_where(&mut **tx, "c.submission_key = ?", org, key).await?
                {
                    return Ok(Inserted::Existing(existing));
                }
            }
            let number: i64 = sqlx::query_scalar(Self::sql(
                "INSERT INTO reference_counters (organisation_id, prefix, year, last_number) \
                 VALUES (?, ?, ?, 1) \
                 ON CONFLICT (organisation_id, prefix, year) \
                 DO UPDATE SET last_number = reference_counters.last_number + 1 \
                 RETURNING last_number",
            ))
            .bind(org)
            .bind(kind.prefix())
            .bind(i64::from(year))
            .fetch_one(&mut **tx)
            .await?;
            let (mut contact, event) = build(Reference::new(kind, year, number))?;
            Self::write_new_contacts(tx, org, &[(submission_key, &contact, &event)]).await?;
            contact.version = 1;
            Ok(Inserted::New(contact))
        }

        /// New contacts with their people, first events and search text: one statement per
        /// table however many there are.
        pub(crate) async fn write_new_contacts(
            tx: &mut sqlx::Transaction<'static, $db>,
            org: &str,
            rows: &[(Option<&str>, &Contact, &Event)],
        ) -> Result<(), StoreError> {
            if rows.is_empty() {
                return Ok(());
            }
            let now = micros(Timestamp::now());
            // Everything that can fail is worked out before the statements are built.
            struct Prepared {
                person_id: Option<String>,
                needs: Option<String>,
                representative: Option<String>,
                case_state: String,
                list_key: String,
                search: String,
            }
            let mut prepared = Vec::with_capacity(rows.len());
            for (_, contact, _) in rows {
                let d = &contact.detail;
                prepared.push(Prepared {
                    person_id: d.person.as_ref().map(|_| uuid::Uuid::now_v7().to_string()),
                    needs: d
                        .person
                        .as_ref()
                        .map(|p| serde_json::to_string(&p.needs))
                        .transpose()
                        .map_err(StoreError::corrupt)?,
                    representative: d
                        .representative
                        .as_ref()
                        .map(serde_json::to_string)
                        .transpose()
                        .map_err(StoreError::corrupt)?,
                    case_state: serde_json::to_string(&contact.case)
                        .map_err(StoreError::corrupt)?,
                    list_key: crate::sql::list_key(contact),
                    search: crate::model::search_body(contact),
                });
            }
            if rows.iter().any(|(_, c, _)| c.detail.person.is_some()) {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO people (id, organisation_id, name, email, phone, address, \
                     postcode, needs, created_at) ",
                );
                q.push_values(
                    rows.iter().zip(&prepared).filter_map(|((_, c, _), p)| {
                        c.detail.person.as_ref().map(|person| (person, p))
                    }),
                    |mut b, (person, p)| {
                        b.push_bind(p.person_id.clone())
                            .push_bind(org.to_string())
                            .push_bind(person.name.as_str().to_string())
                            .push_bind(person.email.clone())
                            .push_bind(person.phone.clone())
                            .push_bind(person.address.as_ref().map(|t| t.as_str().to_string()))
                            .push_bind(person.postcode.clone())
                            .push_bind(p.needs.clone())
                            .push_bind(now);
                    },
                );
                q.build().execute(&mut **tx).await?;
            }
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO contacts (id, organisation_id, reference, kind, channel, status, \
                 stage, scheme, \
                 received_at, received_on, person_id, representative, service_area_id, \
                 property_ref, tenure, summary, \
                 outcome_wanted, issue_date, safeguarding, about_vulnerable_group, wants_reply, \
                 staff_named, other_route, \
                 priority, acknowledge_by, acknowledged_on, respond_by, responded_on, closed_on, \
                 case_state, officer_id, \
                 handler_id, paused, submission_key, list_key, safeguarding_due, hazard_open, \
                 emails_waiting, language, \
                 version, \
                 created_at, updated_at) ",
            );
            q.push_values(
                rows.iter().zip(&prepared),
                |mut b, ((key, contact, _), p)| {
                    let d = &contact.detail;
                    b.push_bind(contact.id.clone())
                        .push_bind(org.to_string())
                        .push_bind(contact.reference.as_str().to_string())
                        .push_bind(d.kind.as_str())
                        .push_bind(d.channel.as_str())
                        .push_bind(contact.status.as_str())
                        .push_bind(i64::from(contact.stage()))
                        .push_bind(contact.scheme.clone())
                        .push_bind(micros(d.received_at))
                        .push_bind(contact.received_on.to_string())
                        .push_bind(p.person_id.clone())
                        .push_bind(p.representative.clone())
                        .push_bind(d.service_area.clone())
                        .push_bind(d.property_ref.as_ref().map(|t| t.as_str().to_string()))
                        .push_bind(d.tenure.map(|t| t.as_str()))
                        .push_bind(d.summary.as_str().to_string())
                        .push_bind(d.outcome_wanted.as_ref().map(|t| t.as_str().to_string()))
                        .push_bind(d.issue_date.map(|t| t.to_string()))
                        .push_bind(d.safeguarding)
                        .push_bind(d.about_vulnerable_group)
                        .push_bind(d.wants_reply)
                        .push_bind(d.staff_named.as_ref().map(|t| t.as_str().to_string()))
                        .push_bind(d.other_route.map(|t| t.as_str()))
                        .push_bind(i64::from(contact.is_priority()))
                        .push_bind(contact.acknowledge_by().map(|t| t.to_string()))
                        .push_bind(contact.acknowledged_on().map(|t| t.to_string()))
                        .push_bind(contact.respond_by().map(|t| t.to_string()))
                        .push_bind(contact.responded_on().map(|t| t.to_string()))
                        .push_bind(contact.closed_on.map(|t| t.to_string()))
                        .push_bind(p.case_state.clone())
                        .push_bind(contact.case.officer.as_ref().map(|a| a.user_id.clone()))
                        .push_bind(contact.handler().map(|a| a.user_id.clone()))
                        .push_bind(contact.case.paused.is_some())
                        .push_bind(key.map(str::to_string))
                        .push_bind(p.list_key.clone())
                        .push_bind(contact.safeguarding_review_due())
                        .push_bind(contact.hazard_open())
                        .push_bind(contact.emails_waiting() > 0)
                        .push_bind(contact.language().map(|l| l.as_str()))
                        .push_bind(1_i64)
                        .push_bind(now)
                        .push_bind(now);
                },
            );
            q.build()
                .execute(&mut **tx)
                .await
                .map_err(|e| unique(e, "a contact with this submission"))?;
            // A new contact's first event is the first in its history.
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO contact_events (id, contact_id, seq, kind, at, actor_id, actor_name, \
                 summary, detail) ",
            );
            q.push_values(rows, |mut b, (_, contact, event)| {
                b.push_bind(uuid::Uuid::now_v7().to_string())
                    .push_bind(contact.id.clone())
                    .push_bind(1_i64)
                    .push_bind(event.kind.as_str())
                    .push_bind(micros(event.at))
                    .push_bind(event.actor.user_id.clone())
                    .push_bind(event.actor.name.clone())
                    .push_bind(event.summary.clone())
                    .push_bind(event.detail.to_string());
            });
            q.build().execute(&mut **tx).await?;
            let targets = Self::webhook_targets(tx, org, false).await?;
            for (_, contact, event) in rows {
                Self::queue_webhooks(tx, &targets, contact, std::slice::from_ref(*event), 1)
                    .await?;
            }
            // Where search entries are found by a number kept on the contact (SQLite), the new
            // contacts are numbered and their entries take the same number as their rowid.
            let numbered = Self::ROW_KEY == "search_row";
            if numbered {
                // Each takes the next number after the highest (indexed), whatever rowids
                // the file has given.
                for (_, contact, _) in rows {
                    sqlx::query(Self::sql(
                        "UPDATE contacts SET search_row = (SELECT COALESCE(MAX(search_row), 0) + 1 \
                         FROM contacts) WHERE id = ?",
                    ))
                    .bind(&contact.id)
                    .execute(&mut **tx)
                    .await?;
                }
            }
            let mut q = sqlx::QueryBuilder::<$db>::new(if numbered {
                "INSERT INTO contact_search (rowid, contact_id, body) \
                 SELECT c.search_row, c.id, v.column2 FROM contacts c JOIN ("
            } else {
                "INSERT INTO contact_search (contact_id, body) "
            });
            q.push_values(rows.iter().zip(&prepared), |mut b, ((_, contact, _), p)| {
                b.push_bind(contact.id.clone()).push_bind(p.search.clone());
            });
            if numbered {
                q.push(") AS v ON v.column1 = c.id");
            }
            q.build().execute(&mut **tx).await?;
            // A new case seldom has remedies or orders yet; only those that do are written.
            for (_, contact, _) in rows {
                if !contact.case.remedies.is_empty() || !contact.case.referrals.is_empty() {
                    Self::write_actions(tx, contact).await?;
                }
            }
            Ok(())
        }

        pub(crate) async fn save_draft(
            &self,
            id: &str,
            answers: &str,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO drafts (id, answers, updated_at) VALUES (?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE \
                 SET answers = excluded.answers, updated_at = excluded.updated_at",
            ))
            .bind(id)
            .bind(answers)
            .bind(micros(at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn draft(&self, id: &str) -> Result<Option<String>, StoreError> {
            Ok(
                sqlx::query_scalar(Self::sql("SELECT answers FROM drafts WHERE id = ?"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?,
            )
        }
    };
}

impl SqliteStore {
    new_contact_methods!(sqlx::Sqlite);
}

impl PgStore {
    new_contact_methods!(sqlx::Postgres);
}

impl Store {
    /// Records a new contact in one transaction: allocates the next reference for its kind
    /// and year, lets `build` decide the contact and its first event, and saves both. When
    /// `submission_key` was seen before, nothing is written and the earlier contact is
    /// returned, so a double click or a retry never makes a second contact.
    pub async fn insert_contact<F>(
        &self,
        org: &str,
        submission_key: Option<&str>,
        prefix_year: (redress_domain::ContactKind, i16),
        build: F,
    ) -> Result<Inserted, StoreError>
    where
        F: Fn(Reference) -> Result<(Contact, Event), ContactError> + Send + Sync + 'static,
    {
        let submission = crate::intake::Submission {
            org: org.to_string(),
            key: submission_key.map(str::to_string),
            prefix_year,
            build: Box::new(build),
        };
        dispatch!(self, s => s.insert_contact(submission).await)
    }
}

store_api! {
    /// Keeps a resident's answers between pages; `answers` is opaque to the store.
    pub async fn save_draft(
        &self,
        id: &str,
        answers: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    pub async fn draft(&self, id: &str) -> Result<Option<String>, StoreError>;
}
