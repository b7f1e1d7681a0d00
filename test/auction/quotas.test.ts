// Largest-remainder quotas, including capacities large enough that U·k_j passes 2^53.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { largestRemainderQuotas } from '../../auction/quotas.ts'

describe('auction largest-remainder quotas', () => {
  it('splits U exactly, floor or floor + 1 each, the extra units to the largest remainders', () => {
    const capacity = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 2 ** 45 }))
    const instance = fc.array(capacity, { minLength: 1, maxLength: 12 }).chain((capacities) => {
      const total = capacities.reduce((a, b) => a + b, 0)
      return fc.record({ capacities: fc.constant(capacities), traded: fc.integer({ min: 0, max: total }) })
    })
    fc.assert(
      fc.property(instance, ({ capacities, traded }) => {
        const total = capacities.reduce((a, b) => a + b, 0)
        const quotas = largestRemainderQuotas(capacities, total, traded)
        const U = BigInt(traded)
        const K = BigInt(total)
        const floors = capacities.map((k) => (U * BigInt(k)) / K)
        const remainders = capacities.map((k) => (U * BigInt(k)) % K)
        assert.equal(
          quotas.reduce((a, b) => a + b, 0),
          traded,
        )
        const extra = quotas.map((q, j) => BigInt(q) - floors[j]!)
        extra.forEach((e, j) => {
          assert.ok(e === 0n || e === 1n, `seller ${j} got ${e} extra units`)
          assert.ok(quotas[j]! <= capacities[j]!)
        })
        // Every seller given an extra unit ranks (remainder desc, index asc) before every one not.
        for (let a = 0; a < quotas.length; a++) {
          for (let b = 0; b < quotas.length; b++) {
            if (extra[a] === 1n && extra[b] === 0n) {
              const ra = remainders[a]!
              const rb = remainders[b]!
              assert.ok(ra > rb || (ra === rb && a < b), `seller ${b} should have had the unit of ${a}`)
            }
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('gives E6 its quotas: 5 units over capacities 3 and 3, the tie to the smaller id', () => {
    assert.deepEqual(largestRemainderQuotas([3, 3], 6, 5), [3, 2])
  })
})
