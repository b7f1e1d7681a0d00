// createNode: a full mesh node built from explicit dependencies. Everything a test may swap (clock,
// logger, task store, and later prover / stake oracle / auction) arrives through `deps`.
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { LevelDatastore } from 'datastore-level'
import { join } from 'node:path'
import {
  SUBMIT_PROTOCOL,
  buildTaskAnnounce,
  fromHex,
  validateSubmitTask,
  type TaskState,
} from '../protocol/index.ts'
import { startHttpApi, type HttpApi, type StatusReport } from './api/http.ts'
import { systemClock, type Clock } from './clock.ts'
import type { NodeConfig } from './config.ts'
import {
  announceStored,
  storeSubmit,
  submitStreamHandler,
  statusOf,
  type SubmitHandlerDeps,
} from './gateway/submit-handler.ts'
import { loadOrCreateIdentity } from './identity.ts'
import { createLogger, type Logger } from './logger.ts'
import { createMetrics, type NodeMetrics } from './metrics.ts'
import { startGossip, type MeshGossip } from './p2p/gossip.ts'
import { createHost, type Host } from './p2p/host.ts'
import { startPeerKeeper } from './p2p/peer-keeper.ts'
import type { AuctionEngine, Prover } from './seams.ts'
import { startBindingSync } from './stake/binding-sync.ts'
import { publishBinding, stakeForNode, type NodeStake } from './stake/node-stake.ts'
import type { AcceptResult } from './stake/registry.ts'
import { openTaskStore, recordFromAnnounce, type TaskStore } from './store/task-store.ts'
import { createTaskEvents } from './task-events.ts'

export interface NodeDeps {
  clock?: Clock
  logger?: Logger
  /** Opens the task store; defaults to level at `<dataDir>/tasks`. */
  openTaskStore?: (path: string) => Promise<TaskStore>
  /** Register Node.js process metrics (off in multi-node test processes, where they would repeat). */
  processMetrics?: boolean
  prover?: Prover
  auction?: AuctionEngine
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
  /** Validates and stores a signed binding (the `operator bind` JSON), then gossips it. */
  publishBinding(bytes: Uint8Array): Promise<AcceptResult>
  /** URL of the HTTP API, when enabled. */
  readonly httpUrl: string | undefined
  multiaddrs(): string[]
  status(): Promise<StatusReport>
  /** Validates, stores and announces a signed request, as the submit protocol does. */
  submit(envelope: Uint8Array): Promise<{ taskId: string; created: boolean }>
  /** Moves a task to a new state and tells open submit streams (the seam for dispatcher/prover roles). */
  updateTaskState(taskId: string, state: TaskState, detail?: string, proof?: Uint8Array): Promise<void>
  stop(): Promise<void>
}

export async function createNode(config: NodeConfig, deps: NodeDeps = {}): Promise<MeshNode> {
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? createLogger(config.logLevel)
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

    await host.start()
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

    const gossip = startGossip({
      host,
      network: config.network,
      clock,
      logger: log.child({ component: 'gossip' }),
      metrics,
      auction: deps.auction,
      stake: gate,
      async onAnnounce(announce, from, envelope) {
        const record = recordFromAnnounce(announce, 'announced', 'announced', clock.now())
        const { created: isNew } = await store.putIfAbsent(record)
        if (!isNew) return
        log.info({ taskId: record.taskId, from: from.toString() }, 'task announced')
        deps.auction?.onTaskAnnounced(announce)
        deps.auction?.onTaskEnvelope?.(envelope)
      },
    })
    cleanups.push(async () => gossip.stop())
    if (stake) {
      // Late joiners get the bindings they missed on gossip from each peer they connect to.
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
      announce: (envelope) => {
        // Gossipsub never hands a node its own message, so the auction hears this gateway's tasks here.
        deps.auction?.onTaskEnvelope?.(envelope)
        return gossip.publishAnnounce(envelope)
      },
    }
    if (config.roles.includes('gateway')) {
      await host.handle(SUBMIT_PROTOCOL, submitStreamHandler(submitDeps), { maxInboundStreams: 64 })
    }
    await reannounce(store, submitDeps, log)
    const auction = deps.auction
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

    const updateTaskState = async (taskId: string, state: TaskState, detail = '', proof?: Uint8Array) => {
      const record = await store.setState(taskId, state, clock.now())
      const status = statusOf(record, fromHex(taskId), detail)
      if (proof !== undefined) status.proof = proof
      events.emit(taskId, status)
    }

    const status = async (): Promise<StatusReport> => ({
      peerId: host.peerId.toString(),
      network: config.network,
      roles: config.roles,
      listenAddrs: host.getMultiaddrs().map((a) => a.toString()),
      connectedPeers: host.getPeers().map((p) => p.toString()),
      tasksByState: await store.countByState(),
      tasks: (await store.list()).map((t) => ({
        taskId: t.taskId,
        state: t.state,
        proofType: t.proofType,
        origin: t.origin,
        gateway: t.gateway,
      })),
      meshSizes: gossip.meshSizes(),
      ...(deps.auction?.status !== undefined ? { auction: deps.auction.status() } : {}),
      ...(stake !== undefined && {
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
          health: () => ({
            ok: host.status === 'started',
            running: host.status === 'started',
            peerId: host.peerId.toString(),
          }),
          registry: metrics.registry,
          publishBinding: async (bytes) => publishNodeBinding(bytes),
        },
        config.httpHost,
        config.httpPort,
      )
      cleanups.push(() => (http as HttpApi).close())
      log.info({ url: http.url }, 'HTTP API listening')
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
