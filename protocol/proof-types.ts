// The proof types the network knows, their input schemas and limits, and the deterministic demand
// (resource units per class) a task of each type creates. Demand comes from here, never from the client.
import { ValidationError } from './errors.ts'
import { decodeBody } from './decode.ts'
import { dispatcherJobSize, LEAF_CIRCUIT_LIMITS, type LeafJobSizing } from './job-size.ts'
import { HashchainInput, SumInput } from './generated/messages.js'
import {
  GOLDILOCKS_ORDER,
  MAX_HASHCHAIN_SEGMENT,
  MAX_HASHCHAIN_STEPS,
  MAX_LEAF_JOBS,
  MAX_SUM_CHUNK,
  MAX_SUM_VALUES,
  SUM_CHUNK_MULTIPLE,
} from './limits.ts'

export const PROOF_TYPES = ['sum', 'hashchain'] as const
export type ProofType = (typeof PROOF_TYPES)[number]

export function isProofType(value: string): value is ProofType {
  return (PROOF_TYPES as readonly string[]).includes(value)
}

/** The resource class of every aggregation job, whatever the proof type (one shared circuit shape). */
export const AGGREGATE_CLASS = 'aggregate'

/** The resource class of a proof type's leaf jobs. */
export function leafClass(proofType: string): string {
  return `${proofType}/leaf`
}

/** Whether jobs of `proofType` can be of `resourceClass`: its leaf class, or aggregation. */
export function isResourceClassOf(proofType: ProofType, resourceClass: string): boolean {
  return resourceClass === AGGREGATE_CLASS || resourceClass === leafClass(proofType)
}

export type ProofInput = { type: 'sum'; input: SumInput } | { type: 'hashchain'; input: HashchainInput }

export const HASHCHAIN_SEED_BYTES = 32

/** Decodes and checks a task input of the given type. Fields are named `input.<field>`. */
export function decodeProofInput(type: ProofType, bytes: Uint8Array): ProofInput {
  if (bytes.byteLength === 0) throw new ValidationError('missing', 'input', 'required')
  if (type === 'sum') {
    const input = decodeBody(SumInput, bytes, 'input')
    if (input.values.length === 0) throw new ValidationError('missing', 'input.values', 'at least one value')
    if (input.values.length > MAX_SUM_VALUES) {
      throw new ValidationError(
        'too_large',
        'input.values',
        `${input.values.length} values, limit ${MAX_SUM_VALUES}`,
      )
    }
    // 0 (what a current client sends): the dispatcher sizes the jobs. Anything else is an old
    // client's explicit size, still honoured (see leafJobSizing) and so still checked.
    if (
      input.chunkSize !== 0 &&
      (input.chunkSize > MAX_SUM_CHUNK || input.chunkSize % SUM_CHUNK_MULTIPLE !== 0)
    ) {
      throw new ValidationError(
        'out_of_range',
        'input.chunk_size',
        `must be 0 (the dispatcher sizes jobs) or a multiple of ${SUM_CHUNK_MULTIPLE} in ${SUM_CHUNK_MULTIPLE}..${MAX_SUM_CHUNK}, got ${input.chunkSize}`,
      )
    }
    const decoded: ProofInput = { type, input }
    if (input.chunkSize !== 0) checkLeafCount(leafJobSizing(decoded).leafCount, 'input.chunk_size')
    else leafJobSizing(decoded) // throws, naming input.values, if the task needs too many jobs
    return decoded
  }
  const input = decodeBody(HashchainInput, bytes, 'input')
  if (input.seed.byteLength !== HASHCHAIN_SEED_BYTES) {
    throw new ValidationError(
      input.seed.byteLength === 0 ? 'missing' : 'out_of_range',
      'input.seed',
      `expected ${HASHCHAIN_SEED_BYTES} bytes, got ${input.seed.byteLength}`,
    )
  }
  const seed = new DataView(input.seed.buffer, input.seed.byteOffset, input.seed.byteLength)
  for (let limb = 0; limb < 4; limb++) {
    if (seed.getBigUint64(limb * 8, true) >= GOLDILOCKS_ORDER) {
      throw new ValidationError('out_of_range', 'input.seed', `limb ${limb} is not below the field order`)
    }
  }
  if (input.steps < 1n || input.steps > MAX_HASHCHAIN_STEPS) {
    throw new ValidationError(
      'out_of_range',
      'input.steps',
      `must be 1..${MAX_HASHCHAIN_STEPS}, got ${input.steps}`,
    )
  }
  if (input.segment !== 0n && (input.segment > input.steps || input.segment > MAX_HASHCHAIN_SEGMENT)) {
    throw new ValidationError(
      'out_of_range',
      'input.segment',
      `must be 0 (the dispatcher sizes jobs) or 1..min(steps, ${MAX_HASHCHAIN_SEGMENT}), got ${input.segment}`,
    )
  }
  const decoded: ProofInput = { type, input }
  if (input.segment !== 0n) checkLeafCount(leafJobSizing(decoded).leafCount, 'input.segment')
  else leafJobSizing(decoded) // throws, naming input.steps, if the task needs too many jobs
  return decoded
}

function checkLeafCount(leaves: number, field: string): void {
  if (leaves > MAX_LEAF_JOBS) {
    throw new ValidationError(
      'out_of_range',
      field,
      `splits the task into ${leaves} jobs, limit ${MAX_LEAF_JOBS}`,
    )
  }
}

export interface ClassDemandUnits {
  class: string
  units: bigint
}

/**
 * Aggregation jobs of the tree over `leaves` job proofs (node/dispatcher/aggregation-tree.ts): a lone
 * proof is aggregated alone at level 0 and at the top, so the root is always a node aggregation.
 */
export function aggregationJobCount(leaves: number): number {
  let current = Math.ceil(leaves / 2)
  let count = current
  if (current === 1) return count + 1
  while (current > 1) {
    count += Math.floor(current / 2)
    current = Math.ceil(current / 2)
  }
  return count
}

/**
 * The leaf job size of a task: the dispatcher's rule (protocol/job-size.ts) when the request leaves
 * the size at 0, as current clients do. A non-zero size is an old client's explicit one (SubmitTask
 * v1 carried it), honoured so that its signed request keeps meaning the same jobs; current clients
 * cannot send one (`prover-mesh submit` and the SDK have no such option).
 */
export function leafJobSizing(input: ProofInput): LeafJobSizing {
  if (input.type === 'sum') {
    const total = BigInt(input.input.values.length)
    if (input.input.chunkSize === 0) return dispatcherJobSize(LEAF_CIRCUIT_LIMITS.sum, total, 'input.values')
    const jobSize = BigInt(input.input.chunkSize)
    return { jobSize, leafCount: Number((total + jobSize - 1n) / jobSize) }
  }
  const total = input.input.steps
  if (input.input.segment === 0n)
    return dispatcherJobSize(LEAF_CIRCUIT_LIMITS.hashchain, total, 'input.steps')
  const jobSize = input.input.segment
  return { jobSize, leafCount: Number((total + jobSize - 1n) / jobSize) }
}

/** Leaf jobs plus the aggregation jobs of the task's tree: the announce's demand header. */
export function planDemand(input: ProofInput): ClassDemandUnits[] {
  const leaves = BigInt(leafJobSizing(input).leafCount)
  return [
    { class: `${input.type}/leaf`, units: leaves },
    { class: 'aggregate', units: BigInt(aggregationJobCount(Number(leaves))) },
  ]
}
