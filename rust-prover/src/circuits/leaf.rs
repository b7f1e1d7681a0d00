//! Leaf circuits: one job proof each.
//!
//! - `sum`: up to `SUM_LEAF_CAPACITY` u32 values. Proves the sponge transition state_in → state_out
//!   over exactly the active values, their sum, and their min and max (range checks on the
//!   differences to the claimed min/max, plus a product that is zero only if some value equals it).
//! - `hashchain`: up to `HASHCHAIN_LEAF_CAPACITY` steps h ↦ Poseidon(h).

use super::gadgets::{leaf_header, prefix_mask, set_header, set_mask, set_targets};
use super::range_gate::{U32RangeLayout, U32Ranges};
use crate::config::{D, F, HASHCHAIN_LEAF_CAPACITY, SPONGE_RATE, SPONGE_WIDTH, SUM_LEAF_CAPACITY};
use crate::encoding::id_to_felts;
use crate::error::Result;
use crate::job::Job;
use crate::proof_type::ProofType;
use plonky2::field::types::{Field, PrimeField64};
use plonky2::hash::hashing::PlonkyPermutation;
use plonky2::hash::poseidon::{PoseidonHash, PoseidonPermutation};
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::iop::witness::PartialWitness;
use plonky2::plonk::circuit_builder::CircuitBuilder;

/// The witness targets of a leaf circuit, in the order the prover fills them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafTargets {
    pub task: Vec<Target>,
    pub start: Target,
    pub mask: Vec<BoolTarget>,
    /// sum: the values; hashchain: h_in.
    pub inputs: Vec<Target>,
    /// sum: state_in (12) then min and max; hashchain: empty.
    pub extra: Vec<Target>,
    /// The 32-bit range checks: task id limbs, start, then (sum) min, max and, per value, its
    /// distance to min and to max.
    pub ranges: U32RangeLayout,
}

pub fn build_leaf(b: &mut CircuitBuilder<F, D>, proof_type: ProofType) -> LeafTargets {
    match proof_type {
        ProofType::Sum => build_sum_leaf(b),
        ProofType::Hashchain => build_hashchain_leaf(b),
    }
}

fn build_sum_leaf(b: &mut CircuitBuilder<F, D>) -> LeafTargets {
    let mut ranges = U32Ranges::default();
    let (mask, count) = prefix_mask(b, SUM_LEAF_CAPACITY);
    let (task, start) = leaf_header(b, &mut ranges, ProofType::Sum, count);
    let values = b.add_virtual_targets(SUM_LEAF_CAPACITY);
    let state_in = b.add_virtual_targets(SPONGE_WIDTH);
    let min = b.add_virtual_target();
    let max = b.add_virtual_target();
    ranges.check(min);
    ranges.check(max);

    let one = b.one();
    let mut sum = b.zero();
    let mut min_witnessed = one;
    let mut max_witnessed = one;
    for (v, a) in values.iter().copied().zip(mask.iter().copied()) {
        // Inactive slots hold 0, so the sponge sees zero padding and the sum ignores them.
        let padding = b.arithmetic(F::NEG_ONE, F::ONE, a.target, v, v);
        b.assert_zero(padding);
        sum = b.add(sum, v);
        // Active values lie in [min, max]: both differences fit in 32 bits. Together with the
        // range checks on min and max, this also bounds every value to u32, so the sum cannot wrap.
        let inactive = b.not(a);
        let below = b.sub(v, min);
        let below = b.mul(a.target, below);
        ranges.check(below);
        let factor = b.add(below, inactive.target);
        min_witnessed = b.mul(min_witnessed, factor);
        let above = b.sub(max, v);
        let above = b.mul(a.target, above);
        ranges.check(above);
        let factor = b.add(above, inactive.target);
        max_witnessed = b.mul(max_witnessed, factor);
    }
    // Some active value equals min (resp. max): the product of the differences is zero.
    b.assert_zero(min_witnessed);
    b.assert_zero(max_witnessed);

    let mut state: Vec<Target> = state_in.clone();
    for block in 0..SUM_LEAF_CAPACITY / SPONGE_RATE {
        let mut input = state.clone();
        input[..SPONGE_RATE]
            .copy_from_slice(&values[block * SPONGE_RATE..(block + 1) * SPONGE_RATE]);
        let permuted = b.permute::<PoseidonHash>(PoseidonPermutation::new(input));
        let block_active = mask[block * SPONGE_RATE];
        for (k, slot) in state.iter_mut().enumerate() {
            *slot = b.select(block_active, permuted.as_ref()[k], *slot);
        }
    }

    b.register_public_inputs(&state_in);
    b.register_public_inputs(&state);
    b.register_public_input(sum);
    b.register_public_input(min);
    b.register_public_input(max);
    let mut extra = state_in;
    extra.extend([min, max]);
    let ranges = ranges.finish(b);
    LeafTargets {
        task,
        start,
        mask,
        inputs: values,
        extra,
        ranges,
    }
}

