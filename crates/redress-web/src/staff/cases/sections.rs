//! The parts of a case page, each from the case as it stands.

use super::list::describe_days;
use crate::html::long_date;
use redress_app::cases::CaseView;
use redress_domain::contact::{Contact, ContactKind, NewContact};

pub(crate) struct LetterRow {
    pub(crate) id: String,
    pub(crate) subject: String,
    pub(crate) how: String,
    pub(crate) state: String,
}

pub(crate) fn letter_state(status: &str) -> &'static str {
    match status {
        "draft" => "Draft: check it and send it",
        "discarded" => "Withdrawn: not sent",
        "to-convert" => "Waiting to be transcribed or translated",
        "converted" => "Sent in the format asked for",
        "pending" => "Waiting to be emailed",
        "sending" => "Being emailed",
        "sent" => "Emailed",
        "failed" => "Email failed: check the address",
        "check" => "Email interrupted: check whether it arrived",
        "to-print" => "To print and post",
        "printed" => "Printed and posted",
        _ => "Unknown",
    }
}

pub(crate) struct RemedyRow {
    pub(crate) id: u32,
    pub(crate) kind: String,
    pub(crate) description: String,
    pub(crate) owner: String,
    pub(crate) due: String,
    pub(crate) state: String,
    pub(crate) class: &'static str,
    pub(crate) payment: String,
    pub(crate) notes: Vec<String>,
}

pub(crate) fn remedy_rows(
    c: &redress_domain::contact::Contact,
    today: jiff::civil::Date,
) -> Vec<RemedyRow> {
    c.case
        .remedies
        .iter()
        .map(|r| {
            let (state, class) = match r.done_on {
                Some(d) => (format!("Delivered {}", long_date(d)), ""),
                None if r.is_overdue(today) => ("Overdue".to_string(), "deadline--overdue"),
                None => ("Open".to_string(), ""),
            };
            let payment = r
                .payment
                .as_ref()
                .map(|p| {
                    let progress = match (p.approved_on, p.paid_on) {
                        (_, Some(paid)) => format!("paid {}", long_date(paid)),
                        (Some(a), None) => format!(
                            "approved {} by {}, not paid yet",
                            long_date(a),
                            p.approved_by.clone().unwrap_or_default()
                        ),
                        (None, None) => "awaiting approval".to_string(),
                    };
                    format!("{} {}: {progress}", p.amount, p.kind.label().to_lowercase())
                })
                .unwrap_or_default();
            RemedyRow {
                id: r.id,
                kind: r.kind.label().to_string(),
                description: r.description.clone(),
                owner: r.owner.name.clone(),
                due: long_date(r.due),
                state,
                class,
                payment,
                notes: r
                    .notes
                    .iter()
                    .map(|n| format!("{}, {}: {}", long_date(n.on), n.by, n.text))
                    .collect(),
            }
        })
        .collect()
}

pub(crate) fn ombudsman_rows(
    c: &redress_domain::contact::Contact,
    today: jiff::civil::Date,
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for r in &c.case.referrals {
        rows.push((
            "Referred".to_string(),
            format!(
                "{} to the {}{}",
                long_date(r.referred_on),
                r.ombudsman.name(),
                r.their_reference
                    .as_ref()
                    .map(|x| format!(", their reference {x}"))
                    .unwrap_or_default()
            ),
        ));
        if let (Some(d), Some(on)) = (r.determination, r.determined_on) {
            rows.push((
                "Determination".into(),
                format!("{} ({})", d.label(), long_date(on)),
            ));
        }
        if let Some(summary) = &r.summary {
            rows.push(("Findings".into(), summary.clone()));
        }
        for o in &r.orders {
            let state = match (&o.complied_on, &o.evidence) {
                (Some(d), evidence) => format!(
                    "complied with {}: {}",
                    long_date(*d),
                    evidence.clone().unwrap_or_default()
                ),
                (None, _) if o.due < today => "overdue".to_string(),
                (None, _) => "open".to_string(),
            };
            rows.push((
                format!("Order {}", o.id),
                format!("{} (due {}), {state}", o.description, long_date(o.due)),
            ));
        }
    }
    rows
}

pub(crate) struct StageView {
    pub(crate) title: String,
    pub(crate) rows: Vec<(String, String)>,
}

