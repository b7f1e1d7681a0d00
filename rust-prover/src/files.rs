//! Byte containers for proofs and verifier keys.
//!
//! - proof: `"PMPF" | format 1 | proof type u8 | level u8 | 0 | plonky2 proof bytes`
//! - verifier key: `"PMVK" | format 1 | proof type u8 | 0 0 | circuit version (u32 length + UTF-8) |
//!   plonky2 VerifierCircuitData bytes`
//!
//! Decoding is strict and never panics: the reserved header byte must be 0, and the plonky2
//! bytes must re-encode to exactly the input, so appended or altered bytes are rejected even
//! where plonky2's reader would ignore them.

use crate::circuits::serializer::ProverMeshGateSerializer;
use crate::config::{C, CIRCUIT_VERSION, D, F};
use crate::encoding::Reader;
use crate::error::{invalid_proof, ProverError, Result};
use crate::proof_type::ProofType;
use plonky2::plonk::circuit_data::{CommonCircuitData, VerifierCircuitData};
use plonky2::plonk::proof::ProofWithPublicInputs;

const PROOF_MAGIC: &[u8; 4] = b"PMPF";
const KEY_MAGIC: &[u8; 4] = b"PMVK";
const FORMAT: u8 = 1;
pub const PROOF_HEADER_LEN: usize = 8;

/// Which circuit produced a proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Leaf,
    LeafAggregation,
    NodeAggregation,
}

impl Level {
    pub fn code(self) -> u8 {
        match self {
            Level::Leaf => 0,
            Level::LeafAggregation => 1,
            Level::NodeAggregation => 2,
        }
    }

    fn from_code(code: u8) -> Result<Level> {
        match code {
            0 => Ok(Level::Leaf),
            1 => Ok(Level::LeafAggregation),
            2 => Ok(Level::NodeAggregation),
            other => invalid_proof(format!("proof: unknown level {other}")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Leaf => "job",
            Level::LeafAggregation => "leaf-aggregation",
            Level::NodeAggregation => "aggregation",
        }
    }
}

pub struct ProofFile {
    pub proof_type: ProofType,
    pub level: Level,
    pub proof: ProofWithPublicInputs<F, C, D>,
}

/// The container header, readable without the circuit.
pub fn read_proof_header(bytes: &[u8]) -> Result<(ProofType, Level)> {
    split_proof(bytes).map(|(proof_type, level, _)| (proof_type, level))
}

/// Checks the 8-byte header and returns it with the plonky2 bytes that follow.
fn split_proof(bytes: &[u8]) -> Result<(ProofType, Level, &[u8])> {
    let mut r = Reader::new(bytes, "proof");
    if r.take(4, "magic").map_err(to_proof_error)? != PROOF_MAGIC {
        return invalid_proof("proof: not a prover-mesh proof (bad magic)");
    }
    let format = r.take(1, "format").map_err(to_proof_error)?[0];
    if format != FORMAT {
        return invalid_proof(format!("proof: unsupported format {format}"));
    }
    let type_code = r.take(1, "proof type").map_err(to_proof_error)?[0];
    let proof_type = ProofType::from_code(u32::from(type_code)).map_err(to_proof_error)?;
    let level = Level::from_code(r.take(1, "level").map_err(to_proof_error)?[0])?;
    let reserved = r.take(1, "reserved").map_err(to_proof_error)?[0];
    if reserved != 0 {
        return invalid_proof(format!(
            "proof: header byte 'reserved' is {reserved}, must be 0"
        ));
    }
    Ok((proof_type, level, r.rest()))
}

impl ProofFile {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(PROOF_MAGIC);
        out.extend([FORMAT, self.proof_type.code() as u8, self.level.code(), 0]);
        out.extend(self.proof.to_bytes());
        out
    }

    /// Decodes a proof of the circuit `common` describes. plonky2's reader takes the proof's
    /// shape from `common`; the only counts in the bytes (public inputs, Merkle path lengths) are
    /// read element by element, so hostile bytes cannot make it allocate more than they hold.
    pub fn decode(bytes: &[u8], common: &CommonCircuitData<F, D>) -> Result<ProofFile> {
        let (proof_type, level, body) = split_proof(bytes)?;
        let proof =
            ProofWithPublicInputs::<F, C, D>::from_bytes(body.to_vec(), common).map_err(|_| {
                ProverError::InvalidProof(format!(
                    "proof: malformed {} proof bytes (truncated, or not of the {} {} circuit's shape)",
                    level.name(),
                    proof_type.name(),
                    level.name()
                ))
            })?;
        if proof.to_bytes() != body {
            return invalid_proof("proof: bytes are not the canonical encoding of a proof (altered or trailing bytes)");
        }
        Ok(ProofFile {
            proof_type,
            level,
            proof,
        })
    }
}

pub struct VerifierKey {
    pub proof_type: ProofType,
    pub data: VerifierCircuitData<F, C, D>,
}

impl VerifierKey {
    pub fn encode(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        out.extend_from_slice(KEY_MAGIC);
        out.extend([FORMAT, self.proof_type.code() as u8, 0, 0]);
        out.extend((CIRCUIT_VERSION.len() as u32).to_le_bytes());
        out.extend(CIRCUIT_VERSION.as_bytes());
        let data = self
            .data
            .to_bytes(&ProverMeshGateSerializer)
            .map_err(|e| ProverError::Internal(format!("verifier key: {e:?}")))?;
        out.extend(data);
        Ok(out)
    }

    pub fn decode(bytes: &[u8]) -> Result<VerifierKey> {
        let mut r = Reader::new(bytes, "verifier key");
        if r.take(4, "magic")? != KEY_MAGIC {
            return Err(ProverError::InvalidInput(
                "verifier key: not a prover-mesh verifier key (bad magic)".into(),
            ));
        }
        let header = r.take(4, "header")?;
        if header[0] != FORMAT {
            return Err(ProverError::InvalidInput(format!(
                "verifier key: unsupported format {}",
                header[0]
            )));
        }
        let proof_type = ProofType::from_code(u32::from(header[1]))?;
        let version_len = r.u32("circuit version length")? as usize;
        let version = r.take(version_len, "circuit version")?;
        if version != CIRCUIT_VERSION.as_bytes() {
            return Err(ProverError::InvalidInput(format!(
                "verifier key: made for circuits '{}', this library has '{CIRCUIT_VERSION}'",
                String::from_utf8_lossy(version)
            )));
        }
        let body = r.rest();
        let data =
            VerifierCircuitData::<F, C, D>::from_bytes(body.to_vec(), &ProverMeshGateSerializer)
                .map_err(|_| {
                    ProverError::InvalidInput("verifier key: malformed key data".into())
                })?;
        Ok(VerifierKey { proof_type, data })
    }
}

fn to_proof_error(e: ProverError) -> ProverError {
    ProverError::InvalidProof(e.message().to_string())
}
