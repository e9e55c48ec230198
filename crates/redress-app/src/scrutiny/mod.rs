//! Resident scrutiny: a Community Call for Scrutiny from the form to the Customer Scrutiny
//! Team's decision and any appeal, the team's meetings, the scoring matrix fed by
//! Redress's own complaint and survey data, and the annual programme.

mod bilingual;
mod casework;
mod letters;
mod matrix;
mod meetings;
mod paper;
mod programme;
mod requesters;
mod steps;

pub use matrix::ScoreVersion;
pub use requesters::Petition;
pub use steps::ScrutinyStep;

use crate::access::Principal;
use crate::auth::{random_token, token_hash};
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::calendar::long_date;
use redress_domain::contact::Contact;
use redress_domain::event::Actor;
use redress_domain::letter::{Delivery, Letter, LetterKind, fill};
use redress_domain::measures::Period;
use redress_domain::role::Permission;
use redress_domain::scrutiny::matrix::{AreaScore, Criterion, MatrixSettings, Source, rank, score};
use redress_domain::scrutiny::meeting::Meeting;
use redress_domain::scrutiny::petition::Signature;
use redress_domain::scrutiny::programme::{DEFAULT_STAGES, Exercise, parse_template};
use redress_domain::scrutiny::{Outcome, Request, RequestAnswers, Route, Status, Step};
use redress_store::{AdminChange, Doer, Figure, PersonQuery, Signed, StoreError};
use std::collections::BTreeMap;

const MATRIX_SETTING: &str = "scrutiny_matrix";
const STAGES_SETTING: &str = "scrutiny_stages";

fn doer(actor: &Actor) -> Doer {
    Doer {
        id: actor.user_id.clone(),
        name: actor.name.clone(),
    }
}

/// A requester's complaint on record, for the team to see how far the avenues went.
#[derive(Debug, Clone)]
pub struct ComplaintOnRecord {
    pub reference: String,
    pub kind: String,
    pub received_on: jiff::civil::Date,
    pub stage_reached: u8,
    pub status: String,
    pub ombudsman: bool,
}

/// Whether a decision letter (or the panel's) is waiting to be printed and posted, or
/// transcribed or translated: until it goes, no other decision is sent. Other letters,
/// such as an acknowledgement, do not hold a request up.
pub fn decision_waiting(letters: &[redress_store::StoredLetter]) -> bool {
    letters.iter().any(|m| {
        (m.status == "to-print" || m.status == "to-convert")
            && matches!(
                m.kind,
                LetterKind::ScrutinyDecision | LetterKind::ScrutinyAppealDecision
            )
    })
}

fn pct(part: u32, whole: u32) -> Option<f64> {
    (whole > 0)
        .then(|| redress_domain::measures::round1(f64::from(part) * 100.0 / f64::from(whole)))
}
