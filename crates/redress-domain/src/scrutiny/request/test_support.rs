//! Fixtures shared by the request tests: a filled-in form, and a request sent and
//! acknowledged.

use super::*;
use jiff::civil::date;

pub(crate) fn answers() -> RequestAnswers {
    [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.org"),
        ("preferred_contact", "email"),
        ("concerns", "Communal repairs are left for months"),
        ("actions_taken", "Complained twice"),
        ("failures", "Broken door entry since March"),
        ("affected", "Everyone in Oak House"),
        ("resolution", "Fix repairs within the published times"),
        ("signature", "ada  lovelace"),
        ("declaration", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Sent and acknowledged.
pub(crate) fn sent() -> Request {
    let mut r = Request::draft("r1".into(), "CCS-00001".into(), answers());
    let step = r.submit(&answers(), date(2026, 3, 2)).unwrap();
    r.apply(&step, date(2026, 3, 2));
    assert_eq!(
        r.set_route("significant-failure", "", "")
            .unwrap_err()
            .get("route"),
        Some("Acknowledge the request first")
    );
    let step = r.acknowledge(date(2026, 3, 2), date(2026, 3, 2)).unwrap();
    r.apply(&step, date(2026, 3, 2));
    r
}
