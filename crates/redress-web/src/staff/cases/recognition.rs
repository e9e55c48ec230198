//! What the recognition assistant read in a contact, shown where staff decide: "This may be
//! a complaint" with the phrases that led there, and a possible or confirmed hazard with
//! its legal clocks.

use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::calendar::{WorkingCalendar, long_date, long_date_time};
use redress_domain::case::steps_for;
use redress_domain::contact::{Channel, Contact, ContactKind, ContactStatus};

/// "This may be a complaint", or what the assistant read, for the case page.
pub(crate) struct SuggestionView {
    /// Reads as a complaint, is recorded otherwise, and nobody has answered yet.
    pub may_be_complaint: bool,
    pub kind: String,
    pub confidence: u8,
    pub reasons: Vec<String>,
    /// Where "Raise as a complaint" goes.
    pub raise_href: String,
    /// What staff decided, once they have.
    pub decision: Option<String>,
}

pub(crate) fn suggestion(
    c: &Contact,
    scheme: &redress_domain::scheme::Scheme,
) -> Option<SuggestionView> {
    let s = c.case.suggestion.as_ref()?;
    // A service request carries on beside the complaint raised from it; anything else
    // becomes the complaint. So does an emailed message nobody has taken on yet: it was
    // the complaint itself, and its clock runs from when it arrived.
    let untouched_email = c.detail.channel == Channel::Email
        && c.status == ContactStatus::Received
        && c.allows(redress_domain::case::CommandKind::Reclassify, scheme);
    let raise_href = if c.detail.kind == ContactKind::ServiceRequest && !untouched_email {
        format!("/staff/cases/{}/act/raise-complaint", c.reference)
    } else {
        format!("/staff/cases/{}/act/reclassify?to=complaint", c.reference)
    };
    let decision = s.decision.as_ref().map(|d| {
        if d.raised {
            format!("Raised as a complaint by {} on {}", d.by, long_date(d.on))
        } else {
            format!(
                "Not a complaint, decided by {} on {}: {}",
                d.by,
                long_date(d.on),
                d.reason.clone().unwrap_or_default()
            )
        }
    });
    Some(SuggestionView {
        may_be_complaint: s.may_be_complaint(c.detail.kind),
        kind: s.kind.label().to_string(),
        confidence: s.confidence,
        reasons: s.reasons.clone(),
        raise_href,
        decision,
    })
}

/// "This survey answer may be a complaint": what they wrote, and where raising it goes.
pub(crate) struct SurveySuggestionView {
    pub about: String,
    pub confidence: u8,
    pub reasons: Vec<String>,
    pub raise_href: String,
    pub raise_words: &'static str,
}

pub(crate) fn survey_suggestion(
    c: &Contact,
    scheme: &redress_domain::scheme::Scheme,
) -> Option<SurveySuggestionView> {
    let w = c.survey_suggestion_waiting()?;
    // Unhappy with a response they can still escalate: that is the complaint's next stage,
    // not a new complaint.
    let (raise_href, raise_words) = if c.detail.kind == ContactKind::Complaint
        && c.allows(redress_domain::case::CommandKind::Escalate, scheme)
    {
        (
            format!("/staff/cases/{}/act/escalate", c.reference),
            "Escalate the complaint",
        )
    } else {
        (
            format!("/staff/cases/{}/act/raise-complaint", c.reference),
            "Raise as a complaint",
        )
    };
    Some(SurveySuggestionView {
        about: if w.stage == 0 {
            "their feedback survey".into()
        } else {
            format!("the stage {} satisfaction survey", w.stage)
        },
        confidence: w.suggestion.confidence,
        reasons: w.suggestion.reasons.clone(),
        raise_href,
        raise_words,
    })
}

/// One of a hazard's legal clocks.
pub(crate) struct ClockRow {
    pub step: String,
    pub due: String,
    pub done: String,
    pub state: &'static str,
    pub class: &'static str,
}

/// A possible hazard waiting for staff, or a confirmed one with its clocks.
pub(crate) struct HazardView {
    /// Possible: its kind and urgency, and the words that suggest it.
    pub possible: Option<(String, Vec<String>)>,
    pub confirmed: Option<String>,
    pub awaabs_law: bool,
    pub clocks: Vec<ClockRow>,
    /// Steps still to record.
    pub steps_left: bool,
    /// Whether a repairs service email is set, so a confirmed hazard was sent there.
    pub repairs_told: bool,
}

/// How a clock stands now: met, missed, or running (and due soon).
pub(crate) fn clock_state(met: Option<bool>) -> (&'static str, &'static str) {
    match met {
        Some(true) => ("Met", "tag--green"),
        Some(false) => ("Missed", "tag--red"),
        None => ("Running", "tag--yellow"),
    }
}

pub(crate) fn hazard(
    c: &Contact,
    calendar: &WorkingCalendar,
    (now, today): (Timestamp, Date),
    repairs_told: bool,
) -> Option<HazardView> {
    let possible = c.case.hazard_suggestion.as_ref().map(|h| {
        (
            format!("{} ({})", h.kind.label(), h.urgency.label().to_lowercase()),
            h.reasons.clone(),
        )
    });
    let Some(h) = &c.case.hazard else {
        // Set aside: the history says why.
        return (possible.is_some() && c.case.hazard_dismissed.is_none()).then_some(HazardView {
            possible,
            confirmed: None,
            awaabs_law: false,
            clocks: Vec::new(),
            steps_left: false,
            repairs_told,
        });
    };
    let clocks = h
        .clocks(calendar)
        .unwrap_or_default()
        .into_iter()
        .map(|k| {
            let (state, class) = clock_state(k.met(now, today));
            ClockRow {
                step: k.step.label().to_string(),
                due: match (k.due_at, k.due_on) {
                    (Some(at), _) => long_date_time(at),
                    (None, Some(on)) => long_date(on),
                    (None, None) => "When the investigation ends".into(),
                },
                done: k
                    .done_at
                    .map(long_date_time)
                    .unwrap_or_else(|| "Not yet".into()),
                state: if k.due_on.is_none() && k.due_at.is_none() {
                    "Waiting"
                } else {
                    state
                },
                class: if k.due_on.is_none() && k.due_at.is_none() {
                    "tag--grey"
                } else {
                    class
                },
            }
        })
        .collect();
    Some(HazardView {
        possible: None,
        confirmed: Some(format!(
            "{} hazard: {}",
            h.urgency.label(),
            h.kind.label().to_lowercase()
        )),
        awaabs_law: h.awaabs_law,
        clocks,
        steps_left: steps_for(h.urgency)
            .iter()
            .any(|s| !h.steps.iter().any(|(done, _)| done == s)),
        repairs_told,
    })
}
