//! How failures reach the client: a status and a message, as a page or as JSON.

use axum::http::StatusCode;
use chronicle_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("too many attempts; wait a few minutes")]
    TooMany,
    #[error("{0}")]
    Busy(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Store(StoreError::NotFound(_)) | AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Store(StoreError::Refused(_)) | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Store(StoreError::Query(_)) | AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Store(StoreError::Interrupted(_)) | AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::TooMany => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client is told: the cause for its own mistakes, nothing of the server's internals.
    pub fn public_message(&self) -> String {
        if self.status() == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("{self}");
            "something went wrong on the server; the error is in its log".to_string()
        } else {
            self.to_string()
        }
    }
}
