// Builds the libp2p 3 host of a full node: TCP + WebSocket, Noise, Yamux, identify, ping, a private
// Kad-DHT in server mode, bootstrap and gossipsub, with the loopback/LAN settings of notes/libp2p.md.
import { bootstrap } from '@libp2p/bootstrap'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { KEEP_ALIVE, type PrivateKey } from '@libp2p/interface'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import type { LevelDatastore } from 'datastore-level'
import type { Registry } from 'prom-client'
import { createLibp2p } from 'libp2p'
import { createHash } from 'node:crypto'
import { KAD_PROTOCOL } from '../../protocol/index.ts'
import type { NodeConfig } from '../config.ts'
import pkg from '../../package.json' with { type: 'json' }
import { gossipsubMetricsRegister, gossipTopicLabels } from './gossip-metrics.ts'
import { meshScoreParams } from './scoring.ts'

/** Bootstrap peers are tagged with a keep-alive tag, so libp2p redials them whenever they drop (P19). */
export const BOOTSTRAP_TAG = `${KEEP_ALIVE}-bootstrap`
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000
const EMPTY = new Uint8Array(0)
/** The project's version, sent in identify's agent string. */
const AGENT_VERSION: string = pkg.version

/**
 * libp2p's connection monitor pings every connection at once, on a new stream each, to find dead
 * ones; its default is every 10 s. A ping costs about 2 ms of CPU on each side here (stream set-up,
 * multistream-select, a peer-store write), so a node with 19 peers spent ~80 ms per round, and 20 nodes
 * started together saturated 2 cores for a second every 10 s. Once a minute is enough to find a frozen
 * peer (a crashed one closes its TCP connections at once), and a random offset per node keeps nodes
 * started together from pinging in step.
 */
function connectionPingIntervalMs(): number {
  return 50_000 + Math.floor(Math.random() * 20_000)
}

/** sha256(topic ‖ data): a gossip message's id. node:crypto, as this runs for every copy received. */
function contentId(topic: string, data: Uint8Array): Uint8Array {
  return createHash('sha256').update(topic).update(data).digest()
}

/** What identify tells peers about this node: the roles are informational (the dashboard shows them). */
export function agentOf(roles: readonly string[]): string {
  return `prover-mesh/${AGENT_VERSION} roles=${roles.join(',')}`
}

/** The roles a peer's agent string reports (agentOf's format); [] for any other agent. */
export function rolesOfAgent(agent: string): string[] {
  const match = /^prover-mesh\/[^ ]+ roles=([a-z,]*)$/.exec(agent)
  return match?.[1] ? match[1].split(',').filter((r) => r !== '') : []
}

/** `registry` receives libp2p's own metrics (connections, streams, protocol traffic, DHT) and gossipsub's. */
export async function createHost(
  config: NodeConfig,
  privateKey: PrivateKey,
  datastore: LevelDatastore,
  registry: Registry,
) {
  const listen = [`/ip4/${config.host}/tcp/${config.tcpPort}`]
  if (config.wsPort !== null) listen.push(`/ip4/${config.host}/tcp/${config.wsPort}/ws`)
  return createLibp2p({
    privateKey,
    datastore,
    start: false,
    nodeInfo: { name: 'prover-mesh', version: AGENT_VERSION, userAgent: agentOf(config.roles) },
    metrics: prometheusMetrics({
      registry,
      collectDefaultMetrics: false,
      preserveExistingMetrics: true,
      statfsLocation: config.dataDir,
    }),
    addresses: { listen },
    // Loopback/LAN peers skip the per-host inbound rate limit, or most of a testnet stays isolated (P4).
    connectionManager: { allow: config.allow },
    connectionMonitor: { pingInterval: connectionPingIntervalMs() },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery:
      config.bootstrap.length > 0
        ? [bootstrap({ list: config.bootstrap, timeout: 0, tagName: BOOTSTRAP_TAG, tagTTL: TEN_YEARS_MS })]
        : [],
    services: {
      identify: identify(),
      // The connection monitor and kad-dht's routing table both ping; with ping's default of one
      // outbound stream the second fails with TooManyOutboundProtocolStreams and the connection
      // monitor then aborts a healthy connection (seen as dropped gossip peers in test/epochs).
      ping: ping({ maxOutboundStreams: 4, maxInboundStreams: 8 }),
      // Private protocol id and server mode; keep loopback/LAN addresses in routing (P10).
      dht: kadDHT({ protocol: KAD_PROTOCOL, clientMode: false, peerInfoMapper: passthroughMapper }),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictSign,
        emitSelf: false,
        floodPublish: true,
        allowPublishToZeroTopicPeers: true,
        // Content-addressed ids: the same announce republished (e.g. after a restart) is one message.
        msgIdFn: (msg) => contentId(msg.topic, msg.data),
        // The same id, taken before the signature check: without it gossipsub verifies the Ed25519
        // signature of every duplicate copy (one per mesh peer) before it looks the id up.
        fastMsgIdFn: (rpc) => Buffer.from(contentId(rpc.topic, rpc.data ?? EMPTY)).toString('base64'),
        scoreParams: meshScoreParams(config.network),
        // gossipsub records its own metrics only when given a register (node/p2p/gossip-metrics.ts).
        metricsRegister: gossipsubMetricsRegister(registry),
        metricsTopicStrToLabel: gossipTopicLabels(config.network),
      }),
    },
  })
}

export type Host = Awaited<ReturnType<typeof createHost>>
