//! Organisation set-up and calendar data.

use crate::{App, AppError};
use redress_domain::calendar::{Division, HolidayTable};
use redress_domain::letter::{Letter, ombudsman_contact};
use redress_domain::organisation::Organisation;
use redress_domain::scheme::Ombudsman;
use redress_domain::scheme::Scheme;
use redress_domain::{FieldErrors, Text};
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
    // One fixed id, so instances starting together on an empty database create one
    // organisation between them: the second insert fails, and both read the first.
    let org = Organisation {
        id: "organisation".into(),
        name: name.to_string(),
        division,
        default_scheme: scheme.to_string(),
    };
    if let Err(e) = store.create_organisation(&org).await {
        return store.organisation().await?.ok_or(AppError::Store(e));
    }
    Ok(org)
}

/// Reads a GOV.UK bank-holidays JSON file and stores it, replacing the years it covers.
pub async fn import_holidays(store: &Store, json: &str) -> Result<usize, AppError> {
    let events = HolidayTable::parse_govuk(json).map_err(|e| AppError::Setup(e.to_string()))?;
    Ok(store
        .import_holidays(&events, jiff::Timestamp::now())
        .await?)
}

fn ombudsman_setting(o: Ombudsman) -> String {
    format!("ombudsman-contact:{}", o.slug())
}

impl App {
    /// How residents contact an ombudsman, as this organisation words it in letters.
    pub async fn ombudsman_contact(&self, o: Ombudsman) -> Result<String, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, &ombudsman_setting(o))
            .await?
            .unwrap_or_else(|| ombudsman_contact(o).to_string()))
    }

    pub async fn set_ombudsman_contact(
        &self,
        who: &crate::access::Principal,
        o: Ombudsman,
        text: &str,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let text = Text::parse(text, "the contact details", 1_000).map_err(|m| {
            let mut e = FieldErrors::new();
            e.add(o.slug(), m);
            AppError::Invalid(e)
        })?;
        let name = ombudsman_setting(o);
        let change = redress_store::AdminChange::Setting {
            name: &name,
            value: text.as_str(),
        };
        self.change(
            who,
            &[change],
            &format!("Contact details for the {} changed", o.name()),
        )
        .await
    }

    /// Letters are filled with the published contact details; an organisation's own
    /// wording, where it has set one, replaces them.
    pub(crate) async fn localise_letters(&self, letters: &mut [Letter]) -> Result<(), AppError> {
        if letters.is_empty() {
            return Ok(());
        }
        for o in Ombudsman::ALL {
            let own = self.ombudsman_contact(o).await?;
            let published = ombudsman_contact(o);
            if own != published {
                for l in letters.iter_mut() {
                    l.body = l.body.replace(published, &own);
                }
            }
        }
        Ok(())
    }
}
