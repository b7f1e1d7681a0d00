// The epoch protocol of one node (DESIGN.md step 5). It collects asks and task demands as they pass
// gossip validation, and at each cut-off (read from the injected clock) seals the (epoch, class)
// auctions it leads. Every seal on the seals topic is judged in the gossip validator: the signer
// must be the leader, every listed bid is fetched if missing and checked, and the clearing is
// recomputed; only a seal whose result hash matches becomes the epoch's allocation. Anything else is
// refused (gossipsub then does not forward it) with a MarketRefusal whose code fixes the gossip
// action (auction/verdicts.ts); refusals that prove the leader wrong are kept as faults with the
// evidence. Only demands of gateways that are bound operators enter the book.
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { Counter } from 'prom-client'
import {
  cutoffMs,
  epochIndex,
  epochLeader,
  epochSalt,
  sortIds,
  validateSaltSeed,
  validateSchedule,
  type EpochSchedule,
} from '../../auction/epoch.ts'
import { AuctionInputError, SealRejectedError } from '../../auction/errors.ts'
import { buildSeal, verifySeal, type EpochClearing, type SealBody } from '../../auction/seal.ts'
import { NO_RESERVES, type Reserves } from '../../auction/types.ts'
import { BINDING_SETTLE_EPOCHS } from '../../auction/operator-set.ts'
import { sealTiming } from '../../auction/seal-window.ts'
import { MarketRefusal, isLeaderFault, type MarketRefusalCode } from '../../auction/verdicts.ts'
import {
  Ask,
  BIDS_PROTOCOL,
  MAX_CATCHUP_SEALS,
  SEALS_PROTOCOL,
  Seal,
  SignedEnvelope,
  ValidationError,
  fromHex,
  peerIdBytesOf,
  sealEnvelope,
  toHex,
  validateSeal,
  type JobDemand,
  type TaskAnnounce,
} from '../../protocol/index.ts'
import type { Clock } from '../clock.ts'
import { silentLogger, type Logger } from '../logger.ts'
import type { LoopMonitor } from '../loop-health.ts'
import type { AuctionContext, AuctionEngine, DemandOrigin } from '../seams.ts'
import { buyersOfDemand, heldAsk, heldBuyers, type HeldAsk, type HeldBid, type HeldBuyer } from './bids.ts'
import { bidsStreamHandler, fetchBids } from './bid-fetch.ts'
import { ASK_TTL_EPOCHS, BidBook } from './book.ts'
import { fetchSeals, sealsStreamHandler } from './seal-sync.ts'
import { operatorOfPeer, operatorPeers, type OperatorSet } from './operators.ts'

export interface EpochDriverOptions {
  schedule: EpochSchedule
  operators: OperatorSet
  clock: Clock
  /** This node's operator address when it is one: it may then sell and seal. */
  operator?: string
  /** Public reserves per class (DARA.md); default none. */
  reserves?: (resourceClass: string) => Reserves
  logger?: Logger
  /** How often the clock is read for cut-offs (real time); default epochMs / 10. */
  tickMs?: number
  fetchTimeoutMs?: number
  /**
   * Fault injection (tests, researchers): as leader, 'silent' seals nothing and 'wrong' publishes
   * seals whose result hash is wrong. Honest nodes reject those and the bids roll over.
   */
  sealFault?: 'none' | 'silent' | 'wrong' | 'equivocate'
  /** The network's tie-break salt seed (auction/epoch.ts epochSalt); default DEV_SALT_SEED. */
  saltSeed?: string
  /** Two conflicting seals of one leader, caught here: handed on as fault evidence (gossip). */
  onEquivocation?: (accepted: Uint8Array, conflicting: Uint8Array) => void
  /**
   * Whether verified fault evidence excludes `operator` from the asks an honest leader counts in
   * `epoch` (auction/evidence.ts). It shapes only what this node counts as leader: seals are judged
   * without it, so evidence that reaches nodes at different times cannot split their verdicts.
   */
  excluded?: (operator: string, epoch: number) => boolean
  /** Told how each epoch tick went (/health, metrics). */
  loops?: LoopMonitor
}

/** The salt seed of a node that is given none: every such node must agree on it. */
export const DEV_SALT_SEED = 'prover-mesh/dev'

/** An accepted seal: the allocation every honest node agrees on for (epoch, class). */
export interface EpochAllocation {
  readonly epoch: number
  readonly resourceClass: string
  readonly leader: string
  readonly resultHash: string
  readonly bidIds: readonly string[]
  readonly trade: boolean
  readonly buyerPrice: string | null
  readonly sellerPrice: string | null
  readonly units: number
  /** Job ↔ operator pieces (one unit each: a buyer is one job), in the clearing's assignment order. */
  readonly assignment: readonly JobAssignment[]
  /** The lowest cost per unit among the asks counted (decimal), or null when no ask was counted. */
  readonly lowestAsk: string | null
}

export interface JobAssignment {
  readonly taskId: string
  readonly jobIndex: number
  /** Peer id of the gateway that serves the job's input and takes its proof. */
  readonly gateway: string
  readonly proofType: string
  /** The demand round the winning buyer bid came from (a re-offered job has a later one). */
  readonly round: number
  readonly operator: string
  readonly units: number
}

/** The refusal codes that are evidence against a seal's signer (MARKET_REFUSAL_CODES: 'reject'). */
export type FaultCode = MarketRefusalCode

