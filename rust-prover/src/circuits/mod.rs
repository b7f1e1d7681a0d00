//! The three circuits of each proof type (leaf, leaf aggregation, node aggregation), how they are
//! built so that both aggregations share one `CommonCircuitData`, and how they are (de)serialised
//! for the on-disk cache.

pub mod aggregation;
pub mod gadgets;
pub mod leaf;
pub mod range_gate;
pub mod serializer;

use crate::config::{circuit_config, C, D, F};
use crate::error::{ProverError, Result};
use crate::proof_type::ProofType;
use aggregation::{build_aggregation, AggregationTargets, Children, Shape};
use gadgets::internal;
use leaf::{build_leaf, LeafTargets};
use plonky2::iop::target::BoolTarget;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::CircuitData;
use plonky2::util::serialization::{Buffer, DefaultGeneratorSerializer, Read, Remaining, Write};
use range_gate::U32RangeLayout;
use serializer::ProverMeshGateSerializer;

pub struct TypeCircuits {
    pub proof_type: ProofType,
    pub leaf: CircuitData<F, C, D>,
    pub leaf_targets: LeafTargets,
    pub leaf_aggregation: CircuitData<F, C, D>,
    pub leaf_aggregation_targets: AggregationTargets,
    pub node_aggregation: CircuitData<F, C, D>,
    pub node_aggregation_targets: AggregationTargets,
}

/// Rounds allowed for the two aggregation circuits' shapes to agree; two or three suffice.
const MAX_SHAPE_ROUNDS: usize = 8;

impl TypeCircuits {
    /// Builds all three circuits. The node aggregation verifies proofs of its own shape, which is
    /// only known once built: iterate until the shape it assumed is the shape it has, padding both
    /// aggregation circuits to the same gates and degree.
    pub fn build(proof_type: ProofType) -> Result<TypeCircuits> {
        let mut b = CircuitBuilder::<F, D>::new(circuit_config());
        let leaf_targets = build_leaf(&mut b, proof_type);
        let leaf = b.build::<C>();

        let mut shape = Shape::default();
        let mut assumed = None;
        for _ in 0..MAX_SHAPE_ROUNDS {
            let leaves = Children::Leaves {
                verifier: &leaf.verifier_only,
                common: &leaf.common,
            };
            let (leaf_aggregation, leaf_aggregation_targets) =
                build_aggregation(proof_type, &leaves, &shape);
            let goal = assumed
                .take()
                .unwrap_or_else(|| leaf_aggregation.common.clone());
            let nodes = Children::Aggregations {
                leaf_aggregation: &leaf_aggregation.verifier_only,
                common: &goal,
            };
            let (node_aggregation, node_aggregation_targets) =
                build_aggregation(proof_type, &nodes, &shape);
            if node_aggregation.common == goal && leaf_aggregation.common == goal {
                return Ok(TypeCircuits {
                    proof_type,
                    leaf,
                    leaf_targets,
                    leaf_aggregation,
                    leaf_aggregation_targets,
                    node_aggregation,
                    node_aggregation_targets,
                });
            }
            shape = Shape::covering(&[&leaf_aggregation.common, &node_aggregation.common, &goal]);
            assumed = Some(node_aggregation.common);
        }
        Err(ProverError::Internal(format!(
            "{}: aggregation circuits did not reach a common shape in {MAX_SHAPE_ROUNDS} rounds",
            proof_type.name()
        )))
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let gates = ProverMeshGateSerializer;
        let generators = DefaultGeneratorSerializer::<C, D>::default();
        let mut out: Vec<u8> = Vec::new();
        for data in [&self.leaf, &self.leaf_aggregation, &self.node_aggregation] {
            let bytes = data
                .to_bytes(&gates, &generators)
                .map_err(|e| internal(format!("serialise circuit: {e:?}")))?;
            out.write_usize(bytes.len()).map_err(io)?;
            out.extend_from_slice(&bytes);
        }
        write_leaf_targets(&mut out, &self.leaf_targets).map_err(io)?;
        write_aggregation_targets(&mut out, &self.leaf_aggregation_targets).map_err(io)?;
        write_aggregation_targets(&mut out, &self.node_aggregation_targets).map_err(io)?;
        Ok(out)
    }

