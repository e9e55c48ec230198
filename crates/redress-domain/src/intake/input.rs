//! What a form or API call sends, and how it becomes a `NewContact`.

use super::{
    Channel, ContactKind, MAX_MEDIUM, MAX_SHORT, MAX_SUMMARY, NewContact, OtherRoute, Source, Who,
};
use crate::calendar::{uk_date, uk_time_zone};
use crate::field::{FieldErrors, Text};
use crate::organisation::Tenure;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Everything a form or API call sends, as typed. `parse` turns it into a `NewContact` or
/// a message for each wrong field; field names match the form's input names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub kind: String,
    pub channel: String,
    pub who: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub rep_name: String,
    pub rep_relationship: String,
    pub rep_email: String,
    pub rep_phone: String,
    pub rep_authority: String,
    pub summary: String,
    pub outcome_wanted: String,
    /// YYYY-MM-DD.
    pub issue_date: String,
    pub property_ref: String,
    pub tenure: String,
    pub service_area: String,
    pub preferred_contact: String,
    pub preferred_format: String,
    pub language: String,
    /// The language letters, emails and pages are written in for them: `en` or `cy`.
    /// Empty: Welsh when `language` names it, else English.
    pub correspond_in: String,
    pub interpreter: String,
    pub needs: String,
    pub vulnerabilities: String,
    pub adjustments: String,
    /// Equality monitoring, all optional.
    pub age_band: String,
    pub disability: String,
    pub ethnic_group: String,
    pub safeguarding: String,
    pub about_vulnerable_group: String,
    pub wants_reply: String,
    pub staff_named: String,
    pub other_route: String,
    /// Staff entry only: when it actually arrived, YYYY-MM-DD and HH:MM (UK time).
    pub received_date: String,
    pub received_time: String,
}

pub(super) fn yes(s: &str) -> bool {
    matches!(s.trim(), "yes" | "true" | "on" | "1")
}

pub(super) fn optional_choice<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// A date in YYYY-MM-DD that is real, not in the future and not absurdly old.
pub fn parse_past_date(raw: &str, today: Date, what: &str) -> Result<Option<Date>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let date: Date = s
        .parse()
        .map_err(|_| format!("{} must be a real date", crate::field::capitalise(what)))?;
    if date > today {
        return Err(format!(
            "{} must be today or in the past",
            crate::field::capitalise(what)
        ));
    }
    if date.year() < 1900 {
        return Err(format!(
            "{} must be after 1900",
            crate::field::capitalise(what)
        ));
    }
    Ok(Some(date))
}

impl ContactInput {
    pub fn parse(&self, source: Source, now: Timestamp) -> Result<NewContact, FieldErrors> {
        let mut e = FieldErrors::new();
        let today = uk_date(now);

        let kind = e.take("kind", ContactKind::parse(&self.kind));
        if source == Source::PublicForm
            && kind.is_some_and(|k| {
                !matches!(
                    k,
                    ContactKind::Complaint | ContactKind::Comment | ContactKind::Compliment
                )
            })
        {
            e.add("kind", "Select complaint, comment or compliment");
        }
        let channel = match source {
            Source::PublicForm => Some(Channel::WebForm),
            Source::Api if self.channel.trim().is_empty() => Some(Channel::Api),
            _ => e.take("channel", Channel::parse(&self.channel)),
        };
        let who = if source == Source::PublicForm || !self.who.trim().is_empty() {
            e.take("who", Who::parse(&self.who))
        } else {
            Some(if self.name.trim().is_empty() {
                Who::Anonymous
            } else {
                Who::Myself
            })
        };

        let received_at = self.parse_received(source, now, today, &mut e);

        let summary = e.take(
            "summary",
            Text::parse(&self.summary, summary_prompt(kind), MAX_SUMMARY),
        );
        let outcome_wanted = e.take_opt(
            "outcome_wanted",
            Text::parse_optional(&self.outcome_wanted, "the outcome you want", MAX_MEDIUM),
        );
        let issue_date = e.take_opt(
            "issue_date",
            parse_past_date(&self.issue_date, today, "the date it happened"),
        );
        let property_ref = e.take_opt(
            "property_ref",
            Text::parse_optional(
                &self.property_ref,
                "the property or tenancy reference",
                MAX_SHORT,
            ),
        );
        let tenure = e.take_opt("tenure", optional_choice(&self.tenure, Tenure::parse));
        let staff_named = e.take_opt(
            "staff_named",
            Text::parse_line_optional(&self.staff_named, "the staff member or team", MAX_SHORT),
        );
        let other_route = e.take_opt(
            "other_route",
            optional_choice(&self.other_route, OtherRoute::parse),
        );
        if kind == Some(ContactKind::OtherRoute)
            && other_route.is_none()
            && e.get("other_route").is_none()
        {
            e.add("other_route", "Select the route");
        }
        let service_area = Some(self.service_area.trim().to_string()).filter(|s| !s.is_empty());

        let needs = self.parse_needs(&mut e);
        let (person, representative) = match who {
            Some(Who::Anonymous) => {
                // Details typed for an anonymous contact would be silently dropped: say so.
                for (field, value) in [
                    ("name", &self.name),
                    ("email", &self.email),
                    ("phone", &self.phone),
                    ("address", &self.address),
                ] {
                    if !value.trim().is_empty() {
                        e.add(field, "Leave your name and contact details empty if you want to stay anonymous, or choose who this is for");
                    }
                }
                (None, None)
            }
            Some(w) => {
                let person = self.parse_person(w, needs, &mut e);
                let rep = if w == Who::SomeoneElse {
                    self.parse_representative(source, &mut e)
                } else {
                    None
                };
                (person, rep)
            }
            None => (None, None),
        };

        let (Some(kind), Some(channel), Some(received_at), Some(summary)) =
            (kind, channel, received_at, summary)
        else {
            return Err(e);
        };
        e.into_result()?;
        Ok(NewContact {
            kind,
            channel,
            received_at,
            person,
            representative,
            service_area,
            property_ref,
            tenure,
            summary,
            outcome_wanted,
            issue_date,
            safeguarding: yes(&self.safeguarding),
            about_vulnerable_group: yes(&self.about_vulnerable_group),
            wants_reply: yes(&self.wants_reply),
            staff_named,
            other_route,
        })
    }
}

