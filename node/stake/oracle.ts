// The stake oracle: keeps a snapshot of our operator set's stake fresh and answers "may this operator
// sell, and how much" without touching the network on the hot path (gossip validation).
//
// Freshness: `poll()` (every pollIntervalMs once started) reads the head and scans the two contracts'
// logs since the last scan. Events are treated as dirty markers, not arithmetic (deltas, slashing
// rounding and pending allocations make local arithmetic fragile): any relevant event triggers a full
// re-read at a new pinned block, which costs the same few round trips whatever the operator count. So do
// a known pending allocation reaching its change block (no event fires then) and the resync timer.
// Failure: a failed poll keeps the last snapshot; once no read has succeeded for maxStalenessMs every
// lookup answers 'unavailable' (fail closed). Time comes from the injected clock only.
import { getAddress, type Address, type Log, type PublicClient } from 'viem'
import { allocationManagerAbi, delegationManagerAbi } from './abi.ts'
import type { StakeConfig } from './config.ts'
import { consoleStakeLogger, createStakeMetrics, type StakeLogger, type StakeMetrics } from './metrics.ts'
import { behindHead, readStakeSnapshot, type OperatorStake, type StakeSnapshot } from './read.ts'

export type StakeLookup =
  | { readonly status: 'member'; readonly stake: OperatorStake; readonly blockNumber: bigint }
  | { readonly status: 'not-member'; readonly blockNumber: bigint }
  | { readonly status: 'unavailable'; readonly reason: string }

export interface StakeOracleDeps {
  readonly client: PublicClient
  readonly config: StakeConfig
  /** Milliseconds since the epoch; decisions use only this clock. */
  readonly now: () => number
  readonly logger?: StakeLogger
  readonly metrics?: StakeMetrics
}

const watchedEvents = [
  ...allocationManagerAbi.filter((item) => item.type === 'event'),
  ...delegationManagerAbi.filter((item) => item.type === 'event'),
]

type DecodedLog = Log & { eventName?: string; args?: Record<string, unknown> }

export class StakeOracle {
  readonly config: StakeConfig
  readonly metrics: StakeMetrics
  readonly #client: PublicClient
  readonly #now: () => number
  readonly #logger: StakeLogger
  #snapshot: StakeSnapshot | undefined
  /** Clock time of the last read that confirmed the snapshot (a refresh, or a poll that found nothing new). */
  #verifiedAt = -Infinity
  #lastRefreshAt = -Infinity
  #scannedTo = -1n
  #timer: NodeJS.Timeout | undefined
  #polling: Promise<void> | undefined

  constructor(deps: StakeOracleDeps) {
    this.config = deps.config
    this.#client = deps.client
    this.#now = deps.now
    this.#logger = deps.logger ?? consoleStakeLogger
    this.metrics = deps.metrics ?? createStakeMetrics()
  }

  get snapshot(): StakeSnapshot | undefined {
    return this.#snapshot
  }

  /** Age of the snapshot's last confirmation, in ms by the injected clock. */
  age(now: number): number {
    return now - this.#verifiedAt
  }

  /** Synchronous lookup for gossip validation: fails closed when the snapshot is missing or too old. */
  lookup(operator: Address, now: number): StakeLookup {
    const snapshot = this.#snapshot
    if (!snapshot) return { status: 'unavailable', reason: 'no stake snapshot yet' }
    const age = this.age(now)
    if (age > this.config.maxStalenessMs) {
      this.metrics.staleRejections++
      return {
        status: 'unavailable',
        reason: `stake snapshot is ${age} ms old (limit ${this.config.maxStalenessMs} ms); chain unreachable`,
      }
    }
    const stake = snapshot.operators.get(getAddress(operator))
    return stake
      ? { status: 'member', stake, blockNumber: snapshot.blockNumber }
      : { status: 'not-member', blockNumber: snapshot.blockNumber }
  }

  /** Full re-read at a pinned block (the head minus confirmations unless given). Throws on RPC failure. */
  async refresh(pinned?: bigint): Promise<StakeSnapshot> {
    try {
      return await this.#read(pinned)
    } catch (error) {
      this.#fail('stake refresh failed', error)
      throw error
    }
  }

