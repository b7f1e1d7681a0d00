// Retention: what a node that runs for months stops keeping (node/README.md, "Retention").
//   - A task (record, signed request, indexes; on a gateway its job states, proofs and demands) is
//     deleted `retainTasksMs` after its deadline: by then it is final (the dispatcher fails a task at
//     its deadline), and a task learnt by gossip, whose state never changes here, goes the same way.
//   - A finished task's proofs, job states and demands (about 120 KB per job) go earlier: once a client
//     has received the root proof, after PROOF_AFTER_FETCH_MS (a client that lost it can still
//     resubmit and get it again); otherwise `retainProofsMs` after the task ended.
//   - Prover faults older than `retainTasksMs`. The ledger is kept: it is what settlement will pay.
// A pass runs every `intervalMs`, in chunks with a yield to the event loop between them, at most
// MAX_PER_PASS items; a failed pass is logged and counted (loop `retention` of the node's loop
// health: /health says degraded while it keeps failing), and the next one tries again.
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { Counter, type Registry } from 'prom-client'
import type { Clock } from '../clock.ts'
import type { JobStore } from '../gateway/job-store.ts'
import type { Logger } from '../logger.ts'
import type { LoopMonitor } from '../loop-health.ts'
import type { TaskStore } from './task-store.ts'

/** A root proof a client has received is kept this much longer. */
export const PROOF_AFTER_FETCH_MS = 3_600_000
export const RETENTION_INTERVAL_MS = 60_000
/** Items one chunk handles between two yields to the event loop. */
export const RETENTION_CHUNK = 64
/** Items one pass handles at most; the rest waits for the next pass. */
export const MAX_PER_PASS = 4096

export interface RetentionOptions {
  tasks: TaskStore
  /** A gateway's job store; undefined on nodes that run no dispatcher. */
  jobs?: Pick<JobStore, 'deleteTask' | 'pruneFaults'>
  clock: Clock
  logger: Logger
  retainTasksMs: number
  retainProofsMs: number
  proofAfterFetchMs?: number
  intervalMs?: number
  chunk?: number
  registry?: Registry
  /** The node's loop health (/health degraded while retention keeps failing). */
  monitor?: LoopMonitor
}

export interface PassResult {
  tasks: number
  proofs: number
  faults: number
}

/** One retention pass: everything due at the clock's now, in chunks. */
export async function prunePass(o: RetentionOptions): Promise<PassResult> {
  const now = o.clock.now()
  const chunk = o.chunk ?? RETENTION_CHUNK
  const result: PassResult = { tasks: 0, proofs: 0, faults: 0 }
  const budget = () => MAX_PER_PASS - result.tasks - result.proofs - result.faults

  // Proofs first: a task due for deletion takes its proofs along anyway.
  for (const [index, before] of [
    ['fetched', now - (o.proofAfterFetchMs ?? PROOF_AFTER_FETCH_MS)],
    ['ended', now - o.retainProofsMs],
  ] as const) {
    for (;;) {
      const due =
        index === 'fetched'
          ? await o.tasks.fetchedBefore(before, Math.min(chunk, budget()))
          : await o.tasks.endedBefore(before, Math.min(chunk, budget()))
      if (due.length === 0) break
      for (const { taskId } of due) await o.jobs?.deleteTask(taskId)
      await o.tasks.forget(index, due)
      result.proofs += due.length
      await yieldToLoop()
      if (due.length < chunk || budget() <= 0) break
    }
  }
  for (;;) {
    const due = await o.tasks.deadlinesBefore(now - o.retainTasksMs, Math.min(chunk, budget()))
    if (due.length === 0) break
    for (const { taskId } of due) {
      const record = await o.tasks.get(taskId)
      // Cannot happen while the dispatcher runs (it fails a task at its deadline); if a store was
      // offline that long, keeping the record would stall retention behind it.
      if (record?.origin === 'submitted' && record.state !== 'done' && record.state !== 'failed')
        o.logger.warn({ taskId, state: record.state }, 'deleting an unfinished task long past its deadline')
      await o.jobs?.deleteTask(taskId)
    }
    result.tasks += await o.tasks.delete(due.map((d) => d.taskId))
    await yieldToLoop()
    if (due.length < chunk || budget() <= 0) break
  }
  if (o.jobs !== undefined) {
    for (;;) {
      const n = await o.jobs.pruneFaults(now - o.retainTasksMs, Math.min(chunk, budget()))
      result.faults += n
      await yieldToLoop()
      if (n < chunk || budget() <= 0) break
    }
  }
  return result
}

export interface Retention {
  /** Runs a pass now (after the one in progress, if any). */
  pass(): Promise<PassResult>
  stop(): Promise<void>
}

export function startRetention(o: RetentionOptions): Retention {
  const pruned =
    o.registry &&
    new Counter({
      name: 'prover_mesh_retention_pruned_total',
      help: 'Items removed by retention: tasks, proofs (a task’s proofs, job states and demands), faults',
      labelNames: ['what'],
      registers: [o.registry],
    })
  let running: Promise<PassResult> = Promise.resolve({ tasks: 0, proofs: 0, faults: 0 })
  const pass = () => {
    running = running.then(
      () => prunePass(o),
      () => prunePass(o),
    )
    return running.then((result) => {
      for (const [what, n] of Object.entries(result)) if (n > 0) pruned?.inc({ what }, n)
      if (result.tasks + result.proofs + result.faults > 0) o.logger.info(result, 'retention pass')
      return result
    })
  }
  const timer = setInterval(() => {
    pass().then(
      () => o.monitor?.succeeded('retention'),
      (error: unknown) => {
        if (o.monitor !== undefined) o.monitor.failed('retention', error)
        else o.logger.warn({ err: (error as Error).message }, 'retention pass failed')
      },
    )
  }, o.intervalMs ?? RETENTION_INTERVAL_MS)
  timer.unref()
  return {
    pass,
    async stop() {
      clearInterval(timer)
      await running.catch(() => undefined)
    },
  }
}
