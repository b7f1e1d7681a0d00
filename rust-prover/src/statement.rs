//! The public inputs every proof exposes, and their meaning.
//!
//! Layout (field elements): `[tag, task_id (8 × u32), start, end, payload…]`, then, for
//! aggregation proofs only, the circuit's own verifier data (cyclic recursion).
//! `start..end` is the half-open range of values (sum) or steps (hashchain) the proof covers.

use crate::config::{F, SPONGE_WIDTH};
use crate::encoding::{digest_bytes, felts_to_id, to_hex};
use crate::error::{invalid_proof, Result};
use crate::proof_type::ProofType;
use plonky2::field::types::{Field, PrimeField64};
use serde_json::{json, Value};

pub const HEADER_LEN: usize = 11;
pub const TAG: usize = 0;
pub const TASK: std::ops::Range<usize> = 1..9;
pub const START: usize = 9;
pub const END: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    Sum {
        /// Sponge state before and after absorbing this range's values.
        state_in: [F; SPONGE_WIDTH],
        state_out: [F; SPONGE_WIDTH],
        sum: u64,
        min: u64,
        max: u64,
    },
    Hashchain {
        h_in: [F; 4],
        h_out: [F; 4],
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub proof_type: ProofType,
    pub task_id: [u8; 32],
    pub start: u64,
    pub end: u64,
    pub payload: Payload,
}

impl Statement {
    pub fn len(proof_type: ProofType) -> usize {
        HEADER_LEN + proof_type.payload_len()
    }

    /// Decodes the statement part of a proof's public inputs (any trailing verifier data is ignored).
    pub fn from_public_inputs(proof_type: ProofType, pis: &[F]) -> Result<Self> {
        let n = Self::len(proof_type);
        if pis.len() < n {
            return invalid_proof(format!(
                "proof has {} public inputs, a {} proof has at least {n}",
                pis.len(),
                proof_type.name()
            ));
        }
        let tag = pis[TAG].to_canonical_u64();
        if tag != u64::from(proof_type.code()) {
            return invalid_proof(format!(
                "proof is tagged as type {tag}, expected {} ({})",
                proof_type.code(),
                proof_type.name()
            ));
        }
        let Some(task_id) = felts_to_id(&pis[TASK]) else {
            return invalid_proof("task id limbs in the public inputs are not 32-bit values");
        };
        let p = &pis[HEADER_LEN..n];
        let payload = match proof_type {
            ProofType::Sum => Payload::Sum {
                state_in: p[0..12].try_into().unwrap(),
                state_out: p[12..24].try_into().unwrap(),
                sum: p[24].to_canonical_u64(),
                min: p[25].to_canonical_u64(),
                max: p[26].to_canonical_u64(),
            },
            ProofType::Hashchain => Payload::Hashchain {
                h_in: p[0..4].try_into().unwrap(),
                h_out: p[4..8].try_into().unwrap(),
            },
        };
        Ok(Statement {
            proof_type,
            task_id,
            start: pis[START].to_canonical_u64(),
            end: pis[END].to_canonical_u64(),
            payload,
        })
    }

    /// True when the proof covers a whole task from its beginning: range starts at 0 and, for
    /// `sum`, the sponge starts from the all-zero state.
    pub fn starts_at_origin(&self) -> bool {
        self.start == 0
            && match &self.payload {
                Payload::Sum { state_in, .. } => state_in.iter().all(|x| *x == F::ZERO),
                Payload::Hashchain { .. } => true,
            }
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "type": self.proof_type.name(),
            "taskId": to_hex(&self.task_id),
            "start": self.start,
            "end": self.end,
            "fromOrigin": self.starts_at_origin(),
        });
        let obj = v.as_object_mut().unwrap();
        match &self.payload {
            Payload::Sum {
                state_in,
                state_out,
                sum,
                min,
                max,
            } => {
                obj.insert("count".into(), json!(self.end - self.start));
                obj.insert(
                    "commitment".into(),
                    json!(to_hex(&digest_bytes(&state_out[..4]))),
                );
                obj.insert("stateIn".into(), json!(to_hex(&digest_bytes(state_in))));
                obj.insert("stateOut".into(), json!(to_hex(&digest_bytes(state_out))));
                obj.insert("sum".into(), json!(sum.to_string()));
                obj.insert("min".into(), json!(min));
                obj.insert("max".into(), json!(max));
            }
            Payload::Hashchain { h_in, h_out } => {
                obj.insert("steps".into(), json!(self.end - self.start));
                obj.insert("input".into(), json!(to_hex(&digest_bytes(h_in))));
                obj.insert("output".into(), json!(to_hex(&digest_bytes(h_out))));
            }
        }
        v
    }
}
