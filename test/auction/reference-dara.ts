// A second, deliberately naive transcription of DARA.md's clearing, used as a test oracle: arrays
// shrink with pop(), ids compare with Buffer.compare on their UTF-8 bytes, quotas and assignment
// are computed unit by unit. It shares no code with auction/, so a bug must be made twice to hide.
import type { Buyer, Reserves, Seller } from '../../auction/types.ts'

export interface ReferenceOutcome {
  trade: boolean
  buyerPrice: bigint | null
  sellerPrice: bigint | null
  winners: string[]
  active: string[]
  quotas: Map<string, bigint>
  /** One entry per traded unit: [buyer id, seller id]. */
  unitOwners: [string, string][]
}

const utf8 = (id: string) => Buffer.from(id, 'utf8')
const byId = (a: { id: string }, b: { id: string }) => Buffer.compare(utf8(a.id), utf8(b.id))

export function referenceClear(buyers: Buyer[], sellers: Seller[], reserves: Reserves): ReferenceOutcome {
  const r = reserves.buyerFloor
  const R = reserves.sellerCeiling
  const B = buyers
    .filter((b) => b.price >= r)
    .sort((a, b) => (a.price === b.price ? byId(a, b) : a.price > b.price ? -1 : 1))
  const S = sellers
    .filter((s) => R === null || s.cost <= R)
    .sort((a, b) => (a.cost === b.cost ? byId(a, b) : a.cost < b.cost ? -1 : 1))
  let pB = r
  let pS: bigint | null = R
  let D = B.reduce((sum, b) => sum + BigInt(b.units), 0n)
  let K = S.reduce((sum, s) => sum + BigInt(s.units), 0n)
  for (;;) {
    if (B.length === 0) {
      return {
        trade: false,
        buyerPrice: null,
        sellerPrice: null,
        winners: [],
        active: [],
        quotas: new Map(),
        unitOwners: [],
      }
    }
    if (D > K) {
      const w = B.pop()!
      pB = w.price
      D -= BigInt(w.units)
    } else if (pS !== null && pB >= pS) {
      break
    } else {
      const s = S.pop()!
      pS = s.cost
      K -= BigInt(s.units)
    }
  }
  const U = D
  const activeById = [...S].sort(byId)
  const quotas = new Map(activeById.map((s) => [s.id, (U * BigInt(s.units)) / K]))
  let leftover = U - [...quotas.values()].reduce((a, b) => a + b, 0n)
  const byRemainder = [...activeById].sort((a, b) => {
    const ra = (U * BigInt(a.units)) % K
    const rb = (U * BigInt(b.units)) % K
    return ra === rb ? byId(a, b) : ra > rb ? -1 : 1
  })
  for (const s of byRemainder) {
    if (leftover === 0n) break
    quotas.set(s.id, quotas.get(s.id)! + 1n)
    leftover -= 1n
  }
  const buyerLine = B.flatMap((b) => Array<string>(b.units).fill(b.id))
  const sellerLine = activeById.flatMap((s) => Array<string>(Number(quotas.get(s.id)!)).fill(s.id))
  return {
    trade: true,
    buyerPrice: pB,
    sellerPrice: pS,
    winners: B.map((b) => b.id),
    active: S.map((s) => s.id),
    quotas,
    unitOwners: buyerLine.map((b, i) => [b, sellerLine[i]!]),
  }
}
