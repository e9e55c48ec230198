//! Organisation set-up and calendar data.

use crate::{App, AppError};
use redress_domain::calendar::{Division, HolidayTable};
use redress_domain::organisation::Organisation;
use redress_domain::scheme::Scheme;
use redress_store::Store;

/// Creates the organisation on first start, so a new installation works at once.
pub async fn ensure_organisation(
    store: &Store,
    name: &str,
    division: Division,
    scheme: &str,
) -> Result<Organisation, AppError> {
    if let Some(org) = store.organisation().await? {
        return Ok(org);
    }
    Scheme::find_built_in(scheme).map_err(|e| AppError::Setup(e.to_string()))?;
    let org = Organisation {
        id: uuid::Uuid::now_v7().to_string(),
        name: name.to_string(),
        division,
        default_scheme: scheme.to_string(),
    };
    store.create_organisation(&org).await?;
    Ok(org)
}

/// Reads a GOV.UK bank-holidays JSON file and stores it, replacing the years it covers.
pub async fn import_holidays(store: &Store, json: &str) -> Result<usize, AppError> {
    let events = HolidayTable::parse_govuk(json).map_err(|e| AppError::Setup(e.to_string()))?;
    Ok(store
        .import_holidays(&events, jiff::Timestamp::now())
        .await?)
}

impl App {
    pub fn holiday_table(&self) -> &HolidayTable {
        &self.holidays
    }
}
