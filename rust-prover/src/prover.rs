//! The safe API: prove jobs, aggregate proofs, verify, export verifier keys.
//!
//! Circuits are built (or loaded from the cache) lazily, once per proof type, and shared by all
//! threads: every method takes `&self` and may be called concurrently.

use crate::cache::load_or_build;
use crate::circuits::aggregation::AggregationTargets;
use crate::circuits::leaf::set_leaf_witness;
use crate::circuits::TypeCircuits;
use crate::config::{C, D, F};
use crate::error::{incompatible, invalid_proof, ProverError, Result};
use crate::files::{read_proof_header, Level, ProofFile, VerifierKey};
use crate::job::{Job, Task};
use crate::proof_type::ProofType;
use crate::statement::{Payload, Statement};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_data::{CircuitData, VerifierCircuitData};
use plonky2::plonk::proof::ProofWithPublicInputs;
use plonky2::recursion::cyclic_recursion::check_cyclic_proof_verifier_data;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

pub struct Prover {
    cache_dir: Option<PathBuf>,
    sum: OnceLock<TypeCircuits>,
    hashchain: OnceLock<TypeCircuits>,
    init: Mutex<()>,
}

impl Prover {
    /// `cache_dir`: where built circuits are kept between runs (`None`: always build in memory).
    pub fn new(cache_dir: Option<PathBuf>) -> Prover {
        Prover {
            cache_dir,
            sum: OnceLock::new(),
            hashchain: OnceLock::new(),
            init: Mutex::new(()),
        }
    }

