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
  return new TextDecoder().decode(encodeClearingResultBytes(result))
}

/**
 * The UTF-8 bytes of encodeClearingResult's text, which is what seals hash. Written as bytes
 * directly: building 10^5 pieces into a string and hashing it (which flattens it and encodes it
 * again) cost more than the clearing itself.
 */
export function encodeClearingResultBytes(result: ClearingResult): Uint8Array {
  return encodeBytes(result)
}

/**
 * Calls `use` with encodeClearingResultBytes(result) for a result whose ids are all hex digests
 * (clearEpoch's tie-break ids), and returns what it returns. Each id is copied natively instead of
 * checked for escapes one character at a time, so any other id may come out wrong: callers vouch
 * for the ids. The bytes are valid only during `use`: they are written into a buffer kept for the
 * next call, because a fresh multi-megabyte buffer per seal cost more in page faults and GC than
 * the writing.
 */
export function withHexIdResultBytes<R>(result: ClearingResult, use: (bytes: Uint8Array) => R): R {
  const buffer = scratch ?? Buffer.allocUnsafe(capacityFor(result))
  scratch = undefined // a nested call (none today) gets a buffer of its own
  const out = new JsonWriter(buffer, true)
  try {
    writeResult(result, out)
    return use(out.bytes())
  } finally {
    // The largest buffer needed so far is kept, up to a limit.
    if (out.capacity <= MAX_KEPT_BYTES) scratch = out.buffer
  }
}

let scratch: Buffer | undefined
const MAX_KEPT_BYTES = 64 << 20

function encodeBytes(result: ClearingResult): Uint8Array {
  const out = new JsonWriter(Buffer.allocUnsafe(capacityFor(result)), false)
  writeResult(result, out)
  return out.bytes()
}

/** Enough for 64-character ids and short amounts in one allocation; more is grown into. */
function capacityFor(result: ClearingResult): number {
  const idCount =
    result.winningBuyers.length +
    result.activeSellers.length +
    result.buyerOutcomes.length +
    2 * result.sellerOutcomes.length +
    2 * result.assignment.length
  return 256 + 96 * idCount
}

const COMMA = 0x2c
const QUOTE = 0x22
const COLON = 0x3a

function writeResult(result: ClearingResult, out: JsonWriter): void {
  out.ascii(`{"trade":${result.trade},"buyerPrice":${amountOrNull(result.buyerPrice)}`)
  out.ascii(`,"sellerPrice":${amountOrNull(result.sellerPrice)},"units":${result.units},"buyers":[`)
  result.winningBuyers.forEach((id, i) => {
    if (i > 0) out.byte(COMMA)
    out.string(id)
  })
  out.ascii('],"sellers":[')
  result.activeSellers.forEach((id, i) => {
    if (i > 0) out.byte(COMMA)
    out.string(id)
  })
  out.ascii('],"buyerPayments":{')
  result.buyerOutcomes.forEach((b, i) => {
    if (i > 0) out.byte(COMMA)
    out.string(b.id)
    out.byte(COLON)
    out.byte(QUOTE)
    out.amount(b.payment)
    out.byte(QUOTE)
  })
  out.ascii('},"sellerUnits":{')
  result.sellerOutcomes.forEach((s, i) => {
    if (i > 0) out.byte(COMMA)
    out.string(s.id)
    out.byte(COLON)
    out.integer(s.units)
  })
  out.ascii('},"sellerPayments":{')
  result.sellerOutcomes.forEach((s, i) => {
    if (i > 0) out.byte(COMMA)
    out.string(s.id)
    out.byte(COLON)
    out.byte(QUOTE)
    out.amount(s.payment)
    out.byte(QUOTE)
  })
  out.ascii('},"assignment":[')
  result.assignment.forEach((a, i) => {
    out.ascii(i === 0 ? '{"buyer":' : ',{"buyer":')
    out.string(a.buyer)
    out.ascii(',"seller":')
    out.string(a.seller)
    out.ascii(',"units":')
    out.integer(a.units)
    out.byte(0x7d) // }
  })
  out.ascii(`],"surplus":"${result.surplus}"}`)
}

function amountOrNull(amount: bigint | null): string {
  return amount === null ? 'null' : `"${amount}"`
}

const utf8 = new TextEncoder()
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
/** Printable ASCII other than " and \\: what JSON.stringify copies unchanged. */
const PLAIN_ASCII = /^[ !#-[\]-~]*$/

/** Appends JSON text as UTF-8 to a growing byte array. */
class JsonWriter {
  #buffer: Buffer
  #length = 0
  /** Strings are hex digests: copied as they are, natively. */
  readonly #hexStrings: boolean

  constructor(buffer: Buffer, hexStrings: boolean) {
    this.#buffer = buffer
    this.#hexStrings = hexStrings
  }

  /** The buffer written into (grown when it was too small). */
  get buffer(): Buffer {
    return this.#buffer
  }

  get capacity(): number {
    return this.#buffer.length
  }

  /** One ASCII character, by code. */
  byte(code: number): void {
    this.#reserve(1)
    this.#buffer[this.#length++] = code
  }

  /** Text that is ASCII and needs no escaping: the fixed parts, digits. */
  ascii(text: string): void {
    this.#reserve(text.length)
    const buffer = this.#buffer
    let at = this.#length
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i)
    this.#length = at
  }

  /** A string as JSON.stringify writes it: printable ASCII other than " and \ is copied as is. */
  string(value: string): void {
    this.#reserve(value.length + 2)
    const buffer = this.#buffer
    let at = this.#length
    buffer[at++] = QUOTE
    // One native test and copy beat a loop over the characters: ids are 64 characters long.
    if (this.#hexStrings || PLAIN_ASCII.test(value)) at += buffer.write(value, at, 'latin1')
    else return this.#escaped(value)
    buffer[at++] = QUOTE
    this.#length = at
  }

  /** A number in decimal; non-negative safe integers (all of a real result's) without a string. */
  integer(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) return this.ascii(String(value))
    this.#reserve(16)
    const buffer = this.#buffer
    let digits = 1
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++
    let at = this.#length + digits
    this.#length = at
    let rest = value
    do {
      buffer[--at] = 0x30 + (rest % 10)
      rest = Math.floor(rest / 10)
    } while (rest > 0)
  }

  /** A bigint in decimal; those in 0..2^53 − 1 (all real amounts) take integer(). */
  amount(value: bigint): void {
    if (value >= 0n && value <= MAX_SAFE) this.integer(Number(value))
    else this.ascii(String(value))
  }

  #escaped(value: string): void {
    const bytes = utf8.encode(JSON.stringify(value))
    this.#reserve(bytes.length)
    this.#buffer.set(bytes, this.#length)
    this.#length += bytes.length
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return
    const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#length + extra))
    this.#buffer.copy(grown, 0, 0, this.#length)
    this.#buffer = grown
  }

  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length)
  }
}
