//! Field, hash configuration and the fixed circuit parameters. Changing any constant here changes
//! the verifier keys, so it must come with a new `CIRCUIT_VERSION`.

use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::plonk::circuit_data::CircuitConfig;
use plonky2::plonk::config::PoseidonGoldilocksConfig;

pub type F = GoldilocksField;
pub type C = PoseidonGoldilocksConfig;
pub const D: usize = 2;

/// Version of the circuits and of the public-input layout. Part of the cache key and of the
/// verifier-key file, so keys from another version are never mixed up with these.
pub const CIRCUIT_VERSION: &str = "pm-circuits-2";

/// Poseidon digests (`files::circuit_data_digest`) of each type's aggregation `CommonCircuitData`,
/// as plonky2 serialises it. A verifier key must carry exactly this data (see
/// `VerifierKey::decode`); they change with the circuits, and `tests/verifier_key.rs` prints the
/// new values.
pub const SUM_AGGREGATION_COMMON_DIGEST: &str =
    "1e550f62d2e3823bc1e148291b9fe9e8a8cacfe3214d1e4a6141e04374a47de3";
pub const HASHCHAIN_AGGREGATION_COMMON_DIGEST: &str =
    "6c9e3ef685e8b44b155dd798fc996cb7410f82fdef1efe503f01fca7d3f31da2";

/// Values a `sum` job proves at most (its leaf circuit's capacity).
pub const SUM_LEAF_CAPACITY: usize = 1024;

/// Hash-chain steps a `hashchain` job proves at most.
pub const HASHCHAIN_LEAF_CAPACITY: usize = 256;

/// Rate of the Poseidon sponge that commits to a `sum` dataset: values are absorbed 8 at a time,
/// so every job but the last must hold a multiple of 8 values.
pub const SPONGE_RATE: usize = 8;
pub const SPONGE_WIDTH: usize = 12;

/// A task may cover at most 2^31 values or steps: with u32 values the sum then stays below
/// 2^63 < p, so it never wraps around the field.
pub const MAX_TASK_LENGTH_BITS: usize = 31;

/// plonky2's standard recursion configuration: 100 bits of conjectured security, not zero-knowledge.
pub fn circuit_config() -> CircuitConfig {
    CircuitConfig::standard_recursion_config()
}
