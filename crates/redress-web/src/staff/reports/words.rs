//! The words of a report's tables in the language it is read in. Staff read their reports
//! in English; the published annual report is read by the public in English or Welsh, so
//! every label comes from the message files (`report-…`).

use redress_domain::language::Language;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Words(pub(crate) Language);

impl Words {
    pub(crate) const ENGLISH: Words = Words(Language::English);

    /// A label.
    pub(crate) fn t(self, key: &str) -> String {
        crate::i18n::message(self.0, key, &[])
    }

    /// A label with values filled in.
    pub(crate) fn tf(self, key: &str, args: &[(&str, String)]) -> String {
        crate::i18n::message(self.0, key, args)
    }

    /// A choice's label (`report-<list>-<value>`); a value no longer offered shows as
    /// stored rather than as a missing key.
    pub(crate) fn choice(self, list: &str, value: &str) -> String {
        let key = format!("report-{list}-{value}");
        if crate::i18n::has(self.0, &key) {
            self.t(&key)
        } else {
            value.to_string()
        }
    }

    /// A share in per cent, or `none` ("no responses", "no answers") when nothing counted.
    pub(crate) fn pct(self, v: Option<f64>, none: &str) -> String {
        match v {
            Some(p) => format!("{p:.1}%"),
            None => self.t(none),
        }
    }

    /// "8 of 10".
    pub(crate) fn of(self, part: u32, whole: u32) -> String {
        self.tf(
            "report-of",
            &[("part", part.to_string()), ("whole", whole.to_string())],
        )
    }
}
