// The total orders DARA v1 ranks bids by. Ids compare bytewise on their UTF-8 encoding, which for
// well-formed strings (validation rejects lone surrogates) is Unicode code point order. Sorts work
// on index arrays over numeric keys: comparing strings and bigints in a sort callback dominated the
// clearing time at 10^5 bids.

/**
 * Bytewise UTF-8 order of two well-formed strings, without encoding them. JavaScript's `<` compares
 * UTF-16 code units, which agrees with code point order except where one string has a surrogate
 * (a code point above U+FFFF) and the other a unit in U+E000..U+FFFF at the first difference; moving
 * surrogates above that range fixes it. Never localeCompare: it depends on the ICU build.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointRank(x) - codePointRank(y)
  }
  return a.length - b.length
}

/** A UTF-16 code unit mapped so that comparing mapped units compares code points. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800
  if (unit >= 0xd800) return unit + 0x2000
  return unit
}

/**
 * The most bids one side may have: the sorts below pack two numbers below n into n² ≤ 2^52, which
 * must stay an exact double. 67 million bids per class per epoch is far beyond any real auction.
 */
export const MAX_BIDS_PER_SIDE = 2 ** 26

const UNITS_PER_KEY = 3
const UNIT_BASE = 0x10001 // ranks 0..0xffff shifted up by one; 0 marks "past the end of the string"

/**
 * Code units [from, from + 3) of `id` packed into one exact number (3 × 17 bits < 2^53) that orders
 * like compareIds on those units, a shorter string before any longer one it prefixes.
 */
function prefixKey(id: string, from: number): number {
  let key = 0
  for (let i = from; i < from + UNITS_PER_KEY; i++) {
    key = key * UNIT_BASE + (i < id.length ? codePointRank(id.charCodeAt(i)) + 1 : 0)
  }
  return key
}

/**
 * Indices of `ids` in bytewise UTF-8 order of the ids; equal ids end up adjacent. The first six
 * code units, as two packed keys, are combined into one exact rank and sorted natively; ids that
 * share all six units (rare for the hex hashes the mesh uses) are finished with compareIds.
 */
export function idOrder(ids: readonly string[]): number[] {
  const n = ids.length
  // Ids already in order (a leader's bids as node/market/book.ts hands them over) cost one pass;
  // an unordered input leaves this check at its first descending pair.
  if (isStrictlyAscending(ids)) return identityOrder(n)
  const headKeys = new Float64Array(n)
  const nextKeys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    headKeys[i] = prefixKey(ids[i]!, 0)
    nextKeys[i] = prefixKey(ids[i]!, UNITS_PER_KEY)
  }
  const head = denseRanks(headKeys)
  const next = denseRanks(nextKeys)
  // Both ranks are below n, so head · n + next < n² ≤ 2^52 is exact (n ≤ MAX_BIDS_PER_SIDE).
  const prefix = new Float64Array(n)
  for (let i = 0; i < n; i++) prefix[i] = head[i]! * n + next[i]!
  const order = orderByKey(prefix)
  sortEqualPrefixRuns(order, prefix, ids)
  return order
}

/** Finishes an order by prefix: each run of ids with equal `prefix[index]` is sorted by compareIds. */
function sortEqualPrefixRuns(order: number[], prefix: Float64Array, ids: readonly string[]): void {
  const n = order.length
  let runStart = 0
  for (let k = 1; k <= n; k++) {
    if (k < n && prefix[order[k]!] === prefix[order[runStart]!]) continue
    if (k - runStart > 1) {
      const run = order.slice(runStart, k).sort((a, b) => compareIds(ids[a]!, ids[b]!))
      run.forEach((index, offset) => (order[runStart + offset] = index))
    }
    runStart = k
  }
}

function isStrictlyAscending(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (compareIds(ids[i - 1]!, ids[i]!) >= 0) return false
  return true
}

function identityOrder(n: number): number[] {
  const order = new Array<number>(n)
  for (let i = 0; i < n; i++) order[i] = i
  return order
}

const HEX_PREFIX = 8 // hex digits read per id: 32 bits
const INDEX_BASE = 2 ** 21 // 2^32 · 2^21 = 2^53: (prefix, index) packs exactly for up to 2^21 ids

