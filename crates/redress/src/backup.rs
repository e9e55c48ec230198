//! `redress backup` and `redress restore`. A SQLite database is copied while the service
//! runs with `VACUUM INTO`, which reads in one transaction: every submission acknowledged
//! before the backup began is in it. A PostgreSQL database is dumped with `pg_dump` when
//! it is installed (and restored with `pg_restore`, see docs/operating.md). Restoring
//! checks the copy first and keeps the database it replaces beside it.

use crate::config::Config;
use anyhow::{Context, Result, bail};
use sqlx::Connection;
use std::path::{Path, PathBuf};

/// The SQLite file a `sqlite://` database URL names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// What a backup file holds, once checked: it opens, SQLite finds nothing wrong in it, and
/// it is a Redress database no newer than this build.
struct Checked {
    cases: i64,
    schema: i64,
}

async fn check(file: &Path) -> Result<Checked> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut db = sqlx::SqliteConnection::connect(&url)
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if integrity != "ok" {
        bail!("{} is damaged: {integrity}", file.display());
    }
    let schema: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        .fetch_one(&mut db)
        .await
        .with_context(|| format!("{} is not a Redress database", file.display()))?;
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
        .fetch_one(&mut db)
        .await
        .with_context(|| format!("{} is not a Redress database", file.display()))?;
    db.close().await.ok();
    if schema > redress_store::SCHEMA_VERSION {
        bail!(
            "{} comes from a newer version of Redress (schema {schema}; this one knows {}): restore it with that version",
            file.display(),
            redress_store::SCHEMA_VERSION
        );
    }
    Ok(Checked { cases, schema })
}

pub async fn backup(config: &Config, out: &Path) -> Result<()> {
    if out.exists() {
        bail!(
            "{} already exists: choose a new file, so that no backup is overwritten",
            out.display()
        );
    }
    if sqlite_path(&config.database_url).is_none() {
        return pg_dump(&config.database_url, out);
    }
    let store = redress_store::Store::connect(&config.database_url)
        .await
        .context("connecting to the database")?;
    let target = out
        .to_str()
        .context("the backup file's name must be valid UTF-8")?;
    store
        .backup_into(target)
        .await
        .with_context(|| format!("writing {}", out.display()))?;
    store.close().await;
    let checked = check(out).await?;
    println!(
        "Backed up {} cases to {} ({} bytes). Check it and keep it somewhere other than this machine.",
        checked.cases,
        out.display(),
        std::fs::metadata(out).map(|m| m.len()).unwrap_or(0)
    );
    Ok(())
}

/// PostgreSQL's own consistent dump, in its custom format for `pg_restore`.
fn pg_dump(url: &str, out: &Path) -> Result<()> {
    let status = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(out)
        .arg(url)
        .status();
    match status {
        Ok(s) if s.success() => {
            println!(
                "Backed up the PostgreSQL database to {} with pg_dump.",
                out.display()
            );
            Ok(())
        }
        Ok(s) => bail!("pg_dump failed ({s})"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "pg_dump is not installed here: install PostgreSQL's client tools, or run \
             pg_dump --format=custom as docs/operating.md describes"
        ),
        Err(e) => Err(e).context("running pg_dump"),
    }
}

pub async fn restore(config: &Config, file: &Path) -> Result<()> {
    let Some(target) = sqlite_path(&config.database_url) else {
        bail!(
            "restore puts back a SQLite backup; restore a PostgreSQL dump with pg_restore, as docs/operating.md describes"
        );
    };
    let checked = check(file).await?;
    // The database being replaced is kept, with its write-ahead log, never deleted.
    let mut kept = None;
    if target.exists() {
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let aside = PathBuf::from(format!("{}.before-restore-{stamp}", target.display()));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", target.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                std::fs::rename(&from, &to)
                    .with_context(|| format!("moving {} aside", from.display()))?;
            }
        }
        kept = Some(aside);
    }
    std::fs::copy(file, &target).with_context(|| format!("writing {}", target.display()))?;
    // An older backup is brought up to this build's schema.
    let store = redress_store::Store::connect(&config.database_url)
        .await
        .context("opening the restored database")?;
    store.close().await;
    println!(
        "Restored {} cases from {} (schema {}).{}",
        checked.cases,
        file.display(),
        checked.schema,
        kept.map(|k| format!(" The database it replaced is kept at {}.", k.display()))
            .unwrap_or_default()
    );
    Ok(())
}
