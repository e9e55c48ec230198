//! What residents sent about a case after it was opened (emails threaded to it), and the
//! earlier cases a new contact might repeat, as the case page shows them.

use redress_app::repeats::PossibleRepeat;
use redress_domain::calendar::{long_date, long_date_time};
use redress_domain::contact::Contact;

pub(crate) struct EmailView {
    pub when: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub files: String,
    pub new: bool,
}

pub(crate) fn emails(c: &Contact) -> Vec<EmailView> {
    c.case
        .emails
        .iter()
        .rev()
        .map(|e| EmailView {
            when: long_date_time(e.at),
            from: e.from.clone(),
            subject: if e.subject.is_empty() {
                "(no subject)".into()
            } else {
                e.subject.clone()
            },
            text: e.text.clone(),
            files: e.files.join(", "),
            new: !e.read,
        })
        .collect()
}

pub(crate) struct RepeatView {
    pub reference: String,
    pub what: String,
    pub summary: String,
    pub why: Vec<String>,
    /// The link action's form, filled in for this case as raised before or a duplicate.
    pub raised_before_href: String,
    pub duplicate_href: String,
}

pub(crate) fn repeats(c: &Contact, found: Vec<PossibleRepeat>) -> Vec<RepeatView> {
    found
        .into_iter()
        .map(|r| {
            let state = match r.closed_on {
                Some(on) => format!("closed {}", long_date(on)),
                None => "still open".into(),
            };
            let link = |relation: &str| {
                format!(
                    "/staff/cases/{}/act/link?relation={relation}&reference={}",
                    c.reference, r.reference
                )
            };
            RepeatView {
                what: format!(
                    "{}, received {}, {state}",
                    r.kind.label(),
                    long_date(r.received_on)
                ),
                summary: r.summary,
                why: r.why,
                raised_before_href: link("earlier-issue"),
                duplicate_href: link("duplicate-of"),
                reference: r.reference,
            }
        })
        .collect()
}
