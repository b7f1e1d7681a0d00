// The bids one node holds, per epoch and class: pure bookkeeping, no network and no clock reads
// (arrival times are passed in). A bid stays pending from the epoch it is placed in until a seal
// that counts it is accepted, so a missing seal or a late arrival rolls it forward, never drops it.
import { chooseCounted } from '../../auction/counting.ts'
import { cutoffMs, placeBid, type EpochSchedule } from '../../auction/epoch.ts'
import { MAX_SEAL_BIDS } from '../../protocol/index.ts'
import type { HeldAsk, HeldBid, HeldBuyer } from './bids.ts'

/** Bids older than this many epochs are forgotten (asks) or kept only as evidence (consumed ids). */
export const ASK_TTL_EPOCHS = 16
export const ARCHIVE_EPOCHS = 64
/**
 * Pending bids one node keeps per source (memory bound against floods): buyer bids per gateway, asks
 * per seller peer. Bounds are per source so that one source filling its share never displaces
 * another's bids; sources are bound operators only (the driver refuses anyone else), so the whole
 * book is bounded by the operator set's size times these.
 */
export const MAX_PENDING_PER_GATEWAY = 2 * MAX_SEAL_BIDS
export const MAX_PENDING_ASKS_PER_PEER = 64

export interface Placed {
  readonly bid: HeldBid
  /** The first epoch this bid can be counted in (its own, or the next open one when late). */
  readonly epoch: number
  readonly late: boolean
}

export type AddResult = 'added' | 'known' | 'consumed' | 'full'

export interface EligibleBids {
  readonly buyers: HeldBuyer[]
  readonly sellers: HeldAsk[]
}

export class BidBook {
  readonly #schedule: EpochSchedule
  readonly #pending = new Map<string, Placed>()
  /** Pending bids per source (sourceOf), for the per-source bound. */
  readonly #pendingBySource = new Map<string, number>()
  /** Every bid seen, pending or counted, so a leader can serve fetches after sealing. */
  readonly #known = new Map<string, { bid: HeldBid; epoch: number }>()
  /** Bid id → epoch of the accepted seal that counted it (asks) or that it won (buyers). */
  readonly #consumed = new Map<string, number>()

  constructor(schedule: EpochSchedule) {
    this.#schedule = schedule
  }

