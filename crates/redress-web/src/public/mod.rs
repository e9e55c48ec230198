//! Pages for anyone: the contact form, satisfaction surveys, and asking for or signing a
//! Community Call for Scrutiny.

pub(crate) mod contact;
pub(crate) mod language;
pub(crate) mod scrutiny;
mod scrutiny_paper;
mod survey;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(contact::routes())
        .merge(language::routes())
        .merge(survey::routes())
        .merge(scrutiny::routes())
        .merge(scrutiny_paper::routes())
}
