use super::{Division, projection};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The published list, in GOV.UK's own JSON format, from 2012 on. Kept in the product
/// because the live feed drops old years and old complaints still need their clocks.
const BUILT_IN: &str = include_str!("../../data/bank-holidays.json");

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: Date,
    pub title: String,
    /// True when the day comes from the standing rules rather than a published list.
    pub projected: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HolidayImportError {
    #[error("the file is not valid JSON in the GOV.UK bank holidays format: {0}")]
    Format(String),
    #[error("unknown division '{0}': use england-and-wales, scotland or northern-ireland")]
    UnknownDivision(String),
    #[error("{division} event {index} ('{title}'): '{date}' is not a date in the form YYYY-MM-DD")]
    BadDate {
        division: String,
        index: usize,
        title: String,
        date: String,
    },
    #[error("{division} event {index}: the title is empty")]
    EmptyTitle { division: String, index: usize },
    #[error("the file lists no bank holidays")]
    Empty,
}

#[derive(Deserialize)]
struct FeedDivision {
    events: Vec<FeedEvent>,
}

#[derive(Deserialize)]
struct FeedEvent {
    title: String,
    date: String,
}

/// Bank holidays per division: the published days for the years known, the standing rules
/// for any other year.
#[derive(Debug, Clone, Default)]
pub struct HolidayTable {
    days: BTreeMap<Division, BTreeMap<Date, Holiday>>,
    known_years: BTreeMap<Division, BTreeSet<i16>>,
}