    /// Where this prover keeps its circuits (`None`: in memory only).
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }

    pub fn circuits(&self, proof_type: ProofType) -> Result<&TypeCircuits> {
        let cell = match proof_type {
            ProofType::Sum => &self.sum,
            ProofType::Hashchain => &self.hashchain,
        };
        if let Some(circuits) = cell.get() {
            return Ok(circuits);
        }
        // One builder at a time: building is memory- and CPU-heavy, and a second caller would
        // only duplicate the work it is waiting for.
        let _guard = self
            .init
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(circuits) = cell.get() {
            return Ok(circuits);
        }
        let circuits = load_or_build(self.cache_dir.as_deref(), proof_type)?;
        Ok(cell.get_or_init(|| circuits))
    }

    pub fn prove_job(&self, proof_type: ProofType, job_bytes: &[u8]) -> Result<Vec<u8>> {
        let job = Job::decode(proof_type, job_bytes)?;
        let circuits = self.circuits(proof_type)?;
        let mut pw = PartialWitness::new();
        set_leaf_witness(&mut pw, &circuits.leaf_targets, &job)?;
        let proof = prove(&circuits.leaf, pw)?;
        Ok(ProofFile {
            proof_type,
            level: Level::Leaf,
            proof,
        }
        .encode())
    }

    /// Aggregates two adjacent proofs of one task (or one proof alone when `right` is `None`).
    /// Two job proofs give a leaf aggregation; two aggregations give a node aggregation.
    pub fn aggregate(
        &self,
        proof_type: ProofType,
        left: &[u8],
        right: Option<&[u8]>,
    ) -> Result<Vec<u8>> {
        self.aggregate_checked(proof_type, left, right, true)
    }

    /// As `aggregate`, but without the friendly pre-checks of the children's statements, so tests
    /// can show that the circuit itself refuses what the pre-checks would have caught.
    #[doc(hidden)]
    pub fn aggregate_without_prechecks(
        &self,
        proof_type: ProofType,
        left: &[u8],
        right: Option<&[u8]>,
    ) -> Result<Vec<u8>> {
        self.aggregate_checked(proof_type, left, right, false)
    }

    fn aggregate_checked(
        &self,
        proof_type: ProofType,
        left: &[u8],
        right: Option<&[u8]>,
        precheck: bool,
    ) -> Result<Vec<u8>> {
        let circuits = self.circuits(proof_type)?;
        let (left, left_statement) = self.decode_verified(circuits, left)?;
        let (right, right_statement) = match right {
            Some(bytes) => {
                let (file, statement) = self.decode_verified(circuits, bytes)?;
                (Some(file), Some(statement))
            }
            None => (None, None),
        };
        let single = right.is_none();
        let right_file = right.as_ref().unwrap_or(&left);
        let right_statement = right_statement.as_ref().unwrap_or(&left_statement);

        let into_leaf_aggregation = match (left.level, right_file.level) {
            (Level::Leaf, Level::Leaf) => true,
            (
                Level::LeafAggregation | Level::NodeAggregation,
                Level::LeafAggregation | Level::NodeAggregation,
            ) => false,
            (l, r) => {
                return incompatible(format!(
                    "cannot aggregate a {} proof with a {} proof",
                    l.name(),
                    r.name()
                ))
            }
        };
        if precheck && !single {
            check_adjacent(&left_statement, right_statement)?;
        }

        let (data, targets): (&CircuitData<F, C, D>, &AggregationTargets) = if into_leaf_aggregation
        {
            (
                &circuits.leaf_aggregation,
                &circuits.leaf_aggregation_targets,
            )
        } else {
            (
                &circuits.node_aggregation,
                &circuits.node_aggregation_targets,
            )
        };
        let mut pw = PartialWitness::new();
        let w = |r: anyhow::Result<()>| {
            r.map_err(|e| ProverError::Internal(format!("aggregation witness: {e}")))
        };
        w(pw.set_proof_with_pis_target(&targets.left, &left.proof))?;
        w(pw.set_proof_with_pis_target(&targets.right, &right_file.proof))?;
        w(pw.set_bool_target(targets.single, single))?;
        if let (
            Payload::Sum {
                min: lmin,
                max: lmax,
                ..
            },
            Payload::Sum {
                min: rmin,
                max: rmax,
                ..
            },
        ) = (&left_statement.payload, &right_statement.payload)
        {
            w(pw.set_bool_target(targets.take_left[0], single || lmin <= rmin))?;
            w(pw.set_bool_target(targets.take_left[1], single || lmax >= rmax))?;
        }
        if !into_leaf_aggregation {
            for (i, child) in [&left, right_file].into_iter().enumerate() {
                let is_leaf_aggregation = child.level == Level::LeafAggregation;
                let vd = if is_leaf_aggregation {
                    &circuits.leaf_aggregation.verifier_only
                } else {
                    &circuits.node_aggregation.verifier_only
                };
                w(pw.set_verifier_data_target(&targets.children_vd[i], vd))?;
                w(pw.set_bool_target(
                    targets.children_is_leaf_aggregation[i],
                    is_leaf_aggregation,
                ))?;
            }
            let self_vd = targets
                .self_vd
                .as_ref()
                .expect("node aggregation exposes its verifier data");
            w(pw.set_verifier_data_target(self_vd, &circuits.node_aggregation.verifier_only))?;
        }
        let proof = prove(data, pw)?;
        let level = if into_leaf_aggregation {
            Level::LeafAggregation
        } else {
            Level::NodeAggregation
        };
        Ok(ProofFile {
            proof_type,
            level,
            proof,
        }
        .encode())
    }

    fn decode_verified(
        &self,
        circuits: &TypeCircuits,
        bytes: &[u8],
    ) -> Result<(ProofFile, Statement)> {
        let (file_type, level) = read_proof_header(bytes)?;
        if file_type != circuits.proof_type {
            return invalid_proof(format!(
                "proof is a {} proof, expected {}",
                file_type.name(),
                circuits.proof_type.name()
            ));
        }
        let data = match level {
            Level::Leaf => &circuits.leaf,
            Level::LeafAggregation => &circuits.leaf_aggregation,
            Level::NodeAggregation => &circuits.node_aggregation,
        };
        let file = ProofFile::decode(bytes, &data.common)?;
        verify_plonky2(
            |p| data.verify(p),
            &data.verifier_only,
            &data.common,
            &file.proof,
            level,
        )?;
        let statement = Statement::from_public_inputs(file_type, &file.proof.public_inputs)?;
        Ok((file, statement))
    }

    /// Verifies a proof of any level (job, leaf aggregation, aggregation) and returns its level
    /// and statement. Gateways use it to check every delivered proof.
    pub fn verify(&self, proof_type: ProofType, proof: &[u8]) -> Result<(Level, Statement)> {
        let circuits = self.circuits(proof_type)?;
        let (file, statement) = self.decode_verified(circuits, proof)?;
        Ok((file.level, statement))
    }

    /// The key a client pins to verify final (aggregated) proofs of this type.
    pub fn verifier_key(&self, proof_type: ProofType) -> Result<Vec<u8>> {
        let circuits = self.circuits(proof_type)?;
        let data = &circuits.node_aggregation;
        VerifierKey {
            proof_type,
            data: VerifierCircuitData {
                verifier_only: data.verifier_only.clone(),
                common: data.common.clone(),
            },
        }
        .encode()
    }
}

