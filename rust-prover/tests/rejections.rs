//! Negative cases: everything a cheating or broken prover could hand in must fail.

mod common;

use common::{aggregate_all, hashchain_task, prove_all, prover, sum_task};
use plonky2::field::types::Field;
use prover_mesh_prover::config::F;
use prover_mesh_prover::error::ProverError;
use prover_mesh_prover::files::{ProofFile, PROOF_HEADER_LEN};
use prover_mesh_prover::job::Job;
use prover_mesh_prover::proof_type::ProofType;
use prover_mesh_prover::prover::{plan_jobs, verify_final};
use prover_mesh_prover::statement::START;
use std::sync::OnceLock;

/// One final sum proof (3 jobs) and its leaves, shared by the tests below.
fn fixture() -> &'static (Vec<Vec<u8>>, Vec<u8>) {
    static FIXTURE: OnceLock<(Vec<Vec<u8>>, Vec<u8>)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let leaves = prove_all(ProofType::Sum, [9u8; 32], &sum_task(24), 8);
        let root = aggregate_all(ProofType::Sum, leaves.clone());
        (leaves, root)
    })
}

fn sum_key() -> Vec<u8> {
    prover().verifier_key(ProofType::Sum).unwrap()
}

#[test]
fn flipping_any_sampled_byte_of_a_final_proof_fails_verification() {
    let (_, root) = fixture();
    let key = sum_key();
    assert!(verify_final(&key, root).is_ok());
    let step = (root.len() / 97).max(1);
    for i in (0..root.len()).step_by(step) {
        let mut tampered = root.clone();
        tampered[i] ^= 0x01;
        assert!(
            verify_final(&key, &tampered).is_err(),
            "flipped byte {i} still verified"
        );
    }
}

#[test]
fn appended_bytes_are_rejected() {
    let (_, root) = fixture();
    let mut longer = root.clone();
    longer.push(0);
    assert!(matches!(
        verify_final(&sum_key(), &longer),
        Err(ProverError::InvalidProof(_))
    ));
}

#[test]
fn a_tampered_public_input_fails_verification() {
    let (_, root) = fixture();
    let circuits = prover().circuits(ProofType::Sum).unwrap();
    let mut file = ProofFile::decode(root, &circuits.node_aggregation.common).unwrap();
    file.proof.public_inputs[START] += F::ONE;
    let err = verify_final(&sum_key(), &file.encode()).unwrap_err();
    assert!(matches!(err, ProverError::InvalidProof(_)), "{err}");
}

#[test]
fn non_adjacent_children_are_refused_by_the_checks_and_by_the_circuit() {
    let (leaves, _) = fixture();
    let p = prover();
    let err = p
        .aggregate(ProofType::Sum, &leaves[0], Some(&leaves[2]))
        .unwrap_err();
    assert!(err.message().contains("not adjacent"), "{err}");
    let err = p
        .aggregate_without_prechecks(ProofType::Sum, &leaves[0], Some(&leaves[2]))
        .unwrap_err();
    assert!(matches!(err, ProverError::Incompatible(_)), "{err}");
}

#[test]
fn children_of_different_tasks_are_refused_by_the_checks_and_by_the_circuit() {
    let (leaves, _) = fixture();
    let other_task = prove_all(ProofType::Sum, [8u8; 32], &sum_task(24), 8);
    let p = prover();
    let err = p
        .aggregate(ProofType::Sum, &leaves[0], Some(&other_task[1]))
        .unwrap_err();
    assert!(err.message().contains("different tasks"), "{err}");
    let err = p
        .aggregate_without_prechecks(ProofType::Sum, &leaves[0], Some(&other_task[1]))
        .unwrap_err();
    assert!(matches!(err, ProverError::Incompatible(_)), "{err}");
}