impl ContactInput {
    fn parse_received(
        &self,
        source: Source,
        now: Timestamp,
        today: Date,
        e: &mut FieldErrors,
    ) -> Option<Timestamp> {
        if source == Source::PublicForm
            || (self.received_date.trim().is_empty() && self.received_time.trim().is_empty())
        {
            return Some(now);
        }
        let date = match parse_past_date(&self.received_date, today, "the date received") {
            Ok(Some(d)) => d,
            Ok(None) => {
                e.add("received_date", "Enter the date it was received");
                return None;
            }
            Err(m) => {
                e.add("received_date", m);
                return None;
            }
        };
        let time = if self.received_time.trim().is_empty() {
            jiff::civil::Time::midnight()
        } else {
            match self.received_time.trim().parse::<jiff::civil::Time>() {
                Ok(t) => t,
                Err(_) => {
                    e.add(
                        "received_time",
                        "Enter the time as hours and minutes, like 14:30",
                    );
                    return None;
                }
            }
        };
        match date.to_datetime(time).to_zoned_datetime(uk_time_zone()) {
            Ok(z) if z.timestamp() <= now => Some(z.timestamp()),
            Ok(_) => {
                e.add("received_time", "The time received must be in the past");
                None
            }
            Err(_) => {
                e.add("received_time", "Enter a real time");
                None
            }
        }
    }
}

fn summary_prompt(kind: Option<ContactKind>) -> &'static str {
    match kind {
        Some(ContactKind::Complaint) => "what went wrong",
        Some(ContactKind::Compliment) => "what you want to thank us for",
        Some(ContactKind::Comment) => "your comment",
        _ => "what happened, or what you want to say",
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn empty_public_form_names_each_field() {
        let errs = ContactInput::default()
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(errs.get("kind"), Some("Select what you want to tell us"));
        assert_eq!(
            errs.get("who"),
            Some("Select who the complaint, comment or compliment is for")
        );
        assert_eq!(
            errs.get("summary"),
            Some("Enter what happened, or what you want to say")
        );
    }

    #[test]
    fn public_form_cannot_choose_staff_only_kinds_or_channels() {
        let mut input = complaint_input();
        input.kind = "service-request".into();
        input.channel = "letter".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.get("kind"),
            Some("Select complaint, comment or compliment")
        );
        let ok = complaint_input().parse(Source::PublicForm, now());
        assert_eq!(ok.map(|c| c.channel), Ok(Channel::WebForm));
    }

    #[test]
    fn future_and_impossible_dates_are_refused() {
        let mut input = complaint_input();
        input.issue_date = "2025-01-01".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.get("issue_date"),
            Some("The date it happened must be today or in the past")
        );
        input.issue_date = "2024-02-30".into();
        let errs = input
            .parse(Source::PublicForm, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.get("issue_date"),
            Some("The date it happened must be a real date")
        );
    }

    #[test]
    fn staff_entry_keeps_the_real_time_of_receipt() {
        let mut input = complaint_input();
        input.channel = "phone".into();
        input.received_date = "2024-12-19".into();
        input.received_time = "16:45".into();
        let c = input.parse(Source::Staff, now());
        assert_eq!(
            c.map(|c| c.received_at.to_string()),
            Ok("2024-12-19T16:45:00Z".into())
        );
        input.channel = "carrier-pigeon".into();
        let errs = input.parse(Source::Staff, now()).err().unwrap_or_default();
        assert_eq!(
            errs.get("channel"),
            Some("Select how it was received from the list")
        );
    }
}
