//! On-disk cache of built circuits. Building the aggregation circuits takes seconds to tens of
//! seconds; loading them takes a fraction of that. Files are keyed by circuit version, plonky2
//! version and leaf capacities, written atomically, and checksummed so a corrupt file is rebuilt
//! rather than trusted.

use crate::circuits::TypeCircuits;
use crate::config::{CIRCUIT_VERSION, HASHCHAIN_LEAF_CAPACITY, SUM_LEAF_CAPACITY};
use crate::error::{ProverError, Result};
use crate::proof_type::ProofType;
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const PLONKY2_VERSION: &str = "1.1.0";

pub fn cache_file(dir: &Path, proof_type: ProofType) -> PathBuf {
    let capacity = match proof_type {
        ProofType::Sum => SUM_LEAF_CAPACITY,
        ProofType::Hashchain => HASHCHAIN_LEAF_CAPACITY,
    };
    dir.join(format!(
        "{CIRCUIT_VERSION}_plonky2-{PLONKY2_VERSION}_{}-{capacity}.bin",
        proof_type.name()
    ))
}

fn checksum(bytes: &[u8]) -> u64 {
    // SipHash with fixed keys: detects corruption, which is all this is for.
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Loads the circuits of one type from `dir`, or builds and stores them. `None` means no cache.
pub fn load_or_build(dir: Option<&Path>, proof_type: ProofType) -> Result<TypeCircuits> {
    let Some(dir) = dir else {
        return TypeCircuits::build(proof_type);
    };
    let path = cache_file(dir, proof_type);
    if let Some(circuits) = load(&path, proof_type) {
        return Ok(circuits);
    }
    let circuits = TypeCircuits::build(proof_type)?;
    store(&path, &circuits)?;
    Ok(circuits)
}

fn load(path: &Path, proof_type: ProofType) -> Option<TypeCircuits> {
    let bytes = fs::read(path).ok()?;
    if bytes.len() < 8 {
        return None;
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if checksum(body).to_le_bytes() != sum {
        return None;
    }
    TypeCircuits::from_bytes(proof_type, body).ok()
}

fn store(path: &Path, circuits: &TypeCircuits) -> Result<()> {
    let io = |e: std::io::Error| ProverError::Io(format!("circuit cache {}: {e}", path.display()));
    let dir = path.parent().expect("cache file has a parent");
    fs::create_dir_all(dir).map_err(io)?;
    let mut bytes = circuits.to_bytes()?;
    let sum = checksum(&bytes);
    bytes.extend(sum.to_le_bytes());
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    fs::write(&tmp, &bytes).map_err(io)?;
    fs::rename(&tmp, path).map_err(io)?;
    for stale in stale_files(dir, path, circuits.proof_type) {
        let _ = fs::remove_file(stale);
    }
    Ok(())
}

/// Cache files of the same proof type made by other circuit versions or parameters: they can
/// never be loaded again and hold 150+ MB each.
fn stale_files(dir: &Path, current: &Path, proof_type: ProofType) -> Vec<PathBuf> {
    let marker = format!("_{}-", proof_type.name());
    let Ok(entries) = fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p != current)
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("pm-circuits-") && name.contains(&marker) && name.ends_with(".bin")
        })
        .collect()
}
