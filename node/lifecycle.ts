// The task lifecycle roles of a node, built from its config (DESIGN.md "One task, end to end"): the
// market's epoch driver (when the config names an operator set), the gateway's task dispatcher, and
// the prover worker. Each is optional: a node without an operator set runs the network roles only.
import type { PrivateKey } from '@libp2p/interface'
import type { Registry } from 'prom-client'
import { JOB_PROTOCOL, type TaskState } from '../protocol/index.ts'
import { join } from 'node:path'
import type { EpochSchedule } from '../auction/epoch.ts'
import { InvalidInputError, InvalidProofError } from '../prover-ffi/errors.ts'
import type { ProofType } from '../protocol/index.ts'
import type { HttpApiDeps } from './api/http.ts'
import type { TaskJobsView } from './api/views.ts'
import type { Clock } from './clock.ts'
import { reservesOf, type NodeConfig } from './config.ts'
import { planJobs } from './dispatcher/job-plan.ts'
import {
  openJobStore,
  summarizeLedger,
  type JobBatch,
  type JobStore,
  type LedgerEntry,
} from './gateway/job-store.ts'
import { jobStreamHandler } from './gateway/job-protocol.ts'
import { TaskRunner } from './gateway/task-runner.ts'
import type { Logger } from './logger.ts'
import type { LoopMonitor } from './loop-health.ts'
import { registerLedgerMetrics, registerMarketMetrics, registerProverMetrics } from './metrics.ts'
import { EpochDriver } from './market/epoch-driver.ts'
import { EvidenceBook } from './market/evidence.ts'
import { MarketHistory } from './market/history.ts'
import { configOperatorSet, type OperatorSet } from './market/operators.ts'
import type { Host } from './p2p/host.ts'
import { ProverWorker } from './prover/worker.ts'
import type { ProvingBackend } from './proving/backend.ts'
import { simBackend } from './proving/sim.ts'
import type { AuctionEngine, DemandOrigin } from './seams.ts'
import type { NodeStake } from './stake/node-stake.ts'
import { FINAL_TASK_STATES, type TaskStore } from './store/task-store.ts'

export interface LifecycleOptions {
  config: NodeConfig
  host: Host
  key: PrivateKey
  clock: Clock
  logger: Logger
  stake: NodeStake | undefined
  /** An engine to use instead of the config's; null: no auction at all (network roles only). */
  auction?: AuctionEngine | null
  backend?: ProvingBackend
  /** Told how each background beat goes (deadline sweep, seal applications, epoch ticks). */
  loops?: LoopMonitor
  /** Where the roles register their metrics (market, prover, ledger); none: not measured. */
  registry?: Registry
}

export interface LifecycleContext {
  store: TaskStore
  setStatus(taskId: string, state: TaskState, detail: string, proof?: Uint8Array): Promise<void>
  publishDemand(envelope: Uint8Array, origin?: DemandOrigin): Promise<unknown>
  /** Gossips verified fault evidence on the evidence topic. */
  publishEvidence(bytes: Uint8Array): Promise<unknown>
  jobsPath: string
}

export interface Lifecycle {
  readonly auction: AuctionEngine | undefined
  readonly market: EpochDriver | undefined
  /** Verified fault evidence (gossiped, persisted); undefined without an operator set. */
  readonly evidence: EvidenceBook | undefined
  readonly backend: ProvingBackend | undefined
  readonly runner: TaskRunner | undefined
  /** The gateway's job store, once run() opened it. */
  readonly jobs: JobStore | undefined
  readonly prover: ProverWorker | undefined
  /** The accepted seals this node keeps (level, bounded); undefined without a market. */
  readonly history: MarketHistory | undefined
  /** Starts the dispatcher and the prover worker (after the host, gossip and auction run). */
  run(context: LifecycleContext): Promise<void>
  onAnnounced(taskId: string): void
  latest(taskId: string): Promise<{ detail: string; proof?: Uint8Array }>
  status(): { lifecycle?: unknown }
  api(): Pick<HttpApiDeps, 'ledger' | 'faults'>
  /** The newest tasks' job trees (GET /jobs); undefined on nodes without a task dispatcher. */
  jobTrees: (() => Promise<TaskJobsView[]>) | undefined
  stop(): Promise<void>
}

