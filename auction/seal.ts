// Seals (DESIGN.md step 5): the leader of (epoch, class) publishes the sorted ids of the bids it
// counted and the hash of the DARA result; every node recomputes the result from the same bids and
// accepts the seal only if the hash matches. Signing is the network layer's job: it signs and
// checks encodeSealBody(body) with the leader's key; nothing here holds keys.
import { clearInIdOrder } from './clear.ts'
import { EpochInputError, SealRejectedError, type BidSide } from './errors.ts'
import { tieBreakIdOf } from './epoch.ts'
import { domainHashOfBytes } from './hash.ts'
import { encodeClearingResult, withHexIdResultBytes } from './json.ts'
import type { ClearingResult, Reserves } from './types.ts'
import { rejectDuplicateIds, validateBids, validateReserves } from './validate.ts'
import { compareIds, hexIdOrder, idOrder } from './order.ts'

/** A buyer as it arrives from the network: `bidId` is its content id, chosen by nobody's grinding. */
export interface BuyerBid {
  readonly bidId: string
  readonly units: number
  readonly price: bigint
}

export interface SellerAsk {
  readonly bidId: string
  readonly units: number
  readonly cost: bigint
}

/** One auction as a node sees it after the cut-off: the bids it holds for (epoch, class). */
export interface EpochAuction {
  readonly epoch: number
  readonly resourceClass: string
  /** epochSalt(epoch, class, network seed): fixed before the cut-off, whatever bids are counted. */
  readonly salt: string
  readonly buyers: readonly BuyerBid[]
  readonly sellers: readonly SellerAsk[]
  readonly reserves: Reserves
}

export interface EpochClearing {
  /** Hex salt of the tie-break ids (the auction's, echoed). */
  readonly salt: string
  /** The DARA result; its ids are tie-break ids, which buyerBidIds / sellerBidIds map back. */
  readonly result: ClearingResult
  /** The canonical JSON of `result` (auction/json.ts), the text the seal hashes. */
  readonly resultText: string
  readonly resultHash: string
  /** Tie-break id → bid id, per side. */
  readonly buyerBidIds: ReadonlyMap<string, string>
  readonly sellerBidIds: ReadonlyMap<string, string>
  /** The bid ids counted, in sortIds order: what a seal lists. */
  readonly countedBuyerBidIds: readonly string[]
  readonly countedSellerBidIds: readonly string[]
}

export interface SealBody {
  readonly epoch: number
  readonly resourceClass: string
  /** Bid ids counted, each list in bytewise UTF-8 order without duplicates. */
  readonly buyerBidIds: readonly string[]
  readonly sellerBidIds: readonly string[]
  /** sha256 (hex) of "prover-mesh/dara/result/v1\n" + the canonical result JSON. */
  readonly resultHash: string
}

const SALT = /^[0-9a-f]{64}$/

/**
 * Clears one epoch's auction: salts tie-break ids with the auction's salt, ranks bids by them, runs
 * DARA. The outcome depends on the set of bids only, never on the order they arrived in.
 */
export function clearEpoch(auction: EpochAuction): EpochClearing {
  return clearBids(auction)
}

/**
 * The most a buyer bid counts for in an epoch's auction: the seller ceiling, or the floor where that
 * is higher; null (no cap) without a ceiling. Why: sellers are never paid more than the ceiling, so
 * a buyer price above it could only raise what buyers pay, all of it to the treasury. With the
 * default posted price (floor = ceiling = P) every job then pays exactly P. Capping is monotone, so
 * DARA's properties hold for the capped bids (a buyer still never pays more than it bid), and
 * clearAuction itself, with its golden vectors, is unchanged: the cap is a rule of the epoch protocol.
 */
export function buyerPriceCap(reserves: Reserves): bigint | null {
  const { buyerFloor, sellerCeiling } = reserves
  if (sellerCeiling === null) return null
  return sellerCeiling > buyerFloor ? sellerCeiling : buyerFloor
}

/** A seal's checked listing: each side's bid ids strictly ascending, exactly those of the bids. */
interface Listing {
  readonly buyerBidIds: readonly string[]
  readonly sellerBidIds: readonly string[]
}

