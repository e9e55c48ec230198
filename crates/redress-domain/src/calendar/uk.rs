//! UK local time: every date a resident sees, and every date a clock counts from, is the
//! date in the UK when it happened.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The organisation's local time: every date a resident sees is a UK date.
pub fn uk_time_zone() -> TimeZone {
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

pub fn uk_date(at: Timestamp) -> Date {
    at.to_zoned_datetime(uk_time_zone()).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_late_evening_in_summer_is_already_the_next_day() {
        let at: Timestamp = "2025-06-30T23:30:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(uk_date(at), date(2025, 7, 1));
        let winter: Timestamp = "2025-01-31T23:30:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(uk_date(winter), date(2025, 1, 31));
    }
}