impl HolidayTable {
    /// The list shipped with the product.
    pub fn built_in() -> &'static HolidayTable {
        static TABLE: OnceLock<HolidayTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut table = HolidayTable::default();
            // The shipped file is checked by a test; an empty table would still answer
            // every question by the standing rules.
            if let Ok(events) = HolidayTable::parse_govuk(BUILT_IN) {
                table.replace_years(&events);
            }
            table
        })
    }

    /// Reads the GOV.UK format: `{"england-and-wales": {"division": .., "events":
    /// [{"title", "date", "notes", "bunting"}]}, ...}`.
    pub fn parse_govuk(json: &str) -> Result<Vec<(Division, Holiday)>, HolidayImportError> {
        let feed: BTreeMap<String, FeedDivision> =
            serde_json::from_str(json).map_err(|e| HolidayImportError::Format(e.to_string()))?;
        let mut out = Vec::new();
        for (key, div) in feed {
            let division = Division::parse(&key)
                .map_err(|_| HolidayImportError::UnknownDivision(key.clone()))?;
            for (index, event) in div.events.into_iter().enumerate() {
                let date: Date =
                    event
                        .date
                        .trim()
                        .parse()
                        .map_err(|_| HolidayImportError::BadDate {
                            division: key.clone(),
                            index: index + 1,
                            title: event.title.clone(),
                            date: event.date.clone(),
                        })?;
                let title = event.title.trim().to_string();
                if title.is_empty() {
                    return Err(HolidayImportError::EmptyTitle {
                        division: key.clone(),
                        index: index + 1,
                    });
                }
                out.push((
                    division,
                    Holiday {
                        date,
                        title,
                        projected: false,
                    },
                ));
            }
        }
        if out.is_empty() {
            return Err(HolidayImportError::Empty);
        }
        Ok(out)
    }

    /// A copy of this table where every (division, year) present in `events` is replaced
    /// by those events: an import adds new years and corrects existing ones.
    pub fn with_imported(&self, events: &[(Division, Holiday)]) -> HolidayTable {
        let mut table = self.clone();
        table.replace_years(events);
        table
    }

    fn replace_years(&mut self, events: &[(Division, Holiday)]) {
        let years: BTreeSet<(Division, i16)> =
            events.iter().map(|(d, h)| (*d, h.date.year())).collect();
        for (division, year) in &years {
            let days = self.days.entry(*division).or_default();
            days.retain(|d, _| d.year() != *year);
            self.known_years.entry(*division).or_default().insert(*year);
        }
        for (division, holiday) in events {
            self.days
                .entry(*division)
                .or_default()
                .insert(holiday.date, holiday.clone());
        }
    }

    /// Whether the year's days come from a published list rather than the rules.
    pub fn is_known_year(&self, division: Division, year: i16) -> bool {
        self.known_years
            .get(&division)
            .is_some_and(|years| years.contains(&year))
    }

    pub fn last_known_year(&self, division: Division) -> Option<i16> {
        self.known_years
            .get(&division)
            .and_then(|y| y.iter().next_back().copied())
    }

    pub fn holiday(&self, division: Division, date: Date) -> Option<Holiday> {
        if self.is_known_year(division, date.year()) {
            return self.days.get(&division).and_then(|d| d.get(&date)).cloned();
        }
        projection::standard_holidays(division, date.year())
            .into_iter()
            .find(|(_, d, _)| *d == date)
            .map(|(title, date, _)| Holiday {
                date,
                title: title.to_string(),
                projected: true,
            })
    }

    pub fn is_holiday(&self, division: Division, date: Date) -> bool {
        if self.is_known_year(division, date.year()) {
            return self
                .days
                .get(&division)
                .is_some_and(|d| d.contains_key(&date));
        }
        projection::standard_holidays(division, date.year())
            .iter()
            .any(|(_, d, _)| *d == date)
    }

    pub fn holidays_in_year(&self, division: Division, year: i16) -> Vec<Holiday> {
        if self.is_known_year(division, year) {
            return self
                .days
                .get(&division)
                .map(|days| {
                    days.values()
                        .filter(|h| h.date.year() == year)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
        }
        projection::standard_holidays(division, year)
            .into_iter()
            .map(|(title, date, _)| Holiday {
                date,
                title: title.to_string(),
                projected: true,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn dates(division: Division, year: i16) -> Vec<Date> {
        HolidayTable::built_in()
            .holidays_in_year(division, year)
            .into_iter()
            .map(|h| h.date)
            .collect()
    }

    #[test]
    fn shipped_file_parses_and_covers_2012_on() {
        assert!(HolidayTable::parse_govuk(BUILT_IN).is_ok());
        let table = HolidayTable::built_in();
        for division in Division::ALL {
            for year in 2012..=2027 {
                assert!(table.is_known_year(division, year), "{division} {year}");
            }
        }
    }

    #[test]
    fn one_off_days_are_holidays_everywhere() {
        let table = HolidayTable::built_in();
        for division in Division::ALL {
            for d in [
                date(2012, 6, 5),
                date(2020, 5, 8),
                date(2022, 6, 2),
                date(2022, 6, 3),
                date(2022, 9, 19),
                date(2023, 5, 8),
            ] {
                assert!(table.is_holiday(division, d), "{division} {d}");
            }
            // The moved days are not holidays in those years.
            assert!(!table.is_holiday(division, date(2020, 5, 4)));
            assert!(!table.is_holiday(division, date(2022, 5, 30)));
        }
    }

    #[test]
    fn divisions_differ() {
        let table = HolidayTable::built_in();
        let st_andrew = date(2024, 12, 2); // 30 November 2024 was a Saturday
        assert!(table.is_holiday(Division::Scotland, st_andrew));
        assert!(!table.is_holiday(Division::EnglandAndWales, st_andrew));
        let boyne = date(2025, 7, 14); // 12 July 2025 was a Saturday
        assert!(table.is_holiday(Division::NorthernIreland, boyne));
        assert!(!table.is_holiday(Division::Scotland, boyne));
        assert!(table.is_holiday(Division::Scotland, date(2025, 8, 4)));
        assert!(!table.is_holiday(Division::EnglandAndWales, date(2025, 8, 4)));
        assert!(table.is_holiday(Division::EnglandAndWales, date(2025, 8, 25)));
        assert!(!table.is_holiday(Division::Scotland, date(2025, 4, 21)));
        assert!(table.is_holiday(Division::EnglandAndWales, date(2025, 4, 21)));
    }

    /// The standing rules reproduce every published year that had no one-off change, which
    /// is the evidence that projected years will be right.
    #[test]
    fn rules_reproduce_published_years() {
        for division in Division::ALL {
            for year in 2012..=2027 {
                if [2012, 2020, 2022, 2023].contains(&year) {
                    continue;
                }
                let projected: Vec<Date> = projection::standard_holidays(division, year)
                    .into_iter()
                    .map(|(_, d, _)| d)
                    .collect();
                assert_eq!(projected, dates(division, year), "{division} {year}");
            }
        }
    }

    #[test]
    fn later_years_are_projected_and_marked() {
        let table = HolidayTable::built_in();
        let h = table.holiday(Division::EnglandAndWales, date(2030, 1, 1));
        assert!(h.as_ref().is_some_and(|h| h.projected), "{h:?}");
        // Good Friday 2030 is 19 April.
        assert!(table.is_holiday(Division::EnglandAndWales, date(2030, 4, 19)));
        assert!(table.is_holiday(Division::Scotland, date(2030, 1, 2)));
    }

    #[test]
    fn import_replaces_whole_years_only() {
        let json = r#"{"england-and-wales":{"division":"england-and-wales","events":[
            {"title":"New Year’s Day","date":"2030-01-01","notes":"","bunting":true},
            {"title":"Invented day","date":"2030-06-14","notes":"","bunting":true}]}}"#;
        let events = HolidayTable::parse_govuk(json).unwrap_or_default();
        assert_eq!(events.len(), 2);
        let table = HolidayTable::built_in().with_imported(&events);
        assert!(table.is_holiday(Division::EnglandAndWales, date(2030, 6, 14)));
        assert!(!table.is_holiday(Division::EnglandAndWales, date(2030, 4, 19)));
        assert!(table.is_holiday(Division::Scotland, date(2030, 4, 19)));
        assert!(table.is_holiday(Division::EnglandAndWales, date(2029, 12, 25)));
    }

    #[test]
    fn import_errors_are_specific() {
        assert!(matches!(
            HolidayTable::parse_govuk("{"),
            Err(HolidayImportError::Format(_))
        ));
        assert!(matches!(
            HolidayTable::parse_govuk(r#"{"wales":{"events":[]}}"#),
            Err(HolidayImportError::UnknownDivision(_))
        ));
        assert!(matches!(
            HolidayTable::parse_govuk(
                r#"{"scotland":{"events":[{"title":"x","date":"2030-02-30"}]}}"#
            ),
            Err(HolidayImportError::BadDate { index: 1, .. })
        ));
        assert_eq!(
            HolidayTable::parse_govuk(r#"{"scotland":{"events":[]}}"#),
            Err(HolidayImportError::Empty)
        );
    }
}
