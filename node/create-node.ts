// createNode: a full mesh node built from explicit dependencies. Everything a test may swap (clock,
// logger, task store, and later prover / stake oracle / auction) arrives through `deps`.
import type { Connection, PeerId, PrivateKey, Stream } from '@libp2p/interface'
import { LevelDatastore } from 'datastore-level'
import { join } from 'node:path'
import {
  SUBMIT_PROTOCOL,
  TASK_PROTOCOL,
  buildTaskAnnounce,
  fromHex,
  validateSubmitTask,
  type TaskState,
} from '../protocol/index.ts'
import { startHttpApi, type HttpApi, type StatusReport } from './api/http.ts'
import { nodeViews } from './api/node-views.ts'
import { systemClock, type Clock } from './clock.ts'
import type { NodeConfig } from './config.ts'
import {
  announceStored,
  storeSubmit,
  submitStreamHandler,
  refuseWhileStarting,
  statusOf,
  type StatusStreamLimit,
  type SubmitHandlerDeps,
} from './gateway/submit-handler.ts'
import { currentStatus, taskQueryHandler } from './gateway/task-query.ts'
import { loadOrCreateIdentity } from './identity.ts'
import { httpStartError, listenStartError } from './start-errors.ts'
import { createLogger, type Logger } from './logger.ts'
import { createMetrics, type NodeMetrics } from './metrics.ts'
import { LoopHealth } from './loop-health.ts'
import { startGossip, type MeshGossip } from './p2p/gossip.ts'
import { createHost, type Host } from './p2p/host.ts'
import { startPeerKeeper } from './p2p/peer-keeper.ts'
import type { AuctionEngine, DemandOrigin } from './seams.ts'
import { startLifecycle, type Lifecycle } from './lifecycle.ts'
import type { ProvingBackend } from './proving/backend.ts'
import type { EpochDriver } from './market/epoch-driver.ts'
import { publishBinding, stakeForNode } from './stake/node-gate.ts'
import { bindingExpiryWarning, oracleState, operatorState } from './stake/operator-status.ts'
import type { NodeStake } from './stake/node-stake.ts'
import type { AcceptResult } from './stake/registry.ts'
import { startRetention } from './store/retention.ts'
import { openTaskStore, recordFromAnnounce, type TaskStore } from './store/task-store.ts'
import { createTaskEvents } from './task-events.ts'

/** How often a node with an operator checks whether its peer binding is about to expire. */
const BINDING_CHECK_INTERVAL_MS = 3600 * 1000
/** Tasks listed in /status, newest first. */
export const STATUS_TASKS = 100

export interface NodeDeps {
  clock?: Clock
  logger?: Logger
  /** Opens the task store; defaults to level at `<dataDir>/tasks`. */
  openTaskStore?: (path: string) => Promise<TaskStore>
  /** Register Node.js process metrics (off in multi-node test processes, where they would repeat). */
  processMetrics?: boolean
  /** Proves and verifies jobs; default from config.proverMode (prover-ffi, or the labelled simulator). */
  backend?: ProvingBackend
  /**
   * The auction engine. Default: an EpochDriver built from the config when it names an operator set
   * (`operators`, or the chain through `stakeRpc`); none otherwise (network roles only). null: none.
   */
  auction?: AuctionEngine | null
  /** Bounds on open submit status streams (default 32 per peer, 1024 in all). */
  statusStreams?: StatusStreamLimit
}

