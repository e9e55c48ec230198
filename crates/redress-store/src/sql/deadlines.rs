//! What is due across cases: deadlines for reminders (each sent once), remedies and orders
//! not yet done, and each member of staff's open and overdue cases.

use crate::StoreError;
use crate::model::{DueCase, OpenAction, Workload};
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::contact::{ContactStatus, Reference};
use redress_domain::letter::Letter;
use sqlx::Row;

/// What is due, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! deadline_methods {
    ($db:ty) => {
        pub(crate) async fn workload(
            &self,
            org: &str,
            today: Date,
            areas: Option<&[String]>,
        ) -> Result<Vec<Workload>, StoreError> {
            // A service manager's view counts only the cases of their own areas.
            let within = match areas {
                None => String::new(),
                Some([]) => " AND 1 = 0".to_string(),
                Some(a) => format!(
                    " AND c.service_area_id IN ({})",
                    vec!["?"; a.len()].join(", ")
                ),
            };
            let sql = format!(
                "SELECT u.id, u.name, \
                 (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = ? \
                 AND c.officer_id = u.id{within} \
                    AND c.status IN ('received', 'acknowledged')) AS as_officer, \
                 (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = ? \
                 AND c.handler_id = u.id{within} \
                    AND c.status IN ('received', 'acknowledged')) AS as_case_worker, \
                 (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = ? \
                    AND (c.officer_id = u.id OR c.handler_id = u.id){within} \
                    AND c.status IN ('received', 'acknowledged') \
                    AND (c.respond_by < ? OR (c.status = 'received' \
                    AND c.acknowledge_by < ?))) AS overdue \
                 FROM users u WHERE u.active = ? ORDER BY u.name"
            );
            let areas = areas.unwrap_or_default();
            let mut q = sqlx::query(Self::sql_owned(sql)).bind(org);
            for a in areas {
                q = q.bind(a);
            }
            q = q.bind(org);
            for a in areas {
                q = q.bind(a);
            }
            q = q.bind(org);
            for a in areas {
                q = q.bind(a);
            }
            let rows = q
                .bind(today.to_string())
                .bind(today.to_string())
                .bind(true)
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(Workload {
                        user_id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        as_officer: r.try_get("as_officer")?,
                        as_case_worker: r.try_get("as_case_worker")?,
                        overdue: r.try_get("overdue")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn open_actions(
            &self,
            org: &str,
            due_before: Option<Date>,
        ) -> Result<Vec<OpenAction>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT c.reference, c.service_area_id, a.kind, a.item_id, a.description, \
                 a.owner_name, a.due, a.amount_pence \
                 FROM case_actions a JOIN contacts c ON c.id = a.contact_id \
                 WHERE c.organisation_id = ? AND a.done_on IS NULL AND a.due < ? \
                 ORDER BY a.due, c.reference, a.item_id",
            ))
            .bind(org)
            .bind(
                due_before
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "9999-12-31".into()),
            )
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(OpenAction {
                        reference: Reference::from_trusted(r.try_get("reference")?),
                        service_area: r.try_get("service_area_id")?,
                        kind: r.try_get("kind")?,
                        item_id: r.try_get("item_id")?,
                        description: r.try_get("description")?,
                        owner: r.try_get("owner_name")?,
                        due: crate::sql::date(&r.try_get::<String, _>("due")?)?,
                        amount_pence: r.try_get("amount_pence")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn deadlines_due(
            &self,
            org: &str,
            by: Date,
        ) -> Result<Vec<DueCase>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, reference, status, acknowledge_by, respond_by, officer_id, handler_id \
                 FROM contacts \
                 WHERE organisation_id = ? AND status IN ('received', 'acknowledged') \
                 AND paused = ? \
                 AND ((status = 'received' AND acknowledge_by <= ?) OR respond_by <= ?) \
                 ORDER BY reference",
            ))
            .bind(org)
            .bind(false)
            .bind(by.to_string())
            .bind(by.to_string())
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(DueCase {
                        contact_id: r.try_get("id")?,
                        reference: Reference::from_trusted(r.try_get("reference")?),
                        status: ContactStatus::parse(&r.try_get::<String, _>("status")?)
                            .map_err(StoreError::corrupt)?,
                        acknowledge_by: crate::sql::date_opt(r.try_get("acknowledge_by")?)?,
                        respond_by: crate::sql::date_opt(r.try_get("respond_by")?)?,
                        officer_id: r.try_get("officer_id")?,
                        handler_id: r.try_get("handler_id")?,
                    })
                })
                .collect()
        }

        pub(crate) async fn record_reminder(
            &self,
            contact_id: &str,
            deadline: &str,
            due: Date,
            kind: &str,
            letters: &[Letter],
        ) -> Result<bool, StoreError> {
            let mut tx = self.begin_write().await?;
            let inserted = sqlx::query(Self::sql(
                "INSERT INTO reminders (contact_id, deadline, due, kind, created_at) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ))
            .bind(contact_id)
            .bind(deadline)
            .bind(due.to_string())
            .bind(kind)
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            Self::write_letters(&mut tx, contact_id, letters).await?;
            tx.commit().await?;
            Ok(true)
        }
    };
}

impl SqliteStore {
    deadline_methods!(sqlx::Sqlite);
}

impl PgStore {
    deadline_methods!(sqlx::Postgres);
}

store_api! {
    /// Open, unpaused cases with a deadline on or before `by`.
    pub async fn deadlines_due(&self, org: &str, by: Date) -> Result<Vec<DueCase>, StoreError>;

    /// Records that a reminder fired and queues its emails, once: a second call for the
    /// same case, deadline, date and kind does nothing and returns false.
    pub async fn record_reminder(
        &self,
        contact_id: &str,
        deadline: &str,
        due: Date,
        kind: &str,
        letters: &[Letter],
    ) -> Result<bool, StoreError>;

    /// Remedies and ombudsman orders not yet done, due before `due_before` (all when `None`).
    pub async fn open_actions(
        &self,
        org: &str,
        due_before: Option<Date>,
    ) -> Result<Vec<OpenAction>, StoreError>;

    /// Open cases per active member of staff, and how many of them are overdue on `today`.
    /// Open cases per active user, counting only `areas` when given.
    pub async fn workload(
        &self,
        org: &str,
        today: Date,
        areas: Option<&[String]>,
    ) -> Result<Vec<Workload>, StoreError>;
}
