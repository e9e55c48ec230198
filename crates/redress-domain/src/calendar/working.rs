use super::{Division, HolidayTable};
use jiff::civil::{Date, Weekday};
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("the date is outside the range the calendar can count")]
    OutOfRange,
}

/// Monday to Friday, less the division's bank holidays and the organisation's own closure
/// days (complaints.md §4.1).
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    division: Division,
    holidays: Arc<HolidayTable>,
    closures: Arc<BTreeSet<Date>>,
}

impl WorkingCalendar {
    pub fn new(division: Division, holidays: Arc<HolidayTable>, closures: BTreeSet<Date>) -> Self {
        Self {
            division,
            holidays,
            closures: Arc::new(closures),
        }
    }

    /// The shipped holidays and no closure days.
    pub fn standard(division: Division) -> Self {
        Self::new(
            division,
            Arc::new(HolidayTable::built_in().clone()),
            BTreeSet::new(),
        )
    }

    pub fn division(&self) -> Division {
        self.division
    }

    pub fn holidays(&self) -> &HolidayTable {
        &self.holidays
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.closures.contains(&date)
            && !self.holidays.is_holiday(self.division, date)
    }

    /// "Within N working days of D": D is day 0 whatever it is; the answer is the Nth
    /// working day after it. With N = 0 the answer is D itself.
    pub fn add_working_days(&self, from: Date, days: u32) -> Result<Date, CalendarError> {
        let mut date = from;
        let mut left = days;
        while left > 0 {
            date = date.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is
    /// earlier. "3" means three working days are left before the deadline is reached.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let (start, end, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut count = 0i64;
        let mut date = start;
        while date < end {
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
            if self.is_working_day(date) {
                count += 1;
            }
        }
        sign * count
    }

    /// Working days left before `due`, seen on `today`: 0 on the day itself, negative once
    /// it has passed. A deadline that passed counts as at least one day overdue, so a
    /// Friday deadline seen on Saturday is overdue, never "due today".
    pub fn working_days_left(&self, today: Date, due: Date) -> i64 {
        let left = self.working_days_between(today, due);
        if due < today { left.min(-1) } else { left }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn ew() -> WorkingCalendar {
        WorkingCalendar::standard(Division::EnglandAndWales)
    }

    #[test]
    fn a_deadline_passed_on_friday_is_overdue_on_saturday_not_due_today() {
        // Friday 4 December 2026; Saturday 5th; Monday 7th.
        let friday = date(2026, 12, 4);
        assert_eq!(ew().working_days_left(friday, friday), 0);
        assert_eq!(ew().working_days_left(date(2026, 12, 5), friday), -1);
        assert_eq!(ew().working_days_left(date(2026, 12, 7), friday), -1);
        assert_eq!(ew().working_days_left(date(2026, 12, 8), friday), -2);
        assert_eq!(
            ew().working_days_left(date(2026, 12, 5), date(2026, 12, 7)),
            1
        );
    }

    #[test]
    fn worked_example_from_the_rules() {
        // Received Friday 20 December 2024: 23, 24, 27, 30, 31 December.
        assert_eq!(
            ew().add_working_days(date(2024, 12, 20), 5),
            Ok(date(2024, 12, 31))
        );
    }

    #[test]
    fn day_zero_is_the_start_whatever_it_is() {
        assert_eq!(
            ew().add_working_days(date(2024, 12, 25), 0),
            Ok(date(2024, 12, 25))
        );
        // Received on Christmas Day: the next working day is Friday 27th.
        assert_eq!(
            ew().add_working_days(date(2024, 12, 25), 1),
            Ok(date(2024, 12, 27))
        );
    }

    #[test]
    fn divisions_give_different_answers() {
        // St Andrew's Day substitute Monday 2 December 2024 counts only outside Scotland.
        let from = date(2024, 11, 29);
        assert_eq!(ew().add_working_days(from, 1), Ok(date(2024, 12, 2)));
        let scotland = WorkingCalendar::standard(Division::Scotland);
        assert_eq!(scotland.add_working_days(from, 1), Ok(date(2024, 12, 3)));
        // 2nd January is a holiday only in Scotland.
        let ni = WorkingCalendar::standard(Division::NorthernIreland);
        assert_eq!(
            scotland.add_working_days(date(2025, 12, 31), 1),
            Ok(date(2026, 1, 5))
        );
        assert_eq!(
            ni.add_working_days(date(2025, 12, 31), 1),
            Ok(date(2026, 1, 2))
        );
        // St Patrick's Day 2026 (Tuesday) only in Northern Ireland.
        assert_eq!(
            ni.add_working_days(date(2026, 3, 16), 1),
            Ok(date(2026, 3, 18))
        );
        assert_eq!(
            ew().add_working_days(date(2026, 3, 16), 1),
            Ok(date(2026, 3, 17))
        );
    }

    #[test]
    fn one_off_and_projected_days_are_skipped() {
        // Friday 5 May 2023, then the coronation Monday.
        assert_eq!(
            ew().add_working_days(date(2023, 5, 5), 1),
            Ok(date(2023, 5, 9))
        );
        // January 2030 is projected: 1 January is a Tuesday holiday.
        assert_eq!(
            ew().add_working_days(date(2029, 12, 31), 1),
            Ok(date(2030, 1, 2))
        );
        // Christmas 2032 falls on a Saturday: Monday 27 and Tuesday 28 are holidays.
        assert_eq!(
            ew().add_working_days(date(2032, 12, 24), 1),
            Ok(date(2032, 12, 29))
        );
    }

    #[test]
    fn closure_days_count_as_non_working() {
        let cal = WorkingCalendar::new(
            Division::EnglandAndWales,
            Arc::new(HolidayTable::built_in().clone()),
            [date(2024, 12, 23)].into_iter().collect(),
        );
        assert_eq!(
            cal.add_working_days(date(2024, 12, 20), 1),
            Ok(date(2024, 12, 24))
        );
    }

    #[test]
    fn days_between_signs() {
        assert_eq!(
            ew().working_days_between(date(2024, 12, 20), date(2024, 12, 31)),
            5
        );
        assert_eq!(
            ew().working_days_between(date(2024, 12, 31), date(2024, 12, 20)),
            -5
        );
        assert_eq!(
            ew().working_days_between(date(2024, 12, 20), date(2024, 12, 20)),
            0
        );
    }

    fn naive(cal: &WorkingCalendar, from: Date, n: u32) -> Date {
        // An independent count: walk one calendar day at a time with a running tally.
        let mut seen = 0;
        let mut offset = 0i64;
        loop {
            if seen == n {
                return from
                    .checked_add(jiff::Span::new().days(offset))
                    .unwrap_or(from);
            }
            offset += 1;
            let d = from
                .checked_add(jiff::Span::new().days(offset))
                .unwrap_or(from);
            let weekday = d.weekday().to_monday_one_offset();
            let listed = cal.holidays().holiday(cal.division(), d).is_some();
            if weekday <= 5 && !listed {
                seen += 1;
            }
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i64..(365 * 25)).prop_map(|n| {
            date(2012, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap_or(date(2012, 1, 1))
        })
    }

    fn any_division() -> impl Strategy<Value = Division> {
        prop::sample::select(Division::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn result_is_a_working_day(div in any_division(), from in any_date(), n in 1u32..80) {
            let cal = WorkingCalendar::standard(div);
            let d = cal.add_working_days(from, n);
            prop_assert!(d.is_ok_and(|d| cal.is_working_day(d) && d > from));
        }

        #[test]
        fn monotonic_in_days(div in any_division(), from in any_date(), n in 0u32..60) {
            let cal = WorkingCalendar::standard(div);
            prop_assert!(cal.add_working_days(from, n).ok() < cal.add_working_days(from, n + 1).ok());
        }

        #[test]
        fn monotonic_in_start(div in any_division(), from in any_date(), n in 0u32..60) {
            let cal = WorkingCalendar::standard(div);
            let next = from.tomorrow().unwrap_or(from);
            prop_assert!(cal.add_working_days(from, n).ok() <= cal.add_working_days(next, n).ok());
        }

        #[test]
        fn agrees_with_naive_count(div in any_division(), from in any_date(), n in 0u32..60) {
            let cal = WorkingCalendar::standard(div);
            prop_assert_eq!(cal.add_working_days(from, n), Ok(naive(&cal, from, n)));
        }

        #[test]
        fn between_inverts_add(div in any_division(), from in any_date(), n in 0u32..60) {
            let cal = WorkingCalendar::standard(div);
            let to = cal.add_working_days(from, n).unwrap_or(from);
            prop_assert_eq!(cal.working_days_between(from, to), i64::from(n));
        }
    }
}