pub(crate) fn stage_views(c: &redress_domain::contact::Contact) -> Vec<StageView> {
    c.case
        .stages
        .iter()
        .rev()
        .map(|s| {
            let mut rows = vec![(
                if s.stage == 1 {
                    "Received"
                } else {
                    "Escalation requested"
                }
                .to_string(),
                long_date(s.started_on),
            )];
            let mut push = |k: &str, v: Option<String>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    rows.push((k.to_string(), v));
                }
            };
            push("What is still unresolved", s.escalation_reason.clone());
            push("Case worker", s.handler.as_ref().map(|h| h.name.clone()));
            push("Acknowledged", s.acknowledged_on.map(long_date));
            push("Our understanding", s.understanding.clone());
            push("Outcome wanted", s.outcome_wanted.clone());
            for (i, x) in s.extensions.iter().enumerate() {
                push(
                    &format!("Extension {}", i + 1),
                    Some(format!(
                        "{} to {}: {}. Agreed {}, resident told {}{}",
                        long_date(x.from),
                        long_date(x.to),
                        x.reason,
                        long_date(x.agreed_on),
                        long_date(x.resident_told_on),
                        if x.outside_code {
                            format!(
                                ". Outside the Code: {}",
                                x.good_reason.clone().unwrap_or_default()
                            )
                        } else {
                            String::new()
                        }
                    )),
                );
            }
            if let Some(r) = &s.response {
                push(
                    "Response",
                    Some(format!(
                        "Sent {}: {}{}",
                        long_date(r.sent_on),
                        r.outcome.label().to_lowercase(),
                        if r.early_resolution {
                            " (early resolution)"
                        } else {
                            ""
                        }
                    )),
                );
                for p in &r.points {
                    push(
                        if p.upheld { "Upheld" } else { "Not upheld" },
                        Some(p.point.clone()),
                    );
                }
                push("Reasons", Some(r.reasons.clone()));
                push("Outstanding actions", r.outstanding_actions.clone());
            }
            StageView {
                title: format!("Stage {}", s.stage),
                rows,
            }
        })
        .collect()
}

pub(crate) struct DeadlineRow {
    pub(crate) label: String,
    pub(crate) due: String,
    pub(crate) state: String,
    pub(crate) class: &'static str,
}

pub(crate) struct HistoryRow {
    /// changes, notes, files or letters: what the filters select by.
    pub(crate) kind: &'static str,
    pub(crate) title: String,
    pub(crate) when: String,
    pub(crate) actor: String,
    pub(crate) summary: String,
}

/// What stands out about the case, shown above everything else.
pub(crate) fn banners(c: &Contact) -> Vec<String> {
    let mut banners = Vec::new();
    if let Some(p) = &c.case.paused {
        banners.push(format!("Paused since {} for another procedure: {}. The clock keeps running: keep the resident informed.", long_date(p.since), p.reason));
    }
    if let Some(d) = &c.case.decline {
        banners.push(format!(
            "Not taken on ({}) on {}: {}",
            d.reason.label().to_lowercase(),
            long_date(d.on),
            d.explanation
        ));
    }
    if let Some(e) = &c.case.erased {
        banners.push(format!(
            "Personal data erased on {}: {}",
            long_date(e.on),
            e.reason
        ));
    }
    if let Some(w) = &c.case.withdrawal {
        banners.push(format!("Withdrawn: {w}"));
    }
    if let Some(r) = &c.case.time_limit_override {
        banners.push(format!("Accepted outside the time limit: {r}"));
    }
    for r in &c.case.escalation_refusals {
        banners.push(format!(
            "Escalation refused on {}: {}",
            long_date(r.on),
            r.reason
        ));
    }
    banners
}

/// The person's needs, so they are seen before anything is done.
pub(crate) fn needs(d: &NewContact) -> Vec<(String, String)> {
    let mut needs = Vec::new();
    if let Some(p) = &d.person {
        let n = &p.needs;
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                needs.push((k.to_string(), v));
            }
        };
        push(
            "Vulnerabilities",
            n.vulnerabilities.as_ref().map(|t| t.to_string()),
        );
        push("Needs", n.accessibility.as_ref().map(|t| t.to_string()));
        push(
            "Reasonable adjustments",
            n.adjustments.as_ref().map(|t| t.to_string()),
        );
        push(
            "Format",
            n.preferred_format
                .filter(|f| *f != redress_domain::person::PreferredFormat::Standard)
                .map(|f| f.label().to_string()),
        );
        push(
            "Letters and pages in",
            n.correspond_in.map(|l| match l {
                redress_domain::language::Language::Welsh => {
                    "Welsh (Cymraeg): write to them in Welsh".to_string()
                }
                redress_domain::language::Language::English => "English".to_string(),
            }),
        );
        push("Language", n.language.as_ref().map(|t| t.to_string()));
        push("Interpreter", n.interpreter.then(|| "Needed".to_string()));
        push(
            "Contact by",
            n.preferred_contact.map(|m| m.label().to_string()),
        );
    }
    needs
}