/** The job store with its ledger totals measured: started from the stored ledger, added to per entry once its batch is written. */
async function withLedgerMetrics(jobs: JobStore, registry: Registry): Promise<JobStore> {
  const add = registerLedgerMetrics(registry)
  for (const entry of await jobs.ledger()) add(entry)
  return {
    ...jobs,
    batch(point) {
      const inner = jobs.batch(point)
      const entries: LedgerEntry[] = []
      const outer: JobBatch = {
        putRun: (run) => (inner.putRun(run), outer),
        putProof: (taskId, index, proof) => (inner.putProof(taskId, index, proof), outer),
        putDemand: (taskId, round, envelope) => (inner.putDemand(taskId, round, envelope), outer),
        addFault: (fault) => (inner.addFault(fault), outer),
        addLedgerEntry: (entry) => (inner.addLedgerEntry(entry), entries.push(entry), outer),
        async write() {
          await inner.write()
          for (const entry of entries) add(entry)
        },
      }
      return outer
    },
  }
}

/** Tasks whose job trees GET /jobs shows (the newest). */
const MAX_JOB_TREES = 32

// The stake operator set and the real prover (viem, koffi and the prover library) are imported only by
// the nodes that use them.
async function operatorSetOf(options: LifecycleOptions): Promise<OperatorSet | undefined> {
  const { config, stake, clock } = options
  if (stake !== undefined) {
    const { stakeOperatorSet } = await import('./market/stake-operators.ts')
    return stakeOperatorSet(stake, scheduleOf(config), () => clock.now())
  }
  if (config.operators.length === 0) return undefined
  return configOperatorSet(
    config.operators.map((entry) => {
      const [address, peerId] = entry.split('=') as [string, string]
      return { address, peerId }
    }),
  )
}

/** Whether `proof` verifies as `type`; false only when the verifier says it is invalid. */
async function verifies(backend: ProvingBackend, type: ProofType, proof: Uint8Array): Promise<boolean> {
  try {
    await backend.verify(type, proof)
    return true
  } catch (error) {
    if (error instanceof InvalidProofError || error instanceof InvalidInputError) return false
    throw error
  }
}

function scheduleOf(config: NodeConfig): EpochSchedule {
  return { genesisMs: config.genesisMs, epochMs: config.epochMs, graceMs: config.epochGraceMs }
}

