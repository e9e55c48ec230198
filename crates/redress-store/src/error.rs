#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A unique rule was broken; the text names what, for a field message.
    #[error("{0} already exists")]
    Duplicate(&'static str),
    /// What a change was to apply to is not there; the text names what.
    #[error("{0} was not found")]
    NotFound(&'static str),
    #[error("the record was changed by someone else; reload it and try again")]
    Conflict,
    /// A whole batch of writes failed (the database went away, or the disk would not take
    /// it); every submission in it gets this.
    #[error("the database could not take the write: {0}")]
    Unavailable(String),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Domain(#[from] redress_domain::contact::ContactError),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}