/** clearEpoch; with `listing`, the bids are those it lists (in any order) and need no sort. */
function clearBids(auction: EpochAuction, listing?: Listing): EpochClearing {
  const { salt, reserves } = auction
  // 64 hex digits, as epochSalt returns: catches a seed passed where its salt belongs.
  if (typeof salt !== 'string' || !SALT.test(salt)) {
    throw new EpochInputError('salt', 'must be 64 lowercase hex digits (epochSalt of the seed)')
  }
  // Bid ids are checked here, by name, before they disappear behind tie-break ids.
  const countedBuyerBidIds = countedBidIds('buyer', 'price', auction.buyers, listing?.buyerBidIds)
  const countedSellerBidIds = countedBidIds('seller', 'cost', auction.sellers, listing?.sellerBidIds)
  validateReserves(reserves)
  const cap = buyerPriceCap(reserves)
  const rankedBuyers = underTieBreakIds('buyer', auction.buyers, salt, (b, id) => ({
    id,
    units: b.units,
    price: cap !== null && b.price > cap ? cap : b.price,
  }))
  const rankedSellers = underTieBreakIds('seller', auction.sellers, salt, (s, id) => ({
    id,
    units: s.units,
    cost: s.cost,
  }))
  const result = clearInIdOrder(rankedBuyers.bids, rankedSellers.bids, reserves)
  const resultHashHex = withHexIdResultBytes(result, (bytes) => domainHashOfBytes(RESULT_DOMAIN, bytes))
  let resultText: string | undefined
  let buyerBidIds: ReadonlyMap<string, string> | undefined
  let sellerBidIds: ReadonlyMap<string, string> | undefined
  return {
    salt,
    result,
    resultHash: resultHashHex,
    // Built on first use: a verifier that only compares hashes needs neither the text nor the maps.
    get resultText() {
      return (resultText ??= encodeClearingResult(result))
    },
    get buyerBidIds() {
      return (buyerBidIds ??= rankedBuyers.bidIdsByTieBreakId())
    },
    get sellerBidIds() {
      return (sellerBidIds ??= rankedSellers.bidIdsByTieBreakId())
    },
    countedBuyerBidIds,
    countedSellerBidIds,
  }
}

/** One side's bids under their tie-break ids, in tie-break id order. */
interface TieBreakSide<T> {
  readonly bids: readonly T[]
  /** Tie-break id → bid id, built when called. */
  bidIdsByTieBreakId(): Map<string, string>
}

/**
 * Puts each bid under its tie-break id (`under`) and lays the bids out in tie-break id order, the
 * order clearInIdOrder takes (tie-break ids are hex: hexIdOrder sorts them in one native sort).
 */
function underTieBreakIds<B extends { readonly bidId: string }, T>(
  side: BidSide,
  bids: readonly B[],
  salt: string,
  under: (bid: B, tieBreakId: string) => T,
): TieBreakSide<T> {
  const tieBreakId = tieBreakIdOf(salt)
  const ids = bids.map((bid) => tieBreakId(bid.bidId))
  const order = hexIdOrder(ids)
  // Distinct bid ids share a tie-break id only if sha256 collides; checked all the same.
  rejectDuplicateIds(side, ids, order)
  return {
    bids: order.map((index) => under(bids[index]!, ids[index]!)),
    bidIdsByTieBreakId() {
      const map = new Map<string, string>()
      for (const index of order) map.set(ids[index]!, bids[index]!.bidId)
      return map
    },
  }
}

/**
 * Validates one side's bids (naming them by bid id) and returns their ids in sortIds order: the
 * seal's `listed` ids when they are known to be exactly these.
 */
function countedBidIds(
  side: BidSide,
  field: 'price' | 'cost',
  bids: readonly { readonly bidId: string }[],
  listed: readonly string[] | undefined,
): readonly string[] {
  validateBids(side, field, bids, 'bidId')
  if (listed !== undefined) return listed.slice()
  const ids = bids.map((bid) => bid.bidId)
  const order = idOrder(ids)
  rejectDuplicateIds(side, ids, order)
  return order.map((index) => ids[index]!)
}

/** resultHash = sha256("prover-mesh/dara/result/v1\n" + the canonical result JSON). */
const RESULT_DOMAIN = 'result/v1'

/** What the leader publishes (after signing encodeSealBody(body) at the network layer). */
export function buildSeal(auction: EpochAuction): { body: SealBody; clearing: EpochClearing } {
  const clearing = clearEpoch(auction)
  const body: SealBody = {
    epoch: auction.epoch,
    resourceClass: auction.resourceClass,
    buyerBidIds: clearing.countedBuyerBidIds,
    sellerBidIds: clearing.countedSellerBidIds,
    resultHash: clearing.resultHash,
  }
  return { body, clearing }
}

/** The canonical text of a seal body: the bytes (UTF-8) the leader signs and peers verify. */
export function encodeSealBody(body: SealBody): string {
  return JSON.stringify({
    epoch: body.epoch,
    resourceClass: body.resourceClass,
    buyerBidIds: body.buyerBidIds,
    sellerBidIds: body.sellerBidIds,
    resultHash: body.resultHash,
  })
}

