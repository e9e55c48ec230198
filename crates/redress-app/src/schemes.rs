//! The organisation's own schemes (complaints.md §4.2): administrators make, copy and edit
//! them on the settings pages or with `redress scheme`, and choose one for each service
//! area. Every save is a new version with its own id (`council-30-day@2`): a case records
//! the version it started under, so no later edit moves its deadlines.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::role::Permission;
use redress_domain::scheme::Scheme;
use redress_store::{AdminChange, StoreError};

/// A scheme as the schemes page lists it.
#[derive(Debug, Clone)]
pub struct SchemeEntry {
    /// The latest version; for the organisation's own, its id is the one without a version,
    /// which is what a service area names.
    pub scheme: Scheme,
    pub built_in: bool,
    /// How many versions have been saved (0 for a built-in scheme).
    pub versions: u32,
    /// The service areas that follow it, by name.
    pub areas: Vec<String>,
}

impl App {
    /// A scheme by id: built in; one version of the organisation's own (`base@2`); or, for
    /// an id without a version, the latest, which is what new cases start under.
    pub async fn find_scheme(&self, id: &str) -> Result<Scheme, AppError> {
        if let Ok(s) = Scheme::find_built_in(id) {
            return Ok(s);
        }
        let own = self.store.custom_schemes(&self.organisation.id).await?;
        if let Some(exact) = own.iter().find(|s| s.id == id) {
            return Ok(exact.clone());
        }
        own.into_iter()
            .filter(|s| Scheme::base_id(&s.id) == id)
            .max_by_key(|s| Scheme::version_of(&s.id))
            .ok_or_else(|| AppError::Setup(format!("the scheme '{id}' is not defined")))
    }

    /// The built-in schemes and the latest version of each of the organisation's own, under
    /// the id a service area names.
    pub(crate) async fn scheme_choices(&self) -> Result<Vec<(Scheme, u32)>, AppError> {
        let mut by_base: std::collections::BTreeMap<String, Vec<Scheme>> = Default::default();
        for s in self.store.custom_schemes(&self.organisation.id).await? {
            by_base
                .entry(Scheme::base_id(&s.id).to_string())
                .or_default()
                .push(s);
        }
        let own = by_base.into_iter().filter_map(|(base, versions)| {
            let count = u32::try_from(versions.len()).unwrap_or(u32::MAX);
            versions
                .into_iter()
                .max_by_key(|s| Scheme::version_of(&s.id))
                .map(|latest| (Scheme { id: base, ..latest }, count))
        });
        Ok(Scheme::built_in()
            .into_iter()
            .map(|s| (s, 0))
            .chain(own)
            .collect())
    }

    /// Every scheme, with the service areas that follow each.
    pub async fn schemes(&self, who: &Principal) -> Result<Vec<SchemeEntry>, AppError> {
        who.require(Permission::Administer)?;
        let areas = self.store.service_areas(&self.organisation.id).await?;
        Ok(self
            .scheme_choices()
            .await?
            .into_iter()
            .map(|(scheme, versions)| SchemeEntry {
                built_in: Scheme::is_built_in_id(&scheme.id),
                areas: areas
                    .iter()
                    .filter(|a| a.scheme == scheme.id)
                    .map(|a| a.name.clone())
                    .collect(),
                scheme,
                versions,
            })
            .collect())
    }

    /// One scheme as the schemes page lists it.
    pub async fn scheme(&self, who: &Principal, id: &str) -> Result<SchemeEntry, AppError> {
        self.schemes(who)
            .await?
            .into_iter()
            .find(|e| e.scheme.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Keeps a new version of one of the organisation's own schemes and returns it under its
    /// versioned id. With `only_new`, a short name already in use is refused rather than
    /// given a new version. Saving what is already the latest version changes nothing.
    pub async fn save_scheme(
        &self,
        who: &Principal,
        scheme: Scheme,
        only_new: bool,
    ) -> Result<Scheme, AppError> {
        who.require(Permission::Administer)?;
        scheme.check().into_result()?;
        let base = Scheme::base_id(&scheme.id).to_string();
        let latest = self
            .store
            .custom_schemes(&self.organisation.id)
            .await?
            .into_iter()
            .filter(|s| Scheme::base_id(&s.id) == base)
            .max_by_key(|s| Scheme::version_of(&s.id));
        if let Some(latest) = latest.as_ref() {
            if only_new {
                return Err(AppError::invalid(
                    "scheme_id",
                    "There is already a scheme with this short name: choose another",
                ));
            }
            let unchanged = Scheme {
                id: latest.id.clone(),
                name: scheme.name.trim().to_string(),
                ..scheme.clone()
            } == *latest;
            if unchanged {
                return Ok(latest.clone());
            }
        }
        let version = latest.map_or(1, |l| Scheme::version_of(&l.id) + 1);
        let saved = Scheme {
            id: format!("{base}@{version}"),
            name: scheme.name.trim().to_string(),
            ..scheme
        };
        let summary = if version == 1 {
            format!("Added the scheme {} ({base})", saved.name)
        } else {
            format!(
                "Scheme {} ({base}) is now version {version}; cases already open keep the \
                 version they started under",
                saved.name
            )
        };
        match self
            .change(who, &[AdminChange::Scheme(&saved)], &summary)
            .await
        {
            Ok(()) => Ok(saved),
            Err(AppError::Store(StoreError::Duplicate(_))) => Err(AppError::invalid(
                "scheme_id",
                "Someone else saved this scheme at the same moment: look at it again and save",
            )),
            Err(e) => Err(e),
        }
    }

    /// Chooses the scheme a service area's new cases follow. Cases already open keep the
    /// deadlines they have.
    pub async fn set_area_scheme(
        &self,
        who: &Principal,
        area_id: &str,
        scheme_id: &str,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let area = self
            .store
            .service_areas(&self.organisation.id)
            .await?
            .into_iter()
            .find(|a| a.id == area_id)
            .ok_or(AppError::NotFound)?;
        let Some((scheme, _)) = self
            .scheme_choices()
            .await?
            .into_iter()
            .find(|(s, _)| s.id == scheme_id)
        else {
            return Err(AppError::invalid(
                &format!("scheme-{area_id}"),
                "Select a scheme from the list",
            ));
        };
        if area.scheme == scheme.id {
            return Ok(());
        }
        let summary = format!(
            "Service area {} now follows {}; cases already open keep their deadlines",
            area.name, scheme.name
        );
        self.change(
            who,
            &[AdminChange::AreaScheme {
                area_id,
                scheme: &scheme.id,
            }],
            &summary,
        )
        .await
    }
}
