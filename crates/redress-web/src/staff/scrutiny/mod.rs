//! The Customer Scrutiny Team's work: requests, meetings and appeals, then the scoring
//! matrix and the annual programme of exercises.

mod index;
mod letters;
mod matrix;
mod meetings;
mod paper;
mod programme;
mod report;
mod requests;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(index::routes())
        .merge(letters::routes())
        .merge(requests::routes())
        .merge(meetings::routes())
        .merge(paper::routes())
        .merge(matrix::routes())
        .merge(programme::routes())
        .merge(report::routes())
}
