//! The top of a case page: where the case stands at a glance (kind, stage, status, each
//! deadline with working days left, who has it, the person and their needs), and the
//! history's filters by what happened.

use super::sections::{DeadlineRow, HistoryRow};
use crate::html::long_date;
use redress_app::cases::CaseView;
use redress_domain::event::{Event, EventKind};

/// One line of the summary: a label, its value, and a style for the value.
pub(crate) struct SummaryRow {
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) class: &'static str,
}

fn row(key: &str, value: String) -> SummaryRow {
    SummaryRow {
        key: key.to_string(),
        value,
        class: "",
    }
}

/// The summary's rows, deadlines first after the status.
pub(crate) fn summary(
    view: &CaseView,
    deadlines: &[DeadlineRow],
    needs: &[(String, String)],
) -> Vec<SummaryRow> {
    let c = &view.contact;
    let d = &c.detail;
    let mut rows = vec![row("Status", c.status.label().to_string())];
    for dl in deadlines {
        rows.push(SummaryRow {
            key: dl.label.clone(),
            value: format!("{}: {}", dl.due, dl.state),
            class: dl.class,
        });
    }
    if let Some(p) = &c.case.paused {
        rows.push(row(
            "On hold",
            format!("Since {}: {}", long_date(p.since), p.reason),
        ));
    }
    rows.push(row(
        "Complaints officer",
        c.case
            .officer
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "Not assigned: waiting for triage".into()),
    ));
    if let Some(stage) = c.current() {
        rows.push(row(
            &format!("Stage {} case worker", stage.stage),
            stage
                .handler
                .as_ref()
                .map(|h| h.name.clone())
                .unwrap_or_else(|| "Not assigned".into()),
        ));
    }
    rows.push(row(
        "Person",
        match (&d.person, &d.representative) {
            (Some(p), Some(r)) => format!(
                "{} (through {}, {})",
                p.name,
                r.name,
                r.relationship.label().to_lowercase()
            ),
            (Some(p), None) => p.name.to_string(),
            (None, _) => "Anonymous".into(),
        },
    ));
    rows.push(row(
        "Service area",
        view.service_area
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "Not assigned".into()),
    ));
    for (k, v) in needs {
        rows.push(row(k, v.clone()));
    }
    if c.is_priority() {
        let concern = if d.safeguarding {
            "Someone may be at risk of harm"
        } else {
            "An anonymous report about a vulnerable group"
        };
        rows.push(match &c.case.safeguarding_review {
            None => SummaryRow {
                key: "Safeguarding".into(),
                value: format!("{concern}: review it now"),
                class: "deadline--overdue",
            },
            Some(r) => row(
                "Safeguarding",
                format!(
                    "{concern}. Reviewed on {} by {}: {}",
                    long_date(r.on),
                    r.by,
                    r.note
                ),
            ),
        });
    }
    if c.follow_up_open() {
        rows.push(SummaryRow {
            key: "Survey".into(),
            value: "The resident was dissatisfied: follow it up".into(),
            class: "deadline--due-soon",
        });
    }
    rows
}

/// What kind of entry a history item is, for the filters.
pub(crate) fn history_kind(e: &Event) -> &'static str {
    match e.kind {
        EventKind::NoteAdded => "notes",
        EventKind::AttachmentAdded | EventKind::Redacted => "files",
        EventKind::LetterEdited | EventKind::LetterApproved | EventKind::LetterReleased => {
            "letters"
        }
        _ => "changes",
    }
}

/// The filters over the history: (value, words, how many, chosen).
pub(crate) fn history_filters(
    all: &[HistoryRow],
    chosen: &str,
) -> Vec<(&'static str, &'static str, usize, bool)> {
    [
        ("", "Everything"),
        ("changes", "Changes"),
        ("notes", "Notes"),
        ("files", "Files"),
        ("letters", "Letters"),
    ]
    .into_iter()
    .map(|(value, words)| {
        let n = all
            .iter()
            .filter(|h| value.is_empty() || h.kind == value)
            .count();
        (value, words, n, value == chosen)
    })
    .collect()
}
