//! What the measures read from one case.

use crate::case::{Contact, StageRecord};
use crate::intake::{ContactKind, ContactStatus};
use jiff::civil::Date;

/// The latest response date the Code allows for the stage: the original date, moved by
/// extensions agreed within the Code's limits (an extension beyond them is recorded, but
/// a response in it is late).
pub fn code_respond_by(stage: &StageRecord) -> Date {
    stage
        .extensions
        .iter()
        .filter(|x| !x.outside_code)
        .map(|x| x.to)
        .fold(stage.original_respond_by, Date::max)
}

/// Whether the complaint was taken on (a declined complaint never entered the procedure).
pub(super) fn taken_on(c: &Contact) -> bool {
    c.case.decline.is_none()
}

/// The stage a complaint was at on a date, if it was waiting for a response then.
pub(super) fn awaiting_response_on(c: &Contact, d: Date) -> Option<&StageRecord> {
    if !taken_on(c) {
        return None;
    }
    let stage = c.case.stages.iter().rev().find(|s| s.started_on <= d)?;
    if stage.response.as_ref().is_some_and(|r| r.sent_on <= d) {
        return None;
    }
    let ended = matches!(c.status, ContactStatus::Withdrawn | ContactStatus::Declined)
        && c.closed_on.is_some_and(|on| on <= d);
    (!ended).then_some(stage)
}

/// Complaints waiting for a response on a date, with the stage they are at.
pub fn awaiting_response(contacts: &[Contact], on: Date) -> Vec<(&Contact, &StageRecord)> {
    contacts
        .iter()
        .filter(|c| c.detail.kind == ContactKind::Complaint && c.received_on <= on)
        .filter_map(|c| awaiting_response_on(c, on).map(|s| (c, s)))
        .collect()
}

pub(crate) fn person_key(c: &Contact) -> Option<String> {
    // A duplicate is the same complaint made twice, not a second complaint: staff said so
    // at triage, so it does not make its maker a repeat complainant.
    if c.case
        .links
        .iter()
        .any(|l| l.relation == crate::case::LinkRelation::DuplicateOf)
    {
        return None;
    }
    let p = c.detail.person.as_ref()?;
    p.email
        .as_ref()
        .map(|e| e.to_lowercase())
        .or_else(|| p.phone.as_deref().and_then(crate::field::phone_digits))
}

/// The outcome of a stage's response, as a survey about that stage is reported under.
pub(crate) fn stage_outcome(c: &Contact, stage: u8) -> String {
    c.case
        .stages
        .iter()
        .find(|s| s.stage == stage)
        .and_then(|s| s.response.as_ref())
        .map(|r| r.outcome.as_str().to_string())
        .unwrap_or_else(|| "no-response".into())
}

/// The outcome of the latest response, as compensation is reported under.
pub(crate) fn latest_outcome(c: &Contact) -> String {
    c.case
        .stages
        .iter()
        .rev()
        .find_map(|s| s.response.as_ref())
        .map(|r| r.outcome.as_str().to_string())
        .unwrap_or_else(|| "no-response".into())
}
