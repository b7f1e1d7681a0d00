//! prover-mesh's prover: plonky2 circuits for the `sum` and `hashchain` proof types, recursive
//! aggregation of any number of job proofs into one proof per task, and a C ABI (`ffi`).

pub mod circuits;
pub mod config;
pub mod encoding;
pub mod error;
pub mod job;
pub mod proof_type;
pub mod statement;
pub mod cache;
pub mod files;
pub mod prover;
pub mod ffi;
