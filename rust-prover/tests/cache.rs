//! Circuits survive the disk cache unchanged, and a corrupt cache file is rebuilt, not trusted.

use prover_mesh_prover::cache::{cache_file, load_or_build};
use prover_mesh_prover::proof_type::ProofType;

#[test]
fn serialised_circuits_round_trip_and_corrupt_files_are_rebuilt() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let stale = dir.join("pm-circuits-0_plonky2-1.1.0_hashchain-128.bin");
    let other_type = dir.join("pm-circuits-0_plonky2-1.1.0_sum-1024.bin");
    std::fs::write(&stale, b"old").unwrap();
    std::fs::write(&other_type, b"old").unwrap();
    let built = load_or_build(Some(&dir), ProofType::Hashchain).unwrap();
    let path = cache_file(&dir, ProofType::Hashchain);
    assert!(path.exists());
    assert!(!stale.exists(), "a stale file of the same type is removed");
    assert!(other_type.exists(), "another type's file is left alone");

    let loaded = load_or_build(Some(&dir), ProofType::Hashchain).unwrap();
    assert_eq!(
        loaded.node_aggregation.verifier_only,
        built.node_aggregation.verifier_only
    );
    assert_eq!(loaded.leaf_targets, built.leaf_targets);
    assert_eq!(
        loaded.node_aggregation_targets,
        built.node_aggregation_targets
    );

    // Building is deterministic, so a rebuild yields the same verifier key a client pinned.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    let rebuilt = load_or_build(Some(&dir), ProofType::Hashchain).unwrap();
    assert_eq!(
        rebuilt.node_aggregation.verifier_only,
        built.node_aggregation.verifier_only
    );
    assert_ne!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the corrupt cache file was replaced"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