/** Evidence of a wrong seal: the signed seal itself (hex) and why it is wrong. */
export interface SealFault {
  readonly code: FaultCode
  readonly epoch: number
  readonly resourceClass: string
  /** Peer id of the signer. */
  readonly signer: string
  readonly reason: string
  readonly sealEnvelope: string
  /** For EQUIVOCATION: the result hash of the seal accepted before… */
  readonly conflictsWith?: string
  /** …and that seal, signed by the same leader (hex): the two together prove the equivocation. */
  readonly conflictingEnvelope?: string
}

export interface MarketCounters {
  sealsPublished: number
  sealsAccepted: number
  sealsRejected: number
  /** Bids this node held as countable that an accepted seal left out (censoring indicator). */
  bidsOmitted: number
  /** Bids that arrived after their epoch's cut-off and rolled into a later one. */
  lateBids: number
  /** (epoch, class) auctions whose cut-off passed with bids pending and no seal (rolled over). */
  epochsRolledOver: number
  /** Demands refused because their gateway is not a bound operator (or its share was full). */
  demandsRefused: number
  /** Auctions this node led but did not seal because its start-up seal catch-up had not finished. */
  leadsSkippedBeforeCatchUp: number
  /** Seals this node built and its own check refused: a bug in its book, never published nor a fault. */
  ownSealsRefused: number
}

const MAX_FAULTS = 256
/** The leader and up to this many peers in all are asked for missing bids. */
const MAX_FETCH_SOURCES = 3
/** How far back a catch-up asks for seals: the epochs whose bids peers still keep (ARCHIVE_EPOCHS). */
const CATCHUP_EPOCHS = 64
const MAX_ALLOCATIONS = 256
/** Leaders whose omissions are counted; beyond it the oldest entry is dropped (bounded map). */
const MAX_OMISSION_LEADERS = 1024

/** A signed seal as decoded for judgement. */
interface SealClaim {
  readonly envelope: Uint8Array
  readonly seal: Seal
  readonly signer: string
  readonly epoch: number
  readonly resourceClass: string
}

