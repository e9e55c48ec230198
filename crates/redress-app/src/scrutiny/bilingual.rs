//! The values a letter to a requester is filled with, in each language it may be written
//! in: most are the same in both; explanations and dates are not.

use redress_domain::language::Language;
use std::collections::BTreeMap;

type Map = BTreeMap<&'static str, String>;

#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    english: Map,
    welsh: Map,
}

impl Values {
    /// A value the same in both languages: a name, a reference, reasons as written.
    pub(crate) fn both(&mut self, key: &'static str, value: String) {
        self.english.insert(key, value.clone());
        self.welsh.insert(key, value);
    }

    /// A value written differently in each language.
    pub(crate) fn each(&mut self, key: &'static str, english: String, welsh: String) {
        self.english.insert(key, english);
        self.welsh.insert(key, welsh);
    }

    /// A date, written the way each language writes dates.
    pub(crate) fn date(&mut self, key: &'static str, d: Option<jiff::civil::Date>) {
        self.each(
            key,
            d.map(|d| Language::English.long_date(d))
                .unwrap_or_default(),
            d.map(|d| Language::Welsh.long_date(d)).unwrap_or_default(),
        );
    }

    /// Adds the same values to both languages (the signature block, say).
    pub(crate) fn extend(&mut self, values: Map) {
        for (k, v) in values {
            self.both(k, v);
        }
    }

    pub(crate) fn get(&self, language: Language) -> Map {
        match language {
            Language::English => self.english.clone(),
            Language::Welsh => self.welsh.clone(),
        }
    }
}