  async #read(pinned: bigint | undefined): Promise<StakeSnapshot> {
    const startedAt = this.#now()
    const snapshot = await readStakeSnapshot(this.#client, this.config, pinned)
    this.#snapshot = snapshot
    this.#verifiedAt = startedAt
    this.#lastRefreshAt = startedAt
    if (snapshot.blockNumber > this.#scannedTo) this.#scannedTo = snapshot.blockNumber
    this.metrics.refreshes++
    this.metrics.snapshotBlock = Number(snapshot.blockNumber)
    this.metrics.snapshotOperators = snapshot.operators.size
    return snapshot
  }

  /** One freshness step; never throws (a failure is counted, logged, and leaves the snapshot as it was). */
  async poll(): Promise<void> {
    // Polls never overlap: a slow RPC must not stack reads behind it.
    this.#polling ??= this.#pollOnce().finally(() => (this.#polling = undefined))
    return this.#polling
  }

  async #pollOnce(): Promise<void> {
    const startedAt = this.#now()
    try {
      const target = behindHead(
        await this.#client.getBlockNumber({ cacheTime: 0 }),
        this.config.confirmations,
      )
      const snapshot = this.#snapshot
      let reason: string | undefined
      if (!snapshot) reason = 'first read'
      else if (startedAt - this.#lastRefreshAt >= this.config.resyncIntervalMs) reason = 'resync timer'
      else if (snapshot.nextChangeBlock !== undefined && target >= snapshot.nextChangeBlock) {
        reason = `pending allocation takes effect at block ${snapshot.nextChangeBlock}`
      } else if (target > this.#scannedTo) {
        if (target - this.#scannedTo > BigInt(this.config.maxLogRange)) reason = 'log backlog too long'
        else reason = await this.#scanLogs(this.#scannedTo + 1n, target, snapshot)
      }
      if (reason !== undefined) {
        await this.#read(target)
        this.#logger.info('stake snapshot refreshed', {
          reason,
          block: Number(target),
          operators: this.#snapshot?.operators.size,
        })
      } else {
        // Only now is the range known to hold nothing relevant; a failed refresh above leaves it to
        // be scanned again, so no event is lost to an outage.
        if (target > this.#scannedTo) this.#scannedTo = target
        this.#verifiedAt = startedAt
      }
    } catch (error) {
      this.#fail('stake poll failed', error)
    }
  }

  /** Returns why the logs in [from, to] invalidate the snapshot, or undefined if none does. */
  async #scanLogs(from: bigint, to: bigint, snapshot: StakeSnapshot): Promise<string | undefined> {
    const logs = (await this.#client.getLogs({
      address: [this.config.allocationManager, this.config.delegationManager],
      events: watchedEvents,
      fromBlock: from,
      toBlock: to,
    })) as DecodedLog[]
    for (const log of logs) {
      const why = this.#relevance(log, snapshot)
      if (why) return why
    }
    return undefined
  }

  #relevance(log: DecodedLog, snapshot: StakeSnapshot): string | undefined {
    const args = log.args ?? {}
    const set = args.operatorSet as { avs: Address; id: number } | undefined
    if (set) {
      const ours = getAddress(set.avs) === this.config.avs && set.id === this.config.operatorSetId
      return ours ? `${log.eventName} in our operator set` : undefined
    }
    const operator = args.operator as Address | undefined
    if (operator && snapshot.operators.has(getAddress(operator)))
      return `${log.eventName} for member ${operator}`
    return undefined
  }

  #fail(message: string, error: unknown): void {
    this.metrics.refreshFailures++
    const snapshotAgeMs = this.age(this.#now())
    this.#logger.warn(message, {
      error: (error as Error)?.message?.split('\n')[0] ?? String(error),
      snapshotBlock: this.#snapshot ? Number(this.#snapshot.blockNumber) : null,
      snapshotAgeMs: Number.isFinite(snapshotAgeMs) ? snapshotAgeMs : null,
      failClosedAfterMs: this.config.maxStalenessMs,
    })
  }

  /** Starts polling every pollIntervalMs (first poll at once). */
  start(): void {
    if (this.#timer) return
    const tick = (): void => {
      void this.poll().finally(() => {
        if (this.#timer) this.#timer = setTimeout(tick, this.config.pollIntervalMs)
      })
    }
    this.#timer = setTimeout(tick, 0)
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
