//! `U32RangeGate`: several 32-bit range checks in one row.
//!
//! plonky2's `range_check` spends a whole row (a `BaseSumGate`) per value; a `sum` leaf checks two
//! values per element, so those rows dominated it. This gate checks `num_ops` values per row, each
//! as 16 base-4 limbs (degree-4 limb constraints). It has no witness generator: the prover knows
//! every value it checks and sets the limbs itself (`U32Ranges::fill`).

use crate::config::{D, F};
use crate::error::Result;
use plonky2::field::extension::Extendable;
use plonky2::field::packed::PackedField;
use plonky2::field::types::Field;
use plonky2::gates::gate::Gate;
use plonky2::gates::packed_util::PackedEvaluableBase;
use plonky2::gates::util::StridedConstraintConsumer;
use plonky2::hash::hash_types::RichField;
use plonky2::iop::ext_target::ExtensionTarget;
use plonky2::iop::generator::WitnessGeneratorRef;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CommonCircuitData};
use plonky2::plonk::plonk_common::reduce_with_powers_ext_circuit;
use plonky2::plonk::vars::{
    EvaluationTargets, EvaluationVars, EvaluationVarsBase, EvaluationVarsBaseBatch,
    EvaluationVarsBasePacked,
};
use plonky2::util::serialization::{Buffer, IoResult, Read, Write};

const BASE: usize = 4;
const LIMBS: usize = 16;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct U32RangeGate {
    pub num_ops: usize,
}

impl U32RangeGate {
    pub fn new_from_config(config: &CircuitConfig) -> Self {
        U32RangeGate {
            num_ops: (config.num_wires / (1 + LIMBS)).min(config.num_routed_wires),
        }
    }

    pub fn wire_value(i: usize) -> usize {
        i
    }

    pub fn wire_limb(&self, i: usize, j: usize) -> usize {
        self.num_ops + i * LIMBS + j
    }
}

fn limb_constraint<T: Copy + core::ops::Sub<Output = T> + core::ops::Mul<Output = T>>(
    limb: T,
    consts: [T; BASE],
) -> T {
    consts
        .iter()
        .skip(1)
        .fold(limb - consts[0], |acc, c| acc * (limb - *c))
}

impl<Fe: RichField + Extendable<DD>, const DD: usize> Gate<Fe, DD> for U32RangeGate {
    fn id(&self) -> String {
        format!("{self:?}")
    }

    fn serialize(&self, dst: &mut Vec<u8>, _common: &CommonCircuitData<Fe, DD>) -> IoResult<()> {
        dst.write_usize(self.num_ops)
    }

    fn deserialize(src: &mut Buffer, _common: &CommonCircuitData<Fe, DD>) -> IoResult<Self> {
        Ok(U32RangeGate {
            num_ops: src.read_usize()?,
        })
    }

    fn eval_unfiltered(&self, vars: EvaluationVars<Fe, DD>) -> Vec<Fe::Extension> {
        let base = Fe::Extension::from_canonical_usize(BASE);
        let consts: [Fe::Extension; BASE] =
            core::array::from_fn(Fe::Extension::from_canonical_usize);
        let mut constraints = Vec::with_capacity(self.num_ops * (1 + LIMBS));
        for i in 0..self.num_ops {
            let limbs: Vec<_> = (0..LIMBS)
                .map(|j| vars.local_wires[self.wire_limb(i, j)])
                .collect();
            let sum = limbs
                .iter()
                .rev()
                .fold(Fe::Extension::ZERO, |acc, l| acc * base + *l);
            constraints.push(sum - vars.local_wires[Self::wire_value(i)]);
            constraints.extend(limbs.iter().map(|l| limb_constraint(*l, consts)));
        }
        constraints
    }

    fn eval_unfiltered_base_one(
        &self,
        _vars: EvaluationVarsBase<Fe>,
        _yield_constr: StridedConstraintConsumer<Fe>,
    ) {
        panic!("use eval_unfiltered_base_packed instead");
    }

    fn eval_unfiltered_base_batch(&self, vars_base: EvaluationVarsBaseBatch<Fe>) -> Vec<Fe> {
        self.eval_unfiltered_base_batch_packed(vars_base)
    }

