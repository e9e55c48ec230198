//! The phrases the recognition assistant weighs (in `dissatisfaction`, `waiting`, `other_kinds`
//! and `hazards`), written as they are matched: lower case,
//! apostrophes dropped ("hasnt"), whole words; a phrase ending in `*` also matches longer
//! words it begins ("ignor*": ignored, ignoring).

use crate::hazard::HazardKind;
use crate::intake::ContactKind;

mod dissatisfaction;
mod hazards;
mod other_kinds;
mod waiting;

/// Evidence of dissatisfaction at or above this is a complaint, whatever else is there.
pub const COMPLAINT_THRESHOLD: f32 = 1.6;

/// What a phrase is evidence of, and how much.
#[derive(Debug, Clone, Copy)]
pub enum Signal {
    Kind(ContactKind, f32),
    /// Something reported before, waited for, or not done: dissatisfaction with handling.
    Repeated(f32),
    /// Asking for something to be done.
    Asking(f32),
    /// A hazard of this kind; `true` when the phrase alone makes it an emergency.
    Hazard(HazardKind, f32, bool),
    /// Someone at greater risk in the home: without heating, an emergency.
    Vulnerable,
}

#[derive(Debug, Clone)]
pub struct Cue {
    pub phrase: std::borrow::Cow<'static, str>,
    pub signal: Signal,
}

/// A stand-in for quoting a span made of several cues.
pub static QUOTED: Cue = Cue {
    phrase: std::borrow::Cow::Borrowed(""),
    signal: Signal::Repeated(0.0),
};

/// Counted repetition and waiting ("3 times", "four visits", "10 weeks"): every number
/// with every unit, so the lexicon need not list them.
pub fn counted() -> Vec<Cue> {
    const NUMBERS: [&str; 24] = [
        "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "14", "15", "16", "18", "20",
        "two", "three", "four", "five", "six", "seven", "eight", "ten",
    ];
    // Several of these mean a thing was asked for, or waited for, more than once.
    const UNITS: [(&str, f32); 14] = [
        ("times", 1.5),
        ("visits", 1.5),
        ("calls", 1.5),
        ("phone calls", 1.5),
        ("emails", 1.5),
        ("letters", 1.0),
        ("occasions", 1.5),
        ("appointments", 1.5),
        ("weeks", 1.0),
        ("months", 1.2),
        ("years", 1.0),
        ("days", 0.6),
        ("hours", 0.6),
        ("engineers", 1.2),
    ];
    const ORDINALS: [&str; 10] = [
        "2nd", "3rd", "4th", "5th", "6th", "second", "third", "fourth", "fifth", "sixth",
    ];
    const OCCASIONS: [&str; 8] = [
        "time",
        "call",
        "visit",
        "engineer",
        "email",
        "letter",
        "contractor",
        "appointment",
    ];
    const WHEN: [&str; 19] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let mut cues = Vec::new();
    for o in ORDINALS {
        for unit in OCCASIONS {
            cues.push(Cue {
                phrase: format!("{o} {unit}").into(),
                signal: Signal::Repeated(1.5),
            });
        }
    }
    // "It's July": said of something promised or reported long before.
    for w in WHEN {
        cues.push(Cue {
            phrase: format!("its {w}").into(),
            signal: Signal::Repeated(0.8),
        });
    }
    for n in NUMBERS {
        for (unit, weight) in UNITS {
            cues.push(Cue {
                phrase: format!("{n} {unit}").into(),
                signal: Signal::Repeated(weight),
            });
            // "The last 12 months" is a span asked about, not a wait.
            cues.push(Cue {
                phrase: format!("last {n} {unit}").into(),
                signal: Signal::Repeated(0.0),
            });
        }
    }
    cues
}

pub(super) const fn k(phrase: &'static str, kind: ContactKind, weight: f32) -> Cue {
    Cue {
        phrase: std::borrow::Cow::Borrowed(phrase),
        signal: Signal::Kind(kind, weight),
    }
}

pub(super) const fn again(phrase: &'static str, weight: f32) -> Cue {
    Cue {
        phrase: std::borrow::Cow::Borrowed(phrase),
        signal: Signal::Repeated(weight),
    }
}

pub(super) const fn ask(phrase: &'static str, weight: f32) -> Cue {
    Cue {
        phrase: std::borrow::Cow::Borrowed(phrase),
        signal: Signal::Asking(weight),
    }
}

pub(super) const fn hz(phrase: &'static str, kind: HazardKind, weight: f32) -> Cue {
    Cue {
        phrase: std::borrow::Cow::Borrowed(phrase),
        signal: Signal::Hazard(kind, weight, false),
    }
}

pub(super) const fn emergency(phrase: &'static str, kind: HazardKind) -> Cue {
    Cue {
        phrase: std::borrow::Cow::Borrowed(phrase),
        signal: Signal::Hazard(kind, 3.0, true),
    }
}

pub(super) const fn vulnerable(phrase: &'static str) -> Cue {
    Cue {
        phrase: std::borrow::Cow::Borrowed(phrase),
        signal: Signal::Vulnerable,
    }
}

/// Every phrase of the lexicon, family by family.
pub fn all() -> impl Iterator<Item = &'static Cue> {
    dissatisfaction::CUES
        .iter()
        .chain(waiting::CUES)
        .chain(other_kinds::CUES)
        .chain(hazards::CUES)
}
