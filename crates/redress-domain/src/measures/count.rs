//! Counting the measures for a period from the cases themselves.

use super::cases::{awaiting_response_on, taken_on};
use super::{Measures, Period, code_respond_by, latest_outcome, person_key, round1, stage_outcome};
use crate::calendar::WorkingCalendar;
use crate::case::Contact;
use crate::intake::{ContactKind, ContactStatus};
use std::collections::BTreeMap;

/// The measures for the contacts given (already narrowed to a service area if wanted).
/// `area_name` turns a service area id into its name for the compensation breakdown.
pub fn measures(
    contacts: &[Contact],
    period: Period,
    calendar: &WorkingCalendar,
    area_name: &dyn Fn(Option<&str>) -> String,
) -> Measures {
    let mut m = Measures {
        period: Some(period),
        ..Default::default()
    };
    let mut close_days = Vec::new();
    let mut close_working_days = Vec::new();
    let mut by_person: BTreeMap<String, u32> = BTreeMap::new();
    for c in contacts {
        let d = &c.detail;
        if period.contains(c.received_on) {
            *m.received_by_kind
                .entry(d.kind.as_str().to_string())
                .or_default() += 1;
            *m.channels
                .entry(d.channel.as_str().to_string())
                .or_default() += 1;
        }
        for a in c
            .case
            .surveys
            .iter()
            .filter(|a| period.contains(a.answered_on))
        {
            if a.stage == 0 {
                m.feedback.add(a);
                continue;
            }
            m.satisfaction_by_stage.entry(a.stage).or_default().add(a);
            m.satisfaction_by_outcome
                .entry(stage_outcome(c, a.stage))
                .or_default()
                .add(a);
        }
        if d.kind != ContactKind::Complaint {
            continue;
        }
        if period.contains(c.received_on) {
            m.new_complaints += 1;
            if let Some(answers) = d
                .person
                .as_ref()
                .and_then(|p| p.needs.monitoring)
                .filter(|a| !a.is_empty())
            {
                m.monitoring_answers += 1;
                for (q, a) in answers.answers() {
                    *m.who_complains
                        .entry(q.to_string())
                        .or_default()
                        .entry(a.to_string())
                        .or_default() += 1;
                }
            }
            if let Some(key) = person_key(c) {
                *by_person.entry(key).or_default() += 1;
            }
        }
        if let Some(l) = c
            .case
            .learning
            .as_ref()
            .filter(|l| period.contains(l.recorded_on))
        {
            *m.root_causes
                .entry(l.root_cause.as_str().to_string())
                .or_default() += 1;
        }
        if let Some(decline) = &c.case.decline
            && period.contains(decline.on)
        {
            *m.declined_by_reason
                .entry(decline.reason.as_str().to_string())
                .or_default() += 1;
        }
        if c.status == ContactStatus::Withdrawn && c.closed_on.is_some_and(|on| period.contains(on))
        {
            m.withdrawn += 1;
        }
        if c.status == ContactStatus::Closed
            && let Some(closed) = c.closed_on.filter(|on| period.contains(*on))
        {
            m.closed += 1;
            close_days.push(i64::from((closed - c.received_on).get_days()));
            close_working_days.push(calendar.working_days_between(c.received_on, closed));
        }
        let within = |on: &jiff::civil::Date| period.contains(*on);
        m.compliments_passed_on +=
            u32::try_from(c.case.passed_on.iter().filter(|p| within(&p.on)).count())
                .unwrap_or(u32::MAX);
        m.survey_follow_ups += u32::try_from(
            c.case
                .follow_ups
                .iter()
                .filter(|f| f.done_on.as_ref().is_some_and(within))
                .count(),
        )
        .unwrap_or(u32::MAX);
        if let Some(panel) = &c.case.panel {
            if within(&panel.asked_on) {
                m.tenants_panel.asked += 1;
            }
            if let Some(input) = panel.input.as_ref().filter(|i| within(&i.on)) {
                m.tenants_panel.given += 1;
                if input.on <= panel.due_by {
                    m.tenants_panel.given_on_time += 1;
                }
            }
        }
        m.escalations_refused += u32::try_from(
            c.case
                .escalation_refusals
                .iter()
                .filter(|r| period.contains(r.on))
                .count(),
        )
        .unwrap_or(u32::MAX);
        if taken_on(c) {
            for s in &c.case.stages {
                if period.contains(s.started_on) {
                    *m.received_by_stage.entry(s.stage).or_default() += 1;
                }
                if let (Some(on), Some(by)) = (s.acknowledged_on, s.acknowledge_by)
                    && period.contains(on)
                {
                    m.acknowledgements += 1;
                    if on <= by {
                        m.acknowledged_on_time += 1;
                    }
                }
                for x in s.extensions.iter().filter(|x| period.contains(x.agreed_on)) {
                    m.extensions += 1;
                    if x.outside_code {
                        m.extensions_outside_code += 1;
                    }
                }
                if let Some(r) = s.response.as_ref().filter(|r| period.contains(r.sent_on)) {
                    let t = m.timeliness_by_stage.entry(s.stage).or_default();
                    t.responses += 1;
                    if r.sent_on <= code_respond_by(s) {
                        t.on_time += 1;
                    }
                    if r.sent_on <= s.original_respond_by {
                        t.on_time_strict += 1;
                    }
                    *m.outcomes_by_stage
                        .entry(s.stage)
                        .or_default()
                        .entry(r.outcome.as_str().to_string())
                        .or_default() += 1;
                }
            }
            if let Some(s) = awaiting_response_on(c, period.to)
                && c.received_on <= period.to
            {
                if period.to <= s.respond_by {
                    m.open_within_target += 1;
                } else {
                    m.open_past_target += 1;
                }
            }
        }
        for f in &c.case.referrals {
            if period.contains(f.referred_on) {
                m.ombudsman_referrals += 1;
            }
            if let (Some(det), Some(on)) = (f.determination, f.determined_on)
                && period.contains(on)
            {
                *m.ombudsman_determinations
                    .entry(det.as_str().to_string())
                    .or_default() += 1;
            }
        }
        let outcome = latest_outcome(c);
        for p in c.case.remedies.iter().filter_map(|r| r.payment.as_ref()) {
            if p.approved_on.is_some_and(|on| period.contains(on)) {
                let comp = &mut m.compensation;
                comp.payments += 1;
                comp.total_pence += p.amount.0;
                *comp.by_outcome_pence.entry(outcome.clone()).or_default() += p.amount.0;
                *comp
                    .by_service_area_pence
                    .entry(area_name(d.service_area.as_deref()))
                    .or_default() += p.amount.0;
            }
        }
    }
    m.finish();
    let average = |v: &[i64]| {
        (!v.is_empty()).then(|| {
            let total: i64 = v.iter().sum();
            // Counts of days stay far below 2^52, so the conversion is exact.
            round1(total as f64 / v.len() as f64)
        })
    };
    m.average_days_to_close = average(&close_days);
    m.average_working_days_to_close = average(&close_working_days);
    m.repeat_complainants =
        u32::try_from(by_person.values().filter(|n| **n >= 2).count()).unwrap_or(u32::MAX);
    m
}
