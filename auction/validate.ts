// Checks the typed input of clearAuction at run time, because bids arrive from the network and from
// plain JavaScript callers. Every failure is an AuctionInputError naming the bid and the field.
import { AuctionInputError, type BidSide, type InputLocation } from './errors.ts'
import { MAX_BIDS_PER_SIDE } from './order.ts'
import type { Reserves } from './types.ts'

/** Matches a lone surrogate: a string with one has no UTF-8 encoding. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Checks one side: at most MAX_BIDS_PER_SIDE bids, and each bid on its own: id, units ≥ 1, amount ≥ 0, and that the side's units add
 * up to at most 2^53 − 1 (so unit arithmetic in plain numbers stays exact; no class comes near).
 * Duplicate ids are found later, on the id-sorted order (rejectDuplicateIds).
 */
export function validateBids(
  side: BidSide,
  amountField: 'price' | 'cost',
  bids: unknown,
  /** Where each bid keeps its id: `bidId` for the network's bids (auction/seal.ts). */
  idField: 'id' | 'bidId' = 'id',
): void {
  if (!Array.isArray(bids)) throw new AuctionInputError({}, `${side}s`, 'must be an array')
  if (bids.length > MAX_BIDS_PER_SIDE) {
    throw new AuctionInputError({}, `${side}s`, `has ${bids.length} bids, more than ${MAX_BIDS_PER_SIDE}`)
  }
  let totalUnits = 0
  bids.forEach((bid: unknown, index) => {
    if (typeof bid !== 'object' || bid === null) {
      throw new AuctionInputError({ side, index }, 'bid', 'must be an object')
    }
    const record = bid as Record<string, unknown>
    const id = record[idField]
    if (id === undefined) throw new AuctionInputError({ side, index }, 'id', 'is missing')
    if (typeof id !== 'string' || id === '') {
      throw new AuctionInputError({ side, index }, 'id', 'must be a non-empty string')
    }
    const at = { side, index, bidId: id }
    // A lone surrogate has no UTF-8 encoding, so the bytewise id order would be undefined for it.
    if (LONE_SURROGATE.test(id)) throw new AuctionInputError(at, 'id', 'must be well-formed Unicode')

    const units = record.units
    if (units === undefined) throw new AuctionInputError(at, 'units', 'is missing')
    if (typeof units !== 'number' || !Number.isSafeInteger(units)) {
      throw new AuctionInputError(at, 'units', `must be a safe integer, got ${String(units)}`)
    }
    if (units < 1) throw new AuctionInputError(at, 'units', `must be at least 1, got ${units}`)
    totalUnits += units
    if (totalUnits > Number.MAX_SAFE_INTEGER) {
      throw new AuctionInputError(at, 'units', `brings the ${side}s' total above 2^53 − 1`)
    }

    validateAmount(at, amountField, record[amountField])
  })
}

/**
 * Given the indices of `ids` in id order (equal ids adjacent), rejects the first duplicate,
 * naming the later of the two bids in input order.
 */
export function rejectDuplicateIds(side: BidSide, ids: readonly string[], idOrder: readonly number[]): void {
  for (let k = 1; k < idOrder.length; k++) {
    const a = idOrder[k - 1]!
    const b = idOrder[k]!
    if (ids[a] === ids[b]) {
      const index = Math.max(a, b)
      throw new AuctionInputError(
        { side, index, bidId: ids[index] },
        'id',
        `is a duplicate: another ${side} has it`,
      )
    }
  }
}

export function validateReserves(reserves: Reserves): void {
  if (typeof reserves !== 'object' || reserves === null) {
    throw new AuctionInputError({}, 'reserves', 'must be an object')
  }
  validateAmount({}, 'buyerFloor', reserves.buyerFloor)
  if (reserves.sellerCeiling !== null) validateAmount({}, 'sellerCeiling', reserves.sellerCeiling)
}

function validateAmount(at: InputLocation, field: string, value: unknown): void {
  if (value === undefined) throw new AuctionInputError(at, field, 'is missing')
  if (typeof value !== 'bigint') throw new AuctionInputError(at, field, 'must be an integer (bigint)')
  if (value < 0n) throw new AuctionInputError(at, field, `must not be negative, got ${value}`)
}
