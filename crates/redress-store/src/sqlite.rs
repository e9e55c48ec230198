//! The embedded SQLite backend: one file, WAL, full synchronous commits, write transactions
//! begun IMMEDIATE so writers queue on the lock instead of failing half-way.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Sqlite, SqlitePool};
use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

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

    /// Migrations run in a write transaction, which holds SQLite's lock on the file already.
    pub(crate) async fn lock_migrations(
        _tx: &mut sqlx::Transaction<'static, Sqlite>,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    pub(crate) const TABLE_EXISTS: &'static str =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?";

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

    /// Rewrites a case's search entry, found by the number kept on the contact: the
    /// full-text table's contact id is not indexed (see migration 0006).
    pub(crate) const SEARCH_REWRITE: &'static str = "UPDATE contact_search SET body = ? \
         WHERE rowid = (SELECT search_row FROM contacts WHERE id = ?)";
}