/**
 * Verifies a seal: takes from `held` (this node's bids for the epoch and class, each already
 * checked at the network layer for signature, stake, epoch and class) exactly the bids the seal
 * lists, recomputes the clearing over them and returns it if the hash matches. Bids held but not
 * listed are not counted (they roll into the next epoch). Throws SealRejectedError otherwise.
 */
export function verifySeal(body: SealBody, held: EpochAuction): EpochClearing {
  checkHeader(body)
  const buyers = selectListed('buyer', body.buyerBidIds, held.buyers)
  const sellers = selectListed('seller', body.sellerBidIds, held.sellers)
  if (body.epoch !== held.epoch || body.resourceClass !== held.resourceClass) {
    throw new SealRejectedError(
      'EPOCH_MISMATCH',
      `seal is for epoch ${body.epoch} class ${JSON.stringify(body.resourceClass)}, ` +
        `expected epoch ${held.epoch} class ${JSON.stringify(held.resourceClass)}`,
    )
  }
  for (const [side, { missing }] of [
    ['buyer', buyers],
    ['seller', sellers],
  ] as const) {
    if (missing !== undefined) {
      throw new SealRejectedError('MISSING_BIDS', `${side} bid ${JSON.stringify(missing)} is not held here`)
    }
  }
  // selectListed proved each listing strictly ascending and picked exactly the bids it lists.
  const clearing = clearBids({ ...held, buyers: buyers.bids, sellers: sellers.bids }, body)
  if (clearing.resultHash !== body.resultHash) {
    throw new SealRejectedError(
      'RESULT_MISMATCH',
      `seal says ${body.resultHash}, recomputed ${clearing.resultHash}`,
    )
  }
  return clearing
}

/** The held bids a listing names (in the order they are held), and the first listed id not held. */
interface Selection<T> {
  readonly bids: readonly T[]
  readonly missing: string | undefined
}

/**
 * Checks that a listing is an array of strings in strictly ascending order (MALFORMED otherwise:
 * one canonical listing per bid set, so that the signed bytes identify the set) and picks the held
 * bids it names. The listing is walked once, and the bids are picked in the order they are held:
 * every pass over 10^4 ids in listed order, scattered in memory, cost milliseconds of cache misses.
 */
function selectListed<T extends { readonly bidId: string }>(
  side: BidSide,
  listed: readonly string[],
  held: readonly T[],
): Selection<T> {
  if (!Array.isArray(listed)) {
    throw new SealRejectedError('MALFORMED', `${side}BidIds must be an array of strings`)
  }
  // The network layer usually hands over exactly the listed bids, in listed order; otherwise the
  // listing's positions are mapped in the same pass that checks it.
  const position = sameBidIds(listed, held) ? undefined : new Map<string, number>()
  let strings = true
  let sorted = true
  for (let i = 0; i < listed.length; i++) {
    const id: unknown = listed[i]
    if (typeof id !== 'string') {
      strings = false
      continue
    }
    const previous: unknown = listed[i - 1]
    if (sorted && i > 0 && typeof previous === 'string' && compareIds(previous, id) >= 0) sorted = false
    position?.set(id, i)
  }
  if (!strings) throw new SealRejectedError('MALFORMED', `${side}BidIds must be an array of strings`)
  if (!sorted) {
    throw new SealRejectedError('MALFORMED', `${side}BidIds must be sorted and without duplicates`)
  }
  if (position === undefined) return { bids: held, missing: undefined }
  const picked = new Uint8Array(listed.length)
  const bids = new Array<T>(listed.length)
  // Backwards, so that of two held bids with one id the later counts, as it always has; filled
  // from the end, so that the bids come out in held order, which validation errors' indices use.
  let next = listed.length
  for (let i = held.length - 1; i >= 0; i--) {
    const k = position.get(held[i]!.bidId)
    if (k === undefined || picked[k] === 1) continue
    picked[k] = 1
    bids[--next] = held[i]!
  }
  if (next === 0) return { bids, missing: undefined }
  return { bids: [], missing: listed[picked.indexOf(0)] }
}

function sameBidIds(listed: readonly string[], held: readonly { readonly bidId: string }[]): boolean {
  if (listed.length !== held.length) return false
  for (let i = 0; i < listed.length; i++) if (held[i]!.bidId !== listed[i]) return false
  return true
}

function checkHeader(body: SealBody): void {
  if (!Number.isSafeInteger(body.epoch) || body.epoch < 0) {
    throw new SealRejectedError('MALFORMED', `epoch ${String(body.epoch)} is not a non-negative integer`)
  }
  if (typeof body.resultHash !== 'string' || !/^[0-9a-f]{64}$/.test(body.resultHash)) {
    throw new SealRejectedError('MALFORMED', 'resultHash must be 64 lowercase hex digits')
  }
}
