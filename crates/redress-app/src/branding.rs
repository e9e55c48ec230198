//! The organisation's name, colour and logo as residents and staff see them. Held in
//! memory for page rendering and reloaded from the database after each change.

use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::attachment::FileType;
use redress_domain::branding::{Branding, Logo, parse_colour, parse_name};
use redress_domain::reach::Reach;
use redress_store::AdminChange;

const NAME: &str = "brand:name";
const COLOUR: &str = "brand:colour";
const LOGO: &str = "brand:logo";
const LOGO_TYPE: &str = "brand:logo-type";
/// How residents reach the organisation: `reach:phone`, `reach:email` and so on.
const REACH: &str = "reach:";

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

impl App {
    pub(crate) async fn load_branding(
        store: &redress_store::Store,
        org: &str,
    ) -> Result<Branding, AppError> {
        let logo = match (
            store.setting(org, LOGO).await?,
            store.setting(org, LOGO_TYPE).await?,
        ) {
            (Some(hex), Some(kind)) => match (from_hex(&hex), FileType::parse(&kind)) {
                (Some(bytes), Ok(file_type)) => Some(Logo { file_type, bytes }),
                _ => None,
            },
            _ => None,
        };
        let reach: std::collections::BTreeMap<String, String> = store
            .settings_named(org, REACH)
            .await?
            .into_iter()
            .filter_map(|(k, v)| k.strip_prefix(REACH).map(|k| (k.to_string(), v)))
            .collect();
        let get = |k: &str| reach.get(k).cloned().unwrap_or_default();
        Ok(Branding {
            name: store.setting(org, NAME).await?.filter(|n| !n.is_empty()),
            colour: store.setting(org, COLOUR).await?.filter(|c| !c.is_empty()),
            logo,
            // Stored as the form checked them; read back as they are.
            reach: Reach {
                phone: get("phone"),
                textphone: get("textphone"),
                email: get("email"),
                address: get("address"),
                hours: get("hours"),
                safeguarding_line: get("safeguarding_line"),
                repairs_email: get("repairs_email"),
            },
        })
    }

    /// How residents reach the organisation, as every page and letter shows it.
    pub fn reach(&self) -> Reach {
        self.branding().reach
    }

    /// Saves how residents reach the organisation: each way checked at its field.
    pub async fn set_reach(
        &self,
        who: &crate::access::Principal,
        form: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let reach = Reach::parse(form)?;
        let settings = reach
            .fields()
            .iter()
            .map(|(k, v)| (format!("{REACH}{k}"), v.to_string()))
            .collect();
        self.change(
            who,
            &[AdminChange::Settings(settings)],
            "Changed how residents reach us",
        )
        .await?;
        self.reload_branding().await
    }

    pub fn branding(&self) -> Branding {
        match self.branding.read() {
            Ok(b) => b.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The name on every page and letter.
    pub fn display_name(&self) -> String {
        self.branding()
            .name
            .unwrap_or_else(|| self.organisation.name.clone())
    }

    /// Re-reads branding, so a change made on another instance shows here too.
    pub async fn reload_branding(&self) -> Result<(), AppError> {
        let fresh = Self::load_branding(&self.store, &self.organisation.id).await?;
        match self.branding.write() {
            Ok(mut b) => *b = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }

    /// Saves the name and colour (an empty colour goes back to the standard one).
    pub async fn set_branding(
        &self,
        who: &crate::access::Principal,
        name: &str,
        colour: &str,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let mut errors = FieldErrors::new();
        let name = errors.take("brand_name", parse_name(name));
        let colour = if colour.trim().is_empty() {
            Some(String::new())
        } else {
            errors.take("colour", parse_colour(colour))
        };
        let (Some(name), Some(colour), true) = (name, colour, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        // What is stored now, which another instance may have changed since this one
        // last read it.
        let before = Self::load_branding(&self.store, &self.organisation.id).await?;
        let mut changes = Vec::new();
        if before.name.as_deref().unwrap_or(&self.organisation.name) != name {
            changes.push(format!("name {name}"));
        }
        if before.colour.as_deref().unwrap_or("") != colour {
            changes.push(if colour.is_empty() {
                "the standard colour".to_string()
            } else {
                format!("colour {colour}")
            });
        }
        // Saving what is already there changes nothing, so nothing is logged.
        if !changes.is_empty() {
            let settings = vec![(NAME.to_string(), name), (COLOUR.to_string(), colour)];
            self.change(
                who,
                &[AdminChange::Settings(settings)],
                &format!("Branding: {}", changes.join(", ")),
            )
            .await?;
        }
        self.reload_branding().await
    }

    /// Replaces the logo, or removes it when `logo` is `None`.
    pub async fn set_logo(
        &self,
        who: &crate::access::Principal,
        upload: Option<(&str, &[u8])>,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let (settings, summary) = match upload {
            Some((name, bytes)) => {
                let logo = redress_domain::branding::parse_logo(name, bytes)
                    .map_err(|m| AppError::invalid("logo", m))?;
                (
                    vec![
                        (LOGO.to_string(), to_hex(&logo.bytes)),
                        (LOGO_TYPE.to_string(), logo.file_type.as_str().to_string()),
                    ],
                    "Branding: new logo",
                )
            }
            None => (
                vec![
                    (LOGO.to_string(), String::new()),
                    (LOGO_TYPE.to_string(), String::new()),
                ],
                "Branding: logo removed",
            ),
        };
        self.change(who, &[AdminChange::Settings(settings)], summary)
            .await?;
        self.reload_branding().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let bytes = [0u8, 1, 127, 128, 255];
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
