//! What the Board and the Executive Management Team say to an exercise's final report.

use crate::choice;
use crate::field::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

choice!(
    /// Who the final report goes to, and who answers it.
    Body, "who responds" {
        Board = "board": "The Board",
        Executive = "executive": "The Executive Management Team",
    }
);

/// The Board's or the Executive Management Team's response to a final report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardResponse {
    pub from: Body,
    pub text: Text,
    pub by: String,
    pub on: Date,
}
