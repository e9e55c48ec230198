use redress_domain::FieldErrors;
use redress_domain::contact::ContactError;
use redress_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that a person can correct, with a message per field.
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Domain(#[from] ContactError),
    #[error("set-up: {0}")]
    Setup(String),
    #[error("{0}")]
    Store(StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => AppError::Conflict(e.to_string()),
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Domain(d) => AppError::Domain(d),
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    /// A refusal with one message, shown beside the field it is about.
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        let mut e = FieldErrors::new();
        e.add(field, message);
        AppError::Invalid(e)
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}
