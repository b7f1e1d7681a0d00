// The gateway's dispatcher (DESIGN.md steps 2, 6–9): it turns each task it accepted into a job plan,
// offers ready jobs to the auction as signed JobDemands, follows the seals that assign them, serves
// their inputs to the assigned provers, verifies every delivered proof before accepting it, offers
// each aggregation job once its children are proven, and hands the verified root proof to the
// client. Jobs whose prover misses its deadline or delivers an invalid proof go back to the pool
// (a new demand round) and the fault is recorded with its evidence. Every change is written to
// the job store first, so a restarted gateway resumes each task where it stopped.
import type { PrivateKey } from '@libp2p/interface'
import type { Statement } from '../../prover-ffi/index.ts'
import {
  MAX_DEMAND_JOBS,
  buildJobDemand,
  encodeAggregateInput,
  fromHex,
  toHex,
  validateSubmitTask,
  type DeliverJobResult,
  type ProofInput,
  type ProofType,
  type TaskState,
} from '../../protocol/index.ts'
import type { Clock } from '../clock.ts'
import { planJobs, type JobPlan } from '../dispatcher/job-plan.ts'
import type { Logger } from '../logger.ts'
import type { LoopMonitor } from '../loop-health.ts'
import { buyerBidId } from '../market/bids.ts'
import type { EpochAllocation } from '../market/epoch-driver.ts'
import type { OperatorSet } from '../market/operators.ts'
import {
  aggregateExpectation,
  aggregationLevel,
  expectationMismatch,
  type ProvingBackend,
} from '../proving/backend.ts'
import type { DemandOrigin } from '../seams.ts'
import type { TaskStore } from '../store/task-store.ts'
import type { WritePoint } from '../write-points.ts'
import type { JobBatch, JobFault, JobState, JobStore, TaskRun } from './job-store.ts'
import { VerifyLimit } from './verify-limit.ts'

/** How often deadlines are checked. */
const SWEEP_MS = 250

export interface TaskRunnerDeps {
  backend: ProvingBackend
  tasks: TaskStore
  jobs: JobStore
  /** The gateway's peer key: it signs demands. */
  key: PrivateKey
  operators: OperatorSet
  clock: Clock
  logger: Logger
  jobTimeoutMs: number
  /** Hands a signed demand to this node's auction and gossips it. */
  publishDemand(envelope: Uint8Array, origin?: DemandOrigin): Promise<unknown>
  /** Records a task state (or only a new detail) and tells the client's status stream. */
  setStatus(taskId: string, state: TaskState, detail: string, proof?: Uint8Array): Promise<void>
  /** A signed delivery whose proof no verifier accepts: gossiped as fault evidence. */
  reportInvalidDelivery?(envelope: Uint8Array): void
  /** Told how each background beat went (/health, metrics). */
  loops?: LoopMonitor
}

/** A refusal of a fetch or delivery, sent back to the prover as an error frame. */
export class JobRequestError extends Error {
  readonly code: string
  readonly field: string
  constructor(code: string, field: string, message: string) {
    super(message)
    this.code = code
    this.field = field
  }
}

/** What the runner keeps in memory per running task: what can be rebuilt from the store. */
interface Running {
  run: TaskRun
  plan: JobPlan
  type: ProofType
  leafJobs: Uint8Array[]
  final: Statement
  price: bigint
  deadlineMs: bigint
  /** The last detail sent, so the same one is not sent twice. */
  detail: string
}

