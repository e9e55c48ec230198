//! The PostgreSQL backend, for several instances sharing one database.

use crate::StoreError;
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgPool, Postgres};
use std::borrow::Cow;

/// Any number that identifies Redress's migration lock among other users of the database.
const MIGRATION_LOCK: i64 = 0x0052_4544_5245_5353;

#[derive(Clone, Debug)]
pub struct PgStore {
    pub(crate) pool: PgPool,
    /// New contacts are written in groups by one task per instance (see `intake`).
    pub(crate) intake: Option<crate::intake::Queue>,
}

/// Rewrites `?` placeholders as `$1`, `$2`, … outside quoted literals.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

impl PgStore {
    pub(crate) async fn connect(url: &str) -> Result<Self, StoreError> {
        // Just-in-time compilation costs milliseconds per statement the planner thinks
        // large (a search over many cases), more than any of these short queries run for.
        // Set on each new connection rather than as a startup option, which connection
        // poolers such as PgBouncer refuse by default.
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::Executor::execute(conn, "SET jit = off").await?;
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        Ok(Self { pool, intake: None })
    }

    /// Instances starting together queue on an advisory lock, held to the end of the
    /// migrations' transaction, so each migration runs once.
    pub(crate) async fn lock_migrations(
        tx: &mut sqlx::Transaction<'static, Postgres>,
    ) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub(crate) const TABLE_EXISTS: &'static str = "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = ?";

    pub(crate) fn sql(s: &'static str) -> AssertSqlSafe<Cow<'static, str>> {
        AssertSqlSafe(Cow::Owned(numbered(s)))
    }

    pub(crate) fn sql_owned(s: String) -> AssertSqlSafe<Cow<'static, str>> {
        AssertSqlSafe(Cow::Owned(numbered(&s)))
    }

    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// Each word typed, as a quoted term that PostgreSQL's own parser splits as it split
    /// the text it indexed (an email address stays one token), is matched as the start of
    /// a word (`:*`), all of them together. Inside quotes only `'` and `\` mean anything,
    /// and both are doubled, so nothing typed can be read as query syntax.
    pub(crate) fn search_terms(q: &str) -> Option<String> {
        let terms: Vec<String> = q
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .map(|w| format!("'{}':*", w.replace('\\', "\\\\").replace('\'', "''")))
            .collect();
        (!terms.is_empty()).then(|| terms.join(" & "))
    }

    /// Search entries are found by the contact's id.
    pub(crate) const ROW_KEY: &'static str = "id";

    /// What holds other writers off the cases while the running totals are counted from
    /// them (on SQLite the write transaction already does).
    pub(crate) const HOLD_CONTACTS: &'static str = "LOCK TABLE contacts IN SHARE MODE";

    /// How the outbox query keeps two workers from claiming the same row.
    pub(crate) const CLAIM_LOCK: &'static str = " FOR UPDATE SKIP LOCKED";

    /// Rewrites a case's search entry, found through the index on its contact id.
    pub(crate) const SEARCH_REWRITE: &'static str =
        "UPDATE contact_search SET body = ? WHERE contact_id = ?";
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_outside_literals() {
        assert_eq!(
            super::numbered("SELECT '?' FROM t WHERE a = ? AND b = ?"),
            "SELECT '?' FROM t WHERE a = $1 AND b = $2"
        );
    }
}
