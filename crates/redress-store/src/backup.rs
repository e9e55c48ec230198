//! A SQLite database copied, checked and tested for use, file by file: what `redress
//! backup` and `redress restore` need without opening the database as a store (which would
//! migrate it).

use crate::StoreError;
use crate::migrations::SCHEMA_VERSION;
use sqlx::Connection;
use std::path::Path;

/// What a file holds, as a backup to restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inspected {
    NotSqlite,
    /// SQLite's integrity check found this wrong.
    Damaged(String),
    NotRedress,
    /// From a newer Redress than this build: its schema number.
    Newer(i64),
    Good {
        cases: i64,
        schema: i64,
    },
}

async fn open(path: &Path, read_only: bool) -> Result<sqlx::SqliteConnection, sqlx::Error> {
    let mode = if read_only { "?mode=ro" } else { "" };
    sqlx::SqliteConnection::connect(&format!("sqlite://{}{mode}", path.display())).await
}

/// Writes a consistent copy of the database at `live` to `out` (which must not exist),
/// reading it read-only in one transaction (`VACUUM INTO`): every write committed before
/// it began is in the copy.
pub async fn copy_sqlite(live: &Path, out: &str) -> Result<(), StoreError> {
    let mut db = open(live, true).await?;
    sqlx::query("VACUUM INTO ?")
        .bind(out)
        .execute(&mut db)
        .await?;
    db.close().await.ok();
    Ok(())
}

/// Whether `file` is a sound Redress database this build can restore.
pub async fn inspect_sqlite(file: &Path) -> Inspected {
    let Ok(mut db) = open(file, true).await else {
        return Inspected::NotSqlite;
    };
    let inspected = match sqlx::query_scalar::<_, String>("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
    {
        Err(_) => Inspected::NotSqlite,
        Ok(said) if said != "ok" => Inspected::Damaged(said),
        Ok(_) => {
            let schema = sqlx::query_scalar::<_, i64>(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            )
            .fetch_one(&mut db)
            .await;
            let cases = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM contacts")
                .fetch_one(&mut db)
                .await;
            match (schema, cases) {
                (Ok(schema), _) if schema > SCHEMA_VERSION => Inspected::Newer(schema),
                (Ok(schema), Ok(cases)) => Inspected::Good { cases, schema },
                _ => Inspected::NotRedress,
            }
        }
    };
    db.close().await.ok();
    inspected
}

/// Whether something else has the database open (a service still running). In exclusive
/// locking mode the lock is refused while any other connection has it open, even one
/// idle between requests. A file that is not a database is not in use.
pub async fn sqlite_in_use(path: &Path) -> bool {
    let Ok(mut db) = open(path, false).await else {
        return false;
    };
    let mut busy = false;
    for statement in [
        "PRAGMA busy_timeout = 0",
        "PRAGMA locking_mode = EXCLUSIVE",
        "BEGIN EXCLUSIVE",
    ] {
        if let Err(e) = sqlx::query(statement).execute(&mut db).await {
            let said = e.to_string().to_lowercase();
            busy = said.contains("locked") || said.contains("busy");
            break;
        }
    }
    let _ = sqlx::query("ROLLBACK").execute(&mut db).await;
    db.close().await.ok();
    busy
}
