//! The languages residents are served in: English and Welsh (Cymraeg). A contact records
//! the one its person chose, and every letter, email and page for them follows it.
//!
//! Welsh text writes dates the Welsh way ("6 Rhagfyr 2026"), counts with a singular noun
//! after a number ("10 diwrnod gwaith") and has its own ordinal endings ("1af", "2il").

use crate::choice;

choice!(
    Language, "the language" {
        English = "en": "English",
        Welsh = "cy": "Cymraeg",
    }
);

// `choice!` declares the enum, so no variant can carry `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Language {
    fn default() -> Self {
        Language::English
    }
}

impl Language {
    /// The language a tag or a name means: `cy`, `cy-GB`, "Welsh" and "Cymraeg" are Welsh.
    pub fn from_words(s: &str) -> Option<Language> {
        let s = s.trim().to_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "cy" | "welsh" | "cymraeg" => Some(Language::Welsh),
            "en" | "english" | "saesneg" => Some(Language::English),
            _ => None,
        }
    }

    /// A date as people read it in this language: "7 March 2025", "7 Mawrth 2025".
    pub fn long_date(self, d: jiff::civil::Date) -> String {
        match self {
            Language::English => crate::calendar::long_date(d),
            Language::Welsh => welsh_long_date(d),
        }
    }

    /// The other language, for the link that switches between them.
    pub fn other(self) -> Language {
        match self {
            Language::English => Language::Welsh,
            Language::Welsh => Language::English,
        }
    }
}

const WELSH_MONTHS: [&str; 12] = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
];

/// A date as the Welsh Government writes it: "6 Rhagfyr 2026".
pub fn welsh_long_date(d: jiff::civil::Date) -> String {
    let month = usize::try_from(d.month() - 1)
        .ok()
        .and_then(|m| WELSH_MONTHS.get(m))
        .copied()
        .unwrap_or_default();
    format!("{} {} {}", d.day(), month, d.year())
}

/// A number's Welsh ordinal as written with figures: 1af, 2il, 3ydd, 5ed, 7fed, 11eg,
/// 21ain. The endings follow the spoken forms (cyntaf, ail, trydydd, pumed, seithfed,
/// unfed ar ddeg, unfed ar hugain), which count in twenties.
pub fn welsh_ordinal(n: u32) -> String {
    let ending = match n {
        1 => "af",
        2 => "il",
        3 | 4 => "ydd",
        5 | 6 => "ed",
        11 | 13 | 14 | 16 | 17 | 19 => "eg",
        21..=39 => "ain",
        _ => "fed",
    };
    format!("{n}{ending}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_are_written_the_welsh_way() {
        assert_eq!(welsh_long_date(date(2026, 12, 6)), "6 Rhagfyr 2026");
        assert_eq!(welsh_long_date(date(2027, 2, 1)), "1 Chwefror 2027");
        assert_eq!(
            Language::Welsh.long_date(date(2026, 7, 30)),
            "30 Gorffennaf 2026"
        );
        assert_eq!(
            Language::English.long_date(date(2026, 7, 30)),
            "30 July 2026"
        );
    }

    #[test]
    fn ordinals_take_their_welsh_endings() {
        let written: Vec<String> = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 18, 20, 21, 31]
            .into_iter()
            .map(welsh_ordinal)
            .collect();
        assert_eq!(
            written,
            [
                "1af", "2il", "3ydd", "4ydd", "5ed", "6ed", "7fed", "8fed", "10fed", "11eg",
                "12fed", "13eg", "15fed", "18fed", "20fed", "21ain", "31ain"
            ]
        );
    }

    #[test]
    fn languages_are_known_by_tag_and_name() {
        assert_eq!(Language::from_words("cy-GB"), Some(Language::Welsh));
        assert_eq!(Language::from_words(" Cymraeg "), Some(Language::Welsh));
        assert_eq!(Language::from_words("Welsh"), Some(Language::Welsh));
        assert_eq!(Language::from_words("en"), Some(Language::English));
        assert_eq!(Language::from_words("Polish"), None);
        assert_eq!(Language::parse("cy"), Ok(Language::Welsh));
        assert_eq!(Language::Welsh.other(), Language::English);
    }
}
