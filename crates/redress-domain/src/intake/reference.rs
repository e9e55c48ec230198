//! The reference a contact is known by.

use super::ContactKind;
use serde::{Deserialize, Serialize};

/// A human-friendly reference, e.g. `CMP-2026-000123`: unique per organisation and kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reference(String);

impl Reference {
    pub fn new(kind: ContactKind, year: i16, number: i64) -> Reference {
        Reference(format!("{}-{year}-{number:06}", kind.prefix()))
    }

    /// Accepts any case and surrounding spaces, as people type references.
    pub fn parse(s: &str) -> Option<Reference> {
        let s = s.trim().to_ascii_uppercase();
        let mut parts = s.split('-');
        let (Some(prefix), Some(year), Some(number), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let valid = ContactKind::from_prefix(prefix).is_some()
            && year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && number.len() >= 6
            && number.chars().all(|c| c.is_ascii_digit());
        valid.then_some(Reference(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn from_trusted(s: String) -> Reference {
        Reference(s)
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_loosely_and_format_strictly() {
        assert_eq!(
            Reference::parse(" cmp-2026-000123 ").map(|r| r.to_string()),
            Some("CMP-2026-000123".into())
        );
        assert!(Reference::parse("XYZ-2026-000123").is_none());
        assert!(Reference::parse("CMP-26-000123").is_none());
        assert_eq!(
            Reference::new(ContactKind::Compliment, 2026, 7).as_str(),
            "CPL-2026-000007"
        );
    }
}
