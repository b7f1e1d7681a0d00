// The `prover-mesh auction clear` JSON contract (/work/shared/DARA.md). Parsing turns untrusted JSON
// into typed bids (range and uniqueness checks stay in validate.ts); encoding writes the one
// canonical text of a result, which seals hash, so it never goes through JSON.stringify of objects.
import { AuctionInputError, type BidSide, type InputLocation } from './errors.ts'
import type { Buyer, ClearingResult, Reserves, Seller } from './types.ts'

export interface ClearRequest {
  readonly buyers: Buyer[]
  readonly sellers: Seller[]
  readonly reserves: Reserves
}

const REQUEST_FIELDS = new Set(['buyers', 'sellers', 'buyerFloor', 'sellerCeiling'])
const BUYER_FIELDS = new Set(['id', 'units', 'price'])
const SELLER_FIELDS = new Set(['id', 'units', 'cost'])

/** Parses the text of a clear request. Throws AuctionInputError naming the bid and field. */
export function parseClearRequestText(text: string): ClearRequest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new AuctionInputError({}, 'request', `is not valid JSON (${(error as Error).message})`)
  }
  return parseClearRequest(value)
}

/** Parses an already-decoded JSON value. Unknown fields are rejected, so typos cannot go unnoticed. */
export function parseClearRequest(value: unknown): ClearRequest {
  if (!isRecord(value)) throw new AuctionInputError({}, 'request', 'must be a JSON object')
  rejectUnknownFields({}, value, REQUEST_FIELDS)
  const buyers = parseArray(value.buyers, 'buyers').map((bid, index) => {
    const { id, units, amount } = parseBid('buyer', index, bid, 'price', BUYER_FIELDS)
    return { id, units, price: amount }
  })
  const sellers = parseArray(value.sellers, 'sellers').map((bid, index) => {
    const { id, units, amount } = parseBid('seller', index, bid, 'cost', SELLER_FIELDS)
    return { id, units, cost: amount }
  })
  const buyerFloor =
    value.buyerFloor === undefined || value.buyerFloor === null
      ? 0n
      : parseAmount({}, 'buyerFloor', value.buyerFloor)
  // null (or absent) is the contract's spelling of "no ceiling", i.e. +∞.
  const sellerCeiling =
    value.sellerCeiling === undefined || value.sellerCeiling === null
      ? null
      : parseAmount({}, 'sellerCeiling', value.sellerCeiling)
  return { buyers, sellers, reserves: { buyerFloor, sellerCeiling } }
}

function parseArray(value: unknown, field: string): unknown[] {
  if (value === undefined) throw new AuctionInputError({}, field, 'is missing')
  if (!Array.isArray(value)) throw new AuctionInputError({}, field, 'must be an array')
  return value
}

function parseBid(
  side: BidSide,
  index: number,
  bid: unknown,
  amountField: 'price' | 'cost',
  fields: ReadonlySet<string>,
): { id: string; units: number; amount: bigint } {
  if (!isRecord(bid)) throw new AuctionInputError({ side, index }, 'bid', 'must be a JSON object')
  const id = bid.id
  if (id === undefined) throw new AuctionInputError({ side, index }, 'id', 'is missing')
  if (typeof id !== 'string') throw new AuctionInputError({ side, index }, 'id', 'must be a string')
  const at = { side, index, bidId: id }
  rejectUnknownFields(at, bid, fields)
  const units = bid.units
  if (units === undefined) throw new AuctionInputError(at, 'units', 'is missing')
  if (typeof units !== 'number' || !Number.isSafeInteger(units)) {
    throw new AuctionInputError(at, 'units', `must be a JSON integer, got ${JSON.stringify(units)}`)
  }
  return { id, units, amount: parseAmount(at, amountField, bid[amountField]) }
}

/**
 * A price, cost or reserve: a decimal integer string of any size, or a JSON integer small enough
 * that JSON.parse kept it exact. Negative values parse here and are rejected by validation.
 */
function parseAmount(at: InputLocation, field: string, value: unknown): bigint {
  if (value === undefined) throw new AuctionInputError(at, field, 'is missing')
  if (typeof value === 'string') {
    if (/^-?[0-9]+$/.test(value)) return BigInt(value)
    throw new AuctionInputError(at, field, `must be a decimal integer, got ${JSON.stringify(value)}`)
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new AuctionInputError(at, field, `must be an integer, got ${JSON.stringify(value)}`)
    }
    // Above 2^53 − 1 the number may already have been rounded by JSON.parse: ask for a string.
    if (!Number.isSafeInteger(value)) {
      throw new AuctionInputError(at, field, `is not a safe JSON integer; send it as a decimal string`)
    }
    return BigInt(value)
  }
  throw new AuctionInputError(at, field, 'must be a decimal string or a JSON integer')
}

function rejectUnknownFields(at: InputLocation, record: Record<string, unknown>, known: ReadonlySet<string>) {
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new AuctionInputError(at, key, 'is not a known field')
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The canonical JSON text of a result, with no whitespace: fields in the contract's order, maps
 * keyed by id in id order, bigints as decimal strings, units as JSON numbers. Written
 * by hand because a JavaScript object would move integer-like keys ("9" before "10") to the front.
 */
export function encodeClearingResult(result: ClearingResult): string {
  const parts = [
    `"trade":${result.trade}`,
    `"buyerPrice":${amountOrNull(result.buyerPrice)}`,
    `"sellerPrice":${amountOrNull(result.sellerPrice)}`,
    `"units":${result.units}`,
    `"buyers":${stringList(result.winningBuyers)}`,
    `"sellers":${stringList(result.activeSellers)}`,
    `"buyerPayments":${encodeMap(result.buyerOutcomes, (b) => `"${b.payment}"`)}`,
    `"sellerUnits":${encodeMap(result.sellerOutcomes, (s) => String(s.units))}`,
    `"sellerPayments":${encodeMap(result.sellerOutcomes, (s) => `"${s.payment}"`)}`,
    `"assignment":[${result.assignment
      .map(
        (a) => `{"buyer":${JSON.stringify(a.buyer)},"seller":${JSON.stringify(a.seller)},"units":${a.units}}`,
      )
      .join(',')}]`,
    `"surplus":"${result.surplus}"`,
  ]
  return `{${parts.join(',')}}`
}

function amountOrNull(amount: bigint | null): string {
  return amount === null ? 'null' : `"${amount}"`
}

function stringList(ids: readonly string[]): string {
  return `[${ids.map((id) => JSON.stringify(id)).join(',')}]`
}

/** A JSON object keyed by id, in the order of `outcomes` (id order). */
function encodeMap<T extends { readonly id: string }>(
  outcomes: readonly T[],
  encodeValue: (outcome: T) => string,
) {
  return `{${outcomes.map((outcome) => `${JSON.stringify(outcome.id)}:${encodeValue(outcome)}`).join(',')}}`
}