export class EpochDriver implements AuctionEngine {
  readonly #o: Required<Omit<EpochDriverOptions, 'operator' | 'onEquivocation' | 'excluded' | 'loops'>> &
    Pick<EpochDriverOptions, 'operator' | 'onEquivocation' | 'excluded' | 'loops'>
  readonly #book: BidBook
  readonly #allocations = new Map<string, EpochAllocation>()
  /** The signed seal of each accepted allocation: equivocation evidence, and what catch-up serves. */
  readonly #acceptedSeals = new Map<string, { epoch: number; envelope: Uint8Array }>()
  /** Whether the start-up seal catch-up has been tried (it waits for a first peer). */
  #caughtUp = false
  /**
   * Whether it has finished. Until then this node does not lead: its book may hold bids that seals
   * it has not judged yet consumed (gossip hands a fresh node the last seconds of messages, and a
   * resumed gateway re-publishes its demands), and every node would refuse a seal counting one.
   */
  #catchUpDone = false
  /** Bids this node held as countable that an accepted seal of each leader (peer id) left out. */
  readonly #omittedByLeader = new Map<string, number>()
  readonly #faults: SealFault[] = []
  readonly #counters: MarketCounters = {
    sealsPublished: 0,
    sealsAccepted: 0,
    sealsRejected: 0,
    bidsOmitted: 0,
    lateBids: 0,
    epochsRolledOver: 0,
    demandsRefused: 0,
    leadsSkippedBeforeCatchUp: 0,
    ownSealsRefused: 0,
  }
  readonly #listeners = new Set<(allocation: EpochAllocation) => void>()
  #context: AuctionContext | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  /** The next epoch whose cut-off this node has not acted on yet. */
  #nextDue = 0
  /** Seal judgements and sealing run one at a time, so the book changes in one order. */
  #queue: Promise<unknown> = Promise.resolve()
  /** A tick is queued or running: timer beats meanwhile are dropped, not piled up. */
  #tickPending = false

  constructor(options: EpochDriverOptions) {
    validateSchedule(options.schedule)
    this.#o = {
      reserves: () => NO_RESERVES,
      logger: silentLogger(),
      tickMs: Math.max(10, Math.floor(options.schedule.epochMs / 10)),
      fetchTimeoutMs: 3_000,
      ...options,
      sealFault: options.sealFault ?? 'none',
      saltSeed: options.saltSeed ?? DEV_SALT_SEED,
    }
    validateSaltSeed(this.#o.saltSeed)
    this.#book = new BidBook(options.schedule)
  }

  // ---- AuctionEngine seam ----

  onTaskAnnounced(_announce: TaskAnnounce): void {
    // Buyers come from JobDemands (onDemandEnvelope), not from announces: a task's jobs become
    // ready at different times (aggregations after their children).
  }

  /** This gateway's own demand (gossipsub does not deliver it back): admitted as gossip's are. */
  async onDemandEnvelope(envelope: Uint8Array, origin: DemandOrigin = 'new'): Promise<void> {
    try {
      await this.#admitDemand(envelope, origin)
    } catch (error) {
      this.#o.logger.warn({ err: (error as Error).message }, 'own demand not taken by the market')
    }
  }

  /** The demands-topic check: throws MarketRefusal, or holds the demand's bids. */
  async checkDemand(envelope: Uint8Array, validated?: JobDemand): Promise<void> {
    await this.#admitDemand(envelope, 'new', validated)
  }

  /**
   * A demand enters the book only from a gateway the network can hold to account: the peer bound to
   * an operator of the current set (the same set that may sell and seal). Each gateway has its own
   * bounded share of the book, so a flood from one never displaces another's bids.
   */
  async #admitDemand(envelope: Uint8Array, origin: DemandOrigin, validated?: JobDemand): Promise<void> {
    const now = this.#o.clock.now()
    let buyers: HeldBuyer[]
    try {
      buyers = validated ? buyersOfDemand(validated, envelope) : await heldBuyers(envelope, now)
    } catch (error) {
      const code = error instanceof ValidationError && error.code === 'deadline_past' ? 'EXPIRED' : 'INVALID'
      throw new MarketRefusal(
        error instanceof ValidationError && error.code === 'unknown_class' ? 'UNKNOWN_CLASS' : code,
        (error as Error).message,
      )
    }
    const first = buyers[0]!
    const epoch = epochIndex(this.#o.schedule, now)
    // A gateway whose binding is issued but not in force yet (a new operator, a rotation) is held
    // to account already: its demand is kept, and counted from the epoch its binding is in force.
    const soon = epoch + BINDING_SETTLE_EPOCHS + 1
    const gatewayOperator =
      operatorOfPeer(this.#o.operators, epoch, first.gateway) ??
      operatorOfPeer(this.#o.operators, soon, first.gateway)
    if (gatewayOperator === undefined) {
      this.#counters.demandsRefused++
      throw new MarketRefusal('NOT_OPERATOR', `gateway ${first.gateway} is not a bound operator`)
    }
    // A restarted gateway's stored demand: seals it did not see may have counted these bids, and a
    // leader counting one again would be refused by every node. Others' seals decide.
    if (origin === 'resumed') {
      for (const b of buyers) this.#book.addUnconfirmed(b, epoch)
      return
    }
    const fresh = buyers.filter(
      (b) => this.#book.get(b.bidId) === undefined && !this.#book.isConsumed(b.bidId),
    )
    if (fresh.length === 0) return
    if (!this.#book.hasRoom(first, fresh.length)) {
      this.#counters.demandsRefused++
      throw new MarketRefusal('SOURCE_FULL', `gateway ${first.gateway} has its full share of pending bids`)
    }
    for (const b of fresh) this.#add(b, now)
  }

  /** The asks-topic check: throws MarketRefusal, or holds the ask. */
  async checkAsk(envelope: Uint8Array): Promise<void> {
    const now = this.#o.clock.now()
    let held: HeldAsk
    try {
      held = await heldAsk(envelope)
    } catch (error) {
      throw new MarketRefusal('INVALID', (error as Error).message)
    }
    this.#checkSeller(held, Number(held.ask.epoch))
    const current = epochIndex(this.#o.schedule, now)
    if (Number(held.ask.epoch) > current + 2)
      throw new MarketRefusal('OUT_OF_WINDOW', `ask for epoch ${held.ask.epoch} is too far ahead`)
    if (Number(held.ask.epoch) + ASK_TTL_EPOCHS < current)
      throw new MarketRefusal('OUT_OF_WINDOW', `ask for epoch ${held.ask.epoch} is stale`)
    if (!this.#book.hasRoom(held, 1) && this.#book.get(held.bidId) === undefined)
      throw new MarketRefusal('SOURCE_FULL', `peer ${held.peer} has its full share of pending asks`)
    this.#add(held, now)
  }

  /**
   * The seals-topic check: throws MarketRefusal, or applies the seal. The cheap checks and the final
   * verification run in the serial queue; fetching missing bids over the network does not hold it.
   */
  async checkSeal(envelope: Uint8Array): Promise<void> {
    const claim = await decodeClaim(envelope)
    await this.#judge(claim, claim.signer, true)
  }

  /**
   * Judges one seal: the cheap checks and the final verification run in the serial queue; fetching
   * missing bids (from `source` first) does not hold it. `timely`: also check the seal's timing
   * (gossip); a catch-up judges old seals, so it does not.
   */
  async #judge(claim: SealClaim, source: string, timely: boolean): Promise<void> {
    try {
      await this.#serial(async () => this.#precheck(claim, timely))
      const fetched = await this.#fetchMissing(
        claim.seal.bidIds.map(toHex),
        source,
        cutoffMs(this.#o.schedule, claim.epoch),
      )
      await this.#serial(async () => {
        // Another copy of this seal (or a rival) may have been judged while this one fetched.
        this.#precheck(claim, timely)
        const clearing = this.#verify(claim, fetched)
        this.#accept(claim, clearing, [...fetched.values()])
      })
    } catch (error) {
      if (error instanceof MarketRefusal) this.#refused(claim, error)
      throw error
    }
  }

  /**
   * Seal catch-up: asks a few connected peers for the seals they accepted from `fromEpoch` on
   * (default: as far back as peers keep bids) and judges each as gossip validation does, timing
   * aside. A restarted gateway learns this way which prover won the jobs it offered while it was
   * down, and a restarted node which bids are consumed. Resolves with the number of seals accepted.
   */
  async catchUp(fromEpoch?: number): Promise<number> {
    const context = this.#requireContext()
    const now = this.#o.clock.now()
    const from = fromEpoch ?? Math.max(0, epochIndex(this.#o.schedule, now) - CATCHUP_EPOCHS)
    let accepted = 0
    const peers = context.host.getPeers().slice(0, MAX_FETCH_SOURCES)
    for (const peer of peers) {
      // Pages come oldest first; the next page starts at the last epoch seen (its other classes may
      // not have fitted), or after it when a whole page held that one epoch.
      for (let next = from, pages = 0; pages < CATCHUP_EPOCHS; pages++) {
        let envelopes: Uint8Array[]
        try {
          envelopes = await fetchSeals(context.host, peer, next, this.#o.fetchTimeoutMs)
        } catch (error) {
          this.#o.logger.debug(
            { peer: peer.toString(), err: (error as Error).message },
            'seal catch-up failed',
          )
          break
        }
        let last = next
        for (const envelope of envelopes) {
          try {
            const claim = await decodeClaim(envelope)
            last = Math.max(last, claim.epoch)
            await this.#judge(claim, peer.toString(), false)
            accepted++
          } catch (error) {
            // A seal known already is the common case; anything else was logged by #refused.
            if (!(error instanceof MarketRefusal)) throw error
          }
        }
        if (envelopes.length < MAX_CATCHUP_SEALS) break
        next = last > next ? last : next + 1
      }
    }
    this.#o.logger.info({ fromEpoch: from, peers: peers.length, accepted }, 'seals caught up')
    return accepted
  }

  async start(context: AuctionContext): Promise<void> {
    this.#context = context
    await context.host.handle(
      BIDS_PROTOCOL,
      bidsStreamHandler((id) => this.#book.get(id)?.envelope, this.#o.logger),
      { maxInboundStreams: 32 },
    )
    await context.host.handle(
      SEALS_PROTOCOL,
      sealsStreamHandler((from) => this.#acceptedSince(from), this.#o.logger),
      { maxInboundStreams: 8 },
    )
    const counters = this.#counters
    // Read at scrape time from the counters (monotonic since start), one series per counter.
    context.registry.registerMetric(
      new Counter({
        name: 'prover_mesh_market_events_total',
        help: 'Epoch protocol counts since start: seals published/accepted/rejected, bids a seal omitted, late bids, rolled-over auctions',
        labelNames: ['event'],
        registers: [],
        collect() {
          this.reset()
          for (const [event, value] of Object.entries(counters)) this.inc({ event }, value)
        },
      }),
    )
    const omissions = this.#omittedByLeader
    context.registry.registerMetric(
      new Counter({
        name: 'prover_mesh_market_bids_omitted_by_leader_total',
        help: 'Bids this node held as countable that accepted seals of each leader (peer id) left out, since start',
        labelNames: ['leader'],
        registers: [],
        collect() {
          this.reset()
          for (const [leader, count] of omissions) this.inc({ leader }, count)
        },
      }),
    )
    // Epochs whose cut-off passed before this node started are not this node's to seal.
    this.#nextDue = this.#firstOpenEpoch()
    this.#timer = setInterval(() => this.#beat(), this.#o.tickMs)
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#queue.catch(() => undefined)
    await this.#context?.host.unhandle(BIDS_PROTOCOL).catch(() => undefined)
    this.#context = undefined
  }

  status() {
    return {
      epoch: epochIndex(this.#o.schedule, this.#o.clock.now()),
      pendingBids: this.#book.pendingCount(),
      counters: { ...this.#counters },
      omittedByLeader: Object.fromEntries(this.#omittedByLeader),
      allocations: [...this.#allocations.values()].slice(-16),
      faults: this.#faults.slice(-16).map(({ sealEnvelope: _evidence, ...rest }) => rest),
    }
  }

  // ---- getters and events for the node's roles and for tests ----

  /** Who may sell and seal: the set this driver checks asks and seals against. */
  get operators(): OperatorSet {
    return this.#o.operators
  }

  get schedule(): EpochSchedule {
    return this.#o.schedule
  }

  allocation(epoch: number, resourceClass: string): EpochAllocation | undefined {
    return this.#allocations.get(key(epoch, resourceClass))
  }

  allocations(): EpochAllocation[] {
    return [...this.#allocations.values()]
  }

  faults(): readonly SealFault[] {
    return this.#faults
  }

  counters(): Readonly<MarketCounters> {
    return { ...this.#counters }
  }

  /** Per leader (peer id): bids this node held as countable that its accepted seals left out. */
  omittedByLeader(): ReadonlyMap<string, number> {
    return new Map(this.#omittedByLeader)
  }

  /** Units of pending buyer bids per class (jobs waiting for a prover), for provers sizing their asks. */
  pendingDemand(): Map<string, number> {
    return this.#book.pendingBuyerUnits(this.#o.clock.now())
  }

  onAllocation(listener: (allocation: EpochAllocation) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Publishes this operator's ask for `epoch` (default: the epoch now open) and holds it itself. */
  async offer(params: {
    resourceClass: string
    units: bigint
    cost: bigint
    epoch?: number
  }): Promise<string> {
    const context = this.#requireContext()
    const operator = this.#o.operator
    if (operator === undefined) throw new Error('this node is not an operator: it cannot sell')
    const epoch = params.epoch ?? epochIndex(this.#o.schedule, this.#o.clock.now())
    const ask: Ask = {
      version: 1,
      epoch: BigInt(epoch),
      class: params.resourceClass,
      capacityUnits: params.units,
      costPerUnit: params.cost,
      operator: fromHex(operator.slice(2)),
      peer: peerIdBytesOf(context.key.publicKey.raw),
    }
    const envelope = await sealEnvelope('Ask', Ask.encode(ask), context.key)
    const held = await heldAsk(envelope)
    this.#add(held, this.#o.clock.now())
    await context.publish('asks', envelope).catch((error: unknown) => {
      this.#o.logger.warn({ err: (error as Error).message }, 'ask not published')
    })
    return held.bidId
  }

  // ---- internals ----

  /** The signed seals accepted for epochs from `fromEpoch` on, oldest first (what catch-up serves). */
  #acceptedSince(fromEpoch: number): Uint8Array[] {
    return [...this.#acceptedSeals.values()]
      .filter((s) => s.epoch >= fromEpoch)
      .sort((a, b) => a.epoch - b.epoch)
      .map((s) => s.envelope)
  }

  /** One timer beat: queues a tick unless one is already waiting (a slow tick must not pile up). */
  #beat(): void {
    // The start-up catch-up, once there is a peer to ask.
    if (!this.#caughtUp && this.#context !== undefined && this.#context.host.getPeers().length > 0) {
      this.#caughtUp = true
      this.catchUp().then(
        () => (this.#catchUpDone = true),
        (error: unknown) => {
          this.#caughtUp = false // tried again on the next beat
          this.#o.logger.warn({ err: (error as Error).message }, 'seal catch-up failed')
        },
      )
    }
    if (this.#tickPending) return
    this.#tickPending = true
    this.#serial(async () => {
      this.#tickPending = false
      await this.#tick()
    }).then(
      () => this.#o.loops?.succeeded('market.tick'),
      (error: unknown) => {
        this.#o.logger.warn({ err: (error as Error).message }, 'epoch tick failed')
        this.#o.loops?.failed('market.tick', error)
      },
    )
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Leading waits for the start-up catch-up; a node with no peer has none to wait for. */
  #mayLead(): boolean {
    if (this.#context === undefined) return false
    if (this.#catchUpDone) return true
    if (this.#context.host.getPeers().length > 0) {
      this.#counters.leadsSkippedBeforeCatchUp++
      return false
    }
    return true
  }

  #requireContext(): AuctionContext {
    if (this.#context === undefined) throw new Error('the epoch driver is not started')
    return this.#context
  }

  #firstOpenEpoch(): number {
    const now = this.#o.clock.now()
    let e = Math.max(0, epochIndex(this.#o.schedule, Math.max(now, this.#o.schedule.genesisMs)) - 1)
    while (cutoffMs(this.#o.schedule, e) <= now) e++
    return e
  }

  #add(bid: HeldBid, arrivalMs: number): void {
    const { result, placed } = this.#book.add(bid, arrivalMs)
    if (result === 'added' && placed?.late === true) this.#counters.lateBids++
    if (result === 'full') this.#o.logger.warn({ bidId: bid.bidId }, 'bid book full: bid refused')
  }

  /** Throws unless the ask's operator is in the set and bound to the peer that signed the ask. */
  #checkSeller(held: HeldAsk, epoch: number): void {
    const listed = this.#o.operators.operators(epoch).some((a) => a.toLowerCase() === held.operator)
    const peer = this.#o.operators.peerOf(held.operator, epoch)
    if (!listed || peer === undefined)
      throw new MarketRefusal('NOT_OPERATOR', `operator ${held.operator} is not in the operator set`)
    const signer = peerIdFromMultihash(Digest.decode(held.ask.peer)).toString()
    if (peerIdFromString(peer).toString() === signer) return
    // The operator's binding to the signer may be issued but not in force yet (a rotation in flight):
    // that is no fault. A peer bound to it in no epoch near this one is.
    const later = this.#o.operators.peerOf(held.operator, epoch + BINDING_SETTLE_EPOCHS + 1)
    const inFlight = later !== undefined && peerIdFromString(later).toString() === signer
    throw new MarketRefusal(
      inFlight ? 'NOT_IN_FORCE' : 'NOT_OPERATOR',
      `peer: not the peer bound to operator ${held.operator} in epoch ${epoch}`,
    )
  }

  #leaderPeer(epoch: number, resourceClass: string): { address: string; peer: string } | undefined {
    const address = epochLeader(epoch, resourceClass, this.#o.operators.operators(epoch))
    const peer = address === undefined ? undefined : this.#o.operators.peerOf(address, epoch)
    return address === undefined || peer === undefined ? undefined : { address, peer }
  }

  async #tick(): Promise<void> {
    const now = this.#o.clock.now()
    while (cutoffMs(this.#o.schedule, this.#nextDue) <= now) {
      const epoch = this.#nextDue++
      // A tick delayed past the next cut-off (a busy or just-restarted node) is too late to seal:
      // every node would refuse the seal as LATE, and the bids have rolled over already.
      const tooLate = cutoffMs(this.#o.schedule, epoch + 1) <= now
      for (const resourceClass of tooLate ? [] : this.#book.classesDue(epoch)) {
        if (this.#allocations.has(key(epoch, resourceClass))) continue
        const leader = this.#leaderPeer(epoch, resourceClass)
        if (leader?.address.toLowerCase() === this.#o.operator?.toLowerCase() && this.#mayLead()) {
          await this.#seal(epoch, resourceClass).catch((error: unknown) =>
            this.#o.logger.warn({ epoch, resourceClass, err: (error as Error).message }, 'sealing failed'),
          )
        }
      }
      // The previous epoch's seals had until this cut-off; what is still unsealed rolls forward.
      if (epoch > 0) {
        for (const resourceClass of this.#book.classesDue(epoch - 1)) {
          if (!this.#allocations.has(key(epoch - 1, resourceClass))) this.#counters.epochsRolledOver++
        }
      }
      this.#book.prune(epoch)
    }
  }

  async #seal(epoch: number, resourceClass: string): Promise<void> {
    const context = this.#requireContext()
    const { buyers, sellers } = this.#book.eligible(epoch, resourceClass, this.#countableIn(epoch))
    const { body } = buildSeal({
      epoch,
      resourceClass,
      salt: epochSalt(epoch, resourceClass, this.#o.saltSeed),
      buyers: buyers.map((b) => b.bid),
      sellers: sellers.map((s) => s.bid),
      reserves: this.#o.reserves(resourceClass),
    })
    const seal: Seal = {
      version: 1,
      epoch: BigInt(epoch),
      class: resourceClass,
      leader: peerIdBytesOf(context.key.publicKey.raw),
      bidIds: sortIds([...body.buyerBidIds, ...body.sellerBidIds]).map(fromHex),
      resultHash: fromHex(body.resultHash),
    }
    if (this.#o.sealFault === 'silent') return
    if (this.#o.sealFault === 'wrong') {
      seal.resultHash = seal.resultHash.map((b) => b ^ 0xff)
      this.#counters.sealsPublished++
      await context.publish('seals', await sealEnvelope('Seal', Seal.encode(seal), context.key))
      return
    }
    const envelope = await sealEnvelope('Seal', Seal.encode(seal), context.key)
    // The leader judges its own seal like everyone else (gossipsub does not deliver it back). It
    // holds every bid it counted, so nothing is fetched and this runs inside the tick's turn.
    const claim = await decodeClaim(envelope)
    try {
      this.#precheck(claim)
      this.#accept(claim, this.#verify(claim, new Map()), [])
    } catch (error) {
      // Not a fault of this node as a leader: nothing was published. Recording it as one (as a
      // refused seal from the network is) would charge an honest node for a stale entry in its book.
      this.#counters.ownSealsRefused++
      throw new Error(`own seal refused: ${(error as Error).message}`, { cause: error })
    }
    this.#counters.sealsPublished++
    await context.publish('seals', envelope)
    if (this.#o.sealFault === 'equivocate') {
      // A second, different seal that is also a valid clearing: the same bids but one left out.
      const fewer = buildSeal({
        epoch,
        resourceClass,
        salt: epochSalt(epoch, resourceClass, this.#o.saltSeed),
        buyers: buyers.slice(0, -1).map((b) => b.bid),
        sellers: (buyers.length > 0 ? sellers : sellers.slice(0, -1)).map((s) => s.bid),
        reserves: this.#o.reserves(resourceClass),
      }).body
      const second: Seal = {
        ...seal,
        bidIds: sortIds([...fewer.buyerBidIds, ...fewer.sellerBidIds]).map(fromHex),
        resultHash: fromHex(fewer.resultHash),
      }
      await context.publish('seals', await sealEnvelope('Seal', Seal.encode(second), context.key))
    }
  }

  /**
   * What an honest leader counts in `epoch`: buyers of gateways whose binding is in force then
   * (every node refuses a seal counting others), asks of operators no verified evidence excludes.
   */
  #countableIn(epoch: number): (bid: HeldBid) => boolean {
    const gateways = operatorPeers(this.#o.operators, epoch)
    const excluded = this.#o.excluded ?? (() => false)
    return (bid) => (bid.side === 'seller' ? !excluded(bid.operator, epoch) : gateways.has(bid.gateway))
  }

  /** Records a refused seal; one that proves its signer wrong is kept as a fault with the evidence. */
  #refused(claim: SealClaim, refusal: MarketRefusal): void {
    // Another copy of an accepted seal (gossip from two peers, or a catch-up page) is nothing new.
    if (refusal.code === 'DUPLICATE') return
    const { epoch, resourceClass, signer } = claim
    this.#counters.sealsRejected++
    this.#o.logger.warn(
      { epoch, resourceClass, signer, code: refusal.code, action: refusal.action, reason: refusal.message },
      'seal rejected',
    )
    if (!isLeaderFault(refusal.code)) return
    const conflicting =
      refusal.code === 'EQUIVOCATION' ? this.#acceptedSeals.get(key(epoch, resourceClass)) : undefined
    const previous = this.#allocations.get(key(epoch, resourceClass))
    if (conflicting !== undefined) this.#o.onEquivocation?.(conflicting.envelope, claim.envelope)
    if (this.#faults.length >= MAX_FAULTS) this.#faults.shift()
    this.#faults.push({
      code: refusal.code,
      epoch,
      resourceClass,
      signer,
      reason: refusal.message,
      sealEnvelope: toHex(claim.envelope),
      ...(conflicting !== undefined && previous !== undefined
        ? { conflictsWith: previous.resultHash, conflictingEnvelope: toHex(conflicting.envelope) }
        : {}),
    })
  }

  /** The checks that need no bids: the signer leads the epoch, the timing, one seal per auction. */
  #precheck({ envelope, signer, epoch, resourceClass }: SealClaim, timely = true): void {
    const leader = this.#leaderPeer(epoch, resourceClass)
    if (leader === undefined || leader.peer !== signer) {
      throw new MarketRefusal('NOT_LEADER', `${signer} does not lead epoch ${epoch} class ${resourceClass}`)
    }
    const accepted = this.#acceptedSeals.get(key(epoch, resourceClass))
    if (accepted !== undefined) {
      if (equalBytes(accepted.envelope, envelope))
        throw new MarketRefusal('DUPLICATE', 'this seal is accepted already')
      throw new MarketRefusal('EQUIVOCATION', `a second seal for epoch ${epoch} class ${resourceClass}`)
    }
    if (!timely) return
    const timing = sealTiming(this.#o.schedule, epoch, this.#o.clock.now())
    if (timing === 'early') throw new MarketRefusal('EARLY', `epoch ${epoch} is sealed before its cut-off`)
    if (timing === 'late')
      throw new MarketRefusal('LATE', `epoch ${epoch} is sealed after the next epoch's cut-off`)
  }

  /** Checks every listed bid (held here or fetched) and recomputes the clearing. */
  #verify(claim: SealClaim, fetched: ReadonlyMap<string, HeldBid>): EpochClearing {
    const { seal, epoch, resourceClass } = claim
    const buyers: HeldBuyer[] = []
    const sellers: HeldAsk[] = []
    const peers = new Set<string>()
    const cutoff = BigInt(cutoffMs(this.#o.schedule, epoch))
    const gateways = operatorPeers(this.#o.operators, epoch)
    for (const id of seal.bidIds.map(toHex)) {
      const bid = this.#book.get(id) ?? fetched.get(id)
      if (bid === undefined)
        throw new MarketRefusal('MISSING_BIDS', `bid ${id} is held by neither this node nor the leader`)
      if (this.#book.isConsumed(id))
        throw new MarketRefusal('CONSUMED_BID', `bid ${id} was counted by an earlier seal`)
      if (bid.side === 'seller') {
        const askEpoch = Number(bid.ask.epoch)
        if (bid.ask.class !== resourceClass)
          throw new MarketRefusal('BAD_BID', `ask ${id}: class ${bid.ask.class}`)
        if (askEpoch > epoch || askEpoch + ASK_TTL_EPOCHS < epoch)
          throw new MarketRefusal('BAD_BID', `ask ${id}: epoch ${askEpoch} cannot be counted in ${epoch}`)
        if (peers.has(bid.peer)) throw new MarketRefusal('BAD_BID', `ask ${id}: a second ask of its peer`)
        peers.add(bid.peer)
        try {
          this.#checkSeller(bid, askEpoch)
        } catch (error) {
          throw new MarketRefusal('BAD_BID', `ask ${id}: ${(error as Error).message}`)
        }
        sellers.push(bid)
      } else {
        if (bid.resourceClass !== resourceClass)
          throw new MarketRefusal('BAD_BID', `buyer ${id}: class ${bid.resourceClass}`)
        if (bid.deadlineMs <= cutoff)
          throw new MarketRefusal('BAD_BID', `buyer ${id}: deadline before the cut-off`)
        if (!gateways.has(bid.gateway))
          throw new MarketRefusal('BAD_BID', `buyer ${id}: gateway ${bid.gateway} is not a bound operator`)
        buyers.push(bid)
      }
    }
    const body: SealBody = {
      epoch,
      resourceClass,
      buyerBidIds: buyers.map((b) => b.bidId),
      sellerBidIds: sellers.map((s) => s.bidId),
      resultHash: toHex(seal.resultHash),
    }
    try {
      return verifySeal(body, {
        epoch,
        resourceClass,
        salt: epochSalt(epoch, resourceClass, this.#o.saltSeed),
        buyers: buyers.map((b) => b.bid),
        sellers: sellers.map((s) => s.bid),
        reserves: this.#o.reserves(resourceClass),
      })
    } catch (error) {
      if (error instanceof SealRejectedError) throw new MarketRefusal(error.code, error.message)
      if (error instanceof AuctionInputError) throw new MarketRefusal('BAD_BID', error.message)
      throw error
    }
  }

  /**
   * Fetches the listed bids this node lacks and validates each. The leader is asked first, then a
   * few other peers (they keep what they fetched to verify the same seal), so that one failed
   * stream does not leave this node alone rejecting a seal everyone else accepted. Invalid
   * envelopes are skipped: only bids that validate and hash to a listed id count.
   */
  async #fetchMissing(ids: readonly string[], leader: string, asOfMs: number): Promise<Map<string, HeldBid>> {
    const wanted = new Set(ids.filter((id) => this.#book.get(id) === undefined))
    const found = new Map<string, HeldBid>()
    if (wanted.size === 0) return found
    const context = this.#context
    if (context === undefined) {
      throw new MarketRefusal(
        'MISSING_BIDS',
        `${wanted.size} listed bids are not held here (driver not started)`,
      )
    }
    const others = context.host
      .getPeers()
      .map((p) => p.toString())
      .filter((p) => p !== leader)
    const problems: string[] = []
    for (const source of [leader, ...others.slice(0, MAX_FETCH_SOURCES - 1)]) {
      const remaining = [...wanted].filter((id) => !found.has(id))
      if (remaining.length === 0) break
      let envelopes: Uint8Array[]
      try {
        envelopes = await fetchBids(
          context.host,
          peerIdFromString(source),
          remaining.map(fromHex),
          this.#o.fetchTimeoutMs,
        )
      } catch (error) {
        problems.push(`${source}: ${(error as Error).message}`)
        continue
      }
      for (const envelope of envelopes) {
        try {
          const kind = SignedEnvelope.decode(envelope).kind
          // A fetched buyer is validated as of the epoch's cut-off, the same instant on every node.
          const bids = kind === 'Ask' ? [await heldAsk(envelope)] : await heldBuyers(envelope, asOfMs)
          for (const bid of bids) if (wanted.has(bid.bidId)) found.set(bid.bidId, bid)
        } catch (error) {
          problems.push(`${source} sent an invalid bid: ${(error as Error).message}`)
        }
      }
    }
    const still = [...wanted].filter((id) => !found.has(id))
    if (still.length > 0) {
      throw new MarketRefusal(
        'MISSING_BIDS',
        `${still.length} listed bids are held neither here nor by the peers asked (${problems.join('; ')})`,
      )
    }
    return found
  }

  #accept(claim: SealClaim, clearing: EpochClearing, extra: readonly HeldBid[]): void {
    const { seal, signer, epoch, resourceClass } = claim
    const listed = new Set(seal.bidIds.map(toHex))
    const winners = new Set(clearing.result.winningBuyers.map((t) => clearing.buyerBidIds.get(t)!))
    const omitted = this.#book.applySeal(
      epoch,
      resourceClass,
      listed,
      winners,
      extra,
      this.#countableIn(epoch),
    )
    this.#counters.bidsOmitted += omitted.length
    if (omitted.length > 0) {
      this.#omittedByLeader.delete(signer) // re-inserted last: the map keeps the recent leaders
      this.#omittedByLeader.set(signer, (this.#omittedByLeader.get(signer) ?? 0) + omitted.length)
      if (this.#omittedByLeader.size > MAX_OMISSION_LEADERS)
        this.#omittedByLeader.delete(this.#omittedByLeader.keys().next().value!)
    }
    this.#counters.sealsAccepted++
    const jobOf = (tieBreak: string) => {
      const bid = this.#book.get(clearing.buyerBidIds.get(tieBreak)!)
      return bid?.side === 'buyer'
        ? {
            taskId: bid.taskId,
            jobIndex: bid.jobIndex,
            gateway: bid.gateway,
            proofType: bid.demand.proofType,
            round: bid.demand.round,
          }
        : { taskId: '', jobIndex: -1, gateway: '', proofType: '', round: 0 }
    }
    let lowestAsk: bigint | null = null
    for (const id of listed) {
      const bid = this.#book.get(id)
      if (bid?.side === 'seller' && (lowestAsk === null || bid.ask.costPerUnit < lowestAsk))
        lowestAsk = bid.ask.costPerUnit
    }
    const operatorOf = (tieBreak: string) => {
      const bid = this.#book.get(clearing.sellerBidIds.get(tieBreak)!)
      return bid?.side === 'seller' ? bid.operator : ''
    }
    const r = clearing.result
    const allocation: EpochAllocation = {
      epoch,
      resourceClass,
      leader: signer,
      resultHash: clearing.resultHash,
      bidIds: [...listed].sort(),
      trade: r.trade,
      buyerPrice: r.buyerPrice?.toString() ?? null,
      sellerPrice: r.sellerPrice?.toString() ?? null,
      units: r.units,
      lowestAsk: lowestAsk?.toString() ?? null,
      assignment: r.assignment.map((a) => ({
        ...jobOf(a.buyer),
        operator: operatorOf(a.seller),
        units: a.units,
      })),
    }
    this.#allocations.set(key(epoch, resourceClass), allocation)
    this.#acceptedSeals.set(key(epoch, resourceClass), { epoch, envelope: claim.envelope })
    if (this.#allocations.size > MAX_ALLOCATIONS) {
      const oldest = this.#allocations.keys().next().value!
      this.#allocations.delete(oldest)
      this.#acceptedSeals.delete(oldest)
    }
    for (const listener of this.#listeners) listener(allocation)
  }
}

/** Decodes a signed seal; a message that is not one is refused as INVALID (nothing to attribute). */
async function decodeClaim(envelope: Uint8Array): Promise<SealClaim> {
  try {
    const seal = await validateSeal(envelope)
    const signer = peerIdFromMultihash(Digest.decode(seal.leader)).toString()
    if (seal.epoch > BigInt(Number.MAX_SAFE_INTEGER))
      throw new ValidationError('out_of_range', 'epoch', 'too large')
    return { envelope, seal, signer, epoch: Number(seal.epoch), resourceClass: seal.class }
  } catch (error) {
    throw new MarketRefusal('INVALID', (error as Error).message)
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i])
}

function key(epoch: number, resourceClass: string): string {
  return `${epoch}\n${resourceClass}`
}
