//! The rules of complaint handling: contacts and their kinds, the people behind them,
//! regulatory schemes and the working-day clocks they run on.
//!
//! Nothing here knows about HTTP, SQL or an async runtime, so every rule can be tested
//! by example and by property without a server.

pub mod assessment;
pub mod attachment;
pub mod benchmark;
pub mod branding;
pub mod calendar;
pub mod case;
mod choice;
pub mod contact;
pub mod equality;
pub mod event;
pub mod field;
pub mod figures;
pub mod hazard;
#[cfg(test)]
mod hostile_input;
pub mod import;
mod intake;
pub mod language;
pub mod learning;
pub mod letter;
pub mod measures;
pub mod organisation;
pub mod person;
pub mod privacy;
pub mod reach;
pub mod recognition;
pub mod remedy;
pub mod restriction;
pub mod role;
pub mod scheme;
pub mod scrutiny;
pub mod survey;
pub mod webhook;

pub use calendar::{Division, Holiday, HolidayTable, WorkingCalendar};
pub use contact::{Channel, Contact, ContactKind, ContactStatus, NewContact, Reference};
pub use field::{FieldErrors, Text};
pub use scheme::{Deadlines, Scheme, Target};
