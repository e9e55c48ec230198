//! `redress backup` and `redress restore`. A SQLite database is copied while the service
//! runs with `VACUUM INTO`, which reads in one transaction: every submission acknowledged
//! before the backup began is in it. A PostgreSQL database is dumped with `pg_dump` when
//! it is installed (and restored with `pg_restore`, see docs/operating.md). Restoring
//! checks the copy first and keeps the database it replaces beside it.

use crate::config::Config;
use anyhow::{Context, Result, bail};
use redress_app::setup::{Inspected, copy_sqlite, inspect_sqlite, sqlite_in_use};
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
    let name = file.display();
    match inspect_sqlite(file).await {
        Inspected::Good { cases, schema } => Ok(Checked { cases, schema }),
        Inspected::NotSqlite => bail!("{name} is not a SQLite database"),
        Inspected::Damaged(said) => bail!("{name} is damaged: {said}"),
        Inspected::NotRedress => bail!("{name} is not a Redress database"),
        Inspected::Newer(schema) => bail!(
            "{name} comes from a newer version of Redress (schema {schema}): restore it with that version"
        ),
    }
}

pub async fn backup(config: &Config, out: &Path) -> Result<()> {
    if out.exists() {
        bail!(
            "{} already exists: choose a new file, so that no backup is overwritten",
            out.display()
        );
    }
    let Some(live) = sqlite_path(&config.database_url) else {
        return pg_dump(&config.database_url, out);
    };
    if !live.is_file() {
        bail!("there is no database at {}", live.display());
    }
    let target = out
        .to_str()
        .context("the backup file's name must be valid UTF-8")?;
    // Opened read-only and never migrated: a backup taken before an upgrade is of the
    // database as the running service left it.
    copy_sqlite(&live, target)
        .await
        .with_context(|| format!("writing {}", out.display()))?;
    let checked = check(out).await?;
    println!(
        "Backed up {} cases to {} ({} bytes). Check it and keep it somewhere other than this machine.",
        checked.cases,
        out.display(),
        std::fs::metadata(out).map(|m| m.len()).unwrap_or(0)
    );
    Ok(())
}

/// A URL's password taken out, so it is passed in the environment rather than on a
/// command line any local user can read. In the URL it is percent-encoded; in the
/// environment libpq takes it as it is, so it is decoded.
fn without_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    // The host starts after the last '@' before the path, as URL parsers read it.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some((userinfo, after)) = rest[..authority_end].rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let host = format!("{after}{}", &rest[authority_end..]);
    match userinfo.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}"),
            Some(percent_decoded(password)),
        ),
        None => (url.to_string(), None),
    }
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// PostgreSQL's own consistent dump, in its custom format for `pg_restore`.
fn pg_dump(url: &str, out: &Path) -> Result<()> {
    let (url, password) = without_password(url);
    let mut command = std::process::Command::new("pg_dump");
    command
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(out)
        .arg(&url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let status = command.status();
    if !matches!(&status, Ok(s) if s.success()) {
        // Nothing half-written is left looking like a backup.
        let _ = std::fs::remove_file(out);
    }
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
    if target.exists() && std::fs::canonicalize(&target).ok() == std::fs::canonicalize(file).ok() {
        bail!(
            "{} is the database itself: restore a copy kept elsewhere",
            file.display()
        );
    }
    // A service still running would go on writing to the file moved aside, and what it
    // acknowledged would be lost.
    if target.exists() && sqlite_in_use(&target).await {
        bail!(
            "{} is in use: stop the service before restoring",
            target.display()
        );
    }
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
    redress_app::setup::Database::connect(&config.database_url)
        .await
        .context("opening the restored database")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            without_password("postgres://redress:s3cret@db.example.org:5432/redress"),
            (
                "postgres://redress@db.example.org:5432/redress".to_string(),
                Some("s3cret".to_string())
            )
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1/redress"),
            ("postgres://postgres@127.0.0.1/redress".to_string(), None)
        );
        // Encoded characters are decoded; an '@' in the password is the userinfo's.
        assert_eq!(
            without_password("postgres://u:p%40ss%2Fw@db:5432/redress?sslmode=require"),
            (
                "postgres://u@db:5432/redress?sslmode=require".to_string(),
                Some("p@ss/w".to_string())
            )
        );
        assert_eq!(
            without_password("postgres://u:p@ss@db/redress")
                .1
                .as_deref(),
            Some("p@ss")
        );
    }
}
