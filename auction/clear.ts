// DARA v1 clearing (/work/shared/DARA.md): a deferred-acceptance double auction with trade
// reduction, for all-or-nothing buyers and capacitated sellers. Pure and deterministic: the result
// depends only on the set of bids and the reserves, never on their order or on the clock.
import type { BidSide } from './errors.ts'
import { amountOrder, idOrder } from './order.ts'
import { largestRemainderQuotas } from './quotas.ts'
import {
  NO_RESERVES,
  type Allocation,
  type Buyer,
  type ClearingResult,
  type Reserves,
  type Seller,
} from './types.ts'
import { rejectDuplicateIds, validateBids, validateReserves } from './validate.ts'

/** One side of the auction: its bids in id order, and their positions in that array best-first. */
interface RankedSide<T> {
  readonly byId: readonly T[]
  readonly bestFirst: readonly number[]
}

/** Where the clock stopped with a trade: the live prefixes of both sides and the two prices. */
interface ClockStop {
  readonly winnerCount: number
  readonly activeCount: number
  readonly buyerPrice: bigint
  readonly sellerPrice: bigint
  /** D at the stop: the winners' units, which is U. */
  readonly traded: number
  /** K at the stop: the active sellers' capacity. */
  readonly activeCapacity: number
}

/**
 * Clears one auction (one class, one epoch). Throws AuctionInputError naming the offending bid when
 * the input is invalid. O((n+m) log(n+m)): each side is sorted twice (by id, then by amount), and
 * everything after the sorts is a linear pass.
 */
export function clearAuction(
  buyers: readonly Buyer[],
  sellers: readonly Seller[],
  reserves: Reserves = NO_RESERVES,
): ClearingResult {
  validateBids('buyer', 'price', buyers)
  validateBids('seller', 'cost', sellers)
  validateReserves(reserves)
  return clearInIdOrder(inIdOrder('buyer', buyers), inIdOrder('seller', sellers), reserves)
}

/**
 * clearAuction for valid bids and reserves whose sides are each in strictly ascending id order
 * (hence without duplicates): for callers that validated and ordered them already (clearEpoch,
 * whose tie-break ids it sorts itself). Nothing is checked again here.
 */
export function clearInIdOrder(
  buyersById: readonly Buyer[],
  sellersById: readonly Seller[],
  reserves: Reserves,
): ClearingResult {
  const { buyerFloor, sellerCeiling } = reserves
  const buyerSide = rankSide(buyersById, (b) => b.price, 'descending')
  const sellerSide = rankSide(sellersById, (s) => s.cost, 'ascending')
  const rankedBuyer = (rank: number) => buyerSide.byId[buyerSide.bestFirst[rank]!]!
  const rankedSeller = (rank: number) => sellerSide.byId[sellerSide.bestFirst[rank]!]!

  // Each side's live members are a prefix of its best-first order: rejecting the worst member
  // shrinks the prefix by one, and the reserves cut it before the clock starts.
  let liveBuyers = buyersById.length
  while (liveBuyers > 0 && rankedBuyer(liveBuyers - 1).price < buyerFloor) liveBuyers--
  let liveSellers = sellersById.length
  if (sellerCeiling !== null) {
    while (liveSellers > 0 && rankedSeller(liveSellers - 1).cost > sellerCeiling) liveSellers--
  }
  let demand = 0
  for (let rank = 0; rank < liveBuyers; rank++) demand += rankedBuyer(rank).units
  let capacity = 0
  for (let rank = 0; rank < liveSellers; rank++) capacity += rankedSeller(rank).units

  let buyerPrice = buyerFloor
  let sellerPrice = sellerCeiling // null = +∞
  for (;;) {
    if (liveBuyers === 0) return noTrade(buyerSide.byId, sellerSide.byId)
    if (demand > capacity) {
      const worst = rankedBuyer(--liveBuyers)
      buyerPrice = worst.price
      demand -= worst.units
    } else if (sellerPrice !== null && buyerPrice >= sellerPrice) {
      break
    } else {
      // 1 ≤ demand ≤ capacity here, so a seller is left to reject.
      const worst = rankedSeller(--liveSellers)
      sellerPrice = worst.cost
      capacity -= worst.units
    }
  }
  return tradeOutcome(buyerSide, sellerSide, {
    winnerCount: liveBuyers,
    activeCount: liveSellers,
    buyerPrice,
    sellerPrice,
    traded: demand,
    activeCapacity: capacity,
  })
}

