//! Aggregation circuits: each proves "two adjacent child proofs of one task are valid, and this
//! is what they state together".
//!
//! Two circuits per proof type share one `CommonCircuitData` (same gates, degree and public-input
//! count), so a proof of either can be verified by the same in-circuit verifier:
//! - leaf aggregation verifies two leaf proofs against the (constant) leaf verifier key;
//! - node aggregation verifies two aggregation proofs whose verifier key is either the leaf
//!   aggregation's (a constant) or its own (cyclic recursion: exposed as public inputs and
//!   checked by the final verifier outside the circuit).
//!
//! A root is always a node aggregation, so a task's final proof has one verifier key per proof
//! type whatever the number of jobs. `single` aggregates one child alone (passes it through
//! unchanged), for odd counts and one-job tasks.

use crate::config::{circuit_config, C, D, F, MAX_TASK_LENGTH_BITS};
use crate::proof_type::ProofType;
use crate::statement::{Statement, END, HEADER_LEN, START, TAG, TASK};
use plonky2::field::types::Field;
use plonky2::gates::gate::GateRef;
use plonky2::gates::noop::NoopGate;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{
    CircuitData, CommonCircuitData, VerifierCircuitTarget, VerifierOnlyCircuitData,
};
use plonky2::plonk::proof::ProofWithPublicInputsTarget;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregationTargets {
    pub left: ProofWithPublicInputsTarget<D>,
    pub right: ProofWithPublicInputsTarget<D>,
    pub single: BoolTarget,
    /// Bits choosing which child's value wins a comparison (sum: min, max).
    pub take_left: Vec<BoolTarget>,
    /// Node aggregation only: each child's verifier key and whether it is a leaf aggregation.
    pub children_vd: Vec<VerifierCircuitTarget>,
    pub children_is_leaf_aggregation: Vec<BoolTarget>,
    pub self_vd: Option<VerifierCircuitTarget>,
}

/// What the children of an aggregation circuit are.
pub enum Children<'a> {
    Leaves {
        verifier: &'a VerifierOnlyCircuitData<C, D>,
        common: &'a CommonCircuitData<F, D>,
    },
    Aggregations {
        leaf_aggregation: &'a VerifierOnlyCircuitData<C, D>,
        common: &'a CommonCircuitData<F, D>,
    },
}

/// Gates and degree that both aggregation circuits are padded to, so their common data match.
#[derive(Clone, Default)]
pub struct Shape {
    pub gates: Vec<GateRef<F, D>>,
    pub degree_bits: usize,
}

impl Shape {
    pub fn covering(commons: &[&CommonCircuitData<F, D>]) -> Shape {
        let mut gates: Vec<GateRef<F, D>> = Vec::new();
        for common in commons {
            for gate in &common.gates {
                if !gates.contains(gate) {
                    gates.push(gate.clone());
                }
            }
        }
        let degree_bits = commons.iter().map(|c| c.degree_bits()).max().unwrap_or(0);
        Shape { gates, degree_bits }
    }

    fn apply(&self, b: &mut CircuitBuilder<F, D>) {
        b.add_gate_to_gate_set(GateRef::new(NoopGate));
        for gate in &self.gates {
            b.add_gate_to_gate_set(gate.clone());
        }
        if self.degree_bits > 0 {
            while b.num_gates() <= 1 << (self.degree_bits - 1) {
                b.add_gate(NoopGate, vec![]);
            }
        }
    }
}

/// Public inputs that carry a node aggregation's own verifier data.
pub fn verifier_data_pi_len() -> usize {
    4 + 4 * circuit_config().fri_config.num_cap_elements()
}

fn flatten_vd(vd: &VerifierCircuitTarget) -> Vec<Target> {
    let mut out = vd.circuit_digest.elements.to_vec();
    for h in &vd.constants_sigmas_cap.0 {
        out.extend_from_slice(&h.elements);
    }
    out
}

