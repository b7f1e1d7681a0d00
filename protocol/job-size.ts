// How big a task's leaf jobs are: chosen by the dispatcher from the task, never by the requester
// (DESIGN.md step 2). Pure integer arithmetic, so every node and a restarted gateway derive the same
// plan from the same signed request.
//
// The rule: the fewest leaf jobs the circuits allow, L = ⌈total / capacity⌉, with the work spread
// evenly over them (size = ⌈total / L⌉, rounded up to the circuit's multiple; the last job takes the
// rest). Why the fewest: a leaf circuit has a fixed capacity (rust-prover/README.md), so a job costs
// the same to prove however little it holds. Splitting finer never finishes the leaves sooner (with
// P active provers the leaves take ⌈L/P⌉ rounds, and a larger L can only raise that), while each
// extra leaf adds an auctioned job, an aggregation and, past a power of two, a level to the tree
// (depth ⌈log₂ L⌉ + 1), and every level waits for an epoch. So the number of active provers and
// the aggregation depth both argue for the same L, and the plan needs neither as an input.
import { ValidationError } from './errors.ts'
import { MAX_HASHCHAIN_SEGMENT, MAX_LEAF_JOBS, MAX_SUM_CHUNK, SUM_CHUNK_MULTIPLE } from './limits.ts'

/** What one leaf job of a proof type can hold: its circuit's capacity and the granularity of a job. */
export interface LeafCircuitLimits {
  readonly capacity: bigint
  readonly multiple: bigint
}

export const LEAF_CIRCUIT_LIMITS: Readonly<Record<'sum' | 'hashchain', LeafCircuitLimits>> = {
  sum: { capacity: BigInt(MAX_SUM_CHUNK), multiple: BigInt(SUM_CHUNK_MULTIPLE) },
  hashchain: { capacity: MAX_HASHCHAIN_SEGMENT, multiple: 1n },
}

export interface LeafJobSizing {
  /** Items (values, steps) per leaf job; the last job holds the rest. */
  readonly jobSize: bigint
  /** Leaf jobs: ⌈total / jobSize⌉. */
  readonly leafCount: number
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b

/**
 * The dispatcher's rule (above) for a task of `total` items (≥ 1). Throws a ValidationError naming
 * `field` when the task needs more than MAX_LEAF_JOBS jobs even at full capacity.
 */
export function dispatcherJobSize(limits: LeafCircuitLimits, total: bigint, field: string): LeafJobSizing {
  if (total < 1n) throw new ValidationError('out_of_range', field, `must be at least 1, got ${total}`)
  const leaves = ceilDiv(total, limits.capacity)
  if (leaves > BigInt(MAX_LEAF_JOBS)) {
    throw new ValidationError(
      'too_large',
      field,
      `${total} needs ${leaves} jobs of at most ${limits.capacity}, limit ${MAX_LEAF_JOBS} jobs`,
    )
  }
  const jobSize = ceilDiv(ceilDiv(total, leaves), limits.multiple) * limits.multiple
  return { jobSize, leafCount: Number(ceilDiv(total, jobSize)) }
}
