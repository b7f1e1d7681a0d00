// The epoch protocol of one node (DESIGN.md step 5). It collects asks and task demands as they pass
// gossip validation, and at each cut-off (read from the injected clock) seals the (epoch, class)
// auctions it leads. Every seal on the seals topic is judged in the gossip validator: the signer
// must be the leader, every listed bid is fetched if missing and checked, and the clearing is
// recomputed; only a seal whose result hash matches becomes the epoch's allocation. Anything else is
// rejected (gossipsub then does not forward it) and kept as a fault with its evidence.
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { Gauge } from 'prom-client'
import {
  cutoffMs,
  epochIndex,
  epochLeader,
  sortIds,
  validateSchedule,
  type EpochSchedule,
} from '../../auction/epoch.ts'
import { AuctionInputError, SealRejectedError } from '../../auction/errors.ts'
import { buildSeal, verifySeal, type EpochClearing, type SealBody } from '../../auction/seal.ts'
import { NO_RESERVES, type Reserves } from '../../auction/types.ts'
import {
  Ask,
  BIDS_PROTOCOL,
  Seal,
  SignedEnvelope,
  ValidationError,
  fromHex,
  peerIdBytesOf,
  sealEnvelope,
  toHex,
  validateSeal,
  type TaskAnnounce,
} from '../../protocol/index.ts'
import type { Clock } from '../clock.ts'
import { silentLogger, type Logger } from '../logger.ts'
import type { AuctionContext, AuctionEngine, DemandOrigin } from '../seams.ts'
import { heldAsk, heldBuyers, type HeldAsk, type HeldBid, type HeldBuyer } from './bids.ts'
import { bidsStreamHandler, fetchBids } from './bid-fetch.ts'
import { ASK_TTL_EPOCHS, BidBook } from './book.ts'
import type { OperatorSet } from './operators.ts'

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
  sealFault?: 'none' | 'silent' | 'wrong'
}

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

export type FaultCode =
  | 'NOT_LEADER'
  | 'EARLY'
  | 'LATE'
  | 'EQUIVOCATION'
  | 'MISSING_BIDS'
  | 'BAD_BID'
  | 'MALFORMED'
  | 'EPOCH_MISMATCH'
  | 'RESULT_MISMATCH'

/** Evidence of a wrong seal: the signed seal itself (hex) and why it is wrong. */
export interface SealFault {
  readonly code: FaultCode
  readonly epoch: number
  readonly resourceClass: string
  /** Peer id of the signer. */
  readonly signer: string
  readonly reason: string
  readonly sealEnvelope: string
  /** For EQUIVOCATION: the result hash of the seal accepted before. */
  readonly conflictsWith?: string
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
}

const MAX_FAULTS = 256
/** The leader and up to this many peers in all are asked for missing bids. */
const MAX_FETCH_SOURCES = 3
const MAX_ALLOCATIONS = 256

class Rejection extends Error {
  readonly code: FaultCode
  constructor(code: FaultCode, message: string) {
    super(message)
    this.code = code
  }
}

