//! The proof types this library proves. Their numeric codes are part of the C ABI and of every
//! proof's public inputs (the type tag).

use crate::error::{invalid_input, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProofType {
    /// Sum, count, min and max of a committed dataset of u32 values.
    Sum,
    /// A segment of the iterated Poseidon chain y = H^n(x).
    Hashchain,
}

impl ProofType {
    pub const ALL: [ProofType; 2] = [ProofType::Sum, ProofType::Hashchain];

    pub fn code(self) -> u32 {
        match self {
            ProofType::Sum => 1,
            ProofType::Hashchain => 2,
        }
    }

    pub fn from_code(code: u32) -> Result<Self> {
        match code {
            1 => Ok(ProofType::Sum),
            2 => Ok(ProofType::Hashchain),
            other => invalid_input(format!(
                "unknown proof type code {other} (known: 1 = sum, 2 = hashchain)"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ProofType::Sum => "sum",
            ProofType::Hashchain => "hashchain",
        }
    }

    /// Number of type-specific public inputs after the common header.
    pub fn payload_len(self) -> usize {
        match self {
            // state_in (12), state_out (12), sum, min, max
            ProofType::Sum => 27,
            // h_in (4), h_out (4)
            ProofType::Hashchain => 8,
        }
    }
}