export interface MeshNode {
  readonly peerId: PeerId
  readonly config: NodeConfig
  readonly host: Host
  readonly store: TaskStore
  readonly metrics: NodeMetrics
  readonly gossip: MeshGossip
  /** Stake oracle, binding registry and admission; undefined without `stakeRpc`. */
  readonly stake: NodeStake | undefined
  /** The market's epoch driver, when the node takes part in the market. */
  readonly market: EpochDriver | undefined
  /** The task dispatcher (gateway) and prover worker, when configured. */
  readonly lifecycle: Lifecycle
  /** How the background loops fare (/health says degraded when one keeps failing). */
  readonly loops: LoopHealth
  /** Validates and stores a signed binding (the `operator bind` JSON), then gossips it. */
  publishBinding(bytes: Uint8Array): Promise<AcceptResult>
  /** URL of the HTTP API, when enabled. */
  readonly httpUrl: string | undefined
  multiaddrs(): string[]
  status(): Promise<StatusReport>
  /** Validates, stores and announces a signed request, as the submit protocol does. */
  submit(envelope: Uint8Array): Promise<{ taskId: string; created: boolean }>
  /** Hands a signed JobDemand to this node's auction and gossips it (gossipsub never delivers it back). */
  publishDemand(envelope: Uint8Array, origin?: DemandOrigin): Promise<number>
  /** Moves a task to a new state and tells open submit streams (the seam for dispatcher/prover roles). */
  updateTaskState(taskId: string, state: TaskState, detail?: string, proof?: Uint8Array): Promise<void>
  stop(): Promise<void>
}

