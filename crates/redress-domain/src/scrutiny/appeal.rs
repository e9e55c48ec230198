//! Appeals against the Customer Scrutiny Team's decision: in writing within 28 calendar
//! days of the decision being sent, considered by a panel of 4 to 6 Link Group members
//! whose decision is final.

use crate::calendar::long_date;
use jiff::ToSpan;
use jiff::civil::Date;

pub const WINDOW_DAYS: i64 = 28;
pub const PANEL_MIN: usize = 4;
pub const PANEL_MAX: usize = 6;

/// The last day an appeal can arrive. Calendar days, not working days: the window is the
/// scrutiny process's own and is counted as residents would count it.
pub fn deadline(sent_on: Date) -> Option<Date> {
    sent_on.checked_add(WINDOW_DAYS.days()).ok()
}

pub fn check_in_time(sent_on: Date, received_on: Date) -> Result<(), String> {
    if received_on < sent_on {
        return Err("The appeal cannot be received before the decision was sent".into());
    }
    match deadline(sent_on) {
        Some(last) if received_on <= last => Ok(()),
        Some(last) => Err(format!(
            "Appeals must be received within {WINDOW_DAYS} days of the decision being sent: the last day was {}",
            long_date(last)
        )),
        None => Err("The date is out of range".into()),
    }
}

/// The panel's members, one per line (or separated by commas): 4 to 6 different people.
pub fn parse_panel(raw: &str) -> Result<Vec<String>, String> {
    let mut members: Vec<String> = Vec::new();
    for name in raw
        .split(['\n', ','])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(
                "Enter each member's name on its own line, in 200 characters or fewer".into(),
            );
        }
        if members.iter().any(|m| m.eq_ignore_ascii_case(name)) {
            return Err(format!("{name} is named twice: each member sits once"));
        }
        members.push(name.to_string());
    }
    if !(PANEL_MIN..=PANEL_MAX).contains(&members.len()) {
        return Err(format!(
            "An appeal panel has {PANEL_MIN} to {PANEL_MAX} Link Group members (you entered {})",
            members.len()
        ));
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn the_window_counts_calendar_days_across_months() {
        assert_eq!(deadline(date(2026, 12, 10)), Some(date(2027, 1, 7)));
        assert!(check_in_time(date(2026, 2, 1), date(2026, 3, 1)).is_ok());
        assert!(check_in_time(date(2026, 2, 1), date(2026, 3, 2)).is_err());
        assert!(check_in_time(date(2026, 2, 1), date(2026, 1, 31)).is_err());
    }

    #[test]
    fn a_panel_has_four_to_six_different_members() {
        assert!(parse_panel("A\nB\nC").is_err());
        assert_eq!(parse_panel("A, B\nC\n\nD").unwrap().len(), 4);
        assert!(parse_panel("A\nB\nC\nD\nE\nF").is_ok());
        assert!(parse_panel("A\nB\nC\nD\nE\nF\nG").is_err());
        assert!(parse_panel("A\nB\nC\na").unwrap_err().contains("twice"));
    }

    proptest! {
        #[test]
        fn in_time_exactly_when_within_28_days(offset in -40i64..80, start in 0i64..3_000) {
            let sent = date(2020, 1, 1).checked_add(start.days()).unwrap();
            let received = sent.checked_add(offset.days()).unwrap();
            prop_assert_eq!(check_in_time(sent, received).is_ok(), (0..=28).contains(&offset));
        }

        #[test]
        fn panel_size_decides(n in 0usize..10) {
            let names: Vec<String> = (0..n).map(|i| format!("Member {i}")).collect();
            prop_assert_eq!(parse_panel(&names.join("\n")).is_ok(), (4..=6).contains(&n));
        }
    }
}
