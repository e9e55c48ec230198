//! Answers to the public form kept between its pages, so a person can check them before
//! sending and a refresh loses nothing. The draft's id is the submission key.

use crate::{App, AppError};

impl App {
    /// The answers saved under a draft id, as the form sent them (JSON).
    pub async fn draft(&self, id: &str) -> Result<Option<String>, AppError> {
        Ok(self.store.draft(id).await?)
    }

    /// Keeps (or replaces) the answers under a draft id.
    pub async fn save_draft(&self, id: &str, answers: &str) -> Result<(), AppError> {
        Ok(self.store.save_draft(id, answers, self.now()).await?)
    }
}