export class EpochDriver implements AuctionEngine {
  readonly #o: Required<Omit<EpochDriverOptions, 'operator'>> & { operator?: string }
  readonly #book: BidBook
  readonly #allocations = new Map<string, EpochAllocation>()
  readonly #faults: SealFault[] = []
  readonly #counters: MarketCounters = {
    sealsPublished: 0,
    sealsAccepted: 0,
    sealsRejected: 0,
    bidsOmitted: 0,
    lateBids: 0,
    epochsRolledOver: 0,
  }
  readonly #listeners = new Set<(allocation: EpochAllocation) => void>()
  #context: AuctionContext | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  /** The next epoch whose cut-off this node has not acted on yet. */
  #nextDue = 0
  /** Seal judgements and sealing run one at a time, so the book changes in one order. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(options: EpochDriverOptions) {
    validateSchedule(options.schedule)
    this.#o = {
      reserves: () => NO_RESERVES,
      logger: silentLogger(),
      tickMs: Math.max(10, Math.floor(options.schedule.epochMs / 10)),
      fetchTimeoutMs: 3_000,
      ...options,
      sealFault: options.sealFault ?? 'none',
    }
    this.#book = new BidBook(options.schedule)
  }

  // ---- AuctionEngine seam ----

  onTaskAnnounced(_announce: TaskAnnounce): void {
    // Buyers come from JobDemands (onDemandEnvelope), not from announces: a task's jobs become
    // ready at different times (aggregations after their children).
  }

  onDemandEnvelope(envelope: Uint8Array, origin: DemandOrigin = 'new'): void {
    const now = this.#o.clock.now()
    heldBuyers(envelope, now)
      .then((buyers) => {
        // A restarted gateway's stored demand: seals it did not see may have counted these bids, and
        // a leader counting one again would be refused by every node (BAD_BID). Others' seals decide.
        if (origin === 'resumed') {
          const epoch = epochIndex(this.#o.schedule, now)
          for (const b of buyers) this.#book.addUnconfirmed(b, epoch)
        } else buyers.forEach((b) => this.#add(b, now))
      })
      .catch((error: unknown) => this.#o.logger.debug({ err: (error as Error).message }, 'demand not a bid'))
  }

  async checkAsk(envelope: Uint8Array): Promise<string | undefined> {
    const now = this.#o.clock.now()
    try {
      const held = await heldAsk(envelope)
      this.#checkSeller(held, Number(held.ask.epoch))
      const current = epochIndex(this.#o.schedule, now)
      if (Number(held.ask.epoch) > current + 2) return `ask for epoch ${held.ask.epoch} is too far ahead`
      if (Number(held.ask.epoch) + ASK_TTL_EPOCHS < current) return `ask for epoch ${held.ask.epoch} is stale`
      this.#add(held, now)
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }

  checkSeal(envelope: Uint8Array): Promise<string | undefined> {
    return this.#serial(() => this.#judge(envelope))
  }

  async start(context: AuctionContext): Promise<void> {
    this.#context = context
    await context.host.handle(
      BIDS_PROTOCOL,
      bidsStreamHandler((id) => this.#book.get(id)?.envelope, this.#o.logger),
      { maxInboundStreams: 32 },
    )
    const counters = this.#counters
    // Read at scrape time from the counters (monotonic since start), one series per counter.
    context.registry.registerMetric(
      new Gauge({
        name: 'prover_mesh_market_events',
        help: 'Epoch protocol counts since start: seals published/accepted/rejected, bids a seal omitted, late bids, rolled-over auctions',
        labelNames: ['event'],
        registers: [],
        collect() {
          for (const [event, value] of Object.entries(counters)) this.set({ event }, value)
        },
      }),
    )
    // Epochs whose cut-off passed before this node started are not this node's to seal.
    this.#nextDue = this.#firstOpenEpoch()
    this.#timer = setInterval(() => void this.#serial(() => this.#tick()), this.#o.tickMs)
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

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job)
    this.#queue = run.catch(() => undefined)
    return run
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
    const peer = this.#o.operators.peerOf(held.operator)
    if (!listed || peer === undefined)
      throw new ValidationError('out_of_range', 'operator', 'not an operator')
    if (peerIdFromString(peer).toString() !== peerIdFromMultihash(Digest.decode(held.ask.peer)).toString()) {
      throw new ValidationError('bad_signature', 'peer', 'not the peer bound to the operator')
    }
  }

  #leaderPeer(epoch: number, resourceClass: string): { address: string; peer: string } | undefined {
    const address = epochLeader(epoch, resourceClass, this.#o.operators.operators(epoch))
    const peer = address === undefined ? undefined : this.#o.operators.peerOf(address)
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
        if (leader?.address.toLowerCase() === this.#o.operator?.toLowerCase() && this.#context) {
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
    const { buyers, sellers } = this.#book.eligible(epoch, resourceClass)
    const { body } = buildSeal({
      epoch,
      resourceClass,
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
    // The leader judges its own seal like everyone else (gossipsub does not deliver it back).
    const reason = await this.#judge(envelope)
    if (reason !== undefined) throw new Error(`own seal refused: ${reason}`)
    this.#counters.sealsPublished++
    await context.publish('seals', envelope)
  }

  /** The seals-topic verdict: undefined to accept (and apply), or the reason to reject. */
  async #judge(envelope: Uint8Array): Promise<string | undefined> {
    let seal: Seal
    let signer: string
    try {
      seal = await validateSeal(envelope)
      signer = peerIdFromMultihash(Digest.decode(seal.leader)).toString()
      if (seal.epoch > BigInt(Number.MAX_SAFE_INTEGER))
        throw new ValidationError('out_of_range', 'epoch', 'too large')
    } catch (error) {
      // Not a well-formed signed seal: nothing to attribute, gossip scoring deals with the sender.
      return (error as Error).message
    }
    const epoch = Number(seal.epoch)
    const resourceClass = seal.class
    try {
      const { clearing, fetched } = await this.#verify(seal, signer, epoch, resourceClass)
      this.#accept(seal, signer, clearing, fetched)
      return undefined
    } catch (error) {
      if (!(error instanceof Rejection)) throw error
      this.#counters.sealsRejected++
      const previous = this.#allocations.get(key(epoch, resourceClass))
      if (this.#faults.length >= MAX_FAULTS) this.#faults.shift()
      this.#faults.push({
        code: error.code,
        epoch,
        resourceClass,
        signer,
        reason: error.message,
        sealEnvelope: toHex(envelope),
        ...(error.code === 'EQUIVOCATION' && previous ? { conflictsWith: previous.resultHash } : {}),
      })
      this.#o.logger.warn(
        { epoch, resourceClass, signer, code: error.code, reason: error.message },
        'seal rejected',
      )
      return `${error.code}: ${error.message}`
    }
  }

  async #verify(
    seal: Seal,
    signer: string,
    epoch: number,
    resourceClass: string,
  ): Promise<{ clearing: EpochClearing; fetched: HeldBid[] }> {
    const leader = this.#leaderPeer(epoch, resourceClass)
    if (leader === undefined || leader.peer !== signer) {
      throw new Rejection('NOT_LEADER', `${signer} does not lead epoch ${epoch} class ${resourceClass}`)
    }
    // A seal may come from a leader whose clock runs ahead, but not by more than an epoch.
    const now = this.#o.clock.now()
    if (cutoffMs(this.#o.schedule, epoch) > now + this.#o.schedule.epochMs) {
      throw new Rejection('EARLY', `epoch ${epoch} is sealed before its cut-off`)
    }
    // Past the next cut-off the bids have rolled into the next epoch, whose leader may count them.
    if (cutoffMs(this.#o.schedule, epoch + 1) <= now) {
      throw new Rejection('LATE', `epoch ${epoch} is sealed after the next epoch's cut-off`)
    }
    const resultHashHex = toHex(seal.resultHash)
    const previous = this.#allocations.get(key(epoch, resourceClass))
    if (previous !== undefined) {
      throw new Rejection('EQUIVOCATION', `a second seal for epoch ${epoch} class ${resourceClass}`)
    }

    const ids = seal.bidIds.map(toHex)
    const fetched = await this.#fetchMissing(ids, signer, cutoffMs(this.#o.schedule, epoch))
    const buyers: HeldBuyer[] = []
    const sellers: HeldAsk[] = []
    const peers = new Set<string>()
    const cutoff = BigInt(cutoffMs(this.#o.schedule, epoch))
    for (const id of ids) {
      const bid = this.#book.get(id) ?? fetched.get(id)
      if (bid === undefined)
        throw new Rejection('MISSING_BIDS', `bid ${id} is held by neither this node nor the leader`)
      if (this.#book.isConsumed(id))
        throw new Rejection('BAD_BID', `bid ${id} was counted by an earlier seal`)
      if (bid.side === 'seller') {
        const askEpoch = Number(bid.ask.epoch)
        if (bid.ask.class !== resourceClass)
          throw new Rejection('BAD_BID', `ask ${id}: class ${bid.ask.class}`)
        if (askEpoch > epoch || askEpoch + ASK_TTL_EPOCHS < epoch)
          throw new Rejection('BAD_BID', `ask ${id}: epoch ${askEpoch} cannot be counted in ${epoch}`)
        if (peers.has(bid.peer)) throw new Rejection('BAD_BID', `ask ${id}: a second ask of its peer`)
        peers.add(bid.peer)
        try {
          this.#checkSeller(bid, askEpoch)
        } catch (error) {
          throw new Rejection('BAD_BID', `ask ${id}: ${(error as Error).message}`)
        }
        sellers.push(bid)
      } else {
        if (bid.resourceClass !== resourceClass)
          throw new Rejection('BAD_BID', `buyer ${id}: class ${bid.resourceClass}`)
        if (bid.deadlineMs <= cutoff)
          throw new Rejection('BAD_BID', `buyer ${id}: deadline before the cut-off`)
        buyers.push(bid)
      }
    }
    const body: SealBody = {
      epoch,
      resourceClass,
      buyerBidIds: buyers.map((b) => b.bidId),
      sellerBidIds: sellers.map((s) => s.bidId),
      resultHash: resultHashHex,
    }
    try {
      const clearing = verifySeal(body, {
        epoch,
        resourceClass,
        buyers: buyers.map((b) => b.bid),
        sellers: sellers.map((s) => s.bid),
        reserves: this.#o.reserves(resourceClass),
      })
      return { clearing, fetched: [...fetched.values()] }
    } catch (error) {
      if (error instanceof SealRejectedError) throw new Rejection(error.code, error.message)
      if (error instanceof AuctionInputError) throw new Rejection('BAD_BID', error.message)
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
      throw new Rejection('MISSING_BIDS', `${wanted.size} listed bids are not held here (driver not started)`)
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
      throw new Rejection(
        'MISSING_BIDS',
        `${still.length} listed bids are held neither here nor by the peers asked (${problems.join('; ')})`,
      )
    }
    return found
  }

  #accept(seal: Seal, signer: string, clearing: EpochClearing, extra: readonly HeldBid[]): void {
    const epoch = Number(seal.epoch)
    const resourceClass = seal.class
    const listed = new Set(seal.bidIds.map(toHex))
    const winners = new Set(clearing.result.winningBuyers.map((t) => clearing.buyerBidIds.get(t)!))
    const omitted = this.#book.applySeal(epoch, resourceClass, listed, winners, extra)
    this.#counters.bidsOmitted += omitted.length
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
    if (this.#allocations.size > MAX_ALLOCATIONS)
      this.#allocations.delete(this.#allocations.keys().next().value!)
    for (const listener of this.#listeners) listener(allocation)
  }
}

function key(epoch: number, resourceClass: string): string {
  return `${epoch}\n${resourceClass}`
}
