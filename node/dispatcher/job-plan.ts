// The job plan of a task (DESIGN.md step 2): its leaf jobs and the aggregation jobs of its tree, as
// one list of job indexes every node derives alike from the proof type and the leaf count. Leaf job
// i has index i; aggregation step s (node/dispatcher/aggregation-tree.ts) has index leafCount + s.
import { AGGREGATE_CLASS, leafClass } from '../../protocol/index.ts'
import { planAggregationTree, type ProofRef } from './aggregation-tree.ts'

export { AGGREGATE_CLASS, leafClass }

export interface PlannedJob {
  readonly index: number
  /** The resource class its auction runs in: `<type>/leaf` or `aggregate`. */
  readonly resourceClass: string
  /** Job indexes whose proofs this job aggregates, in tree order (empty for a leaf). */
  readonly children: readonly number[]
  /** The job that aggregates this one's proof; null for the root. */
  readonly parent: number | null
}

export interface JobPlan {
  readonly proofType: string
  readonly leafCount: number
  readonly jobs: readonly PlannedJob[]
  /** Index of the job whose proof is the task's final proof. */
  readonly root: number
}

export function planJobs(proofType: string, leafCount: number): JobPlan {
  const tree = planAggregationTree(leafCount)
  const indexOf = (ref: ProofRef) => (ref.kind === 'job' ? ref.index : leafCount + ref.index)
  const parents = new Map<number, number>()
  const aggregations = tree.steps.map((step) => {
    const index = leafCount + step.index
    const children = step.right === null ? [indexOf(step.left)] : [indexOf(step.left), indexOf(step.right)]
    for (const child of children) parents.set(child, index)
    return { index, resourceClass: AGGREGATE_CLASS, children }
  })
  const leaves = Array.from({ length: leafCount }, (_, index) => ({
    index,
    resourceClass: leafClass(proofType),
    children: [] as number[],
  }))
  const jobs = [...leaves, ...aggregations].map((job) => ({ ...job, parent: parents.get(job.index) ?? null }))
  return { proofType, leafCount, jobs, root: indexOf(tree.root) }
}
