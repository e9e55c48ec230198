//! The recognition assistant: what kind of contact a message reads as, how sure it is, and
//! the phrases that led to it; and whether it describes a hazard in the home.
//!
//! It is a lexicon of weighted phrases (in `lexicon`), matched as whole words or word
//! beginnings by `aho-corasick`, so every suggestion can be explained by the words that
//! made it. It runs offline and learns nothing from what it reads. The Housing Ombudsman's
//! test decides what counts: dissatisfaction, however expressed, with the service or with
//! what the organisation did or did not do, is a complaint whether or not the word is used
//! (complaints.md §2). So dissatisfaction outweighs everything else: a thank-you to one
//! officer beside a grievance about another is a complaint, and so is a repair asked for
//! again after nobody came.

pub mod figures;
mod lexicon;
pub(crate) mod model;

use crate::hazard::{HazardKind, Urgency};
use crate::intake::ContactKind;
use aho_corasick::AhoCorasick;
use jiff::civil::Date;
use lexicon::{Cue, Signal};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What the assistant makes of one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recognition {
    pub kind: ContactKind,
    /// From 0 to 1: how far the winning kind's evidence outweighs the rest.
    pub confidence: f32,
    /// The phrases, as written, that led to the kind.
    pub reasons: Vec<String>,
    pub hazard: Option<HazardSuggestion>,
}

/// A possible hazard in the home, for staff to confirm or dismiss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardSuggestion {
    pub kind: HazardKind,
    pub urgency: Urgency,
    pub reasons: Vec<String>,
}

/// The suggestion kept on a case from when it arrived, and what staff made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub kind: ContactKind,
    /// Per cent.
    pub confidence: u8,
    pub reasons: Vec<String>,
    /// Staff's answer to "This may be a complaint".
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// A complaint raised from the suggestion, or the suggestion set aside with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub raised: bool,
    pub on: Date,
    pub by: String,
    pub reason: Option<String>,
}

impl Suggestion {
    /// Whether the case page should say "This may be a complaint": it reads as one, is
    /// recorded as something else, and nobody has answered that yet.
    pub fn may_be_complaint(&self, recorded: ContactKind) -> bool {
        self.kind == ContactKind::Complaint
            && recorded != ContactKind::Complaint
            && self.decision.is_none()
    }
}

impl Recognition {
    /// What is kept on the case.
    pub fn suggestion(&self) -> Suggestion {
        Suggestion {
            kind: self.kind,
            confidence: (self.confidence * 100.0).round().clamp(0.0, 100.0) as u8,
            reasons: self.reasons.clone(),
            decision: None,
        }
    }

    /// Whether a contact recorded as `recorded` should be flagged "This may be a complaint".
    pub fn may_be_complaint(&self, recorded: ContactKind) -> bool {
        recorded != ContactKind::Complaint && self.kind == ContactKind::Complaint
    }
}

/// The text made ready to match: lower case, apostrophes dropped ("hasn't" is "hasnt"),
/// every other run of non-letters one space, with a space at each end.
fn normalise(text: &str) -> (String, Vec<usize>) {
    // Each character of the normalised text remembers where it came from, so a reason can
    // be quoted as the person wrote it.
    let mut out = String::from(" ");
    let mut origin = vec![0];
    let mut space = true;
    for (i, c) in text.char_indices() {
        if matches!(c, '\'' | '’' | '‘' | '`') {
            continue;
        }
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
                // Matches are found at byte offsets: one entry per byte of what was pushed.
                origin.extend(std::iter::repeat_n(i, l.len_utf8()));
            }
            space = false;
        } else if !space {
            out.push(' ');
            origin.push(i);
            space = true;
        }
    }
    if !space {
        out.push(' ');
        origin.push(text.len());
    }
    (out, origin)
}

struct Matcher {
    automaton: AhoCorasick,
    cues: Vec<Cue>,
}

fn matcher() -> Option<&'static Matcher> {
    static MATCHER: OnceLock<Option<Matcher>> = OnceLock::new();
    MATCHER
        .get_or_init(|| {
            let cues: Vec<Cue> = lexicon::all().cloned().chain(lexicon::counted()).collect();
            // A pattern starts at a word's start; one ending in `*` may end mid-word.
            let patterns: Vec<String> = cues
                .iter()
                .map(|c| match c.phrase.strip_suffix('*') {
                    Some(stem) => format!(" {stem}"),
                    None => format!(" {} ", c.phrase),
                })
                .collect();
            AhoCorasick::new(patterns)
                .ok()
                .map(|automaton| Matcher { automaton, cues })
        })
        .as_ref()
}

/// One cue found: which, and where in the normalised text.
struct Found {
    cue: &'static Cue,
    start: usize,
    end: usize,
}

