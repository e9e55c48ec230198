//! Fixtures shared by the intake tests: a moment to parse at, and a complaint as typed.

use super::ContactInput;
use jiff::Timestamp;

pub(crate) fn now() -> Timestamp {
    "2024-12-20T10:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn complaint_input() -> ContactInput {
    ContactInput {
        kind: "complaint".into(),
        who: "myself".into(),
        name: "Aled Jones".into(),
        email: "aled@example.org".into(),
        summary: "The repair to my ceiling was booked three times and nobody came.".into(),
        ..Default::default()
    }
}
