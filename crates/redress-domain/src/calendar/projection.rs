//! The standing rules for UK bank holidays, used for years beyond the published list.
//! One-off days (jubilees, a state funeral, a coronation) cannot be foreseen, which is why
//! projected days are marked and a newer GOV.UK file can be imported over them.

use super::Division;
use jiff::civil::{Date, Weekday};
use std::collections::BTreeSet;

/// Western Easter Sunday by the anonymous Gregorian computus.
pub(crate) fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Fixed-date holidays that fall on a weekend (or on a day already taken by an earlier
/// one in the group, as Boxing Day after a Saturday Christmas) move to the next free weekday.
fn with_substitutes(fixed: &[(&'static str, Date)]) -> Vec<(&'static str, Date, bool)> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    for &(title, date) in fixed {
        let mut d = date;
        while is_weekend(d) || taken.contains(&d) {
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        taken.insert(d);
        out.push((title, d, d != date));
    }
    out
}

/// Holidays for `year` in `division` by the standing rules: `(title, date, substitute)`.
pub(crate) fn standard_holidays(division: Division, year: i16) -> Vec<(&'static str, Date, bool)> {
    let mut out = Vec::new();
    let (Ok(jan1), Ok(jan2), Ok(may1), Ok(aug1)) = (
        Date::new(year, 1, 1),
        Date::new(year, 1, 2),
        Date::new(year, 5, 1),
        Date::new(year, 8, 1),
    ) else {
        return out;
    };
    let mut new_year = vec![("New Year’s Day", jan1)];
    if division == Division::Scotland {
        new_year.push(("2nd January", jan2));
    }
    out.extend(with_substitutes(&new_year));
    if division == Division::NorthernIreland
        && let Ok(d) = Date::new(year, 3, 17)
    {
        out.extend(with_substitutes(&[("St Patrick’s Day", d)]));
    }
    if let Some(easter) = easter_sunday(year) {
        if let Ok(d) = easter.yesterday().and_then(|d| d.yesterday()) {
            out.push(("Good Friday", d, false));
        }
        if division != Division::Scotland
            && let Ok(d) = easter.tomorrow()
        {
            out.push(("Easter Monday", d, false));
        }
    }
    if let Ok(d) = may1.nth_weekday_of_month(1, Weekday::Monday) {
        out.push(("Early May bank holiday", d, false));
    }
    if let Ok(d) = may1.nth_weekday_of_month(-1, Weekday::Monday) {
        out.push(("Spring bank holiday", d, false));
    }
    if division == Division::NorthernIreland
        && let Ok(d) = Date::new(year, 7, 12)
    {
        out.extend(with_substitutes(&[(
            "Battle of the Boyne (Orangemen’s Day)",
            d,
        )]));
    }
    let summer = if division == Division::Scotland {
        aug1.nth_weekday_of_month(1, Weekday::Monday)
    } else {
        aug1.nth_weekday_of_month(-1, Weekday::Monday)
    };
    if let Ok(d) = summer {
        out.push(("Summer bank holiday", d, false));
    }
    if division == Division::Scotland
        && let Ok(d) = Date::new(year, 11, 30)
    {
        out.extend(with_substitutes(&[("St Andrew’s Day", d)]));
    }
    if let (Ok(christmas), Ok(boxing)) = (Date::new(year, 12, 25), Date::new(year, 12, 26)) {
        out.extend(with_substitutes(&[
            ("Christmas Day", christmas),
            ("Boxing Day", boxing),
        ]));
    }
    out.sort_by_key(|(_, d, _)| *d);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2024), Some(date(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(date(2025, 4, 20)));
        assert_eq!(easter_sunday(2030), Some(date(2030, 4, 21)));
        assert_eq!(easter_sunday(2038), Some(date(2038, 4, 25)));
    }

    #[test]
    fn christmas_on_saturday_moves_both_days() {
        let days: Vec<Date> = standard_holidays(Division::EnglandAndWales, 2032)
            .into_iter()
            .filter(|(_, d, _)| d.month() == 12)
            .map(|(_, d, _)| d)
            .collect();
        assert_eq!(days, vec![date(2032, 12, 27), date(2032, 12, 28)]);
    }
}
