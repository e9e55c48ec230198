//! The running totals the measures are read from.
//!
//! Counting a year's measures case by case means reading every case of the year; with a
//! large history that takes minutes. Instead each case is turned into dated figures (a
//! response sent on a day, on time or not; a closure on a day after so many days) and the
//! store keeps their totals per day. A period's measures then add up a few hundred days of
//! totals, whatever the number of cases. When a case changes its old figures are taken out
//! and its new ones put in, so the totals always equal counting the cases afresh: the
//! `measures` function in `measures.rs` is that count, and the tests hold the two together.

use crate::calendar::WorkingCalendar;
use crate::case::Contact;
use crate::contact::{ContactKind, ContactStatus};
use crate::measures::{Measures, Period, Satisfaction, code_respond_by, round1};
use crate::organisation::Tenure;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a figure counts. Kept as text in the store.
pub mod measure {
    pub const RECEIVED: &str = "received";
    pub const CHANNEL: &str = "channel";
    pub const SURVEY: &str = "survey";
    pub const SURVEY_OUTCOME: &str = "survey-outcome";
    pub const MONITORING: &str = "monitoring";
    pub const MONITORING_ANSWER: &str = "monitoring-answer";
    pub const ROOT_CAUSE: &str = "root-cause";
    pub const DECLINED: &str = "declined";
    pub const WITHDRAWN: &str = "withdrawn";
    pub const CLOSED: &str = "closed";
    pub const CLOSED_SINCE: &str = "closed-since";
    pub const ESCALATION_REFUSED: &str = "escalation-refused";
    pub const STAGE_STARTED: &str = "stage-started";
    pub const STAGE_STARTED_TENURE: &str = "stage-started-tenure";
    pub const ACKNOWLEDGED: &str = "acknowledged";
    pub const EXTENSION: &str = "extension";
    pub const RESPONSE: &str = "response";
    pub const REFERRAL: &str = "referral";
    pub const DETERMINATION: &str = "determination";
    pub const PAYMENT: &str = "payment";
    /// +1 on the day a complaint starts waiting inside its response date, -1 on the day
    /// it stops: the sum up to a day is how many were waiting inside target that day.
    pub const OPEN_WITHIN: &str = "open-within";
    /// The same for waiting past the response date.
    pub const OPEN_PAST: &str = "open-past";
    /// Who made a complaint (email or phone), for repeat complainants. Personal data: kept
    /// per case, never in the daily totals, and gone when the case is erased.
    pub const COMPLAINANT: &str = "complainant";
}

/// The measures summed up to a day rather than within a period.
pub const RUNNING: [&str; 2] = [measure::OPEN_WITHIN, measure::OPEN_PAST];

/// One dated figure of a case: `n` counts it, `a`, `b` and `c` carry what is summed with
/// it (on time or not, days taken, pence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: String,
    pub key: String,
    pub day: Date,
    pub n: i64,
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

/// A case's figures, with the service area they count under.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFigures {
    pub service_area: Option<String>,
    pub figures: Vec<Figure>,
}

impl CaseFigures {
    /// The person key of a complaint, if the case has one.
    pub fn complainant(&self) -> Option<(&str, Date)> {
        self.figures
            .iter()
            .find(|f| f.measure == measure::COMPLAINANT)
            .map(|f| (f.key.as_str(), f.day))
    }

    /// What the daily totals gain and lose when `self` replaces `old`, keyed by service
    /// area ("" for none), day, measure and key, in that order, with nothing that nets to
    /// zero. Complainants are left out: they are kept per case.
    pub fn changes_from(
        &self,
        old: &CaseFigures,
    ) -> BTreeMap<(String, Date, String, String), [i64; 4]> {
        let mut out: BTreeMap<(String, Date, String, String), [i64; 4]> = BTreeMap::new();
        for (side, sign) in [(old, -1), (self, 1)] {
            let area = side.service_area.clone().unwrap_or_default();
            for f in side
                .figures
                .iter()
                .filter(|f| f.measure != measure::COMPLAINANT)
            {
                let t = out
                    .entry((area.clone(), f.day, f.measure.clone(), f.key.clone()))
                    .or_default();
                for (slot, v) in t.iter_mut().zip([f.n, f.a, f.b, f.c]) {
                    *slot += sign * v;
                }
            }
        }
        out.retain(|_, t| t.iter().any(|v| *v != 0));
        out
    }
}

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

