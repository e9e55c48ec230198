//! Storage for Redress: one `Store` with an embedded SQLite backend (the default) and a
//! PostgreSQL backend for organisations that run several instances. The backend is chosen by
//! the database URL. Both run the same statements where the dialects agree (in `sql`, one
//! file per aggregate); the few that differ (search, transaction start, migration locking)
//! live with each backend.

pub mod backup;
mod error;
mod intake;
mod migrations;
mod model;
mod postgres;
mod sqlite;

pub use error::StoreError;
pub use model::{
    ContactFilter, ContactSummary, DueCase, DueFilter, Inserted, LetterChange, MOST_PER_PAGE,
    OpenAction, Page, RestrictedPerson, SessionRecord, StoredLetter, Workload,
};

/// A connected store. Cloning is cheap: it shares the connection pool.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

/// Hands a call to whichever backend the store is.
macro_rules! dispatch {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            Store::Sqlite($s) => $call,
            Store::Postgres($s) => $call,
        }
    };
}

/// Declares public `Store` methods, each handing its call on to the backend's method of the
/// same name with the same arguments, so a method is declared once rather than matched on
/// the backend in a body of its own.
macro_rules! store_api {
    ($(
        $(#[$attr:meta])*
        pub async fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty;
    )*) => {
        impl $crate::Store {
            $(
                $(#[$attr])*
                pub async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match self {
                        $crate::Store::Sqlite(s) => s.$name($($arg),*).await,
                        $crate::Store::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

mod sql;

pub use migrations::SCHEMA_VERSION;
pub use sql::admin_changes::AdminChange;
pub use sql::languages::LanguageCounts;
pub use sql::learning::ImprovementWithCases;
pub use sql::operating::OperatingCounts;
pub use sql::privacy::PersonQuery;
pub use sql::repeats::RepeatQuery;
pub use sql::restrictions::ReviewDue;
pub use sql::scrutiny::meetings::MinutesVersion;
pub use sql::scrutiny::{
    Doer, Figure, HistoryLine, NewLink, ScrutinyChange, ScrutinyFile, SignatureRow, Signed,
};
pub use sql::webhooks::{ClaimedDelivery, DeliveryLine, WebhookAttempt, WebhookEndpoint};

impl Store {
    /// Connects to `sqlite://path` (created if missing) or `postgres://...`, and brings the
    /// schema up to date. Safe when several instances start at once.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("sqlite:") {
            Store::Sqlite(sqlite::SqliteStore::connect(url).await?.with_intake())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::Postgres(postgres::PgStore::connect(url).await?.with_intake())
        } else {
            return Err(StoreError::Config(
                "the database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> Result<usize, StoreError> {
        dispatch!(self, s => s.migrate().await)
    }

    /// Whether the schema is the one this build expects: every migration it knows has run.
    pub async fn schema_current(&self) -> Result<bool, StoreError> {
        dispatch!(self, s => s.schema_current().await)
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.pool.close().await,
        }
    }

    /// The database's own name (PostgreSQL) or file (SQLite), for operators and tests.
    pub async fn database_name(&self) -> Result<String, StoreError> {
        match self {
            Store::Sqlite(s) => Ok(sqlx::query_scalar::<_, String>(
                "SELECT file FROM pragma_database_list WHERE name = 'main'",
            )
            .fetch_one(&s.pool)
            .await?),
            Store::Postgres(s) => Ok(sqlx::query_scalar::<_, String>(
                "SELECT current_database()::text",
            )
            .fetch_one(&s.pool)
            .await?),
        }
    }
}