export async function createNode(config: NodeConfig, deps: NodeDeps = {}): Promise<MeshNode> {
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? createLogger(config.logLevel, undefined, config.logFormat)
  const cleanups: (() => Promise<void>)[] = []
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse().splice(0)) {
      await cleanup().catch((error: unknown) =>
        logger.warn({ err: (error as Error).message }, 'shutdown step failed'),
      )
    }
  }

  try {
    const { key, created } = await loadOrCreateIdentity(join(config.dataDir, 'peer.key'))
    const datastore = new LevelDatastore(join(config.dataDir, 'peerstore'))
    await datastore.open() // libp2p neither opens nor closes it (P14)
    cleanups.push(() => datastore.close())
    const store = await (deps.openTaskStore ?? openTaskStore)(join(config.dataDir, 'tasks'))
    cleanups.push(() => store.close())

    let sources: Parameters<typeof createMetrics>[0] = () => undefined
    const metrics = createMetrics(() => sources(), deps.processMetrics ?? false)
    const host = await createHost(config, key, datastore, metrics.registry)
    const events = createTaskEvents()
    const log = logger.child({ peerId: host.peerId.toString() })
    log.info({ created }, created ? 'created a new identity' : 'loaded identity')
    const loops = new LoopHealth(metrics.registry, log, () => clock.now())

    // Client protocols are served from the first connection on: `busy` (retryable) until the node
    // is ready, rather than 'protocol not supported', which clients take as a wrong address.
    type ClientHandler = (stream: Stream, connection: Connection) => Promise<void>
    let submitHandler: ClientHandler | undefined
    let queryHandler: ClientHandler | undefined
    if (config.roles.includes('gateway')) {
      await host.handle(SUBMIT_PROTOCOL, (s, c) => (submitHandler ?? refuseWhileStarting)(s, c), {
        maxInboundStreams: 64,
      })
      await host.handle(TASK_PROTOCOL, (s, c) => (queryHandler ?? refuseWhileStarting)(s, c), {
        maxInboundStreams: 32,
      })
    }
    try {
      await host.start()
    } catch (error) {
      throw listenStartError(error) ?? error
    }
    cleanups.push(async () => {
      await host.stop()
    })
    if (config.minPeers > 0) {
      const keeper = startPeerKeeper(host, config.minPeers, log.child({ component: 'peer-keeper' }))
      cleanups.push(async () => keeper.stop())
    }

    // Before gossip starts, so no Ask or binding is ever validated without the stake gate.
    const { gate, stake } = await stakeForNode(config, {
      now: () => clock.now(),
      logger: log.child({ component: 'stake' }),
      metrics: metrics.registry,
    })
    if (stake) cleanups.push(() => stake.stop())

    const lifecycle = await startLifecycle({
      config,
      host,
      key: key as PrivateKey,
      clock,
      logger: log,
      stake,
      auction: deps.auction,
      backend: deps.backend,
      loops,
      registry: metrics.registry,
    })
    cleanups.push(() => lifecycle.stop())
    const auction = lifecycle.auction

    const gossip = startGossip({
      host,
      network: config.network,
      clock,
      logger: log.child({ component: 'gossip' }),
      metrics,
      auction,
      stake: gate,
      async onAnnounce(announce, from) {
        const record = recordFromAnnounce(announce, 'announced', 'announced', clock.now())
        const { created: isNew } = await store.putIfAbsent(record)
        if (!isNew) return
        log.info({ taskId: record.taskId, from: from.toString() }, 'task announced')
        auction?.onTaskAnnounced(announce)
      },
      ...(lifecycle.evidence !== undefined && {
        checkEvidence: async (bytes: Uint8Array) => {
          await lifecycle.evidence!.add(bytes)
        },
      }),
    })
    cleanups.push(async () => gossip.stop())
    if (stake) {
      // Late joiners get the bindings they missed on gossip from each peer they connect to.
      const { startBindingSync } = await import('./stake/binding-sync.ts')
      const sync = await startBindingSync({
        host,
        registry: stake.registry,
        gate,
        now: () => clock.now(),
        logger: log.child({ component: 'binding-sync' }),
      })
      cleanups.push(() => sync.stop())
    }
    sources = () => ({
      peerCount: () => host.getPeers().length,
      tasksByState: () => store.countByState(),
      meshSizes: () => gossip.meshSizes(),
    })

    const submitDeps: SubmitHandlerDeps = {
      peerKey: key as PrivateKey,
      store,
      events,
      clock,
      logger: log.child({ component: 'gateway' }),
      metrics,
      announce: (envelope) => gossip.publishAnnounce(envelope),
      onAnnounced: (taskId) => lifecycle.onAnnounced(taskId),
      latest: (taskId) => lifecycle.latest(taskId),
      ...(deps.statusStreams !== undefined && { streams: deps.statusStreams }),
    }
    if (config.roles.includes('gateway')) {
      submitHandler = submitStreamHandler(submitDeps)
      queryHandler = taskQueryHandler(submitDeps)
    }
    await reannounce(store, submitDeps, log)
    if (auction?.start !== undefined) {
      await auction.start({
        host,
        key: key as PrivateKey,
        registry: metrics.registry,
        async publish(topic, bytes) {
          await host.services.pubsub.publish(gossip.topics[topic], bytes)
        },
      })
      cleanups.push(async () => auction.stop?.())
    }
    const publishDemand = async (envelope: Uint8Array, origin: DemandOrigin = 'new') => {
      await auction?.onDemandEnvelope?.(envelope, origin)
      return gossip.publishDemand(envelope)
    }

    const updateTaskState = async (taskId: string, state: TaskState, detail = '', proof?: Uint8Array) => {
      const now = clock.now()
      const known = await store.get(taskId)
      // A new detail in the same state is a progress report: sent, not added to the state history.
      const record = known?.state === state ? known : await store.setState(taskId, state, now, detail)
      const status = statusOf(record, fromHex(taskId), detail)
      status.atMs = BigInt(now)
      if (proof !== undefined) status.proof = proof
      events.emit(taskId, status)
    }
    await lifecycle.run({
      store,
      setStatus: updateTaskState,
      publishDemand,
      publishEvidence: (bytes) => host.services.pubsub.publish(gossip.topics.evidence, bytes),
      jobsPath: join(config.dataDir, 'jobs'),
    })

    const self = () => ({ peerId: host.peerId.toString(), dataDir: config.dataDir, httpUrl: http?.url })
    const retention = startRetention({
      tasks: store,
      jobs: lifecycle.jobs,
      clock,
      logger: log.child({ component: 'retention' }),
      retainTasksMs: config.retainTasksMs,
      retainProofsMs: config.retainProofsMs,
      registry: metrics.registry,
      monitor: loops,
    })
    cleanups.push(() => retention.stop())

    const status = async (): Promise<StatusReport> => ({
      peerId: host.peerId.toString(),
      network: config.network,
      roles: config.roles,
      listenAddrs: host.getMultiaddrs().map((a) => a.toString()),
      connectedPeers: host.getPeers().map((p) => p.toString()),
      tasksByState: await store.countByState(),
      tasksTotal: store.size(),
      // The newest ones only: a node that ran for months holds many (their counts are above).
      tasks: (await store.recent(STATUS_TASKS)).map((t) => ({
        taskId: t.taskId,
        state: t.state,
        proofType: t.proofType,
        origin: t.origin,
        gateway: t.gateway,
      })),
      meshSizes: gossip.meshSizes(),
      ...(auction?.status !== undefined ? { auction: auction.status() } : {}),
      ...lifecycle.status(),
      ...(stake !== undefined && {
        stake: {
          oracle: oracleState(stake, clock.now()),
          ...(config.operator !== null && {
            operator: operatorState(stake, config.operator, self(), clock.now()),
          }),
        },
        bindings: stake.registry
          .bindings()
          .map(({ binding }) => ({ operator: binding.operator, peerId: binding.peerId })),
      }),
    })

    const publishNodeBinding = (bytes: Uint8Array) =>
      publishBinding(
        gate,
        (data) => host.services.pubsub.publish(gossip.topics.bindings, data),
        bytes,
        clock.now(),
      )

    let http: HttpApi | undefined
    if (config.httpPort !== null) {
      http = await startHttpApi(
        {
          status,
          health: () => {
            const running = host.status === 'started'
            const failing = loops.failing()
            // Without a fresh stake snapshot the node refuses every Ask, Seal and binding (fail
            // closed): it runs, but it is not doing its job in the market.
            const oracle = stake === undefined ? undefined : oracleState(stake, clock.now())
            const staleStake = oracle !== undefined && oracle.state !== 'fresh'
            const degraded = running && (failing.length > 0 || staleStake)
            return {
              ok: running && !degraded,
              running,
              peerId: host.peerId.toString(),
              ...(degraded ? { status: 'degraded' as const, failing } : {}),
              ...(degraded && staleStake ? { stakeOracle: oracle } : {}),
            }
          },
          registry: metrics.registry,
          publishBinding: async (bytes) => publishNodeBinding(bytes),
          task: (taskId) => currentStatus(submitDeps, taskId),
          ...lifecycle.api(),
          views: nodeViews({ config, host, stake, lifecycle, clock }),
        },
        config.httpHost,
        config.httpPort,
      ).catch((error: unknown) => {
        throw httpStartError(error, config) ?? error
      })
      cleanups.push(() => (http as HttpApi).close())
      log.info({ url: http.url }, 'HTTP API listening')
    }
    if (stake !== undefined && config.operator !== null) {
      const operator = config.operator
      const warnIfExpiring = () => {
        const warning = bindingExpiryWarning(
          operatorState(stake, operator, self(), clock.now()),
          config.dataDir,
          http?.url,
        )
        if (warning !== undefined) log.warn({ operator }, warning)
      }
      warnIfExpiring()
      const timer = setInterval(warnIfExpiring, BINDING_CHECK_INTERVAL_MS).unref()
      cleanups.push(async () => clearInterval(timer))
    }
    log.info({ addrs: host.getMultiaddrs().map((a) => a.toString()), roles: config.roles }, 'node started')

    return {
      peerId: host.peerId,
      config,
      host,
      store,
      metrics,
      gossip,
      stake,
      market: lifecycle.market,
      lifecycle,
      loops,
      publishBinding: publishNodeBinding,
      httpUrl: http?.url,
      multiaddrs: () => host.getMultiaddrs().map((a) => a.toString()),
      status,
      async submit(envelope) {
        const stored = await storeSubmit(submitDeps, envelope)
        await announceStored(submitDeps, stored)
        return { taskId: stored.record.taskId, created: stored.created }
      },
      updateTaskState,
      publishDemand,
      async stop() {
        await stopAll()
        log.info('node stopped')
      },
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** Announces again the tasks this gateway accepted but could not announce before it stopped. */
async function reannounce(store: TaskStore, deps: SubmitHandlerDeps, log: Logger): Promise<void> {
  for (const record of await store.list()) {
    if (record.origin !== 'submitted' || record.state !== 'accepted') continue
    const request = await store.getRequest(record.taskId)
    if (request === undefined) continue
    try {
      const task = await validateSubmitTask(request, deps.clock.now())
      const { bytes } = await buildTaskAnnounce(task, deps.peerKey, deps.clock.now())
      await deps.announce(bytes)
      await store.setState(record.taskId, 'announced', deps.clock.now())
    } catch (error) {
      log.warn({ taskId: record.taskId, err: (error as Error).message }, 're-announce failed')
    }
  }
}
