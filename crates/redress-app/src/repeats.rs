//! Repeats and duplicates at triage: a new contact from someone (or about a home) with an
//! open or recently closed case on a similar subject shows those cases and why they match,
//! so staff can link it as raised before, merge it as a duplicate, or treat it as new.
//! Seed 003 asks how a repeat complaint is told apart from a new one: this is where a
//! person decides, and the decision is kept.

use crate::access::Principal;
use crate::{App, AppError};
use jiff::civil::Date;
use redress_domain::case::LinkRelation;
use redress_domain::contact::{Contact, ContactKind, ContactStatus};
use redress_domain::role::Permission;
use redress_store::RepeatQuery;
use std::collections::{BTreeMap, BTreeSet};

/// How far back a closed case still counts as recent.
pub const RECENT_MONTHS: i64 = 12;
/// Words two summaries must share to be on a similar subject.
const SHARED_WORDS: usize = 2;
/// The most shown: the closest first.
const SHOWN: usize = 5;

/// An earlier case the contact might repeat, and why.
#[derive(Debug, Clone)]
pub struct PossibleRepeat {
    pub reference: String,
    pub kind: ContactKind,
    pub status: ContactStatus,
    pub received_on: Date,
    pub closed_on: Option<Date>,
    /// The start of what it was about.
    pub summary: String,
    pub why: Vec<String>,
}

/// Words that say nothing about the subject.
const COMMON: &[&str] = &[
    "about",
    "after",
    "again",
    "also",
    "been",
    "before",
    "being",
    "could",
    "does",
    "doing",
    "done",
    "down",
    "each",
    "even",
    "every",
    "from",
    "have",
    "having",
    "here",
    "into",
    "just",
    "know",
    "last",
    "like",
    "made",
    "make",
    "many",
    "more",
    "most",
    "much",
    "need",
    "never",
    "only",
    "other",
    "over",
    "please",
    "really",
    "said",
    "same",
    "since",
    "some",
    "still",
    "such",
    "than",
    "thank",
    "thanks",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "time",
    "told",
    "very",
    "want",
    "week",
    "weeks",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "your",
    "yours",
    "complaint",
    "complain",
    "dear",
    "regards",
    "sincerely",
    "hello",
    "today",
    "yesterday",
    "month",
    "months",
    "days",
    "email",
    "phone",
    "called",
    "call",
];

/// The words of a summary that say what it is about, by a plain form ("leaks", "leaking"
/// and "leaked" are one word), each with the word as first written.
pub fn subject_words(text: &str) -> BTreeMap<String, String> {
    let mut words = BTreeMap::new();
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !COMMON.contains(&w.as_str()))
    {
        let stem = ["ing", "ed", "es", "s"]
            .iter()
            .find_map(|end| w.strip_suffix(end).filter(|stem| stem.chars().count() >= 4))
            .unwrap_or(&w)
            .to_string();
        words.entry(stem).or_insert(w);
    }
    words
}

/// Whether staff have still to decide if the contact repeats an earlier case: while it is
/// being sorted, before it is acknowledged, when it can still be linked and closed.
pub fn undecided(c: &Contact) -> bool {
    c.sorting_repeats()
        && c.case.treated_as_new.is_none()
        && !c.case.links.iter().any(|l| {
            matches!(
                l.relation,
                LinkRelation::EarlierIssue | LinkRelation::DuplicateOf
            )
        })
}

impl App {
    /// The earlier cases, in the areas the member of staff may see, that this contact may
    /// repeat: none once someone has decided.
    pub async fn possible_repeats(
        &self,
        who: &Principal,
        contact: &Contact,
    ) -> Result<Vec<PossibleRepeat>, AppError> {
        let scope = self.grant(who, Permission::ViewCases).await?;
        if !undecided(contact) {
            return Ok(Vec::new());
        }
        let person = contact.detail.person.as_ref();
        let email = person.and_then(|p| p.email.clone());
        let phone = person
            .and_then(|p| p.phone.as_deref())
            .and_then(redress_domain::field::phone_digits);
        let property = contact.detail.property_ref.as_ref().map(|t| t.to_string());
        let closed_since = self
            .today()
            .checked_sub(jiff::Span::new().months(RECENT_MONTHS))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let candidates = self
            .store
            .repeat_candidates(
                &self.organisation.id,
                &RepeatQuery {
                    email: email.clone(),
                    phone_digits: phone.clone(),
                    property_ref: property.clone(),
                    closed_since: Some(closed_since),
                    areas: match &scope {
                        crate::access::Scope::All => None,
                        crate::access::Scope::Areas(a) => Some(a.clone()),
                    },
                },
            )
            .await?;
        let words = subject_words(contact.detail.summary.as_str());
        let linked: BTreeSet<&str> = contact
            .case
            .links
            .iter()
            .filter_map(|l| l.reference.as_ref().map(|r| r.as_str()))
            .collect();
        let mut found: Vec<(usize, PossibleRepeat)> = candidates
            .into_iter()
            .filter(|c| {
                c.id != contact.id
                    && c.detail.received_at <= contact.detail.received_at
                    && !linked.contains(c.reference.as_str())
                    && scope.allows(c)
            })
            .filter_map(|c| {
                let theirs_words = subject_words(c.detail.summary.as_str());
                let shared: Vec<String> = words
                    .iter()
                    .filter(|(stem, _)| theirs_words.contains_key(*stem))
                    .map(|(_, word)| word.clone())
                    .collect();
                if shared.len() < SHARED_WORDS {
                    return None;
                }
                let mut why = Vec::new();
                let theirs = c.detail.person.as_ref();
                if email.is_some()
                    && theirs
                        .and_then(|p| p.email.as_deref())
                        .zip(email.as_deref())
                        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
                {
                    why.push("Same email address".to_string());
                }
                if phone.is_some()
                    && theirs
                        .and_then(|p| p.phone.as_deref())
                        .and_then(redress_domain::field::phone_digits)
                        == phone
                {
                    why.push("Same phone number".to_string());
                }
                if let Some(p) = &property
                    && c.detail
                        .property_ref
                        .as_ref()
                        .is_some_and(|t| t.as_str().eq_ignore_ascii_case(p))
                {
                    why.push(format!("Same home (property reference {p})"));
                }
                if why.is_empty() {
                    return None;
                }
                let score = shared.len();
                why.push(format!(
                    "Both mention {}",
                    shared
                        .iter()
                        .take(6)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                let words: Vec<&str> = c.detail.summary.as_str().split_whitespace().collect();
                let mut summary = words.iter().take(30).copied().collect::<Vec<_>>().join(" ");
                if words.len() > 30 {
                    summary.push('…');
                }
                Some((
                    score,
                    PossibleRepeat {
                        reference: c.reference.to_string(),
                        kind: c.detail.kind,
                        status: c.status,
                        received_on: c.received_on,
                        closed_on: c.closed_on,
                        summary,
                        why,
                    },
                ))
            })
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.received_on.cmp(&a.1.received_on)));
        Ok(found.into_iter().take(SHOWN).map(|(_, r)| r).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::subject_words;

    #[test]
    fn subjects_are_compared_by_the_words_that_carry_them() {
        let a = subject_words("The bathroom ceiling is leaking again and there is mould");
        let b = subject_words("Still waiting: leak in the bathroom ceiling, mould spreading");
        let shared: Vec<&String> = a
            .iter()
            .filter(|(stem, _)| b.contains_key(*stem))
            .map(|(_, word)| word)
            .collect();
        assert_eq!(shared, ["bathroom", "ceiling", "leaking", "mould"]);
        assert!(subject_words("I would like to complain about this, please").is_empty());
    }
}
