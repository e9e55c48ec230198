//! The customer profile that complainants are compared with: the share of the people the
//! organisation serves in each equality group, as it knows them from its own records.

use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::equality::questions;
use std::collections::BTreeMap;

fn key(question: &str, answer: &str) -> String {
    format!("profile:{question}:{answer}")
}

/// The form field for one group's share.
pub fn field(question: &str, answer: &str) -> String {
    format!("profile-{question}-{answer}")
}

impl App {
    /// Percentages by (question, answer); groups not given are absent.
    pub async fn customer_profile(&self) -> Result<BTreeMap<(String, String), f64>, AppError> {
        let mut out = BTreeMap::new();
        for (q, _, answers) in questions() {
            for (a, _) in answers {
                if let Some(v) = self
                    .store
                    .setting(&self.organisation.id, &key(q, a))
                    .await?
                    .and_then(|v| v.parse::<f64>().ok())
                {
                    out.insert((q.to_string(), a.to_string()), v);
                }
            }
        }
        Ok(out)
    }

    /// Saves the profile from the form: each share a percentage, each question's shares
    /// adding up to no more than 100.
    pub async fn set_customer_profile(
        &self,
        who: &crate::access::Principal,
        values: &BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        who.require(redress_domain::role::Permission::Administer)?;
        let mut e = FieldErrors::new();
        let mut parsed = Vec::new();
        for (q, label, answers) in questions() {
            let mut total = 0.0;
            let mut first = None;
            for (a, _) in answers {
                let name = field(q, a);
                first.get_or_insert(name.clone());
                let raw = values.get(&name).map(|v| v.trim()).unwrap_or_default();
                if raw.is_empty() {
                    parsed.push((key(q, a), String::new()));
                    continue;
                }
                match raw.trim_end_matches('%').trim().parse::<f64>() {
                    Ok(v) if (0.0..=100.0).contains(&v) => {
                        total += v;
                        parsed.push((key(q, a), v.to_string()));
                    }
                    _ => e.add(&name, "Enter a percentage from 0 to 100, like 12.5"),
                }
            }
            if total > 100.5 {
                e.add(
                    first.as_deref().unwrap_or(q),
                    format!(
                        "The shares for {} add up to more than 100%",
                        label.to_lowercase()
                    ),
                );
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        self.change(
            who,
            &[redress_store::AdminChange::Settings(parsed)],
            "Customer profile updated",
        )
        .await
    }
}
