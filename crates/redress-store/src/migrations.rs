//! Schema migrations, one list for both backends: each migration has the same number and
//! name on both, from a file of that name in each backend's folder, and one runner applies
//! them. What differs by backend is how a migration run is locked (`lock_migrations`) and
//! how a table is looked up (`TABLE_EXISTS`).

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;

/// One migration: its number, its name (the file name without `.sql`) and its SQL.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

/// Lists the migrations once, by number and file name; each backend's list takes the file
/// of that name from its own folder, so a migration missing from one folder does not build.
macro_rules! migrations {
    ($($version:literal $name:literal,)*) => {
        pub(crate) const SQLITE: &[Migration] = &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
        },)*];
        pub(crate) const POSTGRES: &[Migration] = &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        },)*];
    };
}

migrations! {
    1 "0001_foundation",
    2 "0002_data_protection",
    3 "0003_learning",
    4 "0004_scrutiny",
    5 "0005_case_list_order",
    6 "0006_search_rowid",
    7 "0007_running_figures",
    8 "0008_working_day",
    9 "0009_meeting_minutes",
    10 "0010_scrutiny_records",
    11 "0011_webhooks",
    12 "0012_single_sign_on",
    13 "0013_hazards",
    14 "0014_email_in",
    15 "0015_one_email_receipt",
    16 "0016_welsh",
}

/// The schema this build brings a database to: the number of its last migration.
pub const SCHEMA_VERSION: i64 = SQLITE[SQLITE.len() - 1].version;

/// The migrations after which every case is counted into the running totals afresh: the
/// one that starts them, and those that add measures to them (and empty them first).
const RECOUNT: &[&str] = &["0007_running_figures", "0008_working_day"];

/// A migration that an earlier release recorded under another number on one backend, and
/// a table it made, which shows that it ran.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Renumbered {
    pub(crate) was: i64,
    pub(crate) is: i64,
    pub(crate) made: &'static str,
}

/// Before SQLite's 0006_search_rowid had a PostgreSQL partner, PostgreSQL recorded the
/// running figures as version 6.
pub(crate) const POSTGRES_RENUMBERED: &[Renumbered] = &[Renumbered {
    was: 6,
    is: 7,
    made: "daily_figures",
}];

/// The migration runner, written once for both backends (`$db` is the backend's sqlx
/// database).
macro_rules! migration_methods {
    ($db:ty) => {
        /// Applies, in one transaction, every migration not yet recorded; returns how many.
        /// Instances starting together wait on the backend's lock, so each runs once.
        pub(crate) async fn migrate(&self) -> Result<usize, StoreError> {
            let mut tx = self.begin_write().await?;
            Self::lock_migrations(&mut tx).await?;
            sqlx::raw_sql(
                "CREATE TABLE IF NOT EXISTS schema_migrations \
                 (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
            )
            .execute(&mut *tx)
            .await?;
            let mut done: Vec<i64> =
                sqlx::query_scalar(Self::sql("SELECT version FROM schema_migrations"))
                    .fetch_all(&mut *tx)
                    .await?;
            for r in Self::RENUMBERED {
                // Recorded under its old number, and its table is there: it is recorded
                // under its new one, and the migration now numbered `was` (one that does
                // nothing on this backend) runs below like any other not yet run.
                if done.contains(&r.was) && !done.contains(&r.is) {
                    let made: i64 = sqlx::query_scalar(Self::sql(Self::TABLE_EXISTS))
                        .bind(r.made)
                        .fetch_one(&mut *tx)
                        .await?;
                    if made > 0 {
                        sqlx::query(Self::sql(
                            "UPDATE schema_migrations SET version = ? WHERE version = ?",
                        ))
                        .bind(r.is)
                        .bind(r.was)
                        .execute(&mut *tx)
                        .await?;
                        done.retain(|v| *v != r.was);
                        done.push(r.is);
                    }
                }
            }
            let mut applied = 0;
            for m in Self::MIGRATIONS {
                if done.contains(&m.version) {
                    continue;
                }
                sqlx::raw_sql(sqlx::AssertSqlSafe(m.sql))
                    .execute(&mut *tx)
                    .await?;
                if RECOUNT.contains(&m.name) {
                    Self::count_every_case(&mut tx).await?;
                }
                sqlx::query(Self::sql(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                ))
                .bind(m.version)
                .bind(micros(Timestamp::now()))
                .execute(&mut *tx)
                .await?;
                applied += 1;
            }
            tx.commit().await?;
            Ok(applied)
        }

        /// Whether every migration this build knows has run (and the database answers).
        pub(crate) async fn schema_current(&self) -> Result<bool, StoreError> {
            let done: Vec<i64> =
                sqlx::query_scalar(Self::sql("SELECT version FROM schema_migrations"))
                    .fetch_all(&self.pool)
                    .await?;
            Ok(Self::MIGRATIONS.iter().all(|m| done.contains(&m.version)))
        }
    };
}

impl SqliteStore {
    const MIGRATIONS: &'static [Migration] = SQLITE;
    /// No migration was ever numbered differently on SQLite.
    const RENUMBERED: &'static [Renumbered] = &[];

    migration_methods!(sqlx::Sqlite);
}

impl PgStore {
    const MIGRATIONS: &'static [Migration] = POSTGRES;
    const RENUMBERED: &'static [Renumbered] = POSTGRES_RENUMBERED;

    migration_methods!(sqlx::Postgres);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_file_names_in_order() {
        for (i, m) in SQLITE.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert_eq!(
                m.name[..4].parse::<i64>().ok(),
                Some(m.version),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn every_migration_file_is_listed_on_both_backends() {
        for (dir, list) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir);
            let mut files: Vec<String> = std::fs::read_dir(path)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let listed: Vec<String> = list.iter().map(|m| format!("{}.sql", m.name)).collect();
            assert_eq!(files, listed, "{dir}");
        }
    }

    #[test]
    fn a_renumbered_migration_s_old_number_does_nothing_now() {
        for r in POSTGRES_RENUMBERED {
            let now = POSTGRES.iter().find(|m| m.version == r.was).unwrap();
            let statements: Vec<&str> = now
                .sql
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("--"))
                .collect();
            assert_eq!(statements, ["SELECT 1;"]);
            let moved = POSTGRES.iter().find(|m| m.version == r.is).unwrap();
            assert!(moved.sql.contains(&format!("CREATE TABLE {}", r.made)));
        }
    }
}
