//! Job inputs (what one leaf proof proves) and task planning: splitting a whole task into jobs and
//! computing natively what its final proof must state.
//!
//! Byte formats (all little-endian):
//! - sum task:       `values: u32 × n` (n ≥ 1)
//! - hashchain task: `input: 4 × u64 (canonical field elements) | steps: u64`
//! - sum job:        `"PMJS" | task_id[32] | start u64 | state_in 12 × u64 | count u32 | values count × u32`
//! - hashchain job:  `"PMJH" | task_id[32] | start u64 | h_in 4 × u64 | steps u32`

use crate::config::{
    F, HASHCHAIN_LEAF_CAPACITY, MAX_TASK_LENGTH_BITS, SPONGE_RATE, SPONGE_WIDTH, SUM_LEAF_CAPACITY,
};
use crate::encoding::{put_felts, Reader};
use crate::error::{invalid_input, Result};
use crate::proof_type::ProofType;
use crate::statement::{Payload, Statement};
use plonky2::field::types::Field;
use plonky2::hash::hashing::PlonkyPermutation;
use plonky2::hash::poseidon::{PoseidonHash, PoseidonPermutation};
use plonky2::plonk::config::Hasher;

const SUM_JOB_MAGIC: &[u8; 4] = b"PMJS";
const HASHCHAIN_JOB_MAGIC: &[u8; 4] = b"PMJH";
const MAX_TASK_LENGTH: u64 = 1 << MAX_TASK_LENGTH_BITS;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumJob {
    pub task_id: [u8; 32],
    pub start: u64,
    pub state_in: [F; SPONGE_WIDTH],
    pub values: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashchainJob {
    pub task_id: [u8; 32],
    pub start: u64,
    pub h_in: [F; 4],
    pub steps: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    Sum(SumJob),
    Hashchain(HashchainJob),
}

/// Absorbs values into the dataset sponge, 8 per permutation, zero-padding a short last block.
/// Overwrite mode, as plonky2's own `hash_no_pad`.
pub fn absorb_values(state: &mut [F; SPONGE_WIDTH], values: &[u32]) {
    for block in values.chunks(SPONGE_RATE) {
        let mut input = *state;
        for (k, slot) in input.iter_mut().take(SPONGE_RATE).enumerate() {
            *slot = block.get(k).map_or(F::ZERO, |v| F::from_canonical_u32(*v));
        }
        let mut permutation = PoseidonPermutation::new(input);
        permutation.permute();
        state.copy_from_slice(permutation.as_ref());
    }
}

/// One step of the hash chain: h ↦ Poseidon(h), a 4-element digest.
pub fn chain_step(h: [F; 4]) -> [F; 4] {
    PoseidonHash::hash_no_pad(&h).elements
}

pub fn chain(mut h: [F; 4], steps: u64) -> [F; 4] {
    for _ in 0..steps {
        h = chain_step(h);
    }
    h
}

impl Job {
    pub fn proof_type(&self) -> ProofType {
        match self {
            Job::Sum(_) => ProofType::Sum,
            Job::Hashchain(_) => ProofType::Hashchain,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Job::Sum(job) => {
                out.extend_from_slice(SUM_JOB_MAGIC);
                out.extend_from_slice(&job.task_id);
                out.extend_from_slice(&job.start.to_le_bytes());
                put_felts(&mut out, &job.state_in);
                out.extend_from_slice(&(job.values.len() as u32).to_le_bytes());
                for v in &job.values {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
            Job::Hashchain(job) => {
                out.extend_from_slice(HASHCHAIN_JOB_MAGIC);
                out.extend_from_slice(&job.task_id);
                out.extend_from_slice(&job.start.to_le_bytes());
                put_felts(&mut out, &job.h_in);
                out.extend_from_slice(&job.steps.to_le_bytes());
            }
        }
        out
    }

    /// Decodes and validates a job of the given type; every error names the offending field.
    pub fn decode(proof_type: ProofType, bytes: &[u8]) -> Result<Job> {
        let mut r = Reader::new(bytes, "job input");
        let magic = r.take(4, "magic")?;
        let expected: &[u8; 4] = match proof_type {
            ProofType::Sum => SUM_JOB_MAGIC,
            ProofType::Hashchain => HASHCHAIN_JOB_MAGIC,
        };
        if magic != expected {
            return invalid_input(format!(
                "job input: 'magic' is not that of a {} job",
                proof_type.name()
            ));
        }
        let task_id = r.bytes32("task_id")?;
        let start = r.u64("start")?;
        let job = match proof_type {
            ProofType::Sum => {
                let state_in = r.felts::<SPONGE_WIDTH>("state_in")?;
                let count = r.u32("count")? as usize;
                if count == 0 || count > SUM_LEAF_CAPACITY {
                    return invalid_input(format!(
                        "job input: 'count' must be 1..={SUM_LEAF_CAPACITY}, got {count}"
                    ));
                }
                let raw = r.take(count * 4, "values")?;
                let values = raw
                    .chunks(4)
                    .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                    .collect();
                Job::Sum(SumJob {
                    task_id,
                    start,
                    state_in,
                    values,
                })
            }
            ProofType::Hashchain => {
                let h_in = r.felts::<4>("h_in")?;
                let steps = r.u32("steps")?;
                if steps == 0 || steps as usize > HASHCHAIN_LEAF_CAPACITY {
                    return invalid_input(format!(
                        "job input: 'steps' must be 1..={HASHCHAIN_LEAF_CAPACITY}, got {steps}"
                    ));
                }
                Job::Hashchain(HashchainJob {
                    task_id,
                    start,
                    h_in,
                    steps,
                })
            }
        };
        r.finish()?;
        let (start, len) = job.range_len();
        if start >= MAX_TASK_LENGTH || start + len > MAX_TASK_LENGTH {
            return invalid_input(format!("job input: 'start' {start} + length {len} exceeds the task limit of 2^{MAX_TASK_LENGTH_BITS}"));
        }
        Ok(job)
    }

    fn range_len(&self) -> (u64, u64) {
        match self {
            Job::Sum(j) => (j.start, j.values.len() as u64),
            Job::Hashchain(j) => (j.start, u64::from(j.steps)),
        }
    }

    /// What the leaf proof of this job states, computed natively.
    pub fn statement(&self) -> Statement {
        let (start, len) = self.range_len();
        let (task_id, payload) = match self {
            Job::Sum(job) => {
                let mut state_out = job.state_in;
                absorb_values(&mut state_out, &job.values);
                let sum = job.values.iter().map(|v| u64::from(*v)).sum();
                let min = u64::from(*job.values.iter().min().unwrap());
                let max = u64::from(*job.values.iter().max().unwrap());
                (
                    job.task_id,
                    Payload::Sum {
                        state_in: job.state_in,
                        state_out,
                        sum,
                        min,
                        max,
                    },
                )
            }
            Job::Hashchain(job) => (
                job.task_id,
                Payload::Hashchain {
                    h_in: job.h_in,
                    h_out: chain(job.h_in, u64::from(job.steps)),
                },
            ),
        };
        Statement {
            proof_type: self.proof_type(),
            task_id,
            start,
            end: start + len,
            payload,
        }
    }
}

/// A whole task, decoded from its byte form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Task {
    Sum { values: Vec<u32> },
    Hashchain { input: [F; 4], steps: u64 },
}

impl Task {
    pub fn decode(proof_type: ProofType, bytes: &[u8]) -> Result<Task> {
        match proof_type {
            ProofType::Sum => {
                if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
                    return invalid_input(format!(
                        "sum task: 'values' must be a non-empty array of u32 (got {} bytes)",
                        bytes.len()
                    ));
                }
                if (bytes.len() / 4) as u64 > MAX_TASK_LENGTH {
                    return invalid_input(format!(
                        "sum task: more than 2^{MAX_TASK_LENGTH_BITS} values"
                    ));
                }
                Ok(Task::Sum {
                    values: bytes
                        .chunks(4)
                        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                        .collect(),
                })
            }
            ProofType::Hashchain => {
                let mut r = Reader::new(bytes, "hashchain task");
                let input = r.felts::<4>("input")?;
                let steps = r.u64("steps")?;
                r.finish()?;
                if steps == 0 || steps > MAX_TASK_LENGTH {
                    return invalid_input(format!(
                        "hashchain task: 'steps' must be 1..=2^{MAX_TASK_LENGTH_BITS}, got {steps}"
                    ));
                }
                Ok(Task::Hashchain { input, steps })
            }
        }
    }

    /// Splits the task into jobs of `job_size` values or steps (the last may be shorter).
    pub fn plan(&self, task_id: [u8; 32], job_size: usize) -> Result<Vec<Job>> {
        match self {
            Task::Sum { values } => {
                if job_size == 0
                    || job_size > SUM_LEAF_CAPACITY
                    || !job_size.is_multiple_of(SPONGE_RATE)
                {
                    return invalid_input(format!(
                        "sum: job size (chunk) must be a multiple of {SPONGE_RATE} between {SPONGE_RATE} and {SUM_LEAF_CAPACITY}, got {job_size}"
                    ));
                }
                let mut state = [F::ZERO; SPONGE_WIDTH];
                let mut jobs = Vec::with_capacity(values.len().div_ceil(job_size));
                for (i, chunk) in values.chunks(job_size).enumerate() {
                    jobs.push(Job::Sum(SumJob {
                        task_id,
                        start: (i * job_size) as u64,
                        state_in: state,
                        values: chunk.to_vec(),
                    }));
                    absorb_values(&mut state, chunk);
                }
                Ok(jobs)
            }
            Task::Hashchain { input, steps } => {
                if job_size == 0 || job_size > HASHCHAIN_LEAF_CAPACITY {
                    return invalid_input(format!("hashchain: job size (segment) must be 1..={HASHCHAIN_LEAF_CAPACITY}, got {job_size}"));
                }
                let mut h = *input;
                let mut start = 0u64;
                let mut jobs = Vec::new();
                while start < *steps {
                    let len = (*steps - start).min(job_size as u64) as u32;
                    jobs.push(Job::Hashchain(HashchainJob {
                        task_id,
                        start,
                        h_in: h,
                        steps: len,
                    }));
                    h = chain(h, u64::from(len));
                    start += u64::from(len);
                }
                Ok(jobs)
            }
        }
    }

    /// What the final, aggregated proof of this task must state.
    pub fn statement(&self, task_id: [u8; 32]) -> Statement {
        match self {
            Task::Sum { values } => {
                let mut state_out = [F::ZERO; SPONGE_WIDTH];
                absorb_values(&mut state_out, values);
                Statement {
                    proof_type: ProofType::Sum,
                    task_id,
                    start: 0,
                    end: values.len() as u64,
                    payload: Payload::Sum {
                        state_in: [F::ZERO; SPONGE_WIDTH],
                        state_out,
                        sum: values.iter().map(|v| u64::from(*v)).sum(),
                        min: u64::from(*values.iter().min().unwrap()),
                        max: u64::from(*values.iter().max().unwrap()),
                    },
                }
            }
            Task::Hashchain { input, steps } => Statement {
                proof_type: ProofType::Hashchain,
                task_id,
                start: 0,
                end: *steps,
                payload: Payload::Hashchain {
                    h_in: *input,
                    h_out: chain(*input, *steps),
                },
            },
        }
    }
}
