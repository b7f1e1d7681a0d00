// Checks the typed input of clearAuction at run time, because bids arrive from the network and from
// plain JavaScript callers. Every failure is an AuctionInputError naming the bid and the field.
import { AuctionInputError, type BidSide } from './errors.ts'
import type { Buyer, Reserves, Seller } from './types.ts'

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Throws AuctionInputError for the first invalid bid or reserve; returns normally otherwise. */
export function validateAuctionInput(
  buyers: readonly Buyer[],
  sellers: readonly Seller[],
  reserves: Reserves,
): void {
  if (!Array.isArray(buyers)) throw new AuctionInputError({}, 'buyers', 'must be an array')
  if (!Array.isArray(sellers)) throw new AuctionInputError({}, 'sellers', 'must be an array')
  validateSide('buyer', 'price', buyers)
  validateSide('seller', 'cost', sellers)
  validateReserves(reserves)
}

function validateSide(side: BidSide, amountField: 'price' | 'cost', bids: readonly unknown[]): void {
  const seen = new Set<string>()
  // Units stay plain numbers only while every sum of them is exact; no real class comes near 2^53.
  let totalUnits = 0
  bids.forEach((bid, index) => {
    if (typeof bid !== 'object' || bid === null) {
      throw new AuctionInputError({ side, index }, 'bid', 'must be an object')
    }
    const record = bid as Record<string, unknown>
    const id = record.id
    if (id === undefined) throw new AuctionInputError({ side, index }, 'id', 'is missing')
    if (typeof id !== 'string' || id === '') {
      throw new AuctionInputError({ side, index }, 'id', 'must be a non-empty string')
    }
    const at = { side, index, bidId: id }
    // A lone surrogate has no UTF-8 encoding, so the bytewise id order would be undefined for it.
    if (LONE_SURROGATE.test(id)) throw new AuctionInputError(at, 'id', 'must be well-formed Unicode')
    if (seen.has(id)) throw new AuctionInputError(at, 'id', `is a duplicate: another ${side} has it`)
    seen.add(id)

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

function validateAmount(
  at: { side?: BidSide; index?: number; bidId?: string },
  field: string,
  value: unknown,
) {
  if (value === undefined) throw new AuctionInputError(at, field, 'is missing')
  if (typeof value !== 'bigint') throw new AuctionInputError(at, field, 'must be an integer (bigint)')
  if (value < 0n) throw new AuctionInputError(at, field, `must not be negative, got ${value}`)
}

function validateReserves(reserves: Reserves): void {
  if (typeof reserves !== 'object' || reserves === null) {
    throw new AuctionInputError({}, 'reserves', 'must be an object')
  }
  validateAmount({}, 'buyerFloor', reserves.buyerFloor)
  if (reserves.sellerCeiling !== null) validateAmount({}, 'sellerCeiling', reserves.sellerCeiling)
}