  /** Places a bid arriving at `arrivalMs`: asks name their epoch, buyers take the earliest open one. */
  add(bid: HeldBid, arrivalMs: number): { result: AddResult; placed?: Placed } {
    if (this.#consumed.has(bid.bidId)) return { result: 'consumed' }
    if (this.#pending.has(bid.bidId)) return { result: 'known' }
    const source = sourceOf(bid)
    const limit = bid.side === 'buyer' ? MAX_PENDING_PER_GATEWAY : MAX_PENDING_ASKS_PER_PEER
    if ((this.#pendingBySource.get(source) ?? 0) >= limit) return { result: 'full' }
    const target = bid.side === 'seller' ? Number(bid.ask.epoch) : undefined
    const { epoch, late } = placeBid(this.#schedule, arrivalMs, target)
    const placed = { bid, epoch, late }
    this.#setPending(placed)
    this.#known.set(bid.bidId, { bid, epoch })
    return { result: 'added', placed }
  }

  /** Whether `bid`'s source has room for `count` more pending bids. */
  hasRoom(bid: HeldBid, count: number): boolean {
    const limit = bid.side === 'buyer' ? MAX_PENDING_PER_GATEWAY : MAX_PENDING_ASKS_PER_PEER
    return (this.#pendingBySource.get(sourceOf(bid)) ?? 0) + count <= limit
  }

  /** Pending bids of one source (a gateway's peer id, or `ask:` + an ask's peer hex). */
  pendingOf(source: string): number {
    return this.#pendingBySource.get(source) ?? 0
  }

  #setPending(placed: Placed): void {
    if (!this.#pending.has(placed.bid.bidId)) {
      const source = sourceOf(placed.bid)
      this.#pendingBySource.set(source, (this.#pendingBySource.get(source) ?? 0) + 1)
    }
    this.#pending.set(placed.bid.bidId, placed)
  }

  #deletePending(bidId: string): void {
    const placed = this.#pending.get(bidId)
    if (placed === undefined) return
    this.#pending.delete(bidId)
    const source = sourceOf(placed.bid)
    const left = (this.#pendingBySource.get(source) ?? 1) - 1
    if (left === 0) this.#pendingBySource.delete(source)
    else this.#pendingBySource.set(source, left)
  }

  /**
   * Holds a bid that may already have been counted by a seal this node did not see (a restarted
   * gateway's own stored demands): known, so seals listing it can be verified and fetches served,
   * but never counted by this node as leader. A seal that lists it as a loser makes it pending.
   */
  addUnconfirmed(bid: HeldBid, epoch: number): Exclude<AddResult, 'full'> {
    if (this.#consumed.has(bid.bidId)) return 'consumed'
    if (this.#known.has(bid.bidId)) return 'known'
    this.#known.set(bid.bidId, { bid, epoch })
    return 'added'
  }

  /** A bid by id, pending or already counted (for serving fetches and verifying seals). */
  get(bidId: string): HeldBid | undefined {
    return this.#known.get(bidId)?.bid
  }

  isConsumed(bidId: string): boolean {
    return this.#consumed.has(bidId)
  }

  pendingCount(): number {
    return this.#pending.size
  }

  /** Units of pending buyer bids per class whose deadline is after `nowMs`. */
  pendingBuyerUnits(nowMs: number): Map<string, number> {
    const units = new Map<string, number>()
    for (const { bid } of this.#pending.values()) {
      if (bid.side !== 'buyer' || bid.deadlineMs <= BigInt(Math.floor(nowMs))) continue
      units.set(bid.resourceClass, (units.get(bid.resourceClass) ?? 0) + bid.bid.units)
    }
    return units
  }

  /** Classes that have pending bids countable in `epoch`. */
  classesDue(epoch: number): string[] {
    const classes = new Set<string>()
    for (const p of this.#pending.values()) if (p.epoch <= epoch) classes.add(classOf(p.bid))
    return [...classes].sort()
  }

  /**
   * The bids an honest leader counts in (epoch, class): those placed in or before `epoch` (buyers
   * only with a deadline after the cut-off), chosen by auction/counting.ts: one ask per peer, at
   * most MAX_SEAL_BIDS in all, the room shared among gateways in turns. `countable` leaves out what
   * the caller knows cannot count in `epoch` (a gateway whose binding is not in force yet).
   */
  eligible(
    epoch: number,
    resourceClass: string,
    countable: (bid: HeldBid) => boolean = () => true,
  ): EligibleBids {
    const cutoff = BigInt(cutoffMs(this.#schedule, epoch))
    const buyers: (HeldBuyer & { source: string })[] = []
    const sellers: (HeldAsk & { source: string })[] = []
    for (const { bid, epoch: placed } of this.#pending.values()) {
      if (placed > epoch || classOf(bid) !== resourceClass || !countable(bid)) continue
      if (bid.side === 'seller') {
        // Only asks a seal of this epoch may count (the rule every node checks): an ask whose
        // time-to-live ended before this epoch stays pending until the prune that follows sealing.
        const askEpoch = Number(bid.ask.epoch)
        if (askEpoch <= epoch && askEpoch + ASK_TTL_EPOCHS >= epoch)
          sellers.push({ ...bid, source: bid.peer })
      } else if (bid.deadlineMs > cutoff) buyers.push({ ...bid, source: bid.gateway })
    }
    const counted = chooseCounted(buyers, sellers, MAX_SEAL_BIDS)
    return {
      buyers: counted.buyers.map((b) => this.#pending.get(b.bidId)!.bid as HeldBuyer),
      sellers: counted.sellers.map((s) => this.#pending.get(s.bidId)!.bid as HeldAsk),
    }
  }

  /**
   * Applies an accepted seal: counted asks and winning buyers leave the pool (losing buyers stay for
   * the next epoch, until their deadline). `extra` are bids fetched to verify it. Returns the ids
   * this node held as eligible that the seal left out ("bids I saw that a seal omitted").
   */
  applySeal(
    epoch: number,
    resourceClass: string,
    listed: ReadonlySet<string>,
    winningBuyers: ReadonlySet<string>,
    extra: readonly HeldBid[],
    countable: (bid: HeldBid) => boolean = () => true,
  ): string[] {
    const { buyers, sellers } = this.eligible(epoch, resourceClass, countable)
    const omitted = [...buyers, ...sellers].map((b) => b.bidId).filter((id) => !listed.has(id))
    for (const bid of extra) if (!this.#known.has(bid.bidId)) this.#known.set(bid.bidId, { bid, epoch })
    for (const id of listed) {
      const bid = this.#known.get(id)?.bid
      const consumed = bid?.side === 'seller' || winningBuyers.has(id)
      if (consumed) {
        this.#consumed.set(id, epoch)
        this.#deletePending(id)
      } else if (bid !== undefined && !this.#pending.has(id)) {
        // A losing buyer this node first learnt of through the fetch: it competes again next epoch.
        this.#setPending({ bid, epoch: epoch + 1, late: false })
      }
    }
    return omitted
  }

  /** Forgets what can no longer be counted: buyers past their deadline, asks too old, old ids. */
  prune(epoch: number): void {
    const cutoff = BigInt(cutoffMs(this.#schedule, epoch))
    for (const [id, p] of this.#pending) {
      const expired =
        p.bid.side === 'buyer' ? p.bid.deadlineMs <= cutoff : Number(p.bid.ask.epoch) + ASK_TTL_EPOCHS < epoch
      if (expired) this.#deletePending(id)
    }
    for (const [id, k] of this.#known) {
      if (k.epoch + ARCHIVE_EPOCHS < epoch && !this.#pending.has(id)) this.#known.delete(id)
    }
    for (const [id, e] of this.#consumed) if (e + ARCHIVE_EPOCHS < epoch) this.#consumed.delete(id)
  }
}

/** Who answers for a bid: the gateway (peer id) of a buyer, `ask:` + the peer (hex) of an ask. */
export function sourceOf(bid: HeldBid): string {
  return bid.side === 'buyer' ? bid.gateway : `ask:${bid.peer}`
}

export function classOf(bid: HeldBid): string {
  return bid.side === 'seller' ? bid.ask.class : bid.resourceClass
}
