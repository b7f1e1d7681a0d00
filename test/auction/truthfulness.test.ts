// Brute-force truthfulness in price on tiny instances: no single buyer or seller gains by
// reporting any other price (cost) on a grid, utilities computed from its true value.
// Quantities are not covered: DARA v1 is not truthful in units (auction/README.md, Known limits).
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { clearAuction } from '../../auction/clear.ts'
import type { Buyer, ClearingResult, Seller } from '../../auction/types.ts'
import { instanceArbitrary } from './instances.ts'

const MAX_AMOUNT = 6
const tiny = instanceArbitrary({ maxBuyers: 4, maxSellers: 3, maxUnits: 4, maxAmount: MAX_AMOUNT })
// Every report from 0 to two above the largest true value, so both over- and under-bidding are tried.
const reports = Array.from({ length: MAX_AMOUNT + 3 }, (_, i) => BigInt(i))

function buyerUtility(result: ClearingResult, buyer: Buyer): bigint {
  // All-or-nothing: a winner values its units at the true price and pays pB per unit.
  if (!result.winningBuyers.includes(buyer.id)) return 0n
  const { payment } = result.buyerOutcomes.find((b) => b.id === buyer.id)!
  return buyer.price * BigInt(buyer.units) - payment
}

function sellerUtility(result: ClearingResult, seller: Seller): bigint {
  const { units, payment } = result.sellerOutcomes.find((s) => s.id === seller.id)!
  return payment - seller.cost * BigInt(units)
}

describe('DARA v1 truthfulness in price (brute force on tiny instances)', () => {
  it('no buyer gains by misreporting its price', () => {
    fc.assert(
      fc.property(tiny, ({ buyers, sellers, reserves }) => {
        const truthful = clearAuction(buyers, sellers, reserves)
        buyers.forEach((buyer, i) => {
          const honest = buyerUtility(truthful, buyer)
          for (const price of reports) {
            const lie = buyers.with(i, { ...buyer, price })
            const gained = buyerUtility(clearAuction(lie, sellers, reserves), buyer)
            assert.ok(gained <= honest, `buyer ${buyer.id} reporting ${price} instead of ${buyer.price}`)
          }
        })
      }),
      { numRuns: 300 },
    )
  })

  it('no seller gains by misreporting its cost', () => {
    fc.assert(
      fc.property(tiny, ({ buyers, sellers, reserves }) => {
        const truthful = clearAuction(buyers, sellers, reserves)
        sellers.forEach((seller, j) => {
          const honest = sellerUtility(truthful, seller)
          for (const cost of reports) {
            const lie = sellers.with(j, { ...seller, cost })
            const gained = sellerUtility(clearAuction(buyers, lie, reserves), seller)
            assert.ok(gained <= honest, `seller ${seller.id} reporting ${cost} instead of ${seller.cost}`)
          }
        })
      }),
      { numRuns: 300 },
    )
  })
})
