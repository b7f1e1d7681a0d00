// The data DARA v1 clears (see /work/shared/DARA.md). Prices and costs are bigint because they are
// amounts of the smallest currency unit and must never be rounded; units are plain numbers because
// validation caps every side's total at Number.MAX_SAFE_INTEGER, which keeps unit arithmetic exact.

/** A buyer: a task's all-or-nothing demand of `units` job slices, paying at most `price` per unit. */
export interface Buyer {
  readonly id: string
  readonly units: number
  readonly price: bigint
}

/** A seller: a prover's ask of up to `units` job slices this epoch, at `cost` per unit. */
export interface Seller {
  readonly id: string
  readonly units: number
  readonly cost: bigint
}

/** Public reserves of a class. `sellerCeiling: null` means no ceiling (+∞). */
export interface Reserves {
  readonly buyerFloor: bigint
  readonly sellerCeiling: bigint | null
}

export const NO_RESERVES: Reserves = { buyerFloor: 0n, sellerCeiling: null }

/** `units` consecutive job slices of `buyer` that `seller` proves. */
export interface Allocation {
  readonly buyer: string
  readonly seller: string
  readonly units: number
}

/** What one buyer pays: pB · units if it won, 0 otherwise. */
export interface BuyerOutcome {
  readonly id: string
  readonly payment: bigint
}

/** What one seller supplies (its quota q_j, 0 if inactive) and is paid for it (pS · q_j). */
export interface SellerOutcome {
  readonly id: string
  readonly units: number
  readonly payment: bigint
}

interface ClearingCommon {
  /** Units traded: the sum of winning buyers' units, and of active sellers' quotas. */
  readonly units: number
  /** Winning buyer ids, best-first (price descending, then id). */
  readonly winningBuyers: readonly string[]
  /** Active seller ids (left in the auction when it stopped), best-first (cost ascending, then id). */
  readonly activeSellers: readonly string[]
  /** Every buyer, in id order. Arrays rather than Maps: hashing 10^5 ids dominated clearing time. */
  readonly buyerOutcomes: readonly BuyerOutcome[]
  /** Every seller, in id order. */
  readonly sellerOutcomes: readonly SellerOutcome[]
  /** Winning buyers' units laid against active sellers' quotas; buyers in priority order. */
  readonly assignment: readonly Allocation[]
  /** (buyerPrice − sellerPrice) · units, kept by the protocol treasury. */
  readonly surplus: bigint
}

export interface Trade extends ClearingCommon {
  readonly trade: true
  readonly buyerPrice: bigint
  readonly sellerPrice: bigint
}

export interface NoTrade extends ClearingCommon {
  readonly trade: false
  readonly buyerPrice: null
  readonly sellerPrice: null
}

export type ClearingResult = Trade | NoTrade
