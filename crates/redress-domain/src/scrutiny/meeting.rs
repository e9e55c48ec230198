//! The Customer Scrutiny Team's meetings, and which one a ready request goes to.

use crate::FieldErrors;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub on: Date,
    /// Start time as typed, for example 18:30.
    pub time: String,
    pub place: Text,
    pub cancelled: bool,
}

impl Meeting {
    pub fn parse(
        id: String,
        on: &str,
        time: &str,
        place: &str,
        today: Date,
    ) -> Result<Meeting, FieldErrors> {
        let mut e = FieldErrors::new();
        let on: Option<Date> = match on.trim().parse() {
            Ok(d) if d <= today => {
                e.add("on", "A meeting is scheduled for a day after today");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                e.add("on", "Enter the meeting date, like 2027-01-14");
                None
            }
        };
        let time = time.trim();
        let valid_time = time.len() == 5
            && time.as_bytes()[2] == b':'
            && matches!(time[..2].parse::<u8>(), Ok(h) if h < 24)
            && matches!(time[3..].parse::<u8>(), Ok(m) if m < 60);
        if !valid_time {
            e.add(
                "time",
                "Enter the start time on the 24-hour clock, like 18:30",
            );
        }
        let place = e.take("place", Text::parse(place, "where the meeting is", 200));
        match (on, place) {
            (Some(on), Some(place)) if e.is_empty() => Ok(Meeting {
                id,
                on,
                time: time.to_string(),
                place,
                cancelled: false,
            }),
            _ => Err(e),
        }
    }
}

/// What a meeting's minutes record: who attended, who sent apologies, and what was
/// discussed and decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    pub attended: Vec<String>,
    pub apologies: Vec<String>,
    pub text: Text,
}

impl Minutes {
    /// Reads the minutes form: names one per line (or separated by commas). Minutes are
    /// for a meeting that has taken place and was not cancelled.
    pub fn parse(
        meeting: &Meeting,
        attended: &str,
        apologies: &str,
        text: &str,
        today: Date,
    ) -> Result<Minutes, FieldErrors> {
        let mut e = FieldErrors::new();
        if meeting.cancelled {
            e.add(
                "minutes",
                "This meeting was cancelled: there are no minutes to keep",
            );
        } else if meeting.on > today {
            e.add(
                "minutes",
                "Minutes can be recorded once the meeting has taken place",
            );
        }
        let attended = e.take("attended", names(attended, "who attended"));
        if attended.as_ref().is_some_and(Vec::is_empty) {
            e.add("attended", "Enter who attended, one name per line");
        }
        let apologies = e.take("apologies", names(apologies, "who sent apologies"));
        let text = e.take("minutes", Text::parse(text, "the minutes", 20_000));
        match (attended, apologies, text) {
            (Some(attended), Some(apologies), Some(text)) if e.is_empty() => Ok(Minutes {
                attended,
                apologies,
                text,
            }),
            _ => Err(e),
        }
    }
}

fn names(raw: &str, what: &str) -> Result<Vec<String>, String> {
    raw.split(['\n', ','])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            Text::parse(n, what, 200)
                .map(Text::into_string)
                .map_err(|_| {
                    format!("Enter {what}, one name per line, 200 characters each at most")
                })
        })
        .collect()
}

/// The next scheduled meeting after `day`. A request that becomes ready goes to the
/// meeting after the day it became ready, so members always have its papers beforehand.
pub fn next_after(meetings: &[Meeting], day: Date) -> Option<&Meeting> {
    meetings
        .iter()
        .filter(|m| !m.cancelled && m.on > day)
        .min_by_key(|m| (m.on, m.time.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn meeting(id: &str, on: Date) -> Meeting {
        Meeting {
            id: id.into(),
            on,
            time: "18:00".into(),
            place: Text::from_trusted("Hall".into()),
            cancelled: false,
        }
    }

    #[test]
    fn the_next_meeting_skips_past_same_day_and_cancelled_ones() {
        let mut ms = vec![
            meeting("past", date(2026, 1, 5)),
            meeting("today", date(2026, 2, 1)),
            meeting("later", date(2026, 4, 1)),
            meeting("cancelled", date(2026, 3, 1)),
            meeting("next", date(2026, 3, 15)),
        ];
        ms[3].cancelled = true;
        assert_eq!(
            next_after(&ms, date(2026, 2, 1)).map(|m| m.id.as_str()),
            Some("next")
        );
        assert_eq!(next_after(&ms, date(2026, 4, 1)), None);
    }

    #[test]
    fn minutes_are_for_a_meeting_that_took_place() {
        let m = meeting("m", date(2026, 3, 1));
        let early = Minutes::parse(&m, "Ann", "", "Discussed repairs", date(2026, 2, 1));
        assert!(early.unwrap_err().get("minutes").is_some());
        let none = Minutes::parse(&m, " \n ", "", "Discussed repairs", date(2026, 3, 2));
        assert!(none.unwrap_err().get("attended").is_some());
        let kept = Minutes::parse(
            &m,
            "Ann Parry\nBen Carter, Cai Morris",
            "Dee",
            "Agreed",
            date(2026, 3, 1),
        );
        assert_eq!(
            kept.map(|k| (k.attended.len(), k.apologies)),
            Ok((3, vec!["Dee".to_string()]))
        );
        let mut cancelled = meeting("c", date(2026, 3, 1));
        cancelled.cancelled = true;
        assert!(Minutes::parse(&cancelled, "Ann", "", "x", date(2026, 3, 2)).is_err());
    }

    #[test]
    fn a_meeting_needs_a_future_date_a_time_and_a_place() {
        let e = Meeting::parse("m".into(), "2026-01-01", "7pm", "", date(2026, 2, 1)).unwrap_err();
        for f in ["on", "time", "place"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        assert!(
            Meeting::parse("m".into(), "2026-03-01", "18:30", "Hall", date(2026, 2, 1)).is_ok()
        );
    }

    proptest! {
        #[test]
        fn the_chosen_meeting_is_the_earliest_after_the_day(offsets in proptest::collection::vec(-30i64..60, 0..8), day in 0i64..30) {
            let base = date(2026, 1, 1);
            let ms: Vec<Meeting> = offsets.iter().enumerate()
                .map(|(i, o)| meeting(&i.to_string(), base.checked_add(o.days()).unwrap()))
                .collect();
            let today = base.checked_add(day.days()).unwrap();
            match next_after(&ms, today) {
                Some(m) => {
                    prop_assert!(m.on > today);
                    prop_assert!(ms.iter().all(|o| o.on <= today || o.on >= m.on));
                }
                None => prop_assert!(ms.iter().all(|o| o.on <= today)),
            }
        }
    }
}
