//! How an organisation signs its letters and checks them: who signs each kind, whether final
//! responses need a second person, and the payment amount above which someone other than
//! its proposer approves it. Read in one query, since every change to a case asks.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::letter::{LetterKind, Sender, Signatory};
use redress_domain::remedy::Pence;
use redress_domain::role::Permission;
use redress_domain::{FieldErrors, Text};
use redress_store::AdminChange;

const SIGNATORY: &str = "letters:signatory";
const FINAL_APPROVAL: &str = "letters:final-response-approval";
const PAYMENT_LIMIT: &str = "payments:second-approval-above";
const WELSH_FIRST: &str = "letters:welsh-first";

/// How letters are signed and checked, and who may approve payments, as an organisation
/// sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterSettings {
    /// Who signs every kind of letter without a signatory of its own.
    pub signatory: Signatory,
    /// Signatories for particular kinds of letter.
    pub by_kind: Vec<(LetterKind, Signatory)>,
    /// Final responses are approved by someone other than who drafted them.
    pub final_response_approval: bool,
    /// Payments above this are approved by someone other than who proposed them.
    pub payment_approval_above: Option<Pence>,
    /// Letters to people who have not said which language they want are in Welsh and
    /// English, Welsh first; otherwise in English, with Welsh for those who ask.
    pub welsh_first: bool,
}

pub(crate) fn signatory_key(kind: LetterKind) -> String {
    format!("{SIGNATORY}:{}", kind.as_str())
}

fn read_signatory(json: Option<String>) -> Option<Signatory> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

impl App {
    async fn setting(&self, key: &str) -> Result<Option<String>, AppError> {
        Ok(self.store.setting(&self.organisation.id, key).await?)
    }

    /// How letters are signed and checked, for the administrator's settings page.
    pub async fn letter_settings_for(&self, who: &Principal) -> Result<LetterSettings, AppError> {
        who.require(Permission::Administer)?;
        self.letter_settings().await
    }

    /// How letters are signed and checked, for use cases that have settled who may ask:
    /// read in one query, since every change to a case asks.
    pub(crate) async fn letter_settings(&self) -> Result<LetterSettings, AppError> {
        let stored: std::collections::BTreeMap<String, String> = self
            .store
            .settings_named(&self.organisation.id, "letters:")
            .await?
            .into_iter()
            .collect();
        let get = |key: &str| stored.get(key).cloned();
        let by_kind = LetterKind::ALL
            .iter()
            .filter_map(|kind| read_signatory(get(&signatory_key(*kind))).map(|s| (*kind, s)))
            .collect();
        Ok(LetterSettings {
            signatory: read_signatory(get(SIGNATORY)).unwrap_or_default(),
            by_kind,
            final_response_approval: get(FINAL_APPROVAL).as_deref() == Some("yes"),
            welsh_first: get(WELSH_FIRST).as_deref() == Some("yes"),
            payment_approval_above: self
                .setting(PAYMENT_LIMIT)
                .await?
                .and_then(|p| p.parse::<i64>().ok())
                .map(Pence),
        })
    }

    /// The values every letter's signature block fills, for letters composed outside
    /// `letter_for` (survey invitations, scrutiny letters).
    pub(crate) async fn signature_values(
        &self,
        kind: LetterKind,
        values: &mut std::collections::BTreeMap<&'static str, String>,
    ) -> Result<(), AppError> {
        let sender = self.sender().await?;
        let signatory = sender.signatory(kind).cloned().unwrap_or_default();
        let lines = [signatory.name.trim(), signatory.job_title.trim()];
        let signature: Vec<&str> = lines.into_iter().filter(|l| !l.is_empty()).collect();
        values.insert("signature", signature.join("\n"));
        values.insert("signatory", signatory.name.clone());
        values.insert("job_title", signatory.job_title.clone());
        values.insert("contact_details", sender.contact_details);
        for (key, value) in redress_domain::letter::contact_placeholders(&sender.reach) {
            values.insert(key, value);
        }
        values.insert("organisation", sender.organisation);
        Ok(())
    }

    /// Who letters are from, for composing them.
    pub(crate) async fn sender(&self) -> Result<Sender, AppError> {
        let s = self.letter_settings().await?;
        let mut signatories: Vec<(Option<LetterKind>, Signatory)> = s
            .by_kind
            .into_iter()
            .map(|(k, sig)| (Some(k), sig))
            .collect();
        signatories.push((None, s.signatory));
        Ok(Sender {
            organisation: self.display_name(),
            contact_details: self.reach().in_a_letter(),
            reach: self.reach(),
            signatories,
            welsh_first: s.welsh_first,
        })
    }

    /// Saves how letters are signed and checked, from the administrator's form: the
    /// default signatory, the final-response signatory, whether final responses need a
    /// second person, and the payment amount (in pounds) above which one does.
    pub async fn save_letter_settings(
        &self,
        who: &Principal,
        form: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let get = |k: &str| {
            form.get(k)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let mut errors = FieldErrors::new();
        let mut short = |field: &'static str, what: &str| -> String {
            match Text::parse_optional(&get(field), what, 200) {
                Ok(t) => t.map(Text::into_string).unwrap_or_default(),
                Err(m) => {
                    errors.add(field, m);
                    String::new()
                }
            }
        };
        let signatory = Signatory {
            name: short("signatory_name", "the name"),
            job_title: short("signatory_title", "the job title"),
        };
        let final_signatory = Signatory {
            name: short("final_name", "the name"),
            job_title: short("final_title", "the job title"),
        };
        let approval = match get("final_approval").as_str() {
            "yes" | "no" => get("final_approval"),
            _ => {
                errors.add("final_approval", "Select yes or no");
                String::new()
            }
        };
        // Welsh on request unless the organisation writes Welsh first.
        let welsh_first = match get("welsh").as_str() {
            "welsh-first" => "yes",
            "" | "on-request" => "",
            _ => {
                errors.add("welsh", "Select when letters are in Welsh");
                ""
            }
        };
        let limit = get("payment_limit");
        let limit = if limit.is_empty() {
            String::new()
        } else {
            match Pence::parse(&limit) {
                Ok(p) => p.0.to_string(),
                Err(m) => {
                    errors.add("payment_limit", m);
                    String::new()
                }
            }
        };
        errors.into_result()?;
        let json = |s: &Signatory| serde_json::to_string(s).unwrap_or_default();
        let (default_json, final_json) = (json(&signatory), json(&final_signatory));
        let final_key = signatory_key(LetterKind::FinalResponse);
        let final_value = if final_signatory == Signatory::default() {
            String::new()
        } else {
            final_json
        };
        let changes = [
            AdminChange::Setting {
                name: SIGNATORY,
                value: &default_json,
            },
            AdminChange::Setting {
                name: &final_key,
                value: &final_value,
            },
            AdminChange::Setting {
                name: FINAL_APPROVAL,
                value: &approval,
            },
            AdminChange::Setting {
                name: PAYMENT_LIMIT,
                value: &limit,
            },
            AdminChange::Setting {
                name: WELSH_FIRST,
                value: welsh_first,
            },
        ];
        self.change(who, &changes, "Changed how letters are signed and approved")
            .await
    }
}