/** One side's bids in id order; throws AuctionInputError on a duplicate id. */
function inIdOrder<T extends Buyer | Seller>(side: BidSide, bids: readonly T[]): T[] {
  const ids = bids.map((bid) => bid.id)
  const order = idOrder(ids)
  rejectDuplicateIds(side, ids, order)
  return order.map((index) => bids[index]!)
}

function rankSide<T extends Buyer | Seller>(
  byId: readonly T[],
  amount: (bid: T) => bigint,
  direction: 'ascending' | 'descending',
): RankedSide<T> {
  return { byId, bestFirst: amountOrder(byId.map(amount), direction) }
}

function tradeOutcome(
  buyerSide: RankedSide<Buyer>,
  sellerSide: RankedSide<Seller>,
  stop: ClockStop,
): ClearingResult {
  const { winnerCount, activeCount, buyerPrice, sellerPrice, traded, activeCapacity } = stop
  const winners = buyerSide.bestFirst.slice(0, winnerCount).map((position) => buyerSide.byId[position]!)
  const isWinner = new Uint8Array(buyerSide.byId.length)
  for (let rank = 0; rank < winnerCount; rank++) isWinner[buyerSide.bestFirst[rank]!] = 1
  const isActive = new Uint8Array(sellerSide.byId.length)
  for (let rank = 0; rank < activeCount; rank++) isActive[sellerSide.bestFirst[rank]!] = 1

  const activePositions = sellerSide.byId.flatMap((_, position) =>
    isActive[position] === 1 ? [position] : [],
  )
  const activeQuotas = largestRemainderQuotas(
    activePositions.map((position) => sellerSide.byId[position]!.units),
    activeCapacity,
    traded,
  )
  const quotaAt = new Array<number>(sellerSide.byId.length).fill(0)
  activePositions.forEach((position, i) => (quotaAt[position] = activeQuotas[i]!))
  const suppliers = activePositions.filter((position) => quotaAt[position]! > 0)

  return {
    trade: true,
    buyerPrice,
    sellerPrice,
    units: traded,
    winningBuyers: winners.map((b) => b.id),
    activeSellers: sellerSide.bestFirst
      .slice(0, activeCount)
      .map((position) => sellerSide.byId[position]!.id),
    buyerOutcomes: buyerSide.byId.map((b, position) => ({
      id: b.id,
      payment: isWinner[position] === 1 ? buyerPrice * BigInt(b.units) : 0n,
    })),
    sellerOutcomes: sellerSide.byId.map((s, position) => {
      const units = quotaAt[position]!
      return { id: s.id, units, payment: units === 0 ? 0n : sellerPrice * BigInt(units) }
    }),
    assignment: assignUnits(
      winners,
      suppliers.map((position) => sellerSide.byId[position]!),
      suppliers.map((position) => quotaAt[position]!),
    ),
    surplus: (buyerPrice - sellerPrice) * BigInt(traded),
  }
}

/**
 * Lays winning buyers (priority order) end to end on [0, U) and suppliers (id order, quotas q > 0)
 * on [0, U); each overlap becomes one allocation. Both lines have length U, so they end together.
 */
function assignUnits(winners: readonly Buyer[], suppliers: readonly Seller[], quotas: readonly number[]) {
  const assignment: Allocation[] = []
  let s = 0
  let supplierLeft = quotas[0] ?? 0
  for (const buyer of winners) {
    let buyerLeft = buyer.units
    while (buyerLeft > 0) {
      const units = Math.min(buyerLeft, supplierLeft)
      assignment.push({ buyer: buyer.id, seller: suppliers[s]!.id, units })
      buyerLeft -= units
      supplierLeft -= units
      if (supplierLeft === 0) supplierLeft = quotas[++s] ?? 0
    }
  }
  return assignment
}

function noTrade(buyersById: readonly Buyer[], sellersById: readonly Seller[]): ClearingResult {
  return {
    trade: false,
    buyerPrice: null,
    sellerPrice: null,
    units: 0,
    winningBuyers: [],
    activeSellers: [],
    buyerOutcomes: buyersById.map((b) => ({ id: b.id, payment: 0n })),
    sellerOutcomes: sellersById.map((s) => ({ id: s.id, units: 0, payment: 0n })),
    assignment: [],
    surplus: 0n,
  }
}