/// Every cue in the text; a cue inside a longer one found at the same place is dropped
/// ("waiting" within "still waiting"), so nothing is counted twice.
fn find(normalised: &str) -> Vec<Found> {
    let Some(m) = matcher() else {
        return Vec::new();
    };
    let mut all: Vec<Found> = m
        .automaton
        .find_overlapping_iter(normalised)
        .map(|hit| Found {
            cue: &m.cues[hit.pattern().as_usize()],
            start: hit.start(),
            end: hit.end(),
        })
        .collect();
    all.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Found> = Vec::new();
    for f in all {
        let inside = kept.iter().any(|k| k.start <= f.start && f.end <= k.end);
        let twice = kept.iter().any(|k| std::ptr::eq(k.cue, f.cue));
        if !inside && !twice {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| f.start);
    kept
}

/// The words of a cue as the person wrote them.
fn quote(text: &str, origin: &[usize], f: &Found) -> String {
    let from = origin.get(f.start + 1).copied().unwrap_or(0);
    let to = origin
        .get(f.end.saturating_sub(1))
        .copied()
        .unwrap_or(text.len());
    let mut end = to.min(text.len());
    // Extend to the end of the word (a cue matched by its beginning).
    while let Some(c) = text[end..].chars().next() {
        if !c.is_alphanumeric() {
            break;
        }
        end += c.len_utf8();
    }
    text.get(from..end).unwrap_or_default().trim().to_string()
}

/// The phrases as written, those that overlap ("why hasnt", "hasnt anyone") quoted as one.
fn quotes<'a>(text: &str, origin: &[usize], found: impl Iterator<Item = &'a Found>) -> Vec<String> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for f in found {
        match spans.last_mut() {
            // Phrases found next to each other share the space between them; only those
            // sharing a word are one.
            Some(last) if f.start + 1 < last.1 => last.1 = last.1.max(f.end),
            _ => spans.push((f.start, f.end)),
        }
    }
    spans
        .into_iter()
        .map(|(start, end)| {
            let cue = Found {
                cue: &lexicon::QUOTED,
                start,
                end,
            };
            quote(text, origin, &cue)
        })
        .collect()
}

/// How the lexicon and the model are weighed together.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blend {
    /// How much one unit of lexicon evidence counts against the model's log-probability.
    pub lexicon: f64,
    /// Added to a complaint's total: missing a complaint costs more than a second look.
    pub complaint_bias: f64,
    /// Lexicon evidence of dissatisfaction at which it is a complaint whatever the model says.
    pub decisive: f32,
}

/// Chosen by five-fold cross-validation on the "train" and "dev" parts
/// (`evaluation::tune_the_blend`), never on the held-out "test" part: the best accuracy
/// among the blends that find at least 97.5% of complaints.
pub(crate) const BLEND: Blend = Blend {
    lexicon: 2.0,
    complaint_bias: 0.0,
    decisive: 4.0,
};

/// Reads a message and suggests its kind, with the phrases that led there, and any hazard.
pub fn recognise(text: &str) -> Recognition {
    read_with(text, model::shipped(), BLEND)
}

pub(crate) fn read_with(text: &str, model: Option<&model::Model>, blend: Blend) -> Recognition {
    let (normalised, origin) = normalise(text);
    let found = find(&normalised);
    let mut score = [0.0f32; 5];
    let index = |k: ContactKind| ContactKind::ALL.iter().position(|x| *x == k).unwrap_or(0);
    let complaint = index(ContactKind::Complaint);
    let mut repeated = 0.0f32;
    let mut asking = false;
    for f in &found {
        match f.cue.signal {
            Signal::Kind(k, w) => score[index(k)] += w,
            Signal::Repeated(w) => {
                repeated += w;
                score[complaint] += w;
            }
            Signal::Asking(w) => {
                asking = true;
                score[index(ContactKind::ServiceRequest)] += w;
            }
            Signal::Hazard(..) | Signal::Vulnerable => {}
        }
    }
    // Asking again after nothing happened is dissatisfaction with how it was handled.
    if repeated >= 1.2 && asking {
        score[complaint] += 1.0;
    }
    let learnt = model.and_then(|m| m.log_proba(&normalised));
    let (best, confidence) = match learnt {
        _ if score[complaint] >= blend.decisive => {
            (complaint, lexicon_confidence(&score, complaint))
        }
        Some(log_proba) => {
            let total: Vec<f64> = (0..5)
                .map(|k| {
                    log_proba[k]
                        + blend.lexicon * f64::from(score[k])
                        + if k == complaint {
                            blend.complaint_bias
                        } else {
                            0.0
                        }
                })
                .collect();
            let best = (0..5)
                .max_by(|a, b| total[*a].total_cmp(&total[*b]))
                .unwrap_or(complaint);
            // The share of the winner among all kinds, from the blended totals.
            let top = total[best];
            let sum: f64 = total.iter().map(|t| (t - top).exp()).sum();
            (best, (1.0 / sum) as f32)
        }
        None if score[complaint] >= lexicon::COMPLAINT_THRESHOLD => {
            (complaint, lexicon_confidence(&score, complaint))
        }
        None => {
            let best = (0..5).filter(|k| *k != complaint).fold(
                index(ContactKind::ServiceRequest),
                |best, k| {
                    if score[k] > score[best] { k } else { best }
                },
            );
            (best, lexicon_confidence(&score, best))
        }
    };
    let best = ContactKind::ALL[best];
    let reasons = quotes(
        text,
        &origin,
        found.iter().filter(|f| match f.cue.signal {
            Signal::Kind(k, _) => k == best,
            Signal::Repeated(_) => best == ContactKind::Complaint,
            Signal::Asking(_) => best == ContactKind::ServiceRequest,
            Signal::Hazard(..) | Signal::Vulnerable => false,
        }),
    );
    Recognition {
        kind: best,
        confidence: (confidence.clamp(0.05, 0.99) * 100.0).round() / 100.0,
        reasons,
        hazard: hazard(text, &origin, &found),
    }
}

