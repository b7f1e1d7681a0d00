// The auction engine a node takes (node/market/epoch-driver.ts implements it; tests may pass their
// own). The proving seam is node/proving/backend.ts. Without an engine a node runs the network roles
// only (gateway, relay, record).
import type { PrivateKey } from '@libp2p/interface'
import type { Registry } from 'prom-client'
import type { JobDemand, TaskAnnounce } from '../protocol/index.ts'
import type { Host } from './p2p/host.ts'

/** Where a JobDemand comes from: first offered, or offered again by a restarted gateway. */
export type DemandOrigin = 'new' | 'resumed'

/** What a started node lends its auction engine: the host (streams) and the peer key (signing). */
export interface AuctionContext {
  host: Host
  key: PrivateKey
  /** The node's Prometheus registry, for the engine's own metrics. */
  registry: Registry
  /** Publishes on one of the market topics; rejects when gossipsub cannot publish. */
  publish(topic: 'asks' | 'seals', bytes: Uint8Array): Promise<void>
}

/** The DARA auction: told about tasks and gossip, decides who proves what. */
export interface AuctionEngine {
  onTaskAnnounced(announce: TaskAnnounce): void
  /**
   * A signed JobDemand: from gossip after validation, or from this node's own gateway ('resumed':
   * a stored demand it offers again after a restart, whose bids a seal may already have counted).
   */
  onDemandEnvelope?(envelope: Uint8Array, origin?: DemandOrigin): Promise<void> | void
  /** Called once the node's host and gossip run; the engine registers its protocols here. */
  start?(context: AuctionContext): Promise<void>
  stop?(): Promise<void>
  /** A JSON-able summary for /status (allocations, faults, counters). */
  status?(): unknown
  /**
   * Gossip validation hooks for the asks, seals and demands topics: resolve to accept (the engine
   * then holds the message), or throw a MarketRefusal (auction/verdicts.ts) whose code fixes the
   * gossip action.
   */
  checkAsk?(askEnvelope: Uint8Array): Promise<void>
  checkSeal?(sealEnvelope: Uint8Array): Promise<void>
  /** `validated`: the demand as gossip validation decoded it, so its signature is not checked twice. */
  checkDemand?(demandEnvelope: Uint8Array, validated?: JobDemand): Promise<void>
}