/**
 * idOrder for ids that begin with at least 8 lowercase hex digits, such as sha256 hex tie-break
 * ids: one native sort on (32-bit prefix, index) instead of idOrder's three, equal prefixes
 * finished with compareIds. Hex digits sort by value in bytewise order too, so the order is the
 * same; any other input (or more than 2^21 ids) goes to idOrder.
 */
export function hexIdOrder(ids: readonly string[]): number[] {
  const n = ids.length
  if (n > INDEX_BASE) return idOrder(ids)
  const prefix = new Float64Array(n)
  const packed = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    prefix[i] = hexPrefix(ids[i]!)
    if (prefix[i]! < 0) return idOrder(ids)
    packed[i] = prefix[i]! * INDEX_BASE + i
  }
  packed.sort()
  const order = new Array<number>(n)
  // The low 21 bits are the index; & (which reads them exactly below 2^53) avoids a float modulo.
  for (let k = 0; k < n; k++) order[k] = packed[k]! & (INDEX_BASE - 1)
  sortEqualPrefixRuns(order, prefix, ids)
  return order
}

/** The first 8 characters of `id` as a number if they are lowercase hex digits, else −1. */
function hexPrefix(id: string): number {
  if (id.length < HEX_PREFIX) return -1
  let value = 0
  for (let i = 0; i < HEX_PREFIX; i++) {
    const c = id.charCodeAt(i)
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * Positions 0..n−1 of `amounts` sorted by amount (descending for buyers' prices, ascending for
 * sellers' costs), equal amounts by position. Callers pass amounts in id order, so position order
 * is DARA's id tie-break. Safe-integer amounts take the native numeric sort; larger ones (beyond
 * 2^53 − 1 currency units) a bigint comparator.
 */
export function amountOrder(amounts: readonly bigint[], direction: 'ascending' | 'descending'): number[] {
  if (amounts.every((amount) => amount <= MAX_SAFE)) {
    const keys = new Float64Array(amounts.length)
    const sign = direction === 'ascending' ? 1 : -1
    for (let i = 0; i < amounts.length; i++) keys[i] = sign * Number(amounts[i]!) || 0 // || 0: no −0
    return orderByKey(keys)
  }
  const sign = direction === 'ascending' ? 1 : -1
  return Array.from(amounts, (_, position) => position).sort((a, b) => {
    const x = amounts[a]!
    const y = amounts[b]!
    return x === y ? a - b : x < y ? -sign : sign
  })
}

/**
 * Indices 0..n−1 ordered by (keys[i], i), for exact integer keys. (key, index) is packed into one
 * exact number — directly when the key range allows, else via the key's rank among the distinct
 * keys, below n² ≤ 2^52 — so the sort is a typed array's native numeric sort with no JavaScript
 * callback, several times faster than a comparator.
 */
function orderByKey(keys: Float64Array): number[] {
  const n = keys.length
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    if (keys[i]! < min) min = keys[i]!
    if (keys[i]! > max) max = keys[i]!
  }
  const packed = new Float64Array(n)
  if ((max - min + 1) * n <= Number.MAX_SAFE_INTEGER) {
    for (let i = 0; i < n; i++) packed[i] = (keys[i]! - min) * n + i
  } else {
    const ranks = denseRanks(keys)
    for (let i = 0; i < n; i++) packed[i] = ranks[i]! * n + i
  }
  packed.sort()
  const order = new Array<number>(n)
  for (let k = 0; k < n; k++) order[k] = packed[k]! % n
  return order
}

/** Each key's rank among the distinct keys (0 for the smallest), so that ranks are below n. */
function denseRanks(keys: Float64Array): Float64Array {
  const distinct = keys.slice().sort()
  let distinctCount = 0
  for (let i = 0; i < distinct.length; i++) {
    if (i === 0 || distinct[i] !== distinct[distinctCount - 1]) distinct[distinctCount++] = distinct[i]!
  }
  const ranks = new Float64Array(keys.length)
  for (let i = 0; i < keys.length; i++) ranks[i] = rankOf(distinct, distinctCount, keys[i]!)
  return ranks
}

/** Index of `key` in the first `count` entries of the ascending, duplicate-free `sorted`. */
function rankOf(sorted: Float64Array, count: number, key: number): number {
  let low = 0
  let high = count - 1
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! < key) low = middle + 1
    else high = middle
  }
  return low
}