export class TaskRunner {
  readonly #d: TaskRunnerDeps
  readonly #running = new Map<string, Running>()
  /** Deliveries verified at once, and waiting (node/gateway/verify-limit.ts). */
  readonly #verifyLimit = new VerifyLimit()
  #timer: ReturnType<typeof setInterval> | undefined
  /** Every state change runs in this queue, one at a time, so the store sees one order. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(deps: TaskRunnerDeps) {
    this.#d = deps
  }

  /** Resumes every unfinished task this gateway accepted, then starts the deadline sweep. */
  async start(): Promise<void> {
    for (const record of await this.#d.tasks.list()) {
      if (record.origin !== 'submitted' || record.state === 'done' || record.state === 'failed') continue
      if (record.state === 'accepted') continue // not announced yet: the node re-announces it, then starts it
      await this.begin(record.taskId).catch((error: unknown) =>
        this.#d.logger.warn({ taskId: record.taskId, err: (error as Error).message }, 'resume failed'),
      )
    }
    // A failed sweep (a store write) is logged and the next one tries again; it must not crash the node.
    this.#timer = setInterval(() => {
      this.#serial(() => this.#sweep()).then(
        () => this.#d.loops?.succeeded('gateway.sweep'),
        (error: unknown) => this.#d.loops?.failed('gateway.sweep', error),
      )
    }, SWEEP_MS)
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#queue.catch(() => undefined)
  }

  /** Plans a newly announced task (or resumes a known one) and offers its ready jobs. */
  begin(taskId: string): Promise<void> {
    return this.#serial(() => this.#begin(taskId))
  }

  /** An accepted seal: takes the assignments of this gateway's jobs and explains unserved ones. */
  onAllocation(allocation: EpochAllocation): void {
    this.#serial(() => this.#allocate(allocation)).then(
      () => this.#d.loops?.succeeded('gateway.allocation'),
      (error: unknown) => this.#d.loops?.failed('gateway.allocation', error),
    )
  }

  /** The input of a job, for the prover assigned to it (`peer`: the fetching peer's id). */
  async jobInput(taskId: string, jobIndex: number, peer: string): Promise<Uint8Array> {
    const { running, job } = this.#lookup(taskId, jobIndex)
    this.#checkProver(job, peer)
    const planned = running.plan.jobs[jobIndex]!
    if (planned.children.length === 0) return running.leafJobs[jobIndex]!
    const children: Uint8Array[] = []
    for (const child of planned.children) {
      const proof = await this.#d.jobs.getProof(taskId, child)
      if (proof === undefined)
        throw new JobRequestError('not_ready', 'job_index', `child ${child} not proven`)
      children.push(proof)
    }
    return encodeAggregateInput(children)
  }

  /**
   * A delivered proof: verified (outside the queue: it is the slow part), then applied. Resolves
   * when accepted; throws JobRequestError saying why not.
   */
  async deliver(result: DeliverJobResult, peer: string, envelope?: Uint8Array): Promise<void> {
    const taskId = toHex(result.taskId)
    const { running, job } = this.#lookup(taskId, result.jobIndex)
    if (job.state === 'proven') throw new JobRequestError('duplicate', 'job_index', 'already proven')
    this.#checkProver(job, peer)
    this.#checkEpoch(job, result.epoch)
    const verdict = await this.#verifyLimit.run(() => this.#verify(running, result.jobIndex, result.proof))
    await this.#serial(async () => {
      const current = this.#running.get(taskId)?.run.jobs[result.jobIndex]
      if (current === undefined || current.state === 'proven')
        throw new JobRequestError('duplicate', 'job_index', 'already proven')
      this.#checkProver(current, peer)
      this.#checkEpoch(current, result.epoch)
      if ('invalid' in verdict) {
        const evidence = toHex(result.proof)
        const envelopes = await this.#commit(running, 'job.invalid', async (batch) => {
          this.#fault(batch, running, current, 'INVALID_PROOF', verdict.invalid, peer, evidence)
          return this.#reoffer(batch, running, [current])
        })
        for (const envelope of envelopes) await this.#publish(envelope)
        // A proof no verifier accepts, under the prover's signature, is evidence for every node.
        if (verdict.unverifiable && envelope !== undefined) this.#d.reportInvalidDelivery?.(envelope)
        throw new JobRequestError('invalid_proof', 'proof', verdict.invalid)
      }
      await this.#accept(running, current, result.proof, verdict, peer)
    })
  }

  /** A delivery names the epoch of the seal that assigned the job: what its signature then proves. */
  #checkEpoch(job: JobState, epoch: bigint): void {
    if (job.epoch !== undefined && BigInt(job.epoch) !== epoch)
      throw new JobRequestError('out_of_range', 'epoch', `the job was assigned in epoch ${job.epoch}`)
  }

  status() {
    return [...this.#running.values()].map(({ run }) => ({
      taskId: run.taskId,
      jobs: run.jobs.length,
      proven: run.jobs.filter((j) => j.state === 'proven').length,
      assigned: run.jobs.filter((j) => j.state === 'assigned').length,
      open: run.jobs.filter((j) => j.state === 'open').length,
    }))
  }

  // ---- internals ----

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job)
    this.#queue = run.catch(() => undefined)
    return run
  }

  #lookup(taskId: string, jobIndex: number): { running: Running; job: JobState } {
    const running = this.#running.get(taskId)
    if (running === undefined)
      throw new JobRequestError('unknown_task', 'task_id', 'no running task with this id')
    const job = running.run.jobs[jobIndex]
    if (job === undefined)
      throw new JobRequestError('out_of_range', 'job_index', `the task has ${running.run.jobs.length} jobs`)
    return { running, job }
  }

  /**
   * Only the prover an accepted seal assigned the job to may fetch or deliver it. An open job (no
   * assignment seen yet) is served to nobody: a peer that did not win it would displace the winner,
   * and garbage deliveries would re-offer it forever. The winner may have seen the seal before this
   * gateway did, so that refusal is `not_ready`, which provers retry.
   */
  #checkProver(job: JobState, peer: string): void {
    if (job.state === 'open')
      throw new JobRequestError('not_ready', 'job_index', 'no accepted seal assigns this job yet')
    // Final for the prover (a restarted one learns old seals by catch-up): it must not retry.
    if (job.state === 'proven') throw new JobRequestError('duplicate', 'job_index', 'already proven')
    if (job.state !== 'assigned') throw new JobRequestError('not_ready', 'job_index', `job is ${job.state}`)
    if (job.peer !== peer)
      throw new JobRequestError('not_assigned', 'job_index', 'assigned to another prover')
  }

  async #begin(taskId: string): Promise<void> {
    if (this.#running.has(taskId)) return
    const record = await this.#d.tasks.get(taskId)
    const request = await this.#d.tasks.getRequest(taskId)
    if (record === undefined || request === undefined) throw new Error(`task ${taskId} is not stored here`)
    // Validated as of its acceptance: it was valid then, and its deadline is handled by the sweep.
    const task = await validateSubmitTask(request, record.createdAtMs)
    const input: ProofInput = task.input
    const idBytes = fromHex(taskId)
    const leafJobs = await this.#d.backend.planLeafJobs(idBytes, input)
    const final = await this.#d.backend.taskStatement(idBytes, input)
    const plan = planJobs(input.type, leafJobs.length)
    let run = await this.#d.jobs.getRun(taskId)
    const fresh = run === undefined
    if (run === undefined) {
      run = {
        taskId,
        proofType: input.type,
        leafCount: leafJobs.length,
        round: 0,
        jobs: plan.jobs.map((j) => ({
          index: j.index,
          state: 'waiting',
          round: 0,
          failures: 0,
        })),
        startedAtMs: this.#d.clock.now(),
      }
    }
    const running: Running = {
      run,
      plan,
      type: input.type,
      leafJobs,
      final,
      price: task.request.maxPricePerUnit,
      deadlineMs: task.request.deadlineMs,
      detail: '',
    }
    this.#running.set(taskId, running)
    if (fresh) {
      await this.#offerNow(running, run.jobs.slice(0, run.leafCount))
      await this.#status(running)
      return
    }
    // Resumed. Each write was one batch, so the stored run is a state the runner passed through.
    // A proven root (the crash came before the task was marked done) is finished, not re-proven.
    if (run.jobs[plan.root]?.state === 'proven') {
      const proof = await this.#d.jobs.getProof(taskId, plan.root)
      if (proof === undefined)
        throw new Error(`task ${taskId}: the stored run has a proven root but no proof`)
      this.#d.logger.info({ taskId }, 'task resumed with its root proven')
      await this.#finish(running, proof)
      return
    }
    // Resumed: offer the stored demands again, unchanged (same bid ids), for jobs still open.
    const now = this.#d.clock.now()
    const open = run.jobs.filter((j) => j.state === 'open')
    if (open.length > 0)
      await this.#commit(running, 'run.resumed', () => {
        for (const job of running.run.jobs)
          if (job.state === 'open') Object.assign(job, { unconfirmed: true, offeredAtMs: now })
      })
    const rounds = new Set(open.map((j) => j.round))
    for (const round of rounds) {
      const envelope = await this.#d.jobs.getDemand(taskId, round)
      if (envelope !== undefined) await this.#publish(envelope, 'resumed')
    }
    this.#d.logger.info(
      { taskId, proven: run.jobs.filter((j) => j.state === 'proven').length },
      'task resumed',
    )
    await this.#status(running)
  }

  /**
   * Applies one state change of a task atomically: `change` mutates the run in memory and adds its
   * other writes to the batch; the run goes into the same batch. If the write fails, the run in
   * memory is put back as it was, so memory never runs ahead of the store.
   */
  async #commit<T>(
    running: Running,
    point: WritePoint,
    change: (batch: JobBatch) => T | Promise<T>,
  ): Promise<T> {
    const before = structuredClone(running.run)
    try {
      const batch = this.#d.jobs.batch(point)
      const result = await change(batch)
      await batch.putRun(running.run).write()
      return result
    } catch (error) {
      running.run = before
      throw error
    }
  }

  /** Offers `jobs` in a new round (one write), then gossips the demands. */
  async #offerNow(running: Running, jobs: JobState[]): Promise<void> {
    const indexes = jobs.map((j) => j.index)
    const envelopes = await this.#commit(running, 'demands.offered', (batch) =>
      this.#offer(
        batch,
        running,
        indexes.map((i) => running.run.jobs[i]!),
      ),
    )
    for (const envelope of envelopes) await this.#publish(envelope)
  }

  /**
   * Offers `jobs` (ready, of one task) in a new demand round per class: the demands go into `batch`,
   * the jobs' new state into the run. Returns the envelopes to gossip once the batch is written.
   */
  async #offer(batch: JobBatch, running: Running, jobs: JobState[]): Promise<Uint8Array[]> {
    const byClass = new Map<string, JobState[]>()
    for (const job of jobs) {
      const resourceClass = running.plan.jobs[job.index]!.resourceClass
      byClass.set(resourceClass, [...(byClass.get(resourceClass) ?? []), job])
    }
    const envelopes: Uint8Array[] = []
    for (const [resourceClass, list] of [...byClass].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (let i = 0; i < list.length; i += MAX_DEMAND_JOBS) {
        const chunk = list.slice(i, i + MAX_DEMAND_JOBS)
        const round = ++running.run.round
        const envelope = await buildJobDemand(
          {
            taskId: fromHex(running.run.taskId),
            proofType: running.type,
            class: resourceClass,
            jobIndexes: chunk.map((j) => j.index),
            round,
            maxPricePerUnit: running.price,
            deadlineMs: running.deadlineMs,
          },
          this.#d.key,
        )
        batch.putDemand(running.run.taskId, round, envelope)
        // Before the write: a round offered twice (a lost run) shows as two lines (crash tests).
        this.#d.logger.info(
          { taskId: running.run.taskId, round, jobs: chunk.map((j) => j.index) },
          'offering jobs',
        )
        for (const job of chunk) {
          job.state = 'open'
          job.round = round
          job.offeredAtMs = this.#d.clock.now()
          delete job.unconfirmed
          delete job.operator
          delete job.peer
          delete job.epoch
          delete job.deadlineMs
        }
        envelopes.push(envelope)
      }
    }
    return envelopes
  }

  /** Jobs back to the pool after a fault: offered again in a new round (new bid id). */
  #reoffer(batch: JobBatch, running: Running, jobs: JobState[]): Promise<Uint8Array[]> {
    for (const job of jobs) job.failures++
    return this.#offer(batch, running, jobs)
  }

  async #publish(envelope: Uint8Array, origin: DemandOrigin = 'new'): Promise<void> {
    await this.#d.publishDemand(envelope, origin).catch((error: unknown) =>
      // No peers yet (or a duplicate after a restart): this node's own auction has it anyway.
      this.#d.logger.debug({ err: (error as Error).message }, 'demand not gossiped'),
    )
  }

  async #allocate(allocation: EpochAllocation): Promise<void> {
    const now = this.#d.clock.now()
    const byTask = new Map<Running, EpochAllocation['assignment'][number][]>()
    for (const piece of allocation.assignment) {
      const running = this.#running.get(piece.taskId)
      if (running === undefined) continue
      byTask.set(running, [...(byTask.get(running) ?? []), piece])
    }
    const touched = new Set<Running>()
    for (const [running, pieces] of byTask) {
      const assigned = await this.#commit(running, 'jobs.assigned', () => {
        let count = 0
        for (const piece of pieces) {
          const job = running.run.jobs[piece.jobIndex]
          // A bid of an older round can still win after the job was re-offered: only the current counts.
          if (job === undefined || job.state !== 'open' || job.round !== piece.round) continue
          const peer = this.#d.operators.peerOf(piece.operator, allocation.epoch)
          if (peer === undefined) continue
          delete job.unconfirmed
          Object.assign(job, {
            state: 'assigned',
            operator: piece.operator,
            peer,
            epoch: allocation.epoch,
            deadlineMs: now + this.#d.jobTimeoutMs,
            buyerPrice: allocation.buyerPrice ?? undefined,
            sellerPrice: allocation.sellerPrice ?? undefined,
            sealResultHash: allocation.resultHash,
          })
          count++
        }
        return count
      })
      if (assigned === 0) continue
      touched.add(running)
      const jobs = running.run.jobs.filter((j) => j.state === 'assigned' && j.epoch === allocation.epoch)
      this.#d.logger.info(
        { taskId: running.run.taskId, epoch: allocation.epoch, jobs: jobs.map((j) => j.index) },
        'jobs assigned',
      )
    }
    // Jobs of ours the seal counted but did not assign: tell the client why they wait.
    const listed = new Set(allocation.bidIds)
    for (const running of this.#running.values()) {
      const unserved = running.run.jobs.filter(
        (j) =>
          j.state === 'open' &&
          running.plan.jobs[j.index]!.resourceClass === allocation.resourceClass &&
          listed.has(buyerBidId(fromHex(running.run.taskId), j.index, j.round)),
      )
      if (unserved.length > 0)
        await this.#status(running, unservedReason(allocation, running.price, unserved.length))
      else if (touched.has(running)) await this.#status(running)
    }
  }

  async #verify(
    running: Running,
    jobIndex: number,
    proof: Uint8Array,
  ): Promise<{ statement: Statement } | { invalid: string; unverifiable: boolean }> {
    const { backend } = this.#d
    let verified
    try {
      verified = await backend.verify(running.type, proof)
    } catch (error) {
      return { invalid: `does not verify: ${(error as Error).message}`, unverifiable: true }
    }
    const wrong = (invalid: string) => ({ invalid, unverifiable: false })
    const planned = running.plan.jobs[jobIndex]!
    let expectedLevel
    let expected
    if (planned.children.length === 0) {
      expectedLevel = 'job'
      expected = backend.leafExpectation(running.type, running.leafJobs, jobIndex, running.final)
    } else {
      const children = planned.children.map((c) => running.run.jobs[c]!)
      if (children.some((c) => c.statement === undefined)) return wrong('a child is not proven')
      expectedLevel = aggregationLevel(
        planned.children.map((c) => (c < running.run.leafCount ? 'job' : 'aggregation')),
      )
      expected = aggregateExpectation(children.map((c) => c.statement!))
    }
    if (verified.level !== expectedLevel)
      return wrong(`level: proof is ${verified.level}, expected ${expectedLevel}`)
    const mismatch = expectationMismatch(verified.statement, expected)
    return mismatch === undefined ? { statement: verified.statement } : wrong(mismatch)
  }

  async #accept(
    running: Running,
    job: JobState,
    proof: Uint8Array,
    verdict: { statement: Statement },
    peer: string,
  ) {
    const index = job.index
    const taskId = running.run.taskId
    // Only an assigned job gets this far (#checkProver), so the seal named its operator.
    const operator = job.operator ?? ''
    // The proof, its ledger entry, the job proven and (once its siblings are) the parent's demand:
    // one write, so a restart finds the job either assigned with no entry or proven with one.
    const envelopes = await this.#commit(running, 'job.proven', async (batch) => {
      const { run } = running
      const proven = run.jobs[index]!
      batch.putProof(taskId, index, proof)
      proven.state = 'proven'
      proven.statement = verdict.statement
      proven.operator = operator
      proven.peer = peer
      batch.addLedgerEntry({
        taskId,
        jobIndex: index,
        resourceClass: running.plan.jobs[index]!.resourceClass,
        operator,
        epoch: proven.epoch ?? null,
        buyerPrice: proven.buyerPrice ?? null,
        sellerPrice: proven.sellerPrice ?? null,
        sealResultHash: proven.sealResultHash ?? null,
        atMs: this.#d.clock.now(),
      })
      if (index === running.plan.root) return []
      const parent = run.jobs[running.plan.jobs[index]!.parent!]!
      const ready = running.plan.jobs[parent.index]!.children.every((c) => run.jobs[c]!.state === 'proven')
      return ready ? this.#offer(batch, running, [parent]) : []
    })
    this.#d.logger.info({ taskId, job: index, operator }, 'job proof accepted')
    if (index === running.plan.root) {
      await this.#finish(running, proof)
      return
    }
    for (const envelope of envelopes) await this.#publish(envelope)
    await this.#status(running)
  }

  /** The root proof: checked as the client will check it, then handed over. */
  async #finish(running: Running, proof: Uint8Array): Promise<void> {
    const taskId = running.run.taskId
    try {
      const statement = await this.#d.backend.verifyFinal(running.type, proof)
      const mismatch = expectationMismatch(
        statement,
        running.final as unknown as Record<string, string | number | boolean>,
      )
      if (mismatch !== undefined) throw new Error(mismatch)
    } catch (error) {
      // Every part was verified on delivery, so this is a bug, not a prover's fault: say so.
      this.#running.delete(taskId)
      await this.#d.setStatus(taskId, 'failed', `the root proof does not verify: ${(error as Error).message}`)
      return
    }
    this.#running.delete(taskId)
    this.#d.logger.info({ taskId }, 'task proven')
    const detail =
      this.#d.backend.mode === 'sim'
        ? `SIMULATED root of ${running.run.jobs.length} jobs: nothing was proven (proverMode sim)`
        : `verified root proof of ${running.run.jobs.length} jobs`
    await this.#d.setStatus(taskId, 'done', detail, proof)
  }

  /** Records a prover's fault against `job` in `batch` (written with the job's re-offer). */
  #fault(
    batch: JobBatch,
    running: Running,
    job: JobState,
    code: JobFault['code'],
    reason: string,
    peer: string,
    evidence?: string,
  ): void {
    const fault: JobFault = {
      code,
      taskId: running.run.taskId,
      jobIndex: job.index,
      operator: job.operator ?? '',
      peer,
      epoch: job.epoch ?? null,
      atMs: this.#d.clock.now(),
      reason,
      ...(evidence !== undefined ? { evidence } : {}),
    }
    batch.addFault(fault)
    this.#d.logger.warn({ ...fault, evidence: undefined }, 'prover fault')
  }

  async #sweep(): Promise<void> {
    const now = this.#d.clock.now()
    for (const running of [...this.#running.values()]) {
      if (BigInt(now) >= running.deadlineMs) {
        const proven = running.run.jobs.filter((j) => j.state === 'proven').length
        // Dropped once marked failed: a failed write leaves it here for the next sweep to retry.
        await this.#d.setStatus(
          running.run.taskId,
          'failed',
          `expired: the deadline passed with ${proven}/${running.run.jobs.length} jobs proven${running.detail ? ` (${running.detail})` : ''}`,
        )
        this.#running.delete(running.run.taskId)
        continue
      }
      const isLate = (j: JobState) => j.state === 'assigned' && (j.deadlineMs ?? Infinity) <= now
      const lateCount = running.run.jobs.filter(isLate).length
      if (lateCount > 0) {
        // The faults and the re-offer in one write: a restart neither charges a fault twice nor
        // finds a job charged but still assigned.
        const envelopes = await this.#commit(running, 'job.late', (batch) => {
          const late = running.run.jobs.filter(isLate)
          for (const job of late) {
            this.#fault(
              batch,
              running,
              job,
              'DEADLINE_MISSED',
              `no valid proof ${this.#d.jobTimeoutMs} ms after assignment`,
              job.peer ?? '',
            )
          }
          return this.#reoffer(batch, running, late)
        })
        for (const envelope of envelopes) await this.#publish(envelope)
        await this.#status(running, `${lateCount} job(s) re-offered after a missed deadline`)
      }
      // Open across a restart with no delivery since: its seal may have come while this gateway was
      // down and its prover be gone. A new round is safe: a win of the old round is then refused.
      const stale = running.run.jobs.filter(
        (j) =>
          j.state === 'open' && j.unconfirmed === true && (j.offeredAtMs ?? 0) + this.#d.jobTimeoutMs <= now,
      )
      if (stale.length > 0) await this.#offerNow(running, stale)
    }
  }

  async #status(running: Running, note?: string): Promise<void> {
    const { run } = running
    const proven = run.jobs.filter((j) => j.state === 'proven').length
    const leavesDone = run.jobs.slice(0, run.leafCount).every((j) => j.state === 'proven')
    const state: TaskState = leavesDone ? 'aggregating' : 'proving'
    const detail = `jobs proven ${proven}/${run.jobs.length}${note ? `; ${note}` : ''}`
    if (detail === running.detail) return
    running.detail = detail
    await this.#d.setStatus(run.taskId, state, detail)
  }
}

function unservedReason(allocation: EpochAllocation, price: bigint, count: number): string {
  const where = `class ${allocation.resourceClass}, epoch ${allocation.epoch}`
  if (allocation.lowestAsk === null) return `waiting (${where}): no prover offers capacity`
  if (BigInt(allocation.lowestAsk) > price)
    return `waiting (${where}): no bids at or below your price ${price}; lowest ask ${allocation.lowestAsk}`
  return `waiting (${where}): ${count} job(s) not served this epoch (capacity or trade reduction)`
}
