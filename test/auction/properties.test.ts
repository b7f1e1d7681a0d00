// Properties DARA v1 promises (DARA.md), checked on thousands of random instances. Quantity
// truthfulness and sybil-proofness are known non-properties (auction/README.md) and not tested.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { clearAuction } from '../../auction/clear.ts'
import { encodeClearingResult } from '../../auction/json.ts'
import type { ClearingResult } from '../../auction/types.ts'
import { instanceArbitrary, type Instance } from './instances.ts'
import { referenceClear } from './reference-dara.ts'

const small = instanceArbitrary({ maxBuyers: 8, maxSellers: 6, maxUnits: 6, maxAmount: 12 })
const unicode = instanceArbitrary({
  maxBuyers: 8,
  maxSellers: 6,
  maxUnits: 6,
  maxAmount: 12,
  unicodeIds: true,
})
const huge = instanceArbitrary({
  maxBuyers: 8,
  maxSellers: 6,
  maxUnits: 6,
  maxAmount: 12,
  amountOffset: 2n ** 60n,
})
const runs = { numRuns: 500 }

function clear({ buyers, sellers, reserves }: Instance): ClearingResult {
  return clearAuction(buyers, sellers, reserves)
}

function unitsBy(result: ClearingResult, side: 'buyer' | 'seller'): Map<string, number> {
  const totals = new Map<string, number>()
  for (const a of result.assignment) totals.set(a[side], (totals.get(a[side]) ?? 0) + a.units)
  return totals
}

describe('DARA v1 properties (random instances)', () => {
  it('matches a naive transcription of DARA.md on prices, winners, quotas and every traded unit', () => {
    fc.assert(
      fc.property(fc.oneof(small, unicode, huge), (instance) => {
        const result = clear(instance)
        const expected = referenceClear(instance.buyers, instance.sellers, instance.reserves)
        assert.equal(result.trade, expected.trade)
        assert.equal(result.buyerPrice, expected.buyerPrice)
        assert.equal(result.sellerPrice, expected.sellerPrice)
        assert.deepEqual(result.winningBuyers, expected.winners)
        assert.deepEqual(result.activeSellers, expected.active)
        const quotas = new Map(result.sellerOutcomes.map((s) => [s.id, BigInt(s.units)]))
        for (const [id, quota] of expected.quotas) assert.equal(quotas.get(id), quota, id)
        const unitOwners = result.assignment.flatMap((a) =>
          Array.from({ length: a.units }, () => [a.buyer, a.seller]),
        )
        assert.deepEqual(unitOwners, expected.unitOwners)
      }),
      runs,
    )
  })

  it('is individually rational: winners pay at most their price, active sellers get at least their cost', () => {
    fc.assert(
      fc.property(small, (instance) => {
        const result = clear(instance)
        const paid = new Map(result.buyerOutcomes.map((b) => [b.id, b.payment]))
        const supplied = new Map(result.sellerOutcomes.map((s) => [s.id, s]))
        for (const b of instance.buyers) assert.ok(paid.get(b.id)! <= b.price * BigInt(b.units), b.id)
        for (const s of instance.sellers) {
          const { units, payment } = supplied.get(s.id)!
          assert.ok(payment >= s.cost * BigInt(units), s.id)
        }
      }),
      runs,
    )
  })

  it('is weakly budget balanced: buyers pay sellers plus a non-negative surplus', () => {
    fc.assert(
      fc.property(small, (instance) => {
        const result = clear(instance)
        const paidIn = result.buyerOutcomes.reduce((sum, b) => sum + b.payment, 0n)
        const paidOut = result.sellerOutcomes.reduce((sum, s) => sum + s.payment, 0n)
        assert.ok(result.surplus >= 0n)
        assert.equal(paidIn - paidOut, result.surplus)
      }),
      runs,
    )
  })

  it('respects capacities and reserves', () => {
    fc.assert(
      fc.property(small, ({ buyers, sellers, reserves }) => {
        const result = clearAuction(buyers, sellers, reserves)
        const quotas = new Map(result.sellerOutcomes.map((s) => [s.id, s.units]))
        for (const s of sellers) assert.ok(quotas.get(s.id)! <= s.units, s.id)
        if (!result.trade) return
        assert.ok(result.buyerPrice >= reserves.buyerFloor)
        if (reserves.sellerCeiling !== null) assert.ok(result.sellerPrice <= reserves.sellerCeiling)
      }),
      runs,
    )
  })

  it('is all-or-nothing, and quotas, units traded and the assignment all agree', () => {
    fc.assert(
      fc.property(small, (instance) => {
        const result = clear(instance)
        const winners = new Set(result.winningBuyers)
        const assignedToBuyer = unitsBy(result, 'buyer')
        const assignedToSeller = unitsBy(result, 'seller')
        let winningUnits = 0
        for (const b of instance.buyers) {
          const expected = winners.has(b.id) ? b.units : 0
          assert.equal(assignedToBuyer.get(b.id) ?? 0, expected, `buyer ${b.id} gets all its units or none`)
          winningUnits += expected
        }
        const quotas = new Map(result.sellerOutcomes.map((s) => [s.id, s.units]))
        let quotaSum = 0
        for (const s of instance.sellers) {
          const quota = quotas.get(s.id)!
          assert.equal(assignedToSeller.get(s.id) ?? 0, quota, `seller ${s.id} serves exactly its quota`)
          quotaSum += quota
        }
        assert.equal(quotaSum, result.units)
        assert.equal(winningUnits, result.units)
        assert.ok(result.assignment.every((a) => a.units > 0))
      }),
      runs,
    )
  })

  it('gives byte-identical canonical output for any order of the input', () => {
    const shuffled = fc.oneof(small, unicode).chain((instance) =>
      fc.record({
        instance: fc.constant(instance),
        buyers: fc.shuffledSubarray(instance.buyers, { minLength: instance.buyers.length }),
        sellers: fc.shuffledSubarray(instance.sellers, { minLength: instance.sellers.length }),
      }),
    )
    fc.assert(
      fc.property(shuffled, ({ instance, buyers, sellers }) => {
        const original = encodeClearingResult(clear(instance))
        assert.equal(encodeClearingResult(clearAuction(buyers, sellers, instance.reserves)), original)
      }),
      runs,
    )
  })
})
