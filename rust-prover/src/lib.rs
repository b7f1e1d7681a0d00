//! prover-mesh's prover: plonky2 circuits for the `sum` and `hashchain` proof types, recursive
//! aggregation of any number of job proofs into one proof per task, and a C ABI (`ffi`).

pub mod cache;
pub mod circuits;
pub mod config;
pub mod encoding;
pub mod error;
pub mod ffi;
pub mod files;
pub mod job;
pub mod proof_type;
pub mod prover;
pub mod statement;