fn build_hashchain_leaf(b: &mut CircuitBuilder<F, D>) -> LeafTargets {
    let mut ranges = U32Ranges::default();
    let (mask, count) = prefix_mask(b, HASHCHAIN_LEAF_CAPACITY);
    let (task, start) = leaf_header(b, &mut ranges, ProofType::Hashchain, count);
    let h_in = b.add_virtual_targets(4);
    let mut h = h_in.clone();
    for active in &mask {
        let next = b.hash_n_to_hash_no_pad::<PoseidonHash>(h.clone()).elements;
        for (k, slot) in h.iter_mut().enumerate() {
            *slot = b.select(*active, next[k], *slot);
        }
    }
    b.register_public_inputs(&h_in);
    b.register_public_inputs(&h);
    let ranges = ranges.finish(b);
    LeafTargets {
        task,
        start,
        mask,
        inputs: h_in,
        extra: vec![],
        ranges,
    }
}

pub fn set_leaf_witness(pw: &mut PartialWitness<F>, t: &LeafTargets, job: &Job) -> Result<()> {
    match job {
        Job::Sum(job) => {
            set_header(pw, &t.task, t.start, &job.task_id, job.start)?;
            set_mask(pw, &t.mask, job.values.len())?;
            let mut values: Vec<F> = job
                .values
                .iter()
                .map(|v| F::from_canonical_u32(*v))
                .collect();
            values.resize(SUM_LEAF_CAPACITY, F::ZERO);
            set_targets(pw, &t.inputs, &values)?;
            let min = F::from_canonical_u32(*job.values.iter().min().unwrap());
            let max = F::from_canonical_u32(*job.values.iter().max().unwrap());
            let mut extra = job.state_in.to_vec();
            extra.extend([min, max]);
            set_targets(pw, &t.extra, &extra)?;
            let (min, max) = (min.to_canonical_u64(), max.to_canonical_u64());
            let mut checked = header_range_values(&job.task_id, job.start);
            checked.extend([min, max]);
            for v in &job.values {
                checked.extend([u64::from(*v) - min, max - u64::from(*v)]);
            }
            checked.resize(t.ranges.count, 0);
            t.ranges.fill(pw, &checked)
        }
        Job::Hashchain(job) => {
            set_header(pw, &t.task, t.start, &job.task_id, job.start)?;
            set_mask(pw, &t.mask, job.steps as usize)?;
            set_targets(pw, &t.inputs, &job.h_in)?;
            t.ranges
                .fill(pw, &header_range_values(&job.task_id, job.start))
        }
    }
}

/// The header's range-checked values, in the order `leaf_header` checks them.
fn header_range_values(task_id: &[u8; 32], start: u64) -> Vec<u64> {
    let mut values: Vec<u64> = id_to_felts(task_id)
        .iter()
        .map(|f| f.to_canonical_u64())
        .collect();
    values.push(start);
    values
}