    pub fn from_bytes(proof_type: ProofType, bytes: &[u8]) -> Result<TypeCircuits> {
        let gates = ProverMeshGateSerializer;
        let generators = DefaultGeneratorSerializer::<C, D>::default();
        let mut buffer = Buffer::new(bytes);
        let mut circuits = Vec::with_capacity(3);
        for _ in 0..3 {
            let len = buffer.read_usize().map_err(io)?;
            let start = bytes.len() - buffer.remaining();
            let end = start
                .checked_add(len)
                .filter(|e| *e <= bytes.len())
                .ok_or_else(|| io("circuit length out of range"))?;
            let data = CircuitData::<F, C, D>::from_bytes(&bytes[start..end], &gates, &generators)
                .map_err(io)?;
            buffer = Buffer::new(&bytes[end..]);
            circuits.push(data);
        }
        let leaf_targets = read_leaf_targets(&mut buffer).map_err(io)?;
        let leaf_aggregation_targets = read_aggregation_targets(&mut buffer).map_err(io)?;
        let node_aggregation_targets = read_aggregation_targets(&mut buffer).map_err(io)?;
        let node_aggregation = circuits.pop().unwrap();
        let leaf_aggregation = circuits.pop().unwrap();
        let leaf = circuits.pop().unwrap();
        Ok(TypeCircuits {
            proof_type,
            leaf,
            leaf_targets,
            leaf_aggregation,
            leaf_aggregation_targets,
            node_aggregation,
            node_aggregation_targets,
        })
    }
}

fn io(e: impl std::fmt::Debug) -> ProverError {
    ProverError::Io(format!("circuit cache: {e:?}"))
}

type IoResult<T> = plonky2::util::serialization::IoResult<T>;

fn write_leaf_targets(out: &mut Vec<u8>, t: &LeafTargets) -> IoResult<()> {
    out.write_target_vec(&t.task)?;
    out.write_target(t.start)?;
    out.write_target_bool_vec(&t.mask)?;
    out.write_target_vec(&t.inputs)?;
    out.write_target_vec(&t.extra)?;
    out.write_usize(t.ranges.num_ops)?;
    out.write_usize(t.ranges.count)?;
    out.write_usize(t.ranges.rows.len())?;
    for row in &t.ranges.rows {
        out.write_usize(*row)?;
    }
    Ok(())
}

fn read_leaf_targets(r: &mut Buffer) -> IoResult<LeafTargets> {
    Ok(LeafTargets {
        task: r.read_target_vec()?,
        start: r.read_target()?,
        mask: r.read_target_bool_vec()?,
        inputs: r.read_target_vec()?,
        extra: r.read_target_vec()?,
        ranges: {
            let num_ops = r.read_usize()?;
            let count = r.read_usize()?;
            let n = r.read_usize()?;
            let rows = (0..n)
                .map(|_| r.read_usize())
                .collect::<IoResult<Vec<_>>>()?;
            U32RangeLayout {
                num_ops,
                rows,
                count,
            }
        },
    })
}

fn write_aggregation_targets(out: &mut Vec<u8>, t: &AggregationTargets) -> IoResult<()> {
    out.write_target_proof_with_public_inputs(&t.left)?;
    out.write_target_proof_with_public_inputs(&t.right)?;
    out.write_target_bool(t.single)?;
    out.write_target_bool_vec(&t.take_left)?;
    out.write_usize(t.children_vd.len())?;
    for vd in &t.children_vd {
        out.write_target_verifier_circuit(vd)?;
    }
    out.write_target_bool_vec(&t.children_is_leaf_aggregation)?;
    out.write_bool(t.self_vd.is_some())?;
    if let Some(vd) = &t.self_vd {
        out.write_target_verifier_circuit(vd)?;
    }
    Ok(())
}

fn read_aggregation_targets(r: &mut Buffer) -> IoResult<AggregationTargets> {
    let left = r.read_target_proof_with_public_inputs()?;
    let right = r.read_target_proof_with_public_inputs()?;
    let single = r.read_target_bool()?;
    let take_left: Vec<BoolTarget> = r.read_target_bool_vec()?;
    let n = r.read_usize()?;
    let children_vd = (0..n)
        .map(|_| r.read_target_verifier_circuit())
        .collect::<IoResult<Vec<_>>>()?;
    let children_is_leaf_aggregation = r.read_target_bool_vec()?;
    let self_vd = if r.read_bool()? {
        Some(r.read_target_verifier_circuit()?)
    } else {
        None
    };
    Ok(AggregationTargets {
        left,
        right,
        single,
        take_left,
        children_vd,
        children_is_leaf_aggregation,
        self_vd,
    })
}