    fn eval_unfiltered_circuit(
        &self,
        b: &mut CircuitBuilder<Fe, DD>,
        vars: EvaluationTargets<DD>,
    ) -> Vec<ExtensionTarget<DD>> {
        let base = b.constant(Fe::from_canonical_usize(BASE));
        let mut constraints = Vec::with_capacity(self.num_ops * (1 + LIMBS));
        for i in 0..self.num_ops {
            let limbs: Vec<_> = (0..LIMBS)
                .map(|j| vars.local_wires[self.wire_limb(i, j)])
                .collect();
            let sum = reduce_with_powers_ext_circuit(b, &limbs, base);
            constraints.push(b.sub_extension(sum, vars.local_wires[Self::wire_value(i)]));
            for limb in limbs {
                let mut acc = b.one_extension();
                for k in 0..BASE {
                    acc = b.arithmetic_extension(
                        Fe::ONE,
                        -Fe::from_canonical_usize(k),
                        acc,
                        limb,
                        acc,
                    );
                }
                constraints.push(acc);
            }
        }
        constraints
    }

    fn generators(&self, _row: usize, _local_constants: &[Fe]) -> Vec<WitnessGeneratorRef<Fe, DD>> {
        vec![]
    }

    fn num_wires(&self) -> usize {
        self.num_ops * (1 + LIMBS)
    }

    fn num_constants(&self) -> usize {
        0
    }

    fn degree(&self) -> usize {
        BASE
    }

    fn num_constraints(&self) -> usize {
        self.num_ops * (1 + LIMBS)
    }
}

impl<Fe: RichField + Extendable<DD>, const DD: usize> PackedEvaluableBase<Fe, DD> for U32RangeGate {
    fn eval_unfiltered_base_packed<P: PackedField<Scalar = Fe>>(
        &self,
        vars: EvaluationVarsBasePacked<P>,
        mut yield_constr: StridedConstraintConsumer<P>,
    ) {
        let base = Fe::from_canonical_usize(BASE);
        for i in 0..self.num_ops {
            let limbs: Vec<P> = (0..LIMBS)
                .map(|j| vars.local_wires[self.wire_limb(i, j)])
                .collect();
            let sum = limbs.iter().rev().fold(P::ZEROS, |acc, l| acc * base + *l);
            yield_constr.one(sum - vars.local_wires[Self::wire_value(i)]);
            yield_constr.many(limbs.iter().map(|l| {
                (0..BASE)
                    .map(|k| *l - Fe::from_canonical_usize(k))
                    .product::<P>()
            }));
        }
    }
}

/// Collects values to range-check while a circuit is built, then lays them out in gates.
#[derive(Default)]
pub struct U32Ranges {
    pending: Vec<Target>,
}

/// Where the checked values sit, so the prover can set their limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct U32RangeLayout {
    pub num_ops: usize,
    pub rows: Vec<usize>,
    pub count: usize,
}

impl U32Ranges {
    pub fn check(&mut self, value: Target) {
        self.pending.push(value);
    }

    pub fn finish(self, b: &mut CircuitBuilder<F, D>) -> U32RangeLayout {
        let gate = U32RangeGate::new_from_config(&b.config);
        let zero = b.zero();
        let mut rows = Vec::new();
        for chunk in self.pending.chunks(gate.num_ops) {
            let row = b.add_gate(gate, vec![]);
            for i in 0..gate.num_ops {
                b.connect(
                    chunk.get(i).copied().unwrap_or(zero),
                    Target::wire(row, U32RangeGate::wire_value(i)),
                );
            }
            rows.push(row);
        }
        U32RangeLayout {
            num_ops: gate.num_ops,
            rows,
            count: self.pending.len(),
        }
    }
}

impl U32RangeLayout {
    /// Sets the limbs of every checked value; `values` in the order they were checked. A value
    /// that does not fit in 32 bits gets the limbs of its low bits, and the proof then fails.
    pub fn fill(&self, pw: &mut PartialWitness<F>, values: &[u64]) -> Result<()> {
        debug_assert_eq!(values.len(), self.count);
        let gate = U32RangeGate {
            num_ops: self.num_ops,
        };
        for (r, row) in self.rows.iter().enumerate() {
            for i in 0..self.num_ops {
                let mut value = values.get(r * self.num_ops + i).copied().unwrap_or(0);
                for j in 0..LIMBS {
                    let limb = F::from_canonical_u64(value % BASE as u64);
                    value /= BASE as u64;
                    pw.set_target(Target::wire(*row, gate.wire_limb(i, j)), limb)
                        .map_err(super::gadgets::internal)?;
                }
            }
        }
        Ok(())
    }
}
