// Prometheus metrics of one node. A registry per node (not prom-client's global one), so several
// nodes in one test process keep separate counts.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface NodeMetrics {
  registry: Registry
  submits: Counter<'result'>
  gossipValidation: Counter<'topic' | 'verdict' | 'code'>
  peers: Gauge
  tasks: Gauge<'state'>
  meshPeers: Gauge<'topic'>
}

export interface MetricSources {
  peerCount(): number
  tasksByState(): Promise<Record<string, number>>
  meshSizes(): Record<string, number>
}

export function createMetrics(
  sources: () => MetricSources | undefined,
  withProcessMetrics: boolean,
): NodeMetrics {
  const registry = new Registry()
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: 'prover_mesh_' })
  return {
    registry,
    submits: new Counter({
      name: 'prover_mesh_submits_total',
      help: 'Submit requests handled by the gateway, by result (accepted, duplicate, rejected code)',
      labelNames: ['result'],
      registers: [registry],
    }),
    gossipValidation: new Counter({
      name: 'prover_mesh_gossip_validation_total',
      help: 'Gossip messages validated, by topic, verdict and validation error code',
      labelNames: ['topic', 'verdict', 'code'],
      registers: [registry],
    }),
    peers: new Gauge({
      name: 'prover_mesh_connected_peers',
      help: 'Peers with an open connection',
      registers: [registry],
      collect() {
        const s = sources()
        if (s) this.set(s.peerCount())
      },
    }),
    tasks: new Gauge({
      name: 'prover_mesh_tasks',
      help: 'Tasks in the task store, by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const s = sources()
        if (!s) return
        this.reset()
        for (const [state, n] of Object.entries(await s.tasksByState())) this.set({ state }, n)
      },
    }),
    meshPeers: new Gauge({
      name: 'prover_mesh_gossip_mesh_peers',
      help: 'Gossipsub mesh size per topic',
      labelNames: ['topic'],
      registers: [registry],
      collect() {
        const s = sources()
        if (!s) return
        for (const [topic, n] of Object.entries(s.meshSizes())) this.set({ topic }, n)
      },
    }),
  }
}

// ---- The roles' metrics: registered by node/lifecycle.ts once each role runs. Counters are read
// from the roles' own monotonic counts at scrape time (reset, then set to the count), so a scrape
// costs the same however busy the node was.

/** Buckets of the proving-time histogram (seconds): a leaf job is ~0.5 s, an aggregation ~2.5 s. */
const PROVING_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60]

/** A counter whose value is read at scrape time from a monotonic count per label set. */
function countedAtScrape<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
  read: () => Iterable<[Partial<Record<L, string>>, number]>,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset()
      for (const [labels, value] of read()) if (value > 0) this.inc(labels, value)
    },
  })
}

export interface ProverMetrics {
  /** Called once per proven job: its class and the seconds the backend took. */
  proven(resourceClass: string, seconds: number): void
}

/** Jobs won/proven/delivered/abandoned and asks of this node's prover; the proving-time histogram. */
export function registerProverMetrics(
  registry: Registry,
  counters: () => Readonly<Record<string, number>>,
): ProverMetrics {
  countedAtScrape(
    registry,
    'prover_mesh_prover_jobs_total',
    'Jobs of this prover since start, by event: won (assigned by a seal), proven, delivered, abandoned',
    ['event'],
    () => {
      const c = counters()
      return (['jobsWon', 'jobsProven', 'jobsDelivered', 'jobsAbandoned'] as const).map((k) => [
        { event: k.slice(4).toLowerCase() },
        c[k] ?? 0,
      ])
    },
  )
  countedAtScrape(
    registry,
    'prover_mesh_prover_asks_total',
    'Asks this prover published since start, and the units they offered (unit="asks"|"units")',
    ['unit'],
    () => {
      const c = counters()
      return [
        [{ unit: 'asks' }, c.asks ?? 0],
        [{ unit: 'units' }, c.unitsAsked ?? 0],
      ]
    },
  )
  const seconds = new Histogram({
    name: 'prover_mesh_proving_seconds',
    help: 'Time the proving backend took per job, by resource class (sum/leaf, hashchain/leaf, aggregate)',
    labelNames: ['class'],
    buckets: PROVING_BUCKETS,
    registers: [registry],
  })
  return { proven: (resourceClass, s) => seconds.observe({ class: resourceClass }, s) }
}

/** What the market metrics read of an accepted seal (an EpochAllocation). */
export interface SealFigures {
  readonly resourceClass: string
  readonly trade: boolean
  readonly buyerPrice: string | null
  readonly sellerPrice: string | null
  readonly units: number
}

/**
 * Market figures from the seals this node accepts: the latest clearing prices per class (gauges) and
 * the units and seals per class (counters). Returns the listener to hand every accepted seal.
 */
export function registerMarketMetrics(registry: Registry): (seal: SealFigures) => void {
  const units = new Counter({
    name: 'prover_mesh_market_units_traded_total',
    help: 'Units traded in the seals this node accepted since start, by resource class',
    labelNames: ['class'],
    registers: [registry],
  })
  const seals = new Counter({
    name: 'prover_mesh_market_seals_total',
    help: 'Seals this node accepted since start, by resource class and whether they traded',
    labelNames: ['class', 'trade'],
    registers: [registry],
  })
  const price = new Gauge({
    name: 'prover_mesh_market_clearing_price',
    help: 'Clearing price per unit of the latest trading seal, by resource class and side (buyer pays, seller earns)',
    labelNames: ['class', 'side'],
    registers: [registry],
  })
  return (seal) => {
    seals.inc({ class: seal.resourceClass, trade: String(seal.trade) })
    if (!seal.trade) return
    units.inc({ class: seal.resourceClass }, seal.units)
    // Prices are bigint decimals; a gauge holds a double, exact up to 2^53.
    if (seal.buyerPrice !== null)
      price.set({ class: seal.resourceClass, side: 'buyer' }, Number(seal.buyerPrice))
    if (seal.sellerPrice !== null)
      price.set({ class: seal.resourceClass, side: 'seller' }, Number(seal.sellerPrice))
  }
}

/** What the ledger metrics read of one ledger entry. */
export interface LedgerFigures {
  readonly operator: string
  readonly buyerPrice: string | null
  readonly sellerPrice: string | null
}

/**
 * The gateway's ledger totals: units proven and what clients owe, per operator what it earned. Kept
 * as running sums (started from the stored ledger, then added to per entry), so a scrape reads them.
 */
export function registerLedgerMetrics(registry: Registry): (entry: LedgerFigures) => void {
  const units = new Counter({
    name: 'prover_mesh_ledger_units_total',
    help: "Units (proven jobs) in this gateway's ledger, by operator",
    labelNames: ['operator'],
    registers: [registry],
  })
  const owed = new Counter({
    name: 'prover_mesh_ledger_owed_total',
    help: "What clients owe in this gateway's ledger (sum of buyer prices of priced entries)",
    registers: [registry],
  })
  const earned = new Counter({
    name: 'prover_mesh_ledger_earned_total',
    help: "What each operator earned in this gateway's ledger (sum of seller prices of priced entries)",
    labelNames: ['operator'],
    registers: [registry],
  })
  return (entry) => {
    units.inc({ operator: entry.operator })
    if (entry.buyerPrice !== null) owed.inc(Number(entry.buyerPrice))
    if (entry.sellerPrice !== null) earned.inc({ operator: entry.operator }, Number(entry.sellerPrice))
  }
}
