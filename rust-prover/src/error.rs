//! Errors of the safe API. Each maps to one status code of the C ABI.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProverError {
    /// The caller's input is malformed or out of range (names the offending field).
    InvalidInput(String),
    /// A proof or key failed to decode or to verify.
    InvalidProof(String),
    /// Children that cannot be aggregated (different tasks, not adjacent, wrong kinds).
    Incompatible(String),
    /// Circuit cache or file-system failure.
    Io(String),
    /// A bug: a panic caught at the boundary or an invariant that failed.
    Internal(String),
}

impl ProverError {
    pub fn code(&self) -> i32 {
        match self {
            ProverError::InvalidInput(_) => 1,
            ProverError::InvalidProof(_) => 2,
            ProverError::Incompatible(_) => 3,
            ProverError::Io(_) => 4,
            ProverError::Internal(_) => 5,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            ProverError::InvalidInput(m)
            | ProverError::InvalidProof(m)
            | ProverError::Incompatible(m)
            | ProverError::Io(m)
            | ProverError::Internal(m) => m,
        }
    }
}

impl fmt::Display for ProverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ProverError {}

pub type Result<T> = std::result::Result<T, ProverError>;

pub fn invalid_input<T>(message: impl Into<String>) -> Result<T> {
    Err(ProverError::InvalidInput(message.into()))
}

pub fn invalid_proof<T>(message: impl Into<String>) -> Result<T> {
    Err(ProverError::InvalidProof(message.into()))
}

pub fn incompatible<T>(message: impl Into<String>) -> Result<T> {
    Err(ProverError::Incompatible(message.into()))
}
