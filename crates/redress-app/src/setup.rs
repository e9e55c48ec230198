//! The database before an organisation is loaded: what an operator's command line does to
//! set up (bring the schema up to date, import bank holidays) and how the service opens.

use crate::settings::{ensure_organisation, import_holidays};
use crate::{App, AppError};
use redress_domain::calendar::{Division, HolidayTable};
use redress_store::Store;

/// Copying, checking and restoring a SQLite database file (`redress backup`, `redress
/// restore`): files, not an opened store, so nothing is migrated.
pub use redress_store::backup::{Inspected, copy_sqlite, inspect_sqlite, sqlite_in_use};

/// A connected, migrated database.
#[derive(Debug, Clone)]
pub struct Database {
    store: Store,
}

impl Database {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Database, AppError> {
        Ok(Database {
            store: Store::connect(url).await?,
        })
    }

    /// Which database this is, for messages to the operator.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Adds or corrects whole years of bank holidays from a GOV.UK file.
    pub async fn import_holidays(&self, json: &str) -> Result<usize, AppError> {
        import_holidays(&self.store, json).await
    }

    /// The shipped bank holidays with any imported years laid over them.
    pub async fn holidays(&self) -> Result<HolidayTable, AppError> {
        Ok(HolidayTable::built_in().with_imported(&self.store.imported_holidays().await?))
    }

    /// Opens the service for its organisation, creating the organisation on first start.
    pub async fn open(self, name: &str, division: Division, scheme: &str) -> Result<App, AppError> {
        ensure_organisation(&self.store, name, division, scheme).await?;
        App::load(self.store).await
    }
}
