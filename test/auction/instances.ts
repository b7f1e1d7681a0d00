// Random auction instances for property tests: small numbers, so that ties, equal prices and
// boundary cases (D = K, pB = pS, reserves exactly at a price) come up often.
import fc from 'fast-check'
import type { Buyer, Reserves, Seller } from '../../auction/types.ts'

export interface Instance {
  buyers: Buyer[]
  sellers: Seller[]
  reserves: Reserves
}

export interface InstanceLimits {
  maxBuyers: number
  maxSellers: number
  maxUnits: number
  maxAmount: number
  /** Ids over all of Unicode (surrogate pairs included) rather than a few ASCII letters. */
  unicodeIds?: boolean
  /** Added to every amount: 2^60 takes amounts beyond 2^53, off the numeric fast paths. */
  amountOffset?: bigint
}

function idArbitrary(unicode: boolean): fc.Arbitrary<string> {
  return unicode
    ? fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })
    : fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '0', '9'), minLength: 1, maxLength: 3 })
}

export function instanceArbitrary(limits: InstanceLimits): fc.Arbitrary<Instance> {
  const offset = limits.amountOffset ?? 0n
  const amount = (max: number) => fc.bigInt({ min: offset, max: offset + BigInt(max) })
  const id = idArbitrary(limits.unicodeIds ?? false)
  const units = fc.integer({ min: 1, max: limits.maxUnits })
  const buyers = fc.uniqueArray(fc.record({ id, units, price: amount(limits.maxAmount) }), {
    maxLength: limits.maxBuyers,
    selector: (b) => b.id,
  })
  const sellers = fc.uniqueArray(fc.record({ id, units, cost: amount(limits.maxAmount) }), {
    maxLength: limits.maxSellers,
    selector: (s) => s.id,
  })
  const reserves = fc.record({
    buyerFloor: fc.oneof(fc.constant(0n), amount(limits.maxAmount)),
    sellerCeiling: fc.oneof(fc.constant(null), amount(limits.maxAmount + 1)),
  })
  return fc.record({ buyers, sellers, reserves })
}