/// Totals of one measure and key in one service area over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub measure: String,
    pub key: String,
    pub service_area: Option<String>,
    pub n: i64,
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

/// What the store adds up for a period, besides the totals within it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AtPeriodEnd {
    /// Sums of the running measures up to the period's last day.
    pub open_within_target: i64,
    pub open_past_target: i64,
    /// People with two or more complaints received in the period (counted separately,
    /// and left at zero where it is not needed, as for the TSM).
    pub repeat_complainants: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn add_to(s: &mut Satisfaction, t: &Total) {
    s.responses += count(t.n);
    s.satisfied_with_handling += count(t.a);
    s.outcome_answers += count(t.b);
    s.satisfied_with_outcome += count(t.c);
}

/// The measures from a period's totals, the same as `measures` counts from the cases.
pub fn measures_from(
    totals: &[Total],
    end: &AtPeriodEnd,
    period: Period,
    calendar: &WorkingCalendar,
    area_name: &dyn Fn(Option<&str>) -> String,
) -> Measures {
    let mut m = Measures {
        period: Some(period),
        ..Default::default()
    };
    let (mut close_days, mut closes) = (0i64, 0i64);
    let mut working = 0i64;
    // Working days from the period's start to a day, so that the working days between a
    // receipt and a closure are the difference of the two, summed per day.
    let from_start = |d: &str| {
        d.parse::<Date>()
            .map(|d| calendar.working_days_between(period.from, d))
            .unwrap_or(0)
    };
    for t in totals {
        let n = count(t.n);
        let key = t.key.clone();
        match t.measure.as_str() {
            measure::RECEIVED => {
                *m.received_by_kind.entry(key).or_default() += n;
                if t.key == ContactKind::Complaint.as_str() {
                    m.new_complaints += n;
                }
            }
            measure::CHANNEL => *m.channels.entry(key).or_default() += n,
            measure::SURVEY => match t.key.parse::<u8>() {
                Ok(0) => add_to(&mut m.feedback, t),
                Ok(stage) => add_to(m.satisfaction_by_stage.entry(stage).or_default(), t),
                Err(_) => {}
            },
            measure::SURVEY_OUTCOME => add_to(m.satisfaction_by_outcome.entry(key).or_default(), t),
            measure::MONITORING => m.monitoring_answers += n,
            measure::MONITORING_ANSWER => {
                if let Some((q, a)) = t.key.split_once('|') {
                    *m.who_complains
                        .entry(q.to_string())
                        .or_default()
                        .entry(a.to_string())
                        .or_default() += n;
                }
            }
            measure::ROOT_CAUSE => *m.root_causes.entry(key).or_default() += n,
            measure::DECLINED => *m.declined_by_reason.entry(key).or_default() += n,
            measure::WITHDRAWN => m.withdrawn += n,
            measure::CLOSED => {
                m.closed += n;
                closes += t.n;
                close_days += t.a;
                working += t.n * from_start(&t.key);
            }
            measure::CLOSED_SINCE => working -= t.n * from_start(&t.key),
            measure::ESCALATION_REFUSED => m.escalations_refused += n,
            measure::STAGE_STARTED => {
                if let Ok(stage) = t.key.parse::<u8>() {
                    *m.received_by_stage.entry(stage).or_default() += n;
                }
            }
            measure::ACKNOWLEDGED => {
                m.acknowledgements += n;
                m.acknowledged_on_time += count(t.a);
            }
            measure::EXTENSION => {
                m.extensions += n;
                m.extensions_outside_code += count(t.a);
            }
            measure::RESPONSE => {
                if let Some((stage, outcome)) = t.key.split_once('|')
                    && let Ok(stage) = stage.parse::<u8>()
                {
                    let s = m.timeliness_by_stage.entry(stage).or_default();
                    s.responses += n;
                    s.on_time += count(t.a);
                    s.on_time_strict += count(t.b);
                    *m.outcomes_by_stage
                        .entry(stage)
                        .or_default()
                        .entry(outcome.to_string())
                        .or_default() += n;
                }
            }
            measure::REFERRAL => m.ombudsman_referrals += n,
            measure::DETERMINATION => *m.ombudsman_determinations.entry(key).or_default() += n,
            measure::PAYMENT => {
                let comp = &mut m.compensation;
                comp.payments += n;
                comp.total_pence += t.a;
                *comp.by_outcome_pence.entry(key).or_default() += t.a;
                *comp
                    .by_service_area_pence
                    .entry(area_name(t.service_area.as_deref()))
                    .or_default() += t.a;
            }
            _ => {}
        }
    }
    m.finish();
    // Counts of days stay far below 2^52, so the conversions are exact.
    let average = |total: i64| (closes > 0).then(|| round1(total as f64 / closes as f64));
    m.average_days_to_close = average(close_days);
    m.average_working_days_to_close = average(working);
    m.open_within_target = count(end.open_within_target);
    m.open_past_target = count(end.open_past_target);
    m.repeat_complainants = count(end.repeat_complainants);
    m
}

