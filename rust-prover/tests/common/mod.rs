//! Shared fixtures: one prover per test binary, with its circuits cached under target/.

// Each test binary uses only some of these.
#![allow(dead_code)]

use prover_mesh_prover::proof_type::ProofType;
use prover_mesh_prover::prover::{plan_jobs, Prover};
use std::sync::OnceLock;

pub fn prover() -> &'static Prover {
    static PROVER: OnceLock<Prover> = OnceLock::new();
    PROVER.get_or_init(|| {
        Prover::new(Some(
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("circuits"),
        ))
    })
}

pub fn sum_task(n: u32) -> Vec<u8> {
    (0..n)
        .flat_map(|i| (i.wrapping_mul(2_654_435_761) >> 3).to_le_bytes())
        .collect()
}

pub fn hashchain_task(steps: u64) -> Vec<u8> {
    let mut task = vec![0u8; 32];
    task[0] = 42;
    task.extend(steps.to_le_bytes());
    task
}

pub fn prove_all(
    proof_type: ProofType,
    task_id: [u8; 32],
    task: &[u8],
    job_size: usize,
) -> Vec<Vec<u8>> {
    plan_jobs(proof_type, task_id, task, job_size)
        .unwrap()
        .iter()
        .map(|job| prover().prove_job(proof_type, job).unwrap())
        .collect()
}

/// Pairs neighbours level by level; a lone last proof of the leaf level is aggregated alone, a
/// lone proof of a higher level moves up unchanged. The root is always a node aggregation.
pub fn aggregate_all(proof_type: ProofType, leaves: Vec<Vec<u8>>) -> Vec<u8> {
    let p = prover();
    let mut level: Vec<Vec<u8>> = leaves
        .chunks(2)
        .map(|pair| {
            p.aggregate(proof_type, &pair[0], pair.get(1).map(|r| r.as_slice()))
                .unwrap()
        })
        .collect();
    let mut first_node_level = true;
    while level.len() > 1 || first_node_level {
        first_node_level = false;
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => p.aggregate(proof_type, l, Some(r)).unwrap(),
                [only] if level.len() == 1 => p.aggregate(proof_type, only, None).unwrap(),
                [only] => only.clone(),
                _ => unreachable!(),
            })
            .collect();
    }
    level.pop().unwrap()
}