export async function startLifecycle(options: LifecycleOptions): Promise<Lifecycle> {
  const { config, host, key, clock, logger } = options
  const cleanups: (() => Promise<void>)[] = []
  let market = options.auction instanceof EpochDriver ? options.auction : undefined
  const operators = options.auction === undefined ? await operatorSetOf(options) : undefined
  const wantsBackend = (market !== undefined || operators !== undefined) && config.roles.length > 0
  let backend = options.backend
  if (backend === undefined && wantsBackend) {
    backend =
      config.proverMode === 'sim'
        ? simBackend(config.simProveMs)
        : (await import('./proving/real.ts')).realBackend()
  }
  if (backend?.mode === 'sim') {
    logger.warn(
      { simProveMs: config.simProveMs },
      'SIMULATED PROVER: jobs sleep and no proof is made (proverMode sim, for scale studies only)',
    )
  }
  let evidence: EvidenceBook | undefined
  /** Set once the node's gossip runs (run()): evidence caught before then is kept, not gossiped. */
  let publishEvidence: ((bytes: Uint8Array) => Promise<unknown>) | undefined
  const report = (bytes: Uint8Array) => {
    void (async () => {
      await evidence?.add(bytes)
      await publishEvidence?.(bytes)
    })().catch((error: unknown) =>
      logger.warn({ err: (error as Error).message }, 'fault evidence not reported'),
    )
  }
  if (operators !== undefined) {
    // Evidence is checked with this node's own verifier; a node without one keeps none.
    const verifier = backend
    evidence = await EvidenceBook.open(join(config.dataDir, 'evidence'), {
      operators,
      verifies: async (type, proof) => {
        if (verifier === undefined) throw new Error('this node has no prover to verify evidence with')
        return verifies(verifier, type, proof)
      },
    })
    const book = evidence
    cleanups.push(() => book.close())
    market = new EpochDriver({
      schedule: scheduleOf(config),
      operators,
      // Honest leaders count no asks of operators with fresh verified faults (auction/evidence.ts).
      excluded: (operator, epoch) => book.excluded(operator, epoch),
      clock,
      reserves: () => reservesOf(config),
      ...(config.operator !== null ? { operator: config.operator } : {}),
      logger: logger.child({ component: 'market' }),
      sealFault: config.sealFault,
      // Every node of one network agrees on these two; a chain block hash joins them later.
      saltSeed: `${config.network}/${config.genesisMs}`,
      onEquivocation: (a, b) => report(EvidenceBook.equivocation(a, b)),
      ...(options.loops !== undefined ? { loops: options.loops } : {}),
    })
    if (config.sealFault !== 'none')
      logger.warn({ sealFault: config.sealFault }, 'FAULT INJECTION: this node seals wrongly on purpose')
  }
  const auction = options.auction === null ? undefined : (options.auction ?? market)
  let history: MarketHistory | undefined
  if (market !== undefined) {
    const kept = await MarketHistory.open(join(config.dataDir, 'market-history'))
    history = kept
    const unsubscribe = market.onAllocation((allocation) => {
      kept
        .add(allocation)
        .catch((error: unknown) =>
          logger.warn({ err: (error as Error).message }, 'market history: seal not recorded'),
        )
    })
    const onSeal = options.registry !== undefined ? registerMarketMetrics(options.registry) : undefined
    const unmeasure = onSeal !== undefined ? market.onAllocation(onSeal) : () => undefined
    cleanups.push(async () => {
      unsubscribe()
      unmeasure()
      await kept.close()
    })
  }

  let jobs: JobStore | undefined
  let tasks: TaskStore | undefined
  let runner: TaskRunner | undefined
  let prover: ProverWorker | undefined
  const details = new Map<string, string>()

  return {
    auction,
    market,
    evidence,
    history,
    backend,
    get runner() {
      return runner
    },
    get jobs() {
      return jobs
    },
    get prover() {
      return prover
    },
    async run(context) {
      publishEvidence = context.publishEvidence
      tasks = context.store
      if (market === undefined || backend === undefined) return
      if (config.roles.includes('gateway')) {
        jobs = await openJobStore(context.jobsPath)
        if (options.registry !== undefined) jobs = await withLedgerMetrics(jobs, options.registry)
        const store = jobs
        cleanups.push(() => store.close())
        const taskRunner = new TaskRunner({
          backend,
          tasks: context.store,
          jobs: store,
          key,
          operators: market.operators,
          clock,
          logger: logger.child({ component: 'dispatcher' }),
          jobTimeoutMs: config.jobTimeoutMs,
          publishDemand: context.publishDemand,
          reportInvalidDelivery: (envelope) => report(EvidenceBook.invalidDelivery(envelope)),
          ...(options.loops !== undefined ? { loops: options.loops } : {}),
          async setStatus(taskId, state, detail, proof) {
            // Only running tasks' details live here; a final one is kept in the task record.
            if (FINAL_TASK_STATES.includes(state)) details.delete(taskId)
            else details.set(taskId, detail)
            await context.setStatus(taskId, state, detail, proof)
          },
        })
        runner = taskRunner
        const unsubscribe = market.onAllocation((a) => taskRunner.onAllocation(a))
        cleanups.push(async () => {
          unsubscribe()
          await host.unhandle(JOB_PROTOCOL).catch(() => undefined)
          await taskRunner.stop()
        })
        // Tasks are resumed before the job protocol is served: a restarted gateway would otherwise
        // answer a prover's delivery with a final `unknown_task` in between, and the proof be lost.
        // Until then the protocol is unsupported, which provers retry.
        await taskRunner.start()
        // Seals this node accepted before its tasks resumed (the start-up seal catch-up may finish
        // first): a resumed job whose winner was sealed while this gateway was down is assigned now.
        for (const allocation of market.allocations()) taskRunner.onAllocation(allocation)
        await host.handle(JOB_PROTOCOL, jobStreamHandler(taskRunner, logger.child({ component: 'jobs' })), {
          maxInboundStreams: 64,
        })
      }
      if (config.roles.includes('prover') && config.operator !== null) {
        let counters = (): Record<string, number> => ({})
        const measured =
          options.registry !== undefined
            ? registerProverMetrics(options.registry, () => counters())
            : undefined
        const worker = new ProverWorker({
          backend,
          driver: market,
          host,
          key,
          operator: config.operator,
          workers: config.proverWorkers,
          cost: BigInt(config.proverCost),
          schedule: market.schedule,
          clock,
          logger: logger.child({ component: 'prover' }),
          jobTimeoutMs: config.jobTimeoutMs,
          fault: config.proverFault,
          // Jobs of this node's own gateway are fetched and delivered without a stream.
          ...(runner !== undefined ? { local: { peerId: host.peerId.toString(), gateway: runner } } : {}),
          ...(measured !== undefined && { onProven: measured.proven }),
        })
        counters = () => ({ ...worker.status().counters })
        prover = worker
        worker.start()
        cleanups.push(async () => worker.stop())
        if (config.proverFault !== 'none')
          logger.warn(
            { proverFault: config.proverFault },
            'FAULT INJECTION: this prover misbehaves on purpose',
          )
      }
    },
    onAnnounced(taskId) {
      runner
        ?.begin(taskId)
        .catch((error: unknown) =>
          logger.warn({ taskId, err: (error as Error).message }, 'planning the task failed'),
        )
    },
    async latest(taskId) {
      const detail = details.get(taskId) ?? (await tasks?.get(taskId))?.finalDetail ?? ''
      const run = await jobs?.getRun(taskId)
      if (jobs === undefined || run === undefined) return { detail }
      const proof = await jobs.getProof(taskId, planJobs(run.proofType, run.leafCount).root)
      return proof === undefined ? { detail } : { detail, proof }
    },
    status() {
      if (market === undefined) return {}
      return {
        lifecycle: {
          proverMode:
            backend?.mode === 'sim' ? 'sim (SIMULATED: nothing is proven)' : (backend?.mode ?? null),
          dispatcher: runner?.status() ?? null,
          prover: prover?.status() ?? null,
          evidence: evidence?.faults() ?? [],
        },
      }
    },
    api() {
      return {
        ledger: async (taskId) => {
          const entries = (await jobs?.ledger(taskId)) ?? []
          return taskId === undefined
            ? summarizeLedger(entries)
            : { taskId, entries, ...summarizeLedger(entries) }
        },
        faults: async () => (await jobs?.faults()) ?? [],
      }
    },
    get jobTrees() {
      const store = jobs
      if (store === undefined) return undefined
      return async () => {
        const runs = (await store.runs()).sort((a, b) => a.startedAtMs - b.startedAtMs).slice(-MAX_JOB_TREES)
        return runs.map((run) => {
          const plan = planJobs(run.proofType, run.leafCount)
          return {
            taskId: run.taskId,
            proofType: run.proofType,
            startedAtMs: run.startedAtMs,
            root: plan.root,
            jobs: plan.jobs.map((p) => {
              const job = run.jobs[p.index]
              return {
                index: p.index,
                resourceClass: p.resourceClass,
                children: p.children,
                parent: p.parent,
                state: job?.state ?? 'waiting',
                operator: job?.operator ?? null,
                epoch: job?.epoch ?? null,
              }
            }),
          }
        })
      }
    },
    async stop() {
      for (const cleanup of cleanups.reverse().splice(0)) await cleanup()
    },
  }
}
