//! Byte containers for proofs and verifier keys.
//!
//! - proof: `"PMPF" | format 1 | proof type u8 | level u8 | 0 | plonky2 proof bytes`
//! - verifier key: `"PMVK" | format 1 | proof type u8 | 0 0 | circuit version (u32 length + UTF-8) |
//!   plonky2 VerifierCircuitData bytes`
//!
//! Decoding is strict and never panics: reserved header bytes must be 0, proof bytes must
//! re-encode to exactly the input (appended or altered bytes are rejected even where plonky2's
//! reader would ignore them), and a key's common circuit data must be this library's.

use crate::circuits::serializer::ProverMeshGateSerializer;
use crate::config::{
    circuit_config, C, CIRCUIT_VERSION, D, F, HASHCHAIN_AGGREGATION_COMMON_DIGEST,
    SUM_AGGREGATION_COMMON_DIGEST,
};
use crate::encoding::{digest_bytes, to_hex, Reader};
use crate::error::{invalid_input, invalid_proof, ProverError, Result};
use crate::proof_type::ProofType;
use plonky2::field::types::Field;
use plonky2::hash::hash_types::HashOut;
use plonky2::hash::merkle_tree::MerkleCap;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::plonk::circuit_data::{
    CommonCircuitData, VerifierCircuitData, VerifierOnlyCircuitData,
};
use plonky2::plonk::config::Hasher;
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

    /// Decodes a key without building any circuit. Only the verifier-only part (cap and circuit
    /// digest) is read from the bytes, field by field; the common circuit data must be exactly
    /// this library's (its digest is pinned in `config`), because plonky2's reader trusts the
    /// lengths it reads: hostile common data could make it allocate terabytes and abort.
    pub fn decode(bytes: &[u8]) -> Result<VerifierKey> {
        let mut r = Reader::new(bytes, "verifier key");
        if r.take(4, "magic")? != KEY_MAGIC {
            return invalid_input("verifier key: not a prover-mesh verifier key (bad magic)");
        }
        let format = r.take(1, "format")?[0];
        if format != FORMAT {
            return invalid_input(format!("verifier key: unsupported format {format}"));
        }
        let proof_type = ProofType::from_code(u32::from(r.take(1, "proof type")?[0]))?;
        let reserved = r.take(2, "reserved")?;
        if reserved != [0, 0] {
            return invalid_input(format!(
                "verifier key: header bytes 'reserved' are {reserved:?}, must be 0"
            ));
        }
        let version_len = r.u32("circuit version length")? as usize;
        let version = r.take(version_len, "circuit version")?;
        if version != CIRCUIT_VERSION.as_bytes() {
            return invalid_input(format!(
                "verifier key: made for circuits '{}', this library has '{CIRCUIT_VERSION}'",
                String::from_utf8_lossy(version)
            ));
        }
        let cap_height = r.u64("cap height")?;
        let expected_height = circuit_config().fri_config.cap_height;
        if cap_height != expected_height as u64 {
            return invalid_input(format!(
                "verifier key: 'cap height' is {cap_height}, the circuits use {expected_height}"
            ));
        }
        let cap = (0..1usize << expected_height)
            .map(|i| {
                r.felts::<4>(&format!("constants_sigmas_cap[{i}]"))
                    .map(|elements| HashOut { elements })
            })
            .collect::<Result<Vec<_>>>()?;
        let circuit_digest = HashOut {
            elements: r.felts::<4>("circuit digest")?,
        };
        let common_bytes = r.rest();
        if to_hex(&circuit_data_digest(common_bytes)) != pinned_common_digest(proof_type) {
            return invalid_input(format!(
                "verifier key: its common circuit data is not that of this library's {} aggregation circuit ('{CIRCUIT_VERSION}')",
                proof_type.name()
            ));
        }
        let common =
            CommonCircuitData::from_bytes(common_bytes.to_vec(), &ProverMeshGateSerializer)
                .map_err(|_| {
                    ProverError::Internal(
                        "verifier key: the pinned common circuit data does not decode".into(),
                    )
                })?;
        Ok(VerifierKey {
            proof_type,
            data: VerifierCircuitData {
                verifier_only: VerifierOnlyCircuitData {
                    constants_sigmas_cap: MerkleCap(cap),
                    circuit_digest,
                },
                common,
            },
        })
    }
}

fn pinned_common_digest(proof_type: ProofType) -> &'static str {
    match proof_type {
        ProofType::Sum => SUM_AGGREGATION_COMMON_DIGEST,
        ProofType::Hashchain => HASHCHAIN_AGGREGATION_COMMON_DIGEST,
    }
}

/// Poseidon digest of serialised circuit data: its length, then its bytes as u32 limbs.
pub fn circuit_data_digest(bytes: &[u8]) -> [u8; 32] {
    let mut felts = vec![F::from_canonical_u64(bytes.len() as u64)];
    felts.extend(bytes.chunks(4).map(|chunk| {
        let mut limb = [0u8; 4];
        limb[..chunk.len()].copy_from_slice(chunk);
        F::from_canonical_u32(u32::from_le_bytes(limb))
    }));
    digest_bytes(&PoseidonHash::hash_no_pad(&felts).elements)
        .try_into()
        .expect("4 field elements are 32 bytes")
}

fn to_proof_error(e: ProverError) -> ProverError {
    ProverError::InvalidProof(e.message().to_string())
}
