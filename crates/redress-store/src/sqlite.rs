//! The embedded SQLite backend: one file, WAL, full synchronous commits, write transactions
//! begun IMMEDIATE so writers queue on the lock instead of failing half-way.

use crate::StoreError;
use crate::sql::micros;
use jiff::Timestamp;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Sqlite, SqlitePool};
use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_foundation.sql")),
    (
        2,
        include_str!("../migrations/sqlite/0002_data_protection.sql"),
    ),
    (3, include_str!("../migrations/sqlite/0003_learning.sql")),
    (4, include_str!("../migrations/sqlite/0004_scrutiny.sql")),
    (
        5,
        include_str!("../migrations/sqlite/0005_case_list_order.sql"),
    ),
    (
        6,
        include_str!("../migrations/sqlite/0006_search_rowid.sql"),
    ),
    (
        7,
        include_str!("../migrations/sqlite/0007_running_figures.sql"),
    ),
];

/// The migration that starts the running totals; existing cases are counted into them as
/// it runs.
const RUNNING_FIGURES: i64 = 7;

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// One connection for write transactions. SQLite takes one writer at a time; queueing
    /// writers here, in order, is much faster than letting several connections contend
    /// for the file lock, where a loser sleeps and retries on SQLite's busy timer.
    pub(crate) writer: SqlitePool,
    /// New contacts are written in groups by one task (see `intake`).
    pub(crate) intake: Option<crate::intake::Queue>,
}

impl SqliteStore {
    pub(crate) async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            writer,
            intake: None,
        })
    }

    pub(crate) async fn migrate(&self) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at \
             BIGINT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
            .fetch_all(&mut *tx)
            .await?;
        let mut applied = 0;
        for (version, sql) in MIGRATIONS {
            if done.contains(version) {
                continue;
            }
            sqlx::raw_sql(AssertSqlSafe(*sql)).execute(&mut *tx).await?;
            if *version == RUNNING_FIGURES {
                Self::count_every_case(&mut tx).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
                .bind(version)
                .bind(micros(Timestamp::now()))
                .execute(&mut *tx)
                .await?;
            applied += 1;
        }
        tx.commit().await?;
        Ok(applied)
    }

    pub(crate) fn sql(s: &'static str) -> &'static str {
        s
    }

    pub(crate) fn sql_owned(s: String) -> AssertSqlSafe<Cow<'static, str>> {
        AssertSqlSafe(Cow::Owned(s))
    }

    pub(crate) async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// FTS5 has its own query language; each word is quoted so nothing typed is read as an
    /// operator, and matched as a prefix so "Jon" finds "Jones".
    pub(crate) fn search_terms(q: &str) -> Option<String> {
        let terms: Vec<String> = crate::sql::search_words(q)
            .map(|w| format!("\"{w}\"*"))
            .collect();
        (!terms.is_empty()).then(|| terms.join(" "))
    }

    /// A search entry's rowid is its contact's `search_row` (migration 0006): the
    /// full-text index gives rowids straight from its own pages, in order, where reading
    /// each entry's contact id would cost more than the search itself.
    pub(crate) const ROW_KEY: &'static str = "search_row";

    /// What holds other writers off the cases while the running totals are counted from
    /// them (on SQLite the write transaction already does).
    pub(crate) const HOLD_CONTACTS: &'static str = "";

    /// How the outbox query keeps two workers from claiming the same row.
    pub(crate) const CLAIM_LOCK: &'static str = "";
}
