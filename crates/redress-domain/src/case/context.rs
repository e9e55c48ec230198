//! What a decision needs besides the case, and how it words the events it makes.

use crate::calendar::WorkingCalendar;
use crate::event::{Actor, Event, EventKind};
use crate::scheme::Scheme;
use jiff::Timestamp;
use jiff::civil::Date;

/// What a decision needs besides the case itself.
pub struct Context<'a> {
    pub scheme: &'a Scheme,
    pub calendar: &'a WorkingCalendar,
    pub actor: Actor,
    pub at: Timestamp,
    pub today: Date,
    /// Payments above this amount need approving by someone other than the person who
    /// proposed them (`None`: whoever handles the case may approve any payment).
    pub payment_approval_above: Option<crate::remedy::Pence>,
}

impl Context<'_> {
    pub(crate) fn event(
        &self,
        kind: EventKind,
        summary: String,
        detail: serde_json::Value,
    ) -> Event {
        Event {
            kind,
            at: self.at,
            actor: self.actor.clone(),
            summary: readable_dates(&summary),
            detail,
        }
    }
}

/// Summaries are read by people: "2025-03-04" becomes "4 March 2025". The event's detail
/// keeps the machine form.
fn readable_dates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..pos]);
        let candidate = rest.get(pos..pos + 10).unwrap_or("");
        let shaped = candidate.len() == 10
            && candidate.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match candidate.parse::<Date>() {
            Ok(d) if shaped => {
                out.push_str(&crate::calendar::long_date(d));
                rest = &rest[pos + 10..];
            }
            _ => {
                let next = rest[pos..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map(|n| pos + n)
                    .unwrap_or(rest.len());
                out.push_str(&rest[pos..next]);
                rest = &rest[next..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_use_readable_dates() {
        assert_eq!(
            readable_dates("Due 2025-03-04, ref CMP-2025-000001"),
            "Due 4 March 2025, ref CMP-2025-000001"
        );
        assert_eq!(
            readable_dates("2025-02-30 and 12345"),
            "2025-02-30 and 12345"
        );
    }
}