#[test]
fn a_proof_of_the_wrong_type_fails() {
    let hashchain_root = aggregate_all(
        ProofType::Hashchain,
        prove_all(ProofType::Hashchain, [4u8; 32], &hashchain_task(10), 5),
    );
    let err = verify_final(&sum_key(), &hashchain_root).unwrap_err();
    assert!(err.message().contains("hashchain proof"), "{err}");
    // Relabelled as a sum proof, it does not even decode against the sum circuit.
    let mut relabelled = hashchain_root.clone();
    relabelled[5] = ProofType::Sum.code() as u8;
    assert!(verify_final(&sum_key(), &relabelled).is_err());
    assert!(prover().verify(ProofType::Sum, &hashchain_root).is_err());
}

#[test]
fn only_aggregation_proofs_are_final() {
    let (leaves, _) = fixture();
    let err = verify_final(&sum_key(), &leaves[0]).unwrap_err();
    assert!(err.message().contains("aggregation proof"), "{err}");
    // A leaf aggregation relabelled as a node aggregation fails the verifier-key check.
    let leaf_aggregation = prover()
        .aggregate(ProofType::Sum, &leaves[0], Some(&leaves[1]))
        .unwrap();
    let mut relabelled = leaf_aggregation.clone();
    relabelled[6] = 2;
    assert!(verify_final(&sum_key(), &relabelled).is_err());
}

#[test]
fn a_job_proof_cannot_be_aggregated_with_an_aggregation() {
    let (leaves, root) = fixture();
    let err = prover()
        .aggregate(ProofType::Sum, &leaves[0], Some(root))
        .unwrap_err();
    assert!(matches!(err, ProverError::Incompatible(_)), "{err}");
}

#[test]
fn malformed_job_inputs_name_the_field() {
    let p = prover();
    let job = plan_jobs(ProofType::Sum, [1u8; 32], &sum_task(8), 8)
        .unwrap()
        .remove(0);
    let err = p
        .prove_job(ProofType::Sum, &job[..job.len() - 1])
        .unwrap_err();
    assert!(err.message().contains("'values'"), "{err}");
    let err = p.prove_job(ProofType::Hashchain, &job).unwrap_err();
    assert!(err.message().contains("'magic'"), "{err}");
    let mut zero_count = job.clone();
    let count_at = 4 + 32 + 8 + 96;
    zero_count[count_at..count_at + 4].copy_from_slice(&0u32.to_le_bytes());
    let err = Job::decode(ProofType::Sum, &zero_count).unwrap_err();
    assert!(err.message().contains("'count'"), "{err}");
    let mut non_canonical = job.clone();
    non_canonical[44..52].copy_from_slice(&u64::MAX.to_le_bytes());
    let err = Job::decode(ProofType::Sum, &non_canonical).unwrap_err();
    assert!(err.message().contains("state_in[0]"), "{err}");
    assert!(matches!(
        p.verify(ProofType::Sum, &[0u8; PROOF_HEADER_LEN]),
        Err(ProverError::InvalidProof(_))
    ));
}

#[test]
fn a_proof_cut_inside_its_header_is_an_invalid_proof() {
    let (leaves, _) = fixture();
    for len in 0..=PROOF_HEADER_LEN {
        let err = prover()
            .verify(ProofType::Sum, &leaves[0][..len])
            .unwrap_err();
        assert!(
            matches!(err, ProverError::InvalidProof(_)),
            "{len} bytes: {err}"
        );
    }
}

#[test]
fn a_proof_whose_reserved_header_byte_is_set_is_rejected() {
    let (leaves, _) = fixture();
    let mut proof = leaves[0].clone();
    proof[PROOF_HEADER_LEN - 1] = 1;
    let err = prover().verify(ProofType::Sum, &proof).unwrap_err();
    assert!(err.message().contains("'reserved'"), "{err}");
}

#[test]
fn sum_job_sizes_must_keep_the_sponge_aligned() {
    let err = plan_jobs(ProofType::Sum, [1u8; 32], &sum_task(20), 10).unwrap_err();
    assert!(err.message().contains("multiple of 8"), "{err}");
}
