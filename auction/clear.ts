// DARA v1 clearing (/work/shared/DARA.md): a deferred-acceptance double auction with trade
// reduction, for all-or-nothing buyers and capacitated sellers. Pure and deterministic: the result
// depends only on the set of bids and the reserves, never on their order or on the clock.
import { byCostAscending, byPriceDescending, sortById } from './order.ts'
import { largestRemainderQuotas } from './quotas.ts'
import {
  NO_RESERVES,
  type Allocation,
  type Buyer,
  type ClearingResult,
  type Reserves,
  type Seller,
} from './types.ts'
import { validateAuctionInput } from './validate.ts'

/**
 * Clears one auction (one class, one epoch). Throws AuctionInputError naming the offending bid when
 * the input is invalid. Runs in O((n+m) log(n+m)): two sorts per side, then linear passes.
 */
export function clearAuction(
  buyers: readonly Buyer[],
  sellers: readonly Seller[],
  reserves: Reserves = NO_RESERVES,
): ClearingResult {
  validateAuctionInput(buyers, sellers, reserves)
  const { buyerFloor, sellerCeiling } = reserves
  const buyersById = sortById(buyers)
  const sellersById = sortById(sellers)
  // Stable sorts of id-ordered arrays: equal prices (costs) stay in id order, DARA's tie rule.
  const rankedBuyers = buyersById.filter((b) => b.price >= buyerFloor).sort(byPriceDescending)
  const rankedSellers = sellersById
    .filter((s) => sellerCeiling === null || s.cost <= sellerCeiling)
    .sort(byCostAscending)

  // The clock: rejecting the worst member of a side shrinks that side's live prefix by one.
  let liveBuyers = rankedBuyers.length
  let liveSellers = rankedSellers.length
  let demand = sumUnits(rankedBuyers)
  let capacity = sumUnits(rankedSellers)
  let buyerPrice = buyerFloor
  let sellerPrice = sellerCeiling // null = +∞
  for (;;) {
    if (liveBuyers === 0) return noTrade(buyersById, sellersById)
    if (demand > capacity) {
      const worst = rankedBuyers[--liveBuyers]!
      buyerPrice = worst.price
      demand -= worst.units
    } else if (sellerPrice !== null && buyerPrice >= sellerPrice) {
      break
    } else {
      // demand ≥ 1 ≤ capacity here, so a seller is left to reject.
      const worst = rankedSellers[--liveSellers]!
      sellerPrice = worst.cost
      capacity -= worst.units
    }
  }

  const winners = rankedBuyers.slice(0, liveBuyers)
  const active = rankedSellers.slice(0, liveSellers)
  const traded = demand
  const activeSet = new Set<Seller>(active)
  const activeById = sellersById.filter((s) => activeSet.has(s))
  const quotas = largestRemainderQuotas(
    activeById.map((s) => s.units),
    capacity,
    traded,
  )
  const quotaOf = new Map<Seller, number>(activeById.map((s, i) => [s, quotas[i]!]))
  const winnerSet = new Set<Buyer>(winners)

  const buyerPayments = new Map<string, bigint>()
  for (const b of buyersById) buyerPayments.set(b.id, winnerSet.has(b) ? buyerPrice * BigInt(b.units) : 0n)
  const sellerUnits = new Map<string, number>()
  const sellerPayments = new Map<string, bigint>()
  for (const s of sellersById) {
    const quota = quotaOf.get(s) ?? 0
    sellerUnits.set(s.id, quota)
    sellerPayments.set(s.id, sellerPrice * BigInt(quota))
  }

  return {
    trade: true,
    buyerPrice,
    sellerPrice,
    units: traded,
    winningBuyers: winners.map((b) => b.id),
    activeSellers: active.map((s) => s.id),
    buyerPayments,
    sellerUnits,
    sellerPayments,
    assignment: assignUnits(
      winners,
      activeById.filter((_, i) => quotas[i]! > 0),
      quotas.filter((q) => q > 0),
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
    buyerPayments: new Map(buyersById.map((b) => [b.id, 0n])),
    sellerUnits: new Map(sellersById.map((s) => [s.id, 0])),
    sellerPayments: new Map(sellersById.map((s) => [s.id, 0n])),
    assignment: [],
    surplus: 0n,
  }
}

function sumUnits(bids: readonly { readonly units: number }[]): number {
  let total = 0
  for (const bid of bids) total += bid.units
  return total
}
