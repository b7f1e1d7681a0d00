// Proves a whole task on this machine: plan jobs, prove each, aggregate along the task's tree,
// verify the root against the type's verifier key. What `prover-mesh proof local` runs, and the
// reference the network's distributed proving must match.
import { createHash } from 'node:crypto'
import type { Prover, ProofType, Statement } from '../../prover-ffi/index.ts'
import { planAggregationTree, type ProofRef } from '../dispatcher/aggregation-tree.ts'

export interface LocalProofResult {
  proof: Uint8Array
  statement: Statement
  expected: Statement
  jobCount: number
  aggregationCount: number
  timings: { planMs: number; jobsMs: number[]; aggregationsMs: number[]; verifyMs: number; totalMs: number }
}

export type LocalProgress =
  { stage: 'job'; done: number; total: number } | { stage: 'aggregation'; done: number; total: number }

/** A task id for local runs: sha256 over the type, job size and task bytes. */
export function localTaskId(type: ProofType, jobSize: number, task: Uint8Array): Uint8Array {
  return createHash('sha256').update(`prover-mesh/local/${type}/${jobSize}/`).update(task).digest()
}

export async function proveTaskLocally(
  prover: Prover,
  type: ProofType,
  task: Uint8Array,
  jobSize: number,
  options: { taskId?: Uint8Array; onProgress?: (progress: LocalProgress) => void } = {},
): Promise<LocalProofResult> {
  const started = performance.now()
  const taskId = options.taskId ?? localTaskId(type, jobSize, task)
  const jobs = await prover.planJobs(type, taskId, task, jobSize)
  const expected = await prover.taskStatement(type, taskId, task)
  const planMs = performance.now() - started

  const jobProofs: Uint8Array[] = []
  const jobsMs: number[] = []
  for (const job of jobs) {
    const t = performance.now()
    jobProofs.push(await prover.proveJob(type, job))
    jobsMs.push(performance.now() - t)
    options.onProgress?.({ stage: 'job', done: jobProofs.length, total: jobs.length })
  }

  const tree = planAggregationTree(jobs.length)
  const aggregations: Uint8Array[] = []
  const aggregationsMs: number[] = []
  const proofOf = (ref: ProofRef): Uint8Array => (ref.kind === 'job' ? jobProofs : aggregations)[ref.index]!
  for (const step of tree.steps) {
    const t = performance.now()
    const right = step.right ? proofOf(step.right) : undefined
    aggregations.push(await prover.aggregate(type, proofOf(step.left), right))
    aggregationsMs.push(performance.now() - t)
    options.onProgress?.({ stage: 'aggregation', done: aggregations.length, total: tree.steps.length })
  }
  const proof = proofOf(tree.root)

  const t = performance.now()
  const statement = await prover.verifyFinal(await prover.verifierKey(type), proof)
  const verifyMs = performance.now() - t
  return {
    proof,
    statement,
    expected,
    jobCount: jobs.length,
    aggregationCount: tree.steps.length,
    timings: { planMs, jobsMs, aggregationsMs, verifyMs, totalMs: performance.now() - started },
  }
}