/// Each deadline with how long is left, or when it was met.
pub(crate) fn deadline_rows(view: &CaseView) -> Vec<DeadlineRow> {
    view.deadlines
        .iter()
        .map(|dl| {
            let (state_words, class) = match (dl.met_on, dl.working_days_left) {
                (Some(met), _) => {
                    let late = met > dl.due;
                    (
                        format!(
                            "Done on {}{}",
                            long_date(met),
                            if late { " (late)" } else { "" }
                        ),
                        if late { "deadline--overdue" } else { "" },
                    )
                }
                (None, Some(left)) => describe_days(left),
                (None, None) => ("Not applicable now".into(), ""),
            };
            DeadlineRow {
                label: dl.label.to_string(),
                due: long_date(dl.due),
                state: state_words,
                class,
            }
        })
        .collect()
}

/// What was received and from whom, and what has been done for comments and compliments.
pub(crate) fn details(view: &CaseView) -> Vec<(String, String)> {
    let c = &view.contact;
    let d = &c.detail;
    // Status, who has it and the service area are in the summary above.
    let mut details = vec![(
        "Received".to_string(),
        format!(
            "{} by {}",
            long_date(c.received_on),
            d.channel.label().to_lowercase()
        ),
    )];
    match &d.person {
        Some(p) => {
            details.push(("Name".into(), p.name.to_string()));
            details.extend(p.email.clone().map(|e| ("Email".to_string(), e)));
            details.extend(p.phone.clone().map(|e| ("Telephone".to_string(), e)));
            details.extend(
                p.address
                    .as_ref()
                    .map(|e| ("Address".to_string(), e.to_string())),
            );
            details.extend(p.postcode.clone().map(|e| ("Postcode".to_string(), e)));
        }
        None => details.push(("Name".into(), "Anonymous".into())),
    }
    if let Some(r) = &d.representative {
        details.push((
            "Representative".into(),
            format!(
                "{} ({}); authority: {}",
                r.name,
                r.relationship.label(),
                r.authority.label().to_lowercase()
            ),
        ));
    }
    details.push(("What happened".into(), d.summary.to_string()));
    details.extend(
        d.outcome_wanted
            .as_ref()
            .map(|t| ("Outcome wanted".to_string(), t.to_string())),
    );
    details.extend(
        d.issue_date
            .map(|t| ("Date it happened".to_string(), long_date(t))),
    );
    details.extend(
        d.property_ref
            .as_ref()
            .map(|t| ("Property reference".to_string(), t.to_string())),
    );
    details.extend(
        d.tenure
            .map(|t| ("Tenure".to_string(), t.label().to_string())),
    );
    details.extend(
        d.staff_named
            .as_ref()
            .map(|t| ("Compliment for".to_string(), t.to_string())),
    );
    details.extend(
        d.other_route
            .map(|t| ("Statutory route".to_string(), t.label().to_string())),
    );
    for p in &c.case.passed_on {
        details.push((
            "Passed on".into(),
            format!(
                "{} to {} and their manager {}",
                long_date(p.on),
                p.to,
                p.manager
            ),
        ));
    }
    if let Some(r) = &c.case.reply {
        details.push((
            "Reply".into(),
            format!("Sent {}: {}", long_date(r.on), r.text),
        ));
    }
    if let Some(o) = &c.case.comment_outcome {
        let reason = o
            .reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        details.push((
            "Outcome".into(),
            format!("{} ({}){reason}", o.outcome.label(), long_date(o.on)),
        ));
    }
    if d.kind == ContactKind::Comment {
        details.push((
            "Reply wanted".into(),
            if d.wants_reply { "Yes" } else { "No" }.into(),
        ));
    }
    details
}
