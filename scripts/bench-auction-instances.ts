// Seeded random DARA instances for benchmarks: the same seed gives the same bids on every machine.
import type { Buyer, Seller } from '../auction/types.ts'

/** mulberry32: a tiny seeded PRNG; statistical quality is ample for benchmark inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

/** 64 hex digits, like the sha256 tie-break ids the mesh feeds the auction. */
function hexId(random: () => number): string {
  let id = ''
  for (let i = 0; i < 8; i++) id += randomInt(random, 0, 0xffffffff).toString(16).padStart(8, '0')
  return id
}

/**
 * Buyers want 1–16 units at 100–10 000 per unit; sellers offer ten times the buyers' mean units
 * each at 50–8 000, so that demand and capacity are of the same order and the clock runs deep.
 */
export function randomInstance(buyerCount: number, sellerCount: number, seed: number) {
  const random = seededRandom(seed)
  const buyers: Buyer[] = Array.from({ length: buyerCount }, () => ({
    id: hexId(random),
    units: randomInt(random, 1, 16),
    price: BigInt(randomInt(random, 100, 10_000)),
  }))
  const sellerUnits = Math.max(1, Math.round((8.5 * buyerCount) / sellerCount))
  const sellers: Seller[] = Array.from({ length: sellerCount }, () => ({
    id: hexId(random),
    units: randomInt(random, 1, 2 * sellerUnits),
    cost: BigInt(randomInt(random, 50, 8_000)),
  }))
  return { buyers, sellers }
}
