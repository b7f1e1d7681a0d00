// The aggregation tree of a task: which proofs are aggregated, in which order. Deterministic in
// the number of jobs only, so every node derives the same tree.
//
// Level 0 pairs neighbouring job proofs (a lone last job is aggregated alone). Higher levels pair
// neighbouring aggregations; a lone last one moves up unchanged, except at the top, where a lone
// leaf-level aggregation is aggregated alone so the root is always a node aggregation (the proof
// type's fixed final verifier key).

export type ProofRef = { kind: 'job'; index: number } | { kind: 'aggregation'; index: number }

export interface AggregationStep {
  index: number
  /** 0: aggregates job proofs; ≥ 1: aggregates aggregations. */
  level: number
  left: ProofRef
  /** null: `left` is aggregated alone. */
  right: ProofRef | null
}

export interface AggregationTree {
  steps: AggregationStep[]
  root: ProofRef
}

export function planAggregationTree(jobCount: number): AggregationTree {
  if (!Number.isSafeInteger(jobCount) || jobCount < 1)
    throw new RangeError(`jobCount must be a positive integer, got ${jobCount}`)
  const steps: AggregationStep[] = []
  const add = (level: number, left: ProofRef, right: ProofRef | null): ProofRef => {
    steps.push({ index: steps.length, level, left, right })
    return { kind: 'aggregation', index: steps.length - 1 }
  }

  let current: ProofRef[] = []
  for (let i = 0; i < jobCount; i += 2) {
    const right: ProofRef | null = i + 1 < jobCount ? { kind: 'job', index: i + 1 } : null
    current.push(add(0, { kind: 'job', index: i }, right))
  }
  let level = 1
  do {
    const next: ProofRef[] = []
    for (let i = 0; i < current.length; i += 2) {
      const left = current[i]!
      const right = current[i + 1]
      if (right) next.push(add(level, left, right))
      else if (current.length === 1) next.push(add(level, left, null))
      else next.push(left)
    }
    current = next
    level++
  } while (current.length > 1)
  return { steps, root: current[0]! }
}