/// Verifies a task's final proof against a pinned verifier key, without building any circuit.
pub fn verify_final(key: &[u8], proof: &[u8]) -> Result<Statement> {
    let key = VerifierKey::decode(key)?;
    let (proof_type, level) = read_proof_header(proof)?;
    if proof_type != key.proof_type {
        return invalid_proof(format!(
            "proof is a {} proof, the key is for {}",
            proof_type.name(),
            key.proof_type.name()
        ));
    }
    if level != Level::NodeAggregation {
        return invalid_proof(format!(
            "a final proof is an aggregation proof, this is a {} proof",
            level.name()
        ));
    }
    let file = ProofFile::decode(proof, &key.data.common)?;
    verify_plonky2(
        |p| key.data.verify(p),
        &key.data.verifier_only,
        &key.data.common,
        &file.proof,
        level,
    )?;
    Statement::from_public_inputs(proof_type, &file.proof.public_inputs)
}

fn verify_plonky2(
    verify: impl FnOnce(ProofWithPublicInputs<F, C, D>) -> anyhow::Result<()>,
    verifier: &plonky2::plonk::circuit_data::VerifierOnlyCircuitData<C, D>,
    common: &plonky2::plonk::circuit_data::CommonCircuitData<F, D>,
    proof: &ProofWithPublicInputs<F, C, D>,
    level: Level,
) -> Result<()> {
    let outcome = catch_unwind(AssertUnwindSafe(|| verify(proof.clone())));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return invalid_proof(format!("{} proof does not verify: {e}", level.name())),
        Err(_) => {
            return invalid_proof(format!(
                "{} proof does not verify (malformed proof)",
                level.name()
            ))
        }
    }
    if level == Level::NodeAggregation {
        // The circuit cannot check its own key; a final verifier must (cyclic recursion).
        check_cyclic_proof_verifier_data(proof, verifier, common).map_err(|_| {
            ProverError::InvalidProof(
                "aggregation proof was not made by this aggregation circuit".into(),
            )
        })?;
    }
    Ok(())
}

fn prove(
    data: &CircuitData<F, C, D>,
    pw: PartialWitness<F>,
) -> Result<ProofWithPublicInputs<F, C, D>> {
    // plonky2 panics when the witness does not satisfy the constraints; that is an input the
    // circuit refuses, not a crash.
    match catch_unwind(AssertUnwindSafe(|| data.prove(pw))) {
        Ok(Ok(proof)) => Ok(proof),
        Ok(Err(e)) => incompatible(format!(
            "proving failed: the inputs do not satisfy the circuit ({e})"
        )),
        Err(_) => incompatible("proving failed: the inputs do not satisfy the circuit"),
    }
}

fn check_adjacent(left: &Statement, right: &Statement) -> Result<()> {
    if left.task_id != right.task_id {
        return incompatible("children belong to different tasks");
    }
    if left.end != right.start {
        return incompatible(format!(
            "children are not adjacent: left ends at {}, right starts at {}",
            left.end, right.start
        ));
    }
    let continuous = match (&left.payload, &right.payload) {
        (Payload::Sum { state_out, .. }, Payload::Sum { state_in, .. }) => state_out == state_in,
        (Payload::Hashchain { h_out, .. }, Payload::Hashchain { h_in, .. }) => h_out == h_in,
        _ => false,
    };
    if !continuous {
        return incompatible("children are not continuous: the right one does not start from the left one's end state");
    }
    Ok(())
}

/// Splits a task into encoded job inputs of `job_size` values or steps.
pub fn plan_jobs(
    proof_type: ProofType,
    task_id: [u8; 32],
    task: &[u8],
    job_size: usize,
) -> Result<Vec<Vec<u8>>> {
    let task = Task::decode(proof_type, task)?;
    Ok(task
        .plan(task_id, job_size)?
        .iter()
        .map(Job::encode)
        .collect())
}

/// What a task's final proof must state; clients compare it with the verified proof.
pub fn task_statement(proof_type: ProofType, task_id: [u8; 32], task: &[u8]) -> Result<Statement> {
    Ok(Task::decode(proof_type, task)?.statement(task_id))
}

/// The statement a job's proof will have, computed natively.
pub fn job_statement(proof_type: ProofType, job: &[u8]) -> Result<Statement> {
    Ok(Job::decode(proof_type, job)?.statement())
}