/// Cases of each TSM tenure starting stage 1 and stage 2 in the totals.
pub fn stages_by_tenure(totals: &[Total]) -> [BTreeMap<String, u32>; 2] {
    let mut out: [BTreeMap<String, u32>; 2] = Default::default();
    for t in totals
        .iter()
        .filter(|t| t.measure == measure::STAGE_STARTED_TENURE)
    {
        if let Some((stage, tenure)) = t.key.split_once('|')
            && let Ok(stage) = stage.parse::<usize>()
            && let Some(counts) = out.get_mut(stage.wrapping_sub(1))
        {
            *counts.entry(tenure.to_string()).or_default() += count(t.n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Division;
    use crate::case::{Command, Context, PointDecision};
    use crate::contact::{ContactInput, Reference, Source};
    use crate::event::Actor;
    use crate::measures::measures;
    use crate::scheme::Scheme;
    use jiff::Timestamp;
    use jiff::civil::date;

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::standard(Division::EnglandAndWales)
    }

    fn hos() -> Scheme {
        Scheme::find_built_in("hos-2024").unwrap_or_else(|_| Scheme::built_in().remove(0))
    }

    fn complaint(id: &str, email: &str, received: &str) -> Contact {
        let input = ContactInput {
            kind: "complaint".into(),
            channel: "phone".into(),
            who: "myself".into(),
            name: "Aled Jones".into(),
            email: email.into(),
            tenure: "low-cost-rental".into(),
            summary: "The boiler keeps breaking down".into(),
            received_date: received.into(),
            received_time: "10:00".into(),
            ..Default::default()
        };
        let now: Timestamp = "2025-12-01T12:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let made = input
            .parse(Source::Staff, now)
            .map_err(|e| format!("{e:?}"))
            .and_then(|d| {
                Contact::receive(
                    id.into(),
                    Reference::new(ContactKind::Complaint, 2025, 1),
                    d,
                    &hos(),
                    &calendar(),
                    Actor::system(),
                )
                .map_err(|e| e.to_string())
            });
        match made {
            Ok((c, _)) => c,
            Err(e) => unreachable!("fixture: {e}"),
        }
    }

    fn apply(c: &mut Contact, command: Command) {
        let (scheme, cal) = (hos(), calendar());
        let ctx = Context {
            scheme: &scheme,
            calendar: &cal,
            actor: Actor::system(),
            at: Timestamp::UNIX_EPOCH,
            today: date(2025, 12, 1),
        };
        if let Err(e) = c.apply(command, &ctx) {
            unreachable!("fixture: {e}");
        }
    }

    /// What the store does with the kept figures, done here over a list of cases.
    fn from_kept(cases: &[Contact], period: Period) -> Measures {
        let kept: Vec<CaseFigures> = cases.iter().map(of_case).collect();
        let mut totals: BTreeMap<(String, String, Option<String>), [i64; 4]> = BTreeMap::new();
        let mut end = AtPeriodEnd::default();
        let mut people: BTreeMap<&str, i64> = BTreeMap::new();
        for k in &kept {
            for f in &k.figures {
                if f.measure == measure::COMPLAINANT {
                    if period.contains(f.day) {
                        *people.entry(f.key.as_str()).or_default() += 1;
                    }
                } else if RUNNING.contains(&f.measure.as_str()) {
                    if f.day <= period.to {
                        let at = if f.measure == measure::OPEN_WITHIN {
                            &mut end.open_within_target
                        } else {
                            &mut end.open_past_target
                        };
                        *at += f.n;
                    }
                } else if period.contains(f.day) {
                    let t = totals
                        .entry((f.measure.clone(), f.key.clone(), k.service_area.clone()))
                        .or_default();
                    for (slot, v) in t.iter_mut().zip([f.n, f.a, f.b, f.c]) {
                        *slot += v;
                    }
                }
            }
        }
        end.repeat_complainants =
            i64::try_from(people.values().filter(|n| **n >= 2).count()).unwrap_or(i64::MAX);
        let totals: Vec<Total> = totals
            .into_iter()
            .filter(|(_, t)| t[0] != 0)
            .map(|((measure, key, service_area), [n, a, b, c])| Total {
                measure,
                key,
                service_area,
                n,
                a,
                b,
                c,
            })
            .collect();
        measures_from(&totals, &end, period, &calendar(), &|_| "area".into())
    }

    fn same_as_counting_afresh(cases: &[Contact]) {
        let mut periods = vec![
            Period::financial_year(2025).unwrap_or_else(|e| unreachable!("{e}")),
            Period::financial_year(2024).unwrap_or_else(|e| unreachable!("{e}")),
        ];
        // Every single day from before the first receipt to after the last closure.
        let mut d = date(2025, 4, 1);
        while d < date(2025, 8, 1) {
            periods.push(Period { from: d, to: d });
            d = d.tomorrow().unwrap_or(date(2025, 8, 1));
        }
        for p in periods {
            assert_eq!(
                from_kept(cases, p),
                measures(cases, p, &calendar(), &|_| "area".into()),
                "{p:?}"
            );
        }
    }

    #[test]
    fn kept_figures_count_what_the_cases_count_at_every_step() {
        let mut a = complaint("a", "aled@example.org", "2025-04-07");
        let mut b = complaint("b", "ALED@example.org", "2025-05-01");
        let c = complaint("c", "cerys@example.org", "2025-06-02");
        same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
        apply(
            &mut a,
            Command::Acknowledge {
                on: date(2025, 4, 9),
                understanding: "Boiler".into(),
                outcome_wanted: "Fixed".into(),
            },
        );
        same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
        apply(
            &mut a,
            Command::Respond {
                on: date(2025, 6, 20),
                points: vec![PointDecision {
                    point: "Boiler".into(),
                    upheld: true,
                }],
                reasons: "Checked".into(),
                outstanding_actions: None,
                early_resolution: false,
            },
        );
        apply(
            &mut b,
            Command::Withdraw {
                on: date(2025, 5, 20),
                reason: "Sorted out".into(),
            },
        );
        same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
        apply(
            &mut a,
            Command::Close {
                on: date(2025, 6, 25),
            },
        );
        same_as_counting_afresh(&[a.clone(), b.clone(), c.clone()]);
        // A late response leaves a waiting-past-target span; and the totals can say so.
        let june = from_kept(
            &[a.clone()],
            Period {
                from: date(2025, 6, 1),
                to: date(2025, 6, 1),
            },
        );
        assert_eq!((june.open_within_target, june.open_past_target), (0, 1));
    }

    #[test]
    fn a_case_unchanged_changes_no_totals_and_a_new_one_adds_its_own() {
        let a = of_case(&complaint("a", "aled@example.org", "2025-04-07"));
        assert!(a.changes_from(&a).is_empty());
        let added = a.changes_from(&CaseFigures::default());
        let received: Vec<_> = added
            .iter()
            .filter(|((_, _, m, _), _)| m == measure::RECEIVED)
            .collect();
        assert_eq!(received.len(), 1);
        assert_eq!(
            a.complainant().map(|(k, _)| k.to_string()),
            Some("aled@example.org".into())
        );
        assert!(
            added.keys().all(|(_, _, m, _)| m != measure::COMPLAINANT),
            "who complained is never in the daily totals"
        );
    }
}
