//! Verifier keys decode without building circuits only because their common circuit data is
//! pinned: the pins must match the circuits, and anything else is refused before plonky2 reads it.

mod common;

use common::prover;
use prover_mesh_prover::circuits::serializer::ProverMeshGateSerializer;
use prover_mesh_prover::config::{
    HASHCHAIN_AGGREGATION_COMMON_DIGEST, SUM_AGGREGATION_COMMON_DIGEST,
};
use prover_mesh_prover::encoding::to_hex;
use prover_mesh_prover::error::ProverError;
use prover_mesh_prover::files::{circuit_data_digest, VerifierKey};
use prover_mesh_prover::proof_type::ProofType;

#[test]
fn the_pinned_digests_are_those_of_the_aggregation_circuits() {
    for (proof_type, pinned) in [
        (ProofType::Sum, SUM_AGGREGATION_COMMON_DIGEST),
        (ProofType::Hashchain, HASHCHAIN_AGGREGATION_COMMON_DIGEST),
    ] {
        let circuits = prover().circuits(proof_type).unwrap();
        let common = circuits
            .node_aggregation
            .common
            .to_bytes(&ProverMeshGateSerializer)
            .unwrap();
        let digest = to_hex(&circuit_data_digest(&common));
        assert_eq!(
            digest,
            pinned,
            "the {} aggregation circuit changed: pin its new digest in config.rs (and bump CIRCUIT_VERSION)",
            proof_type.name()
        );
        let key = prover().verifier_key(proof_type).unwrap();
        let decoded = VerifierKey::decode(&key).unwrap();
        assert_eq!(decoded.encode().unwrap(), key);
    }
}

#[test]
fn a_key_with_other_common_circuit_data_is_refused() {
    let key = prover().verifier_key(ProofType::Sum).unwrap();
    let mut altered = key.clone();
    *altered.last_mut().unwrap() ^= 1;
    let Err(err) = VerifierKey::decode(&altered) else {
        panic!("a key with altered circuit data decoded");
    };
    assert!(matches!(err, ProverError::InvalidInput(_)), "{err}");
    assert!(err.message().contains("common circuit data"), "{err}");
}

#[test]
fn reserved_key_header_bytes_must_be_zero() {
    let mut key = prover().verifier_key(ProofType::Sum).unwrap();
    key[7] = 1;
    let Err(err) = VerifierKey::decode(&key) else {
        panic!("a key with a reserved byte set decoded");
    };
    assert!(err.message().contains("'reserved'"), "{err}");
}
