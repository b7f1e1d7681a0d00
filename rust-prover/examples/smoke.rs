use prover_mesh_prover::proof_type::ProofType;
use prover_mesh_prover::prover::{plan_jobs, verify_final, Prover};
use std::time::Instant;

fn main() {
    let ty = match std::env::args().nth(1).as_deref() {
        Some("sum") => ProofType::Sum,
        _ => ProofType::Hashchain,
    };
    let t = Instant::now();
    let prover = Prover::new(Some("/tmp/pm-circuits".into()));
    let c = prover.circuits(ty).unwrap();
    println!(
        "circuits {:?}: leaf 2^{} agg 2^{}",
        t.elapsed(),
        c.leaf.common.degree_bits(),
        c.node_aggregation.common.degree_bits()
    );
    let task: Vec<u8> = match ty {
        ProofType::Sum => (0..3000u32)
            .flat_map(|v| (v * 7 % 1000).to_le_bytes())
            .collect(),
        ProofType::Hashchain => {
            let mut t = vec![0u8; 32];
            t[0] = 1;
            t.extend(600u64.to_le_bytes());
            t
        }
    };
    let jobs = plan_jobs(
        ty,
        [7u8; 32],
        &task,
        if ty == ProofType::Sum { 1024 } else { 256 },
    )
    .unwrap();
    let mut proofs = vec![];
    for j in &jobs {
        let t = Instant::now();
        proofs.push(prover.prove_job(ty, j).unwrap());
        println!(
            "leaf {:?} {} bytes",
            t.elapsed(),
            proofs.last().unwrap().len()
        );
    }
    let t = Instant::now();
    let a = prover.aggregate(ty, &proofs[0], Some(&proofs[1])).unwrap();
    println!("agg leaves {:?}", t.elapsed());
    let t = Instant::now();
    let b = prover.aggregate(ty, &proofs[2], None).unwrap();
    println!("agg single {:?}", t.elapsed());
    let t = Instant::now();
    let root = prover.aggregate(ty, &a, Some(&b)).unwrap();
    println!("agg nodes {:?} {} bytes", t.elapsed(), root.len());
    let vk = prover.verifier_key(ty).unwrap();
    let t = Instant::now();
    let s = verify_final(&vk, &root).unwrap();
    println!(
        "verify {:?} vk {} bytes\n{}",
        t.elapsed(),
        vk.len(),
        s.to_json()
    );
}
