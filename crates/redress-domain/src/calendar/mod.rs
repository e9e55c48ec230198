//! Working days on the UK bank-holiday calendars (complaints.md §4.1).

mod division;
mod holidays;
mod projection;
mod working;

pub use division::Division;
pub use holidays::{Holiday, HolidayImportError, HolidayTable};
pub use working::{CalendarError, WorkingCalendar};
