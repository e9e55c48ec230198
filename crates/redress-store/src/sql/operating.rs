//! Figures an operator's monitoring reads at each scrape: open and overdue cases by stage,
//! what waits in the outboxes and the webhook queue, and how the database pool is used.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use jiff::civil::Date;
use sqlx::Row;

/// The figures of one scrape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatingCounts {
    /// (stage, open cases, of which past their response date)
    pub open_by_stage: Vec<(i64, i64, i64)>,
    /// (status, letters and emails) for those still to go or needing attention.
    pub outbox: Vec<(String, i64)>,
    /// (status, webhook deliveries) waiting, being sent or failed.
    pub webhooks: Vec<(String, i64)>,
    /// Connections the pool holds, and how many of them are idle.
    pub pool_size: u32,
    pub pool_idle: usize,
}

/// Operating counts, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! operating_methods {
    ($db:ty) => {
        pub(crate) async fn operating_counts(
            &self,
            org: &str,
            today: Date,
        ) -> Result<OperatingCounts, StoreError> {
            let open = sqlx::query(Self::sql(
                "SELECT stage, COUNT(*) AS open, \
                 CAST(COALESCE(SUM(CASE WHEN respond_by < ? THEN 1 ELSE 0 END), 0) AS BIGINT) \
                 AS overdue FROM contacts WHERE organisation_id = ? \
                 AND status IN ('received', 'acknowledged') GROUP BY stage ORDER BY stage",
            ))
            .bind(today.to_string())
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            let outbox = sqlx::query(Self::sql(
                "SELECT status, COUNT(*) AS n FROM (\
                 SELECT l.status FROM letters l JOIN contacts c ON c.id = l.contact_id \
                 WHERE c.organisation_id = ? \
                 AND l.status IN ('pending', 'check', 'failed', 'to-print', 'to-convert', 'draft') \
                 UNION ALL \
                 SELECT m.status FROM scrutiny_messages m \
                 JOIN scrutiny_requests r ON r.id = m.request_id WHERE r.organisation_id = ? \
                 AND m.status IN ('pending', 'check', 'failed', 'to-print', 'to-convert', 'draft')\
                 ) AS waiting GROUP BY status ORDER BY status",
            ))
            .bind(org)
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            Ok(OperatingCounts {
                open_by_stage: open
                    .iter()
                    .map(|r| Ok((r.try_get("stage")?, r.try_get("open")?, r.try_get("overdue")?)))
                    .collect::<Result<_, StoreError>>()?,
                outbox: outbox
                    .iter()
                    .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
                    .collect::<Result<_, StoreError>>()?,
                webhooks: self.webhook_queue(org).await?,
                pool_size: self.pool.size(),
                pool_idle: self.pool.num_idle(),
            })
        }
    };
}

impl SqliteStore {
    operating_methods!(sqlx::Sqlite);
}

impl PgStore {
    operating_methods!(sqlx::Postgres);
}

store_api! {
    /// Open and overdue cases by stage, the outboxes, and the pool, for monitoring.
    pub async fn operating_counts(
        &self,
        org: &str,
        today: Date,
    ) -> Result<OperatingCounts, StoreError>;
}
