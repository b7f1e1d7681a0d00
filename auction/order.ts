// The total orders DARA v1 ranks bids by. Ids compare bytewise on their UTF-8 encoding, which for
// well-formed strings (validation rejects lone surrogates) is Unicode code point order.
import type { Buyer, Seller } from './types.ts'

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

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800
  if (unit >= 0xd800) return unit + 0x2000
  return unit
}

/** `<` on strings is UTF-8 order when no id has a unit at or above U+D800 (the common ASCII/hex case). */
function fastIdOrderHolds(ids: readonly { readonly id: string }[]): boolean {
  return ids.every(({ id }) => !/[\ud800-\uffff]/.test(id))
}

function compareIdsNative(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A copy of `bids` sorted by id (UTF-8 bytewise). Ids must be unique. */
export function sortById<T extends { readonly id: string }>(bids: readonly T[]): T[] {
  const compare = fastIdOrderHolds(bids) ? compareIdsNative : compareIds
  return [...bids].sort((a, b) => compare(a.id, b.id))
}

/**
 * Price descending. Array.prototype.sort is stable, so sorting an id-ordered array with this yields
 * DARA's buyer order (price descending, then id ascending) without comparing ids again.
 */
export function byPriceDescending(a: Buyer, b: Buyer): number {
  return a.price > b.price ? -1 : a.price < b.price ? 1 : 0
}

/** Cost ascending; on an id-ordered array, a stable sort with this yields DARA's seller order. */
export function byCostAscending(a: Seller, b: Seller): number {
  return a.cost < b.cost ? -1 : a.cost > b.cost ? 1 : 0
}
