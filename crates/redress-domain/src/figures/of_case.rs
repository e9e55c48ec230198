//! The dated figures of one case.

use super::{CaseFigures, Figure, measure};
use crate::case::Contact;
use crate::intake::{ContactKind, ContactStatus};
use crate::measures::code_respond_by;
use crate::organisation::Tenure;
use jiff::civil::Date;

/// The figures of one case. Complaints that were declined never entered the procedure, so
/// their stages count for nothing, as in `measures`.
pub fn of_case(c: &Contact) -> CaseFigures {
    let mut figures = Vec::new();
    let add = |figures: &mut Vec<Figure>, measure: &str, key: String, day: Date, abc: [i64; 3]| {
        figures.push(Figure {
            measure: measure.to_string(),
            key,
            day,
            n: 1,
            a: abc[0],
            b: abc[1],
            c: abc[2],
        })
    };
    let d = &c.detail;
    add(
        &mut figures,
        measure::RECEIVED,
        d.kind.as_str().into(),
        c.received_on,
        [0; 3],
    );
    add(
        &mut figures,
        measure::CHANNEL,
        d.channel.as_str().into(),
        c.received_on,
        [0; 3],
    );
    for s in &c.case.surveys {
        let abc = [
            i64::from(s.handling.is_satisfied()),
            i64::from(s.outcome.is_some()),
            i64::from(s.outcome.is_some_and(|o| o.is_satisfied())),
        ];
        add(
            &mut figures,
            measure::SURVEY,
            s.stage.to_string(),
            s.answered_on,
            abc,
        );
        if s.stage > 0 {
            let outcome = crate::measures::stage_outcome(c, s.stage);
            add(
                &mut figures,
                measure::SURVEY_OUTCOME,
                outcome,
                s.answered_on,
                abc,
            );
        }
    }
    if d.kind != ContactKind::Complaint {
        return CaseFigures {
            service_area: d.service_area.clone(),
            figures,
        };
    }
    if let Some(answers) = d
        .person
        .as_ref()
        .and_then(|p| p.needs.monitoring)
        .filter(|a| !a.is_empty())
    {
        add(
            &mut figures,
            measure::MONITORING,
            String::new(),
            c.received_on,
            [0; 3],
        );
        for (q, a) in answers.answers() {
            add(
                &mut figures,
                measure::MONITORING_ANSWER,
                format!("{q}|{a}"),
                c.received_on,
                [0; 3],
            );
        }
    }
    if let Some(key) = crate::measures::person_key(c) {
        add(
            &mut figures,
            measure::COMPLAINANT,
            key,
            c.received_on,
            [0; 3],
        );
    }
    if let Some(l) = &c.case.learning {
        add(
            &mut figures,
            measure::ROOT_CAUSE,
            l.root_cause.as_str().into(),
            l.recorded_on,
            [0; 3],
        );
    }
    if let Some(decline) = &c.case.decline {
        add(
            &mut figures,
            measure::DECLINED,
            decline.reason.as_str().into(),
            decline.on,
            [0; 3],
        );
    }
    if let Some(closed) = c.closed_on {
        match c.status {
            ContactStatus::Withdrawn => add(
                &mut figures,
                measure::WITHDRAWN,
                String::new(),
                closed,
                [0; 3],
            ),
            ContactStatus::Closed => {
                let days = i64::from((closed - c.received_on).get_days());
                add(
                    &mut figures,
                    measure::CLOSED,
                    closed.to_string(),
                    closed,
                    [days, 0, 0],
                );
                add(
                    &mut figures,
                    measure::CLOSED_SINCE,
                    c.received_on.to_string(),
                    closed,
                    [0; 3],
                );
            }
            _ => {}
        }
    }
    for p in &c.case.passed_on {
        add(
            &mut figures,
            measure::PASSED_ON,
            String::new(),
            p.on,
            [0; 3],
        );
    }
    for f in &c.case.follow_ups {
        if let Some(done) = f.done_on {
            add(
                &mut figures,
                measure::FOLLOWED_UP,
                String::new(),
                done,
                [0; 3],
            );
        }
    }
    if let Some(panel) = &c.case.panel {
        add(
            &mut figures,
            measure::PANEL_ASKED,
            String::new(),
            panel.asked_on,
            [0; 3],
        );
        if let Some(input) = &panel.input {
            let key = if input.on <= panel.due_by {
                "on-time"
            } else {
                "late"
            };
            add(
                &mut figures,
                measure::PANEL_INPUT,
                key.to_string(),
                input.on,
                [0; 3],
            );
        }
    }
    for r in &c.case.escalation_refusals {
        add(
            &mut figures,
            measure::ESCALATION_REFUSED,
            String::new(),
            r.on,
            [0; 3],
        );
    }
    if c.case.decline.is_none() {
        let tenure = d
            .tenure
            .filter(|t| [Tenure::LowCostRental, Tenure::LowCostHomeOwnership].contains(t));
        let stages = &c.case.stages;
        for (i, s) in stages.iter().enumerate() {
            add(
                &mut figures,
                measure::STAGE_STARTED,
                s.stage.to_string(),
                s.started_on,
                [0; 3],
            );
            if let Some(t) = tenure {
                add(
                    &mut figures,
                    measure::STAGE_STARTED_TENURE,
                    format!("{}|{}", s.stage, t.as_str()),
                    s.started_on,
                    [0; 3],
                );
            }
            if let (Some(on), Some(by)) = (s.acknowledged_on, s.acknowledge_by) {
                add(
                    &mut figures,
                    measure::ACKNOWLEDGED,
                    String::new(),
                    on,
                    [i64::from(on <= by), 0, 0],
                );
            }
            for x in &s.extensions {
                add(
                    &mut figures,
                    measure::EXTENSION,
                    String::new(),
                    x.agreed_on,
                    [i64::from(x.outside_code), 0, 0],
                );
            }
            if let Some(r) = &s.response {
                add(
                    &mut figures,
                    measure::RESPONSE,
                    format!("{}|{}", s.stage, r.outcome.as_str()),
                    r.sent_on,
                    [
                        i64::from(r.sent_on <= code_respond_by(s)),
                        i64::from(r.sent_on <= s.original_respond_by),
                        0,
                    ],
                );
            }
            // Waiting for this stage's response from its start (not before receipt) until
            // the next stage starts, the response is sent, or the case ends unanswered.
            let from = s.started_on.max(c.received_on);
            let ended = matches!(c.status, ContactStatus::Withdrawn | ContactStatus::Declined)
                .then_some(c.closed_on)
                .flatten();
            let until = [
                stages.get(i + 1).map(|n| n.started_on),
                s.response.as_ref().map(|r| r.sent_on),
                ended,
            ]
            .into_iter()
            .flatten()
            .min();
            // Past target from the day after the response date.
            let past_from = s.respond_by.tomorrow().ok();
            let span = |figures: &mut Vec<Figure>, m: &str, start: Date, end: Option<Date>| {
                if end.is_some_and(|e| e <= start) {
                    return;
                }
                add(figures, m, String::new(), start, [0; 3]);
                if let Some(e) = end {
                    figures.push(Figure {
                        measure: m.to_string(),
                        key: String::new(),
                        day: e,
                        n: -1,
                        a: 0,
                        b: 0,
                        c: 0,
                    });
                }
            };
            let within_end = match (until, past_from) {
                (Some(u), Some(p)) => Some(u.min(p)),
                (u, p) => u.or(p),
            };
            span(&mut figures, measure::OPEN_WITHIN, from, within_end);
            if let Some(p) = past_from {
                span(&mut figures, measure::OPEN_PAST, from.max(p), until);
            }
        }
    }
    for f in &c.case.referrals {
        add(
            &mut figures,
            measure::REFERRAL,
            String::new(),
            f.referred_on,
            [0; 3],
        );
        if let (Some(det), Some(on)) = (f.determination, f.determined_on) {
            add(
                &mut figures,
                measure::DETERMINATION,
                det.as_str().into(),
                on,
                [0; 3],
            );
        }
    }
    let outcome = crate::measures::latest_outcome(c);
    for p in c.case.remedies.iter().filter_map(|r| r.payment.as_ref()) {
        if let Some(on) = p.approved_on {
            add(
                &mut figures,
                measure::PAYMENT,
                outcome.clone(),
                on,
                [p.amount.0, 0, 0],
            );
        }
    }
    CaseFigures {
        service_area: d.service_area.clone(),
        figures,
    }
}
