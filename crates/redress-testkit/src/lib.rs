//! Test-only helpers for Redress: a throwaway database on each backend (SQLite always,
//! PostgreSQL when `REDRESS_TEST_POSTGRES_URL` names a server), and with the `web` feature
//! the router on a fresh organisation ([`web::TestApp`]).
// Test-only code: a failed setup should stop the test where it happened, so unwrap,
// expect and panic are what we want here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use redress_store::Store;
use std::future::Future;
use std::path::PathBuf;

#[cfg(feature = "web")]
pub mod web;

/// The variable naming a PostgreSQL server (any database on it) to run the tests on too.
pub const POSTGRES_URL_VAR: &str = "REDRESS_TEST_POSTGRES_URL";

/// The PostgreSQL server to test on, when `REDRESS_TEST_POSTGRES_URL` is set and not empty.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|u| !u.is_empty())
}

/// A new, empty directory under the system's temporary directory, named from `prefix`.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A throwaway database for one test: a SQLite file in a directory of its own, or a
/// uniquely named PostgreSQL database. [`Database::remove`] deletes it; a failed test
/// leaves it behind to look at.
#[derive(Debug)]
pub struct Database {
    url: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl Database {
    /// A new SQLite database in a new temporary directory (the file is made on connecting).
    pub fn sqlite() -> Database {
        let dir = temp_dir("redress-test");
        Database {
            url: format!("sqlite://{}", dir.join("test.db").display()),
            place: Place::Sqlite { dir },
        }
    }

    /// A new, empty database on the PostgreSQL server `admin_url` names (a URL to any
    /// database on it), made with `CREATE DATABASE`.
    pub async fn postgres(admin_url: &str) -> Database {
        let name = format!("redress_test_{}", uuid::Uuid::now_v7().simple());
        execute(admin_url, format!("CREATE DATABASE {name}")).await;
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(admin_url);
        Database {
            url: format!("{base}/{name}"),
            place: Place::Postgres {
                admin_url: admin_url.to_string(),
                name,
            },
        }
    }

    /// The URL to connect to, as `REDRESS_DATABASE_URL` takes it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A store on this database, migrated.
    pub async fn connect(&self) -> Store {
        Store::connect(&self.url).await.unwrap()
    }

    /// Deletes the database: `DROP DATABASE ... WITH (FORCE)` on PostgreSQL, the directory
    /// on SQLite. Close stores on it first.
    pub async fn remove(self) {
        match self.place {
            Place::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Place::Postgres { admin_url, name } => {
                execute(
                    &admin_url,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )
                .await;
            }
        }
    }
}

async fn execute(admin_url: &str, sql: String) {
    let admin = sqlx::PgPool::connect(admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}

/// Runs `test` with the URL of a new, empty database on each backend in turn: SQLite
/// always, PostgreSQL when `REDRESS_TEST_POSTGRES_URL` is set (saying so on stderr when
/// it is not). Each database is removed after its run.
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let pg = postgres_url();
    if pg.is_none() {
        eprintln!("PostgreSQL skipped: set REDRESS_TEST_POSTGRES_URL to run these tests on it too");
    }
    let sqlite = Database::sqlite();
    test(sqlite.url().to_string()).await;
    sqlite.remove().await;
    if let Some(admin_url) = pg {
        let db = Database::postgres(&admin_url).await;
        test(db.url().to_string()).await;
        db.remove().await;
    }
}

/// Runs `test` on a store over a new, empty (migrated) database on each backend, as
/// [`on_each_database`] chooses them; the store is closed and the database removed after.
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let test = &test;
    on_each_database(|url| async move {
        let store = Store::connect(&url).await.unwrap();
        eprintln!("running on {}", store.backend());
        test(store.clone()).await;
        store.close().await;
    })
    .await;
}
