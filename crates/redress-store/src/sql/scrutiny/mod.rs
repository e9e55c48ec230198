//! Resident scrutiny: requests with their history and signatures, meetings, the scoring
//! matrix's figures and scores, the annual programme's exercises, and letters to
//! requesters (sent through the same outbox as case letters). One file for each.

mod files;
mod matrix;
pub(crate) mod meetings;
mod programme;
mod requests;
mod signatures;

use crate::StoreError;
use jiff::Timestamp;
use redress_domain::scrutiny::matrix::Criterion;
use redress_domain::scrutiny::{Request, Step};

/// Who made a change, for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doer {
    pub id: Option<String>,
    pub name: String,
}

/// One line of a request's or exercise's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub at: Timestamp,
    pub actor: String,
    pub summary: String,
    /// The step itself, for requests (exercises record a summary only).
    pub step: Option<Step>,
}

/// A signature as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRow {
    pub name: String,
    pub postcode: String,
    pub paper: bool,
    pub signed_at: Timestamp,
}

/// What became of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// Counted; the request as it now stands.
    Counted(Box<Request>, i64),
    /// This person (by name and postcode, or by email) has already signed.
    AlreadySigned,
}

/// A requester's new private link, as hashes: the long token of the link, and a short
/// code to type from a letter, which opens the request once until it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLink<'a> {
    pub token_hash: &'a str,
    pub code: Option<(&'a str, Timestamp)>,
}

/// A file kept with a request: a scan of a form received on paper, or evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrutinyFile {
    pub id: String,
    pub name: String,
    pub file_type: redress_domain::attachment::FileType,
    pub size: u64,
    pub description: String,
    pub added_at: Timestamp,
    pub added_by: String,
}

/// A figure the team entered for the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub area_id: String,
    pub criterion: Criterion,
    pub value: Option<f64>,
    pub evidence: String,
}

/// One change to resident scrutiny's settings or figures, as kept in their history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrutinyChange {
    /// `matrix`, `stages` or `figure`.
    pub what: String,
    /// For a figure: the year and the business area.
    pub year: Option<i16>,
    pub area_id: Option<String>,
    /// What it became: the settings as JSON, the stages one per line, or the figure as
    /// JSON of its criterion, value and evidence.
    pub value: String,
    pub at: Timestamp,
    pub by: String,
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(StoreError::corrupt)
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(StoreError::corrupt)
}

pub(crate) fn status_of(r: &Request) -> Result<String, StoreError> {
    Ok(json(&r.status)?.trim_matches('"').to_string())
}
