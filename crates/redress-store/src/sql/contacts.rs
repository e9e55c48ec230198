//! A case once recorded: reading it, saving a change with its events (and any file),
//! its history, its remedies and orders as listed across cases, and who viewed it.

use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use crate::{Store, StoreError};
use jiff::Timestamp;
use redress_domain::contact::{Contact, Reference};
use redress_domain::event::{Actor, Event, EventKind};
use redress_domain::letter::Letter;
use sqlx::Row;

/// Cases as recorded, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! contact_methods {
    ($db:ty) => {
        pub(crate) async fn contact_by_reference(
            &self,
            org: &str,
            reference: &Reference,
        ) -> Result<Option<Contact>, StoreError> {
            Self::contact_where(&self.pool, "c.reference = ?", org, reference.as_str()).await
        }

        pub(crate) async fn contact_by_submission(
            &self,
            org: &str,
            key: &str,
        ) -> Result<Option<Contact>, StoreError> {
            Self::contact_where(&self.pool, "c.submission_key = ?", org, key).await
        }

        pub(crate) async fn contact_by_id(
            &self,
            org: &str,
            id: &str,
        ) -> Result<Option<Contact>, StoreError> {
            Self::contact_where(&self.pool, "c.id = ?", org, id).await
        }

        /// Appends the events to the case's history and, in the same transaction, queues
        /// them for the webhook endpoints that asked for them.
        pub(crate) async fn append_events(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact: &Contact,
            events: &[Event],
        ) -> Result<(), StoreError> {
            let contact_id = contact.id.as_str();
            let last: Option<i64> = sqlx::query_scalar(Self::sql(
                "SELECT MAX(seq) FROM contact_events WHERE contact_id = ?",
            ))
            .bind(contact_id)
            .fetch_one(&mut **tx)
            .await?;
            let mut seq = last.unwrap_or(0);
            let first_seq = seq + 1;
            for event in events {
                seq += 1;
                sqlx::query(Self::sql(
                    "INSERT INTO contact_events (id, contact_id, seq, kind, at, actor_id, \
                     actor_name, summary, detail) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(contact_id)
                .bind(seq)
                .bind(event.kind.as_str())
                .bind(micros(event.at))
                .bind(event.actor.user_id.as_deref())
                .bind(&event.actor.name)
                .bind(&event.summary)
                .bind(event.detail.to_string())
                .execute(&mut **tx)
                .await?;
            }
            let targets = Self::webhook_targets(tx, contact_id, true).await?;
            Self::queue_webhooks(tx, &targets, contact, events, first_seq).await?;
            Ok(())
        }

        /// Writes the case's new state if nobody else saved it since it was read.
        pub(crate) async fn update_case_row(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact: &Contact,
        ) -> Result<bool, StoreError> {
            let representative = contact
                .detail
                .representative
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(StoreError::corrupt)?;
            // Read before the row changes; if someone else changed it meanwhile, the
            // version check below refuses this write.
            let Some((org, before)) = Self::row_as_stored(tx, &contact.id).await? else {
                return Ok(false);
            };
            let before = redress_domain::figures::of_case(&before);
            let updated = sqlx::query(Self::sql(
                "UPDATE contacts SET kind = ?, other_route = ?, status = ?, stage = ?, scheme = ?, \
                 service_area_id = ?, priority = ?, \
                 acknowledge_by = ?, acknowledged_on = ?, respond_by = ?, responded_on = ?, \
                 closed_on = ?, \
                 case_state = ?, officer_id = ?, handler_id = ?, paused = ?, representative = ?, \
                 list_key = ?, tenure = ?, property_ref = ?, safeguarding = ?, follow_up = ?, \
                 safeguarding_due = ?, hazard_open = ?, emails_waiting = ?, language = ?, \
                 version = version + 1, \
                 updated_at = ? WHERE id = ? AND version = ?",
            ))
            .bind(contact.detail.kind.as_str())
            .bind(contact.detail.other_route.map(|r| r.as_str()))
            .bind(contact.status.as_str())
            .bind(i64::from(contact.stage()))
            .bind(&contact.scheme)
            .bind(contact.detail.service_area.as_deref())
            .bind(i64::from(contact.is_priority()))
            .bind(contact.acknowledge_by().map(|t| t.to_string()))
            .bind(contact.acknowledged_on().map(|t| t.to_string()))
            .bind(contact.respond_by().map(|t| t.to_string()))
            .bind(contact.responded_on().map(|t| t.to_string()))
            .bind(contact.closed_on.map(|t| t.to_string()))
            .bind(serde_json::to_string(&contact.case).map_err(StoreError::corrupt)?)
            .bind(contact.case.officer.as_ref().map(|a| a.user_id.clone()))
            .bind(contact.handler().map(|a| a.user_id.clone()))
            .bind(contact.case.paused.is_some())
            .bind(representative)
            .bind(crate::sql::list_key(contact))
            .bind(contact.detail.tenure.map(|t| t.as_str()))
            .bind(contact.detail.property_ref.as_ref().map(|t| t.as_str()))
            .bind(contact.detail.safeguarding)
            .bind(contact.follow_up_open())
            .bind(contact.safeguarding_review_due())
            .bind(contact.hazard_open())
            .bind(contact.emails_waiting() > 0)
            .bind(contact.language().map(|l| l.as_str()))
            .bind(micros(Timestamp::now()))
            .bind(&contact.id)
            .bind(contact.version)
            .execute(&mut **tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Ok(false);
            }
            Self::put_figures(tx, &org, &[(contact, before)]).await?;
            Ok(true)
        }

        pub(crate) async fn save_contact(
            &self,
            contact: &Contact,
            events: &[Event],
            letters: &[Letter],
        ) -> Result<(), StoreError> {
            self.save_contact_with_file(contact, events, letters, None)
                .await
        }

        /// Saves the change and, in the same transaction, a file's bytes.
        pub(crate) async fn save_contact_with_file(
            &self,
            contact: &Contact,
            events: &[Event],
            letters: &[Letter],
            file: Option<(&str, &[u8])>,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            if !Self::update_case_row(&mut tx, contact).await? {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::append_events(&mut tx, contact, events).await?;
            if events
                .iter()
                .any(|e| e.kind == redress_domain::event::EventKind::Corrected)
            {
                Self::write_person(&mut tx, contact).await?;
            }
            Self::write_actions(&mut tx, contact).await?;
            Self::write_letters(&mut tx, &contact.id, letters).await?;
            if let Some((id, bytes)) = file {
                sqlx::query(Self::sql(
                    "INSERT INTO attachments (id, contact_id, data) VALUES (?, ?, ?)",
                ))
                .bind(id)
                .bind(&contact.id)
                .bind(bytes)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        /// The person's details as corrected, and the words the case is found by.
        pub(crate) async fn write_person(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact: &Contact,
        ) -> Result<(), StoreError> {
            if let Some(p) = &contact.detail.person {
                sqlx::query(Self::sql(
                    "UPDATE people SET name = ?, email = ?, phone = ?, address = ?, \
                     postcode = ?, needs = ? \
                     WHERE id = (SELECT person_id FROM contacts WHERE id = ?)",
                ))
                .bind(p.name.as_str())
                .bind(p.email.as_deref())
                .bind(p.phone.as_deref())
                .bind(p.address.as_ref().map(|a| a.as_str()))
                .bind(p.postcode.as_deref())
                .bind(serde_json::to_string(&p.needs).map_err(StoreError::corrupt)?)
                .bind(&contact.id)
                .execute(&mut **tx)
                .await?;
            }
            sqlx::query(Self::sql(Self::SEARCH_REWRITE))
            .bind(crate::model::search_body(contact))
            .bind(&contact.id)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        pub(crate) async fn write_actions(
            tx: &mut sqlx::Transaction<'static, $db>,
            contact: &Contact,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql("DELETE FROM case_actions WHERE contact_id = ?"))
                .bind(&contact.id)
                .execute(&mut **tx)
                .await?;
            let remedies = contact.case.remedies.iter().map(|r| {
                (
                    "remedy",
                    r.id,
                    r.description.as_str(),
                    Some(r.owner.name.as_str()),
                    r.due,
                    r.done_on,
                    r.payment.as_ref().map(|p| p.amount.0),
                )
            });
            let orders = contact
                .case
                .referrals
                .iter()
                .flat_map(|f| f.orders.iter())
                .map(|o| {
                    (
                        "order",
                        o.id,
                        o.description.as_str(),
                        None,
                        o.due,
                        o.complied_on,
                        None,
                    )
                });
            // The Tenants Panel's input, due by its own target, is one more thing to follow.
            // Once the case is erased, nothing on it is waited for any more.
            let panel = contact.case.panel.iter().filter(|_| contact.case.erased.is_none()).map(|p| {
                (
                    "panel",
                    1,
                    p.why.as_str(),
                    None,
                    p.due_by,
                    p.input.as_ref().map(|i| i.on),
                    None,
                )
            });
            for (kind, id, description, owner, due, done, amount) in
                remedies.chain(orders).chain(panel)
            {
                sqlx::query(Self::sql(
                    "INSERT INTO case_actions (contact_id, kind, item_id, description, owner_name, \
                     due, done_on, amount_pence) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(&contact.id)
                .bind(kind)
                .bind(i64::from(id))
                .bind(description)
                .bind(owner)
                .bind(due.to_string())
                .bind(done.map(|d| d.to_string()))
                .bind(amount)
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        pub(crate) async fn attachment(
            &self,
            contact_id: &str,
            id: &str,
        ) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT data FROM attachments WHERE contact_id = ? AND id = ?",
            ))
            .bind(contact_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
        }

        pub(crate) async fn events(&self, contact_id: &str) -> Result<Vec<Event>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT kind, at, actor_id, actor_name, summary, detail FROM contact_events \
                 WHERE contact_id = ? ORDER BY seq",
            ))
            .bind(contact_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::event_row).collect()
        }

        pub(crate) fn event_row(r: &<$db as sqlx::Database>::Row) -> Result<Event, StoreError> {
            Ok(Event {
                kind: EventKind::parse(&r.try_get::<String, _>("kind")?)
                    .map_err(StoreError::corrupt)?,
                at: crate::sql::timestamp(r.try_get("at")?)?,
                actor: Actor {
                    user_id: r.try_get("actor_id")?,
                    name: r.try_get("actor_name")?,
                },
                summary: r.try_get("summary")?,
                detail: serde_json::from_str(&r.try_get::<String, _>("detail")?)
                    .map_err(StoreError::corrupt)?,
            })
        }

        pub(crate) async fn record_view(
            &self,
            contact_id: &str,
            user_id: &str,
            user_name: &str,
            at: Timestamp,
            via: &str,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO case_views (contact_id, user_id, user_name, at, \
            via) VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(contact_id)
            .bind(user_id)
            .bind(user_name)
            .bind(micros(at))
            .bind(via)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn views(
            &self,
            contact_id: &str,
            limit: i64,
        ) -> Result<Vec<(String, Timestamp, String)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT user_name, at, via FROM case_views WHERE contact_id = ? ORDER BY at DESC \
                 LIMIT ?",
            ))
            .bind(contact_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("user_name")?,
                        crate::sql::timestamp(r.try_get("at")?)?,
                        r.try_get("via")?,
                    ))
                })
                .collect()
        }
    };
}

