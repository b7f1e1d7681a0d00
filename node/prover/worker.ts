// The prover role (DESIGN.md steps 4 and 6): asks for work it can really do, proves what the seals
// assign to its operator, and delivers the proofs to each job's gateway.
//
// Capacity is honest: a prover never runs more jobs at once than its configured workers, and the
// units it asks for are its free workers minus the jobs it already holds or may still win (asks of
// epochs whose seal has not come yet). So a busy prover asks for less, and an idle one asks only in
// classes where jobs are waiting, at most once per (epoch, class) (a seal counts one ask per peer).
import { peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { cutoffMs, placeBid, type EpochSchedule } from '../../auction/epoch.ts'
import {
  JOB_MESSAGE_VERSION,
  decodeAggregateInput,
  fromHex,
  isProofType,
  type DeliverJobResult,
  type ProofType,
} from '../../protocol/index.ts'
import type { Clock } from '../clock.ts'
import { AGGREGATE_CLASS } from '../dispatcher/job-plan.ts'
import type { Logger } from '../logger.ts'
import type { EpochAllocation, EpochDriver } from '../market/epoch-driver.ts'
import type { Host } from '../p2p/host.ts'
import type { ProvingBackend } from '../proving/backend.ts'
import { JobRequestError } from '../gateway/task-runner.ts'
import { JobRefusedError, deliverJobResult, fetchJobInput } from './job-client.ts'

/** Fault injection for tests and researchers: a prover that misbehaves on purpose. */
export type ProverFault = 'none' | 'corrupt-proofs' | 'withhold-proofs'

export interface ProverWorkerDeps {
  backend: ProvingBackend
  driver: EpochDriver
  host: Host
  key: PrivateKey
  /** This node's operator address. */
  operator: string
  workers: number
  cost: bigint
  schedule: EpochSchedule
  clock: Clock
  logger: Logger
  /** How long a job may take before its gateway re-offers it (the network's jobTimeoutMs). */
  jobTimeoutMs: number
  fault?: ProverFault
  /** This node's own dispatcher, when it is also a gateway (a node cannot dial itself). */
  local?: { peerId: string; gateway: LocalGateway }
  /** Told of each job proven: its class and the seconds the backend took (the proving metrics). */
  onProven?(resourceClass: string, seconds: number): void
}

/** What the worker needs of a dispatcher in the same process. */
export interface LocalGateway {
  jobInput(taskId: string, jobIndex: number, peer: string): Promise<Uint8Array>
  deliver(result: DeliverJobResult, peer: string): Promise<void>
}

interface WonJob {
  taskId: string
  jobIndex: number
  gateway: string
  proofType: ProofType
  resourceClass: string
  epoch: number
  /** After this the gateway has re-offered the job: stop trying. */
  giveUpAtMs: number
}

/** Gateway refusals after which retrying the same job is pointless. */
const FINAL_REFUSALS = new Set(['not_assigned', 'unknown_task', 'duplicate', 'out_of_range', 'invalid_proof'])
const RETRY_MS = 500
const REQUEST_TIMEOUT_MS = 15_000

export interface ProverCounters {
  asks: number
  unitsAsked: number
  jobsWon: number
  jobsProven: number
  jobsDelivered: number
  jobsAbandoned: number
}

export class ProverWorker {
  readonly #d: ProverWorkerDeps
  readonly #queue: WonJob[] = []
  #active = 0
  /** Units asked per (epoch, class) whose seal has not come yet. */
  readonly #outstanding = new Map<string, { epoch: number; resourceClass: string; units: number }>()
  readonly #counters: ProverCounters = {
    asks: 0,
    unitsAsked: 0,
    jobsWon: 0,
    jobsProven: 0,
    jobsDelivered: 0,
    jobsAbandoned: 0,
  }
  #timer: ReturnType<typeof setInterval> | undefined
  #unsubscribe: (() => void) | undefined
  #stopped = false
  #asking = false

  constructor(deps: ProverWorkerDeps) {
    this.#d = deps
  }

  start(): void {
    this.#unsubscribe = this.#d.driver.onAllocation((a) => this.#onAllocation(a))
    const tickMs = Math.max(20, Math.floor(this.#d.schedule.epochMs / 10))
    this.#timer = setInterval(() => void this.#askIfIdle(), tickMs)
  }

  stop(): void {
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#unsubscribe?.()
  }

  status() {
    return {
      operator: this.#d.operator,
      mode: this.#d.backend.mode,
      workers: this.#d.workers,
      running: this.#active,
      queued: this.#queue.length,
      outstandingAsks: [...this.#outstanding.values()],
      ...(this.#d.fault && this.#d.fault !== 'none' ? { faultInjection: this.#d.fault } : {}),
      counters: { ...this.#counters },
    }
  }

  /** Free workers: not running, not queued, not promised in an ask still awaiting its seal. */
  #free(): number {
    let promised = 0
    for (const o of this.#outstanding.values()) promised += o.units
    return this.#d.workers - this.#active - this.#queue.length - promised
  }

  async #askIfIdle(): Promise<void> {
    if (this.#asking || this.#stopped) return
    this.#asking = true
    try {
      const now = this.#d.clock.now()
      const { epoch } = placeBid(this.#d.schedule, now)
      // An ask whose seal should have come by now is no longer a promise.
      for (const [key, o] of this.#outstanding) {
        if (cutoffMs(this.#d.schedule, o.epoch + 1) <= now) this.#outstanding.delete(key)
      }
      let free = this.#free()
      if (free <= 0) return
      const sorted = [...this.#d.driver.pendingDemand()]
        .filter(([resourceClass]) => this.#serves(resourceClass))
        .sort(([a], [b]) => (a < b ? -1 : 1))
      // Classes take turns to come first, so a small prover does not serve one class forever.
      const turn = sorted.length === 0 ? 0 : epoch % sorted.length
      const demand = [...sorted.slice(turn), ...sorted.slice(0, turn)]
      for (const [resourceClass, units] of demand) {
        const key = `${epoch}\n${resourceClass}`
        if (free <= 0 || this.#outstanding.has(key) || units <= 0) continue
        const asked = Math.min(free, units)
        free -= asked
        this.#outstanding.set(key, { epoch, resourceClass, units: asked })
        this.#counters.asks++
        this.#counters.unitsAsked += asked
        await this.#d.driver.offer({ resourceClass, units: BigInt(asked), cost: this.#d.cost, epoch })
      }
    } catch (error) {
      this.#d.logger.warn({ err: (error as Error).message }, 'asking failed')
    } finally {
      this.#asking = false
    }
  }

  #serves(resourceClass: string): boolean {
    if (resourceClass === AGGREGATE_CLASS) return true
    const [type, level] = resourceClass.split('/')
    return level === 'leaf' && type !== undefined && isProofType(type)
  }

  #onAllocation(allocation: EpochAllocation): void {
    this.#outstanding.delete(`${allocation.epoch}\n${allocation.resourceClass}`)
    const mine = this.#d.operator.toLowerCase()
    const now = this.#d.clock.now()
    // The gateway's deadline runs from when it accepted the seal, soon after the cut-off. A seal learnt
    // late (the start-up catch-up after a restart brings the last 64 epochs) may name jobs whose
    // deadline has long passed: those were re-offered, or proven by this node before it restarted.
    const giveUpAtMs = Math.min(
      now + this.#d.jobTimeoutMs,
      cutoffMs(this.#d.schedule, allocation.epoch) + Math.floor(this.#d.jobTimeoutMs * 1.5),
    )
    for (const piece of allocation.assignment) {
      if (piece.operator.toLowerCase() !== mine || !isProofType(piece.proofType)) continue
      if (giveUpAtMs <= now + RETRY_MS) continue
      this.#counters.jobsWon++
      this.#queue.push({
        taskId: piece.taskId,
        jobIndex: piece.jobIndex,
        gateway: piece.gateway,
        proofType: piece.proofType,
        resourceClass: allocation.resourceClass,
        epoch: allocation.epoch,
        giveUpAtMs,
      })
    }
    this.#pump()
  }

  #pump(): void {
    while (!this.#stopped && this.#active < this.#d.workers && this.#queue.length > 0) {
      const job = this.#queue.shift()!
      this.#active++
      void this.#run(job)
        .catch((error: unknown) => {
          this.#counters.jobsAbandoned++
          this.#d.logger.warn(
            { taskId: job.taskId, job: job.jobIndex, err: (error as Error).message },
            'job abandoned',
          )
        })
        .finally(() => {
          this.#active--
          this.#pump()
        })
    }
  }

  async #run(job: WonJob): Promise<void> {
    const { host, key, backend, local } = this.#d
    const gateway = peerIdFromString(job.gateway)
    const ref = { taskId: fromHex(job.taskId), jobIndex: job.jobIndex, epoch: BigInt(job.epoch) }
    const own = local !== undefined && local.peerId === job.gateway ? local : undefined
    const input = await this.#retry(job, 'fetch', () =>
      own
        ? own.gateway.jobInput(job.taskId, job.jobIndex, own.peerId)
        : fetchJobInput(host, key, gateway, ref, REQUEST_TIMEOUT_MS),
    )
    const started = performance.now()
    let proof =
      job.resourceClass === AGGREGATE_CLASS
        ? await backend.aggregate(job.proofType, decodeAggregateInput(input))
        : await backend.proveLeaf(job.proofType, input)
    this.#counters.jobsProven++
    this.#d.onProven?.(job.resourceClass, (performance.now() - started) / 1000)
    this.#d.logger.info(
      { taskId: job.taskId, job: job.jobIndex, ms: Math.round(performance.now() - started) },
      'job proven',
    )
    if (this.#d.fault === 'withhold-proofs') return
    if (this.#d.fault === 'corrupt-proofs') proof = corrupt(proof)
    const delivered = proof
    await this.#retry(job, 'deliver', () =>
      own
        ? own.gateway.deliver(
            { version: JOB_MESSAGE_VERSION, ...ref, proof: delivered, publicOutputs: new Uint8Array() },
            own.peerId,
          )
        : deliverJobResult(host, key, gateway, { ...ref, proof: delivered }, REQUEST_TIMEOUT_MS),
    )
    this.#counters.jobsDelivered++
  }

  /** Retries a request to the gateway (it may be restarting) until the job's deadline. */
  async #retry<T>(job: WonJob, what: string, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await attempt()
      } catch (error) {
        const code = (error as { code?: unknown }).code
        if (
          (error instanceof JobRefusedError || error instanceof JobRequestError) &&
          FINAL_REFUSALS.has(code as string)
        )
          throw error
        if (this.#stopped || this.#d.clock.now() + RETRY_MS >= job.giveUpAtMs)
          throw new Error(`${what} failed until the job's deadline: ${(error as Error).message}`, {
            cause: error,
          })
        this.#d.logger.debug(
          { taskId: job.taskId, job: job.jobIndex, what, err: (error as Error).message },
          'retrying',
        )
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      }
    }
  }
}

/** Flips bytes across the proof body (after its 8-byte header), as a broken or cheating prover would. */
function corrupt(proof: Uint8Array): Uint8Array {
  const out = proof.slice()
  for (let i = 8; i < out.length; i += 97) out[i] = out[i]! ^ 0x5a
  return out
}
