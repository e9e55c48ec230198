//! The period measures are counted over.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// A reporting period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    pub fn new(from: Date, to: Date) -> Result<Period, String> {
        if to < from {
            return Err("The end of the period must not be before its start".into());
        }
        Ok(Period { from, to })
    }

    /// The financial year 1 April `start_year` to 31 March the year after.
    pub fn financial_year(start_year: i16) -> Result<Period, String> {
        let from = Date::new(start_year, 4, 1).map_err(|e| e.to_string())?;
        let to = Date::new(start_year + 1, 3, 31).map_err(|e| e.to_string())?;
        Ok(Period { from, to })
    }

    /// The financial year a date falls in, by the calendar year it starts in.
    pub fn financial_year_of(d: Date) -> i16 {
        if d.month() >= 4 {
            d.year()
        } else {
            d.year() - 1
        }
    }

    /// "2025/26" for the year starting in April 2025.
    pub fn financial_year_label(start_year: i16) -> String {
        format!("{start_year}/{:02}", (start_year + 1) % 100)
    }

    /// Quarter 1 to 4 of the financial year starting in April `start_year`.
    pub fn quarter(start_year: i16, quarter: u8) -> Result<Period, String> {
        if !(1..=4).contains(&quarter) {
            return Err("A quarter is 1, 2, 3 or 4".into());
        }
        let year = Period::financial_year(start_year)?;
        let from = year
            .from
            .checked_add((i32::from(quarter) * 3 - 3).months())
            .map_err(|e| e.to_string())?;
        let to = from
            .checked_add(3.months())
            .and_then(|d| d.checked_sub(1.day()))
            .map_err(|e| e.to_string())?;
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::round1;
    use jiff::civil::date;

    #[test]
    fn periods_follow_the_financial_year() {
        let y = Period::financial_year(2025).unwrap_or(Period {
            from: Date::MIN,
            to: Date::MIN,
        });
        assert_eq!((y.from, y.to), (date(2025, 4, 1), date(2026, 3, 31)));
        let q4 = Period::quarter(2025, 4).map(|p| (p.from, p.to));
        assert_eq!(q4, Ok((date(2026, 1, 1), date(2026, 3, 31))));
        assert_eq!(Period::financial_year_of(date(2026, 3, 31)), 2025);
        assert_eq!(Period::financial_year_of(date(2026, 4, 1)), 2026);
        assert_eq!(Period::financial_year_label(2099), "2099/00");
        let q1 = Period::quarter(2025, 1).map(|p| (p.from, p.to));
        assert_eq!(q1, Ok((date(2025, 4, 1), date(2025, 6, 30))));
        assert!(Period::quarter(2025, 5).is_err());
        assert!(Period::new(date(2025, 5, 1), date(2025, 4, 1)).is_err());
        assert_eq!(round1(100.0 * 2.0 / 3.0), 66.7);
    }
}