impl SqliteStore {
    contact_methods!(sqlx::Sqlite);
}

impl PgStore {
    contact_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn contact_by_id(&self, org: &str, id: &str) -> Result<Option<Contact>, StoreError>;

    pub async fn contact_by_reference(
        &self,
        org: &str,
        reference: &Reference,
    ) -> Result<Option<Contact>, StoreError>;

    pub async fn contact_by_submission(
        &self,
        org: &str,
        key: &str,
    ) -> Result<Option<Contact>, StoreError>;

    /// Saves a changed contact and its events, refusing if someone else changed it since
    /// `contact.version` was read.
    pub async fn save_contact(
        &self,
        contact: &Contact,
        events: &[Event],
        letters: &[Letter],
    ) -> Result<(), StoreError>;

    /// A file's bytes, only when it belongs to `contact_id`.
    pub async fn attachment(
        &self,
        contact_id: &str,
        id: &str,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    pub async fn events(&self, contact_id: &str) -> Result<Vec<Event>, StoreError>;

    /// Notes that a member of staff opened a case (`via`: the page or the API).
    pub async fn record_view(
        &self,
        contact_id: &str,
        user_id: &str,
        user_name: &str,
        at: Timestamp,
        via: &str,
    ) -> Result<(), StoreError>;

    /// The latest views of a case: who, when, how.
    pub async fn views(
        &self,
        contact_id: &str,
        limit: i64,
    ) -> Result<Vec<(String, Timestamp, String)>, StoreError>;
}

impl Store {
    /// Saves a change that adds a file, with the file's bytes, in one transaction.
    pub async fn save_contact_with_file(
        &self,
        contact: &Contact,
        events: &[Event],
        file_id: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let file = Some((file_id, bytes));
        dispatch!(self, s => s.save_contact_with_file(contact, events, &[], file).await)
    }
}