/// How far one kind's lexicon evidence outweighs the rest.
fn lexicon_confidence(score: &[f32; 5], best: usize) -> f32 {
    let others: f32 = score.iter().sum::<f32>() - score[best];
    if score[best] <= 0.0 {
        0.2
    } else {
        score[best] / (score[best] + others + 1.0)
    }
}

/// The hazard the cues point to, the most weighty kind first; emergency when any cue
/// says so.
fn hazard(text: &str, origin: &[usize], found: &[Found]) -> Option<HazardSuggestion> {
    let mut best: Option<(HazardKind, f32)> = None;
    let mut emergency = false;
    let mut reasons = Vec::new();
    let mut vulnerable = None;
    for f in found {
        match f.cue.signal {
            Signal::Hazard(kind, weight, urgent) => {
                emergency |= urgent;
                reasons.push(quote(text, origin, f));
                if best.is_none_or(|(_, w)| weight > w) {
                    best = Some((kind, weight));
                }
            }
            Signal::Vulnerable => vulnerable = Some(quote(text, origin, f)),
            _ => {}
        }
    }
    // No heating or hot water is an emergency for a baby, an elderly or ill person.
    if let (Some((HazardKind::Heating, _)), Some(who)) = (best, vulnerable) {
        emergency = true;
        reasons.push(who);
    }
    best.map(|(kind, _)| HazardSuggestion {
        kind,
        urgency: if emergency {
            Urgency::Emergency
        } else {
            Urgency::Significant
        },
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_is_recognised_without_the_word() {
        let r =
            recognise("Third time I've reported the leak and NOBODY has come out. Disgraceful.");
        assert_eq!(r.kind, ContactKind::Complaint);
        assert!(
            r.reasons.iter().any(|x| x.contains("Third time")),
            "{:?}",
            r.reasons
        );
        assert!(
            r.reasons.iter().any(|x| x.contains("NOBODY has come")),
            "{:?}",
            r.reasons
        );
        assert!(r.may_be_complaint(ContactKind::ServiceRequest));
    }

    #[test]
    fn a_first_request_is_a_service_request_and_praise_a_compliment() {
        assert_eq!(
            recognise("Please could someone fix the broken gate at number 4").kind,
            ContactKind::ServiceRequest
        );
        assert_eq!(
            recognise("Just wanted to say thank you to Dave, he was brilliant").kind,
            ContactKind::Compliment
        );
    }

    #[test]
    fn mould_is_a_hazard_and_a_gas_smell_an_emergency() {
        let mould = recognise("There is black mould all over the bedroom wall");
        assert_eq!(
            mould.hazard.map(|h| (h.kind, h.urgency)),
            Some((HazardKind::DampMould, Urgency::Significant))
        );
        let gas = recognise("I can smell gas in the kitchen");
        assert_eq!(
            gas.hazard.map(|h| (h.kind, h.urgency)),
            Some((HazardKind::Gas, Urgency::Emergency))
        );
        assert_eq!(recognise("The bins were not emptied").hazard, None);
    }

    #[test]
    fn reasons_are_quoted_as_written_after_welsh_letters() {
        let r = recognise("Dŵr yn dod drwy'r nenfwd ym Mhen-y-bryn. Nobody came, third time now.");
        assert!(
            r.reasons.iter().any(|x| x == "Nobody came"),
            "{:?}",
            r.reasons
        );
        assert!(
            r.reasons.iter().any(|x| x == "third time"),
            "{:?}",
            r.reasons
        );
    }

    #[test]
    fn reasons_are_quoted_as_written() {
        let r = recognise("Why hasn’t ANYONE called me back? Still waiting.");
        assert_eq!(r.kind, ContactKind::Complaint);
        assert_eq!(
            r.reasons,
            ["Why hasn’t ANYONE", "called me back", "Still waiting"]
        );
    }
}

#[cfg(test)]
mod evaluation;
