//! End-to-end: jobs → leaf proofs → aggregation tree → one final proof verified against the
//! pinned verifier key, for both proof types and for odd and single-job tasks.

mod common;

use common::{aggregate_all, hashchain_task, prove_all, prover, sum_task};
use prover_mesh_prover::files::Level;
use prover_mesh_prover::proof_type::ProofType;
use prover_mesh_prover::prover::{task_statement, verify_final};

#[test]
fn sum_task_of_three_jobs_aggregates_into_one_verified_proof() {
    let task = sum_task(2_000); // jobs of 768, 768 and 464 values
    let task_id = [1u8; 32];
    let leaves = prove_all(ProofType::Sum, task_id, &task, 768);
    assert_eq!(leaves.len(), 3);
    let root = aggregate_all(ProofType::Sum, leaves);
    let key = prover().verifier_key(ProofType::Sum).unwrap();
    let statement = verify_final(&key, &root).unwrap();
    assert_eq!(
        statement,
        task_statement(ProofType::Sum, task_id, &task).unwrap()
    );
    assert!(statement.starts_at_origin());
    assert_eq!(statement.end, 2_000);
}

#[test]
fn single_job_sum_task_still_ends_in_an_aggregation_proof() {
    let task: Vec<u8> = [5u32, 3, 9].iter().flat_map(|v| v.to_le_bytes()).collect();
    let task_id = [2u8; 32];
    let root = aggregate_all(ProofType::Sum, prove_all(ProofType::Sum, task_id, &task, 8));
    let (level, statement) = prover().verify(ProofType::Sum, &root).unwrap();
    assert_eq!(level, Level::NodeAggregation);
    let json = statement.to_json();
    assert_eq!(json["sum"], "17");
    assert_eq!(json["min"], 3);
    assert_eq!(json["max"], 9);
    assert_eq!(json["count"], 3);
}

#[test]
fn hashchain_task_of_three_segments_proves_the_chain_output() {
    let task = hashchain_task(600);
    let task_id = [3u8; 32];
    let root = aggregate_all(
        ProofType::Hashchain,
        prove_all(ProofType::Hashchain, task_id, &task, 256),
    );
    let key = prover().verifier_key(ProofType::Hashchain).unwrap();
    let statement = verify_final(&key, &root).unwrap();
    assert_eq!(
        statement,
        task_statement(ProofType::Hashchain, task_id, &task).unwrap()
    );
    assert_eq!(statement.end, 600);
}
