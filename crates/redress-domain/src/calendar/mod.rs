//! Working days on the UK bank-holiday calendars (complaints.md §4.1).

mod division;
mod holidays;
mod projection;
mod uk;
mod working;

pub use division::Division;
pub use holidays::{Holiday, HolidayImportError, HolidayTable};
pub use uk::{uk_date, uk_time_zone};
pub use working::{CalendarError, WorkingCalendar};

/// A moment as people read it, in UK time: "7 March 2025 at 14:05".
pub fn long_date_time(at: jiff::Timestamp) -> String {
    let local = at.to_zoned_datetime(uk_time_zone());
    format!(
        "{} at {}",
        long_date(local.date()),
        local.time().strftime("%H:%M")
    )
}

/// A date as GOV.UK writes it for people: "7 March 2025".
pub fn long_date(d: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::try_from(d.month() - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("");
    format!("{} {month} {}", d.day(), d.year())
}
