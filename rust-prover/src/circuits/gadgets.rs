//! Small circuit gadgets shared by the leaf circuits.

use super::range_gate::U32Ranges;
use crate::config::{D, F};
use crate::encoding::id_to_felts;
use crate::error::{ProverError, Result};
use crate::proof_type::ProofType;
use plonky2::field::types::Field;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;

/// A prefix mask of `capacity` booleans: the first `count` are 1, the rest 0, with `count ≥ 1`.
/// Lets a fixed-capacity leaf prove a shorter range without a circuit per length.
pub fn prefix_mask(b: &mut CircuitBuilder<F, D>, capacity: usize) -> (Vec<BoolTarget>, Target) {
    let active: Vec<BoolTarget> = (0..capacity)
        .map(|_| b.add_virtual_bool_target_safe())
        .collect();
    b.assert_one(active[0].target);
    for i in 1..capacity {
        // active[i] implies active[i-1]: active[i] − active[i]·active[i−1] = 0
        let t = b.arithmetic(
            F::NEG_ONE,
            F::ONE,
            active[i].target,
            active[i - 1].target,
            active[i].target,
        );
        b.assert_zero(t);
    }
    let count = b.add_many(active.iter().map(|a| a.target));
    (active, count)
}

/// Registers the common header `[tag, task_id, start, end]` of a leaf and returns the targets the
/// prover fills: the task id limbs and `start` (range-checked in that order). `end = start + count` is derived in-circuit.
pub fn leaf_header(
    b: &mut CircuitBuilder<F, D>,
    ranges: &mut U32Ranges,
    proof_type: ProofType,
    count: Target,
) -> (Vec<Target>, Target) {
    let tag = b.constant(F::from_canonical_u32(proof_type.code()));
    let task = b.add_virtual_targets(8);
    for limb in &task {
        ranges.check(*limb);
    }
    let start = b.add_virtual_target();
    ranges.check(start);
    let end = b.add(start, count);
    b.register_public_input(tag);
    b.register_public_inputs(&task);
    b.register_public_input(start);
    b.register_public_input(end);
    (task, start)
}

pub fn set_targets(pw: &mut PartialWitness<F>, targets: &[Target], values: &[F]) -> Result<()> {
    for (t, v) in targets.iter().zip(values) {
        pw.set_target(*t, *v).map_err(internal)?;
    }
    Ok(())
}

pub fn set_header(
    pw: &mut PartialWitness<F>,
    task: &[Target],
    start: Target,
    task_id: &[u8; 32],
    start_value: u64,
) -> Result<()> {
    set_targets(pw, task, &id_to_felts(task_id))?;
    pw.set_target(start, F::from_canonical_u64(start_value))
        .map_err(internal)
}

pub fn set_mask(pw: &mut PartialWitness<F>, mask: &[BoolTarget], count: usize) -> Result<()> {
    for (i, bit) in mask.iter().enumerate() {
        pw.set_bool_target(*bit, i < count).map_err(internal)?;
    }
    Ok(())
}

pub fn internal(e: impl std::fmt::Display) -> ProverError {
    ProverError::Internal(e.to_string())
}
