//! The organisation's limits on what one case may hold and how far back a contact may be
//! dated: safe defaults that an administrator can change, each change recorded.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::role::Permission;
use redress_store::AdminChange;
use std::collections::BTreeMap;

const FILES_PER_CASE: &str = "limits:files-per-case";
const MB_PER_CASE: &str = "limits:mb-per-case";
const RESIDENT_FILES_PER_DAY: &str = "limits:resident-files-per-day";
const RECEIVED_WITHIN_MONTHS: &str = "limits:received-within-months";

/// What one case may hold, and how old a newly recorded contact may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files kept on one case, at most: beyond this, a flood rather than evidence.
    pub files_per_case: usize,
    /// Megabytes of files kept on one case, at most.
    pub mb_per_case: u64,
    /// Files a resident may send to their case in one day.
    pub resident_files_per_day: usize,
    /// A contact recorded by staff or the API may be dated this many months back. A
    /// complaint's time limit is usually a year; staff catching up on post need a margin,
    /// and older history comes in through the import.
    pub received_within_months: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            files_per_case: 30,
            mb_per_case: 60,
            resident_files_per_day: 10,
            received_within_months: 24,
        }
    }
}

/// One limit's name on the form, its key in the settings, what it is called in messages,
/// and the whole numbers it may take.
struct Field {
    form: &'static str,
    key: &'static str,
    what: &'static str,
    range: std::ops::RangeInclusive<u64>,
}

const FIELDS: [Field; 4] = [
    Field {
        form: "files_per_case",
        key: FILES_PER_CASE,
        what: "the files one case may hold",
        range: 1..=500,
    },
    Field {
        form: "mb_per_case",
        key: MB_PER_CASE,
        what: "the megabytes one case may hold",
        range: 10..=2_000,
    },
    Field {
        form: "resident_files_per_day",
        key: RESIDENT_FILES_PER_DAY,
        what: "the files a resident may send in a day",
        range: 1..=100,
    },
    Field {
        form: "received_within_months",
        key: RECEIVED_WITHIN_MONTHS,
        what: "how many months back a contact may be dated",
        // At least the Code's twelve months, at most ten years.
        range: 12..=120,
    },
];

impl Limits {
    /// The limits as form values, for the administrator's page.
    pub fn fields(&self) -> [(&'static str, String); 4] {
        [
            (FIELDS[0].form, self.files_per_case.to_string()),
            (FIELDS[1].form, self.mb_per_case.to_string()),
            (FIELDS[2].form, self.resident_files_per_day.to_string()),
            (FIELDS[3].form, self.received_within_months.to_string()),
        ]
    }

    /// The bytes one case may hold.
    pub fn bytes_per_case(&self) -> u64 {
        self.mb_per_case.saturating_mul(1024 * 1024)
    }

    fn from_values(get: impl Fn(&str) -> Option<u64>) -> Limits {
        let d = Limits::default();
        let read = |i: usize, default: u64| {
            get(FIELDS[i].key)
                .filter(|v| FIELDS[i].range.contains(v))
                .unwrap_or(default)
        };
        Limits {
            files_per_case: usize::try_from(read(0, d.files_per_case as u64))
                .unwrap_or(d.files_per_case),
            mb_per_case: read(1, d.mb_per_case),
            resident_files_per_day: usize::try_from(read(2, d.resident_files_per_day as u64))
                .unwrap_or(d.resident_files_per_day),
            received_within_months: u32::try_from(read(3, u64::from(d.received_within_months)))
                .unwrap_or(d.received_within_months),
        }
    }
}

impl App {
    /// The limits in force, for use cases that have settled who may ask.
    pub(crate) async fn limits(&self) -> Result<Limits, AppError> {
        let stored: BTreeMap<String, String> = self
            .store
            .settings_named(&self.organisation.id, "limits:")
            .await?
            .into_iter()
            .collect();
        Ok(Limits::from_values(|key| {
            stored.get(key).and_then(|v| v.parse().ok())
        }))
    }

    /// The limits in force, for the administrator's page.
    pub async fn limits_for(&self, who: &Principal) -> Result<Limits, AppError> {
        who.require(Permission::Administer)?;
        self.limits().await
    }

    /// Saves the limits from the administrator's form: every field a whole number in its
    /// range, or nothing is saved.
    pub async fn save_limits(
        &self,
        who: &Principal,
        form: &BTreeMap<String, String>,
    ) -> Result<Limits, AppError> {
        who.require(Permission::Administer)?;
        let mut errors = FieldErrors::new();
        let mut values = Vec::with_capacity(FIELDS.len());
        for field in &FIELDS {
            let text = form.get(field.form).map(|v| v.trim()).unwrap_or_default();
            let (low, high) = (field.range.start(), field.range.end());
            match text.parse::<u64>() {
                Ok(n) if field.range.contains(&n) => values.push(n.to_string()),
                _ if text.is_empty() => {
                    errors.add(field.form, format!("Enter {}", field.what));
                    values.push(String::new());
                }
                _ => {
                    errors.add(
                        field.form,
                        format!(
                            "Enter {} as a whole number from {low} to {high}",
                            field.what
                        ),
                    );
                    values.push(String::new());
                }
            }
        }
        errors.into_result()?;
        let changes: Vec<AdminChange> = FIELDS
            .iter()
            .zip(&values)
            .map(|(field, value)| AdminChange::Setting {
                name: field.key,
                value,
            })
            .collect();
        self.change(
            who,
            &changes,
            "Changed the limits on files and on how far back contacts may be dated",
        )
        .await?;
        self.limits().await
    }
}
