// Seals (DESIGN.md step 5): the leader of (epoch, class) publishes the sorted ids of the bids it
// counted and the hash of the DARA result; every node recomputes the result from the same bids and
// accepts the seal only if the hash matches. Signing is the network layer's job: it signs and
// checks encodeSealBody(body) with the leader's key; nothing here holds keys.
import { clearAuction } from './clear.ts'
import { EpochInputError, SealRejectedError } from './errors.ts'
import { tieBreakId } from './epoch.ts'
import { domainHash } from './hash.ts'
import { encodeClearingResult } from './json.ts'
import type { Buyer, ClearingResult, Reserves, Seller } from './types.ts'
import { rejectDuplicateIds, validateBids } from './validate.ts'
import { compareIds, idOrder } from './order.ts'

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
  const { salt } = auction
  // 64 hex digits, as epochSalt returns: catches a seed passed where its salt belongs.
  if (typeof salt !== 'string' || !SALT.test(salt)) {
    throw new EpochInputError('salt', 'must be 64 lowercase hex digits (epochSalt of the seed)')
  }
  const buyers = auction.buyers.map(({ bidId, units, price }) => ({ id: bidId, units, price }))
  const sellers = auction.sellers.map(({ bidId, units, cost }) => ({ id: bidId, units, cost }))
  // Bid ids are checked here, by name, before they disappear behind tie-break ids.
  const countedBuyerBidIds = sortedBidIds('buyer', 'price', buyers)
  const countedSellerBidIds = sortedBidIds('seller', 'cost', sellers)
  const buyerBidIds = new Map<string, string>()
  const rankedBuyers: Buyer[] = buyers.map((b) => {
    const id = tieBreakId(b.id, salt)
    buyerBidIds.set(id, b.id)
    return { ...b, id }
  })
  const sellerBidIds = new Map<string, string>()
  const rankedSellers: Seller[] = sellers.map((s) => {
    const id = tieBreakId(s.id, salt)
    sellerBidIds.set(id, s.id)
    return { ...s, id }
  })
  const result = clearAuction(rankedBuyers, rankedSellers, auction.reserves)
  const resultText = encodeClearingResult(result)
  return {
    salt,
    result,
    resultText,
    resultHash: resultHash(resultText),
    buyerBidIds,
    sellerBidIds,
    countedBuyerBidIds,
    countedSellerBidIds,
  }
}

/** Validates one side's bids (naming them by bid id) and returns their ids in sortIds order. */
function sortedBidIds(side: 'buyer' | 'seller', field: 'price' | 'cost', bids: readonly { id: string }[]) {
  validateBids(side, field, bids)
  const ids = bids.map((b) => b.id)
  const order = idOrder(ids)
  rejectDuplicateIds(side, ids, order)
  return order.map((index) => ids[index]!)
}

export function resultHash(resultText: string): string {
  return domainHash('result/v1', [resultText])
}

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
  checkShape(body)
  if (body.epoch !== held.epoch || body.resourceClass !== held.resourceClass) {
    throw new SealRejectedError(
      'EPOCH_MISMATCH',
      `seal is for epoch ${body.epoch} class ${JSON.stringify(body.resourceClass)}, ` +
        `expected epoch ${held.epoch} class ${JSON.stringify(held.resourceClass)}`,
    )
  }
  const clearing = clearEpoch({
    ...held,
    buyers: selectListed('buyer', body.buyerBidIds, held.buyers),
    sellers: selectListed('seller', body.sellerBidIds, held.sellers),
  })
  if (clearing.resultHash !== body.resultHash) {
    throw new SealRejectedError(
      'RESULT_MISMATCH',
      `seal says ${body.resultHash}, recomputed ${clearing.resultHash}`,
    )
  }
  return clearing
}

function selectListed<T extends { readonly bidId: string }>(
  side: string,
  listed: readonly string[],
  held: readonly T[],
) {
  const byId = new Map(held.map((bid) => [bid.bidId, bid]))
  return listed.map((id) => {
    const bid = byId.get(id)
    if (bid === undefined)
      throw new SealRejectedError('MISSING_BIDS', `${side} bid ${JSON.stringify(id)} is not held here`)
    return bid
  })
}

function checkShape(body: SealBody): void {
  if (!Number.isSafeInteger(body.epoch) || body.epoch < 0) {
    throw new SealRejectedError('MALFORMED', `epoch ${String(body.epoch)} is not a non-negative integer`)
  }
  if (typeof body.resultHash !== 'string' || !/^[0-9a-f]{64}$/.test(body.resultHash)) {
    throw new SealRejectedError('MALFORMED', 'resultHash must be 64 lowercase hex digits')
  }
  for (const [side, ids] of [
    ['buyer', body.buyerBidIds],
    ['seller', body.sellerBidIds],
  ] as const) {
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      throw new SealRejectedError('MALFORMED', `${side}BidIds must be an array of strings`)
    }
    // One canonical listing per bid set, so that the signed bytes identify the set.
    if (ids.some((id, i) => i > 0 && compareIds(ids[i - 1]!, id) >= 0)) {
      throw new SealRejectedError('MALFORMED', `${side}BidIds must be sorted and without duplicates`)
    }
  }
}
