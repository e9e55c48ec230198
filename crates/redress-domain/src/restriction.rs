//! Restrictions under an unacceptable behaviour policy (complaints.md §6). They limit how
//! the organisation deals with a person — never whether a new complaint is accepted — and
//! are reviewed. A restriction belongs to the person, so it shows on every case of theirs.

use crate::FieldErrors;
use crate::choice;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

choice!(
    RestrictionKind, "the restriction" {
        SinglePointOfContact = "single-point-of-contact": "One named member of staff as the only point of contact",
        WrittenOnly = "written-only": "Written contact only",
        LimitedFrequency = "limited-frequency": "Contact limited to set times or frequency",
        NoVisits = "no-visits": "No visits in person",
        Other = "other": "Another restriction",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restriction {
    pub kind: RestrictionKind,
    /// What the person did, in factual terms.
    pub behaviour: Text,
    /// Exactly what is restricted and how the person can still get in touch.
    pub details: Text,
    pub decided_by: Text,
    pub communicated_on: Date,
    pub review_on: Date,
    pub ended_on: Option<Date>,
}

impl Restriction {
    /// Checks a restriction as entered: every part is required, and the review must come
    /// after it was communicated (proportionate restrictions are reviewed, not forgotten).
    pub fn parse(
        kind: &str,
        behaviour: &str,
        details: &str,
        decided_by: &str,
        communicated_on: &str,
        review_on: &str,
        today: Date,
    ) -> Result<Restriction, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.take("kind", RestrictionKind::parse(kind));
        let behaviour = e.take("behaviour", Text::parse(behaviour, "the behaviour", 2_000));
        let details = e.take(
            "details",
            Text::parse(
                details,
                "what is restricted and how they can still contact us",
                2_000,
            ),
        );
        let decided_by = e.take("decided_by", Text::parse(decided_by, "who decided", 200));
        let date = |e: &mut FieldErrors, field: &str, raw: &str| match raw.trim().parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(field, "Enter a real date, like 2026-12-24");
                None
            }
        };
        let communicated_on = date(&mut e, "communicated_on", communicated_on);
        let review_on = date(&mut e, "review_on", review_on);
        if communicated_on.is_some_and(|d| d > today) {
            e.add(
                "communicated_on",
                "The date it was communicated cannot be in the future",
            );
        }
        if let (Some(c), Some(r)) = (communicated_on, review_on)
            && r <= c
        {
            e.add(
                "review_on",
                "The review date must be after the date it was communicated",
            );
        }
        match (
            kind,
            behaviour,
            details,
            decided_by,
            communicated_on,
            review_on,
        ) {
            (
                Some(kind),
                Some(behaviour),
                Some(details),
                Some(decided_by),
                Some(communicated_on),
                Some(review_on),
            ) if e.is_empty() => Ok(Restriction {
                kind,
                behaviour,
                details,
                decided_by,
                communicated_on,
                review_on,
                ended_on: None,
            }),
            _ => Err(e),
        }
    }

    /// A review keeps the restriction and sets the next review; the outcome is noted on
    /// the case. Ending it is a separate step.
    pub fn review(
        &mut self,
        next_review: &str,
        outcome: &str,
        today: Date,
    ) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let outcome = e.take(
            "outcome",
            Text::parse(outcome, "what the review decided and why", 2_000),
        );
        let next = match next_review.trim().parse::<Date>() {
            Ok(d) if d > today => Some(d),
            Ok(_) => {
                e.add("next_review", "The next review must be after today");
                None
            }
            Err(_) => {
                e.add("next_review", "Enter a real date, like 2027-03-01");
                None
            }
        };
        match (outcome, next) {
            (Some(outcome), Some(next)) if e.is_empty() => {
                self.review_on = next;
                Ok(outcome.into_string())
            }
            _ => Err(e),
        }
    }

    pub fn is_active(&self, today: Date) -> bool {
        self.ended_on.is_none_or(|end| end > today)
    }

    pub fn review_due(&self, today: Date) -> bool {
        self.is_active(today) && self.review_on <= today
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_restriction_needs_every_part_and_a_later_review() {
        let today = date(2026, 3, 2);
        let ok = Restriction::parse(
            "written-only",
            "Abusive calls to staff",
            "Email or letter only",
            "Head of Housing",
            "2026-03-01",
            "2026-06-01",
            today,
        );
        assert!(
            ok.as_ref()
                .is_ok_and(|r| r.is_active(today) && !r.review_due(today))
        );
        assert!(ok.is_ok_and(|r| r.review_due(date(2026, 6, 1))));
        let errs = Restriction::parse("", "", "", "", "x", "", today)
            .err()
            .unwrap_or_default();
        for field in [
            "kind",
            "behaviour",
            "details",
            "decided_by",
            "communicated_on",
            "review_on",
        ] {
            assert!(errs.get(field).is_some(), "{field}");
        }
        let errs = Restriction::parse(
            "no-visits",
            "b",
            "d",
            "x",
            "2026-03-01",
            "2026-02-01",
            today,
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            errs.get("review_on"),
            Some("The review date must be after the date it was communicated")
        );
    }
}