pub fn build_aggregation(
    proof_type: ProofType,
    children: &Children,
    shape: &Shape,
) -> (CircuitData<F, C, D>, AggregationTargets) {
    let mut b = CircuitBuilder::<F, D>::new(circuit_config());
    let child_common = match children {
        Children::Leaves { common, .. } | Children::Aggregations { common, .. } => *common,
    };
    let left = b.add_virtual_proof_with_pis(child_common);
    let right = b.add_virtual_proof_with_pis(child_common);
    let single = b.add_virtual_bool_target_safe();
    let (outputs, take_left) = combine(
        &mut b,
        proof_type,
        &left.public_inputs,
        &right.public_inputs,
        single,
    );
    b.register_public_inputs(&outputs);

    let mut targets = AggregationTargets {
        left: left.clone(),
        right: right.clone(),
        single,
        take_left,
        children_vd: vec![],
        children_is_leaf_aggregation: vec![],
        self_vd: None,
    };
    match children {
        Children::Leaves { verifier, common } => {
            let vd = b.constant_verifier_data(verifier);
            b.verify_proof::<C>(&left, &vd, common);
            b.verify_proof::<C>(&right, &vd, common);
            // Same public-input count as a node aggregation, whose last inputs are its verifier data.
            let zero = b.zero();
            for _ in 0..verifier_data_pi_len() {
                b.register_public_input(zero);
            }
        }
        Children::Aggregations {
            leaf_aggregation,
            common,
        } => {
            let self_vd = b.add_verifier_data_public_inputs();
            let self_flat = flatten_vd(&self_vd);
            let leaf_aggregation_vd = b.constant_verifier_data(leaf_aggregation);
            let leaf_aggregation_flat = flatten_vd(&leaf_aggregation_vd);
            for child in [&left, &right] {
                let child_vd = b.add_virtual_verifier_data(common.config.fri_config.cap_height);
                let is_leaf_aggregation = b.add_virtual_bool_target_safe();
                let is_node = b.not(is_leaf_aggregation);
                // The child's key is the leaf aggregation's or this circuit's own, nothing else.
                for ((x, a), s) in flatten_vd(&child_vd)
                    .into_iter()
                    .zip(&leaf_aggregation_flat)
                    .zip(&self_flat)
                {
                    let expected = b.select(is_leaf_aggregation, *a, *s);
                    b.connect(x, expected);
                }
                // A node child must itself claim this circuit's key (cyclic recursion invariant).
                let n = child.public_inputs.len();
                for (p, s) in child.public_inputs[n - self_flat.len()..]
                    .iter()
                    .zip(&self_flat)
                {
                    b.conditional_assert_eq(is_node.target, *p, *s);
                }
                b.verify_proof::<C>(child, &child_vd, common);
                targets.children_vd.push(child_vd);
                targets
                    .children_is_leaf_aggregation
                    .push(is_leaf_aggregation);
            }
            targets.self_vd = Some(self_vd);
        }
    }
    shape.apply(&mut b);
    (b.build::<C>(), targets)
}

/// In-circuit combination of two child statements. Returns the output statement's targets
/// (header + payload) and the comparison bits the prover sets.
fn combine(
    b: &mut CircuitBuilder<F, D>,
    proof_type: ProofType,
    left: &[Target],
    right: &[Target],
    single: BoolTarget,
) -> (Vec<Target>, Vec<BoolTarget>) {
    let pair = b.not(single);
    let tag = b.constant(F::from_canonical_u32(proof_type.code()));
    b.connect(left[TAG], tag);
    b.connect(right[TAG], tag);
    for i in TASK {
        b.connect(left[i], right[i]);
    }
    // Adjacency: the right range starts where the left one ends.
    b.conditional_assert_eq(pair.target, left[END], right[START]);
    let end = b.select(single, left[END], right[END]);
    // Bounds the total length, so ranges cannot wrap and sums stay below the field order.
    let length = b.sub(end, left[START]);
    b.range_check(length, MAX_TASK_LENGTH_BITS);

    let mut out = vec![left[TAG]];
    out.extend_from_slice(&left[TASK]);
    out.push(left[START]);
    out.push(end);

    let l = &left[HEADER_LEN..Statement::len(proof_type)];
    let r = &right[HEADER_LEN..Statement::len(proof_type)];
    let mut take_left = vec![];
    match proof_type {
        ProofType::Sum => {
            let (state_in_l, state_out_l, rest_l) = (&l[0..12], &l[12..24], &l[24..27]);
            let (state_in_r, state_out_r, rest_r) = (&r[0..12], &r[12..24], &r[24..27]);
            // Continuity: the right range's sponge starts where the left one stopped.
            for (a, c) in state_out_l.iter().zip(state_in_r) {
                b.conditional_assert_eq(pair.target, *a, *c);
            }
            out.extend_from_slice(state_in_l);
            for (a, c) in state_out_l.iter().zip(state_out_r) {
                out.push(b.select(single, *a, *c));
            }
            let sum = b.mul_add(pair.target, rest_r[0], rest_l[0]);
            out.push(sum);
            let min = select_extreme(b, rest_l[1], rest_r[1], single, pair, true);
            let max = select_extreme(b, rest_l[2], rest_r[2], single, pair, false);
            out.push(min.0);
            out.push(max.0);
            take_left.extend([min.1, max.1]);
        }
        ProofType::Hashchain => {
            let (h_in_l, h_out_l) = (&l[0..4], &l[4..8]);
            let (h_in_r, h_out_r) = (&r[0..4], &r[4..8]);
            for (a, c) in h_out_l.iter().zip(h_in_r) {
                b.conditional_assert_eq(pair.target, *a, *c);
            }
            out.extend_from_slice(h_in_l);
            for (a, c) in h_out_l.iter().zip(h_out_r) {
                out.push(b.select(single, *a, *c));
            }
        }
    }
    (out, take_left)
}

/// min (or max) of two u32 values: the prover picks a side, the circuit checks the pick with a
/// 32-bit range check on the difference. With `single` the left value is taken as is.
fn select_extreme(
    b: &mut CircuitBuilder<F, D>,
    l: Target,
    r: Target,
    single: BoolTarget,
    pair: BoolTarget,
    is_min: bool,
) -> (Target, BoolTarget) {
    let take_left = b.add_virtual_bool_target_safe();
    let one = b.one();
    b.conditional_assert_eq(single.target, take_left.target, one);
    let chosen = b.select(take_left, l, r);
    let other = b.select(take_left, r, l);
    let difference = if is_min {
        b.sub(other, chosen)
    } else {
        b.sub(chosen, other)
    };
    let difference = b.mul(pair.target, difference);
    b.range_check(difference, 32);
    (chosen, take_left)
}
