//! Personal data over a case's life: how long it is kept, erasing it while the figures
//! survive, redacting one note or file, and case studies with nobody identifiable in them.
//!
//! Retention and subject access are here; erasing is in `erasure`, redacting in
//! `redaction`, and case studies in `case_study`.

mod case_study;
mod erasure;
mod redaction;
#[cfg(test)]
mod test_support;

pub use case_study::case_study;
pub use erasure::erase_event;
pub use redaction::{may_quote_redacted, redact_event};

use crate::intake::ContactKind;
use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::{Deserialize, Serialize};

/// What erased free text reads as afterwards.
pub const ERASED: &str = "[erased]";
/// What a redacted passage reads as afterwards; a note's own rule, named here too for the history.
pub use crate::case::REDACTED;
/// Common practice rather than law: six years after closure, the limitation period for
/// most claims a complaint could turn into.
pub const DEFAULT_RETENTION_YEARS: u8 = 6;
/// Subject access requests are answered within one calendar month (extendable by two).
pub const SUBJECT_ACCESS_MONTHS: i8 = 1;

/// Years after closure that each kind of contact keeps its personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    pub years: Vec<(ContactKind, u8)>,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            years: ContactKind::ALL
                .iter()
                .map(|k| (*k, DEFAULT_RETENTION_YEARS))
                .collect(),
        }
    }
}

impl RetentionPolicy {
    pub fn years_for(&self, kind: ContactKind) -> u8 {
        self.years
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, y)| *y)
            .unwrap_or(DEFAULT_RETENTION_YEARS)
    }

    pub fn set(&mut self, kind: ContactKind, years: u8) {
        match self.years.iter_mut().find(|(k, _)| *k == kind) {
            Some(entry) => entry.1 = years,
            None => self.years.push((kind, years)),
        }
    }

    /// Cases of this kind closed before the returned date are due for erasure today.
    pub fn closed_before(&self, kind: ContactKind, today: Date) -> Date {
        let years = i16::from(self.years_for(kind));
        today.checked_sub(years.years()).unwrap_or(Date::MIN)
    }

    /// Reads the number of years typed into the settings form.
    pub fn parse_years(raw: &str) -> Result<u8, String> {
        match raw.trim().parse::<u8>() {
            Ok(y) if (1..=100).contains(&y) => Ok(y),
            _ => Err("Enter a whole number of years between 1 and 100".into()),
        }
    }
}

/// When a subject access request received on `received` must be answered.
pub fn subject_access_due(received: Date) -> Date {
    received
        .checked_add(Span::new().months(SUBJECT_ACCESS_MONTHS))
        .unwrap_or(received)
}

/// What a redaction takes away, read before it is applied: the words to take out of the
/// history too, and the file whose bytes go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Removed {
    pub texts: Vec<String>,
    pub file: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn retention_counts_years_from_closure() {
        let mut p = RetentionPolicy::default();
        assert_eq!(
            p.closed_before(ContactKind::Complaint, date(2031, 4, 1)),
            date(2025, 4, 1)
        );
        p.set(ContactKind::Compliment, 2);
        assert_eq!(
            p.closed_before(ContactKind::Compliment, date(2031, 4, 1)),
            date(2029, 4, 1)
        );
        assert!(RetentionPolicy::parse_years("0").is_err());
        assert_eq!(RetentionPolicy::parse_years(" 7 "), Ok(7));
        assert_eq!(subject_access_due(date(2026, 1, 31)), date(2026, 2, 28));
    }
}
