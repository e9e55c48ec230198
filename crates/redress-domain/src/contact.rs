//! A contact of any kind, by the paths the other crates have always used: what was received
//! (kinds, channels, the form and its parsing) lives in `intake`, and the recorded contact
//! with its lifecycle in `case`. This module only names them together. Nothing in the
//! domain imports through it, so `case` and `intake` never reach each other through here.

pub use crate::calendar::{uk_date, uk_time_zone};
pub use crate::case::{Contact, ContactError, DeadlineView};
pub use crate::intake::*;
