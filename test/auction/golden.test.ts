// The golden vectors E1–E6 of DARA.md, every figure of the table asserted. Figures the table leaves
// implicit (losers pay 0, inactive sellers supply 0) follow from DARA.md's Outcome section.
import assert from 'node:assert/strict'
import { clearAuction } from '../../auction/clear.ts'
import type { Buyer, ClearingResult, Reserves, Seller } from '../../auction/types.ts'

const buyer = (id: string, units: number, price: number): Buyer => ({ id, units, price: BigInt(price) })
const seller = (id: string, units: number, cost: number): Seller => ({ id, units, cost: BigInt(cost) })

interface Expected {
  buyerPrice: bigint
  sellerPrice: bigint
  units: number
  winningBuyers: string[]
  activeSellers: string[]
  buyerPayments: Record<string, bigint>
  sellerUnits: Record<string, number>
  sellerPayments: Record<string, bigint>
  surplus: bigint
  assignment: [buyer: string, seller: string, units: number][]
}

function assertTrade(result: ClearingResult, expected: Expected): void {
  assert.equal(result.trade, true)
  assert.equal(result.buyerPrice, expected.buyerPrice, 'buyer price')
  assert.equal(result.sellerPrice, expected.sellerPrice, 'seller price')
  assert.equal(result.units, expected.units, 'units traded')
  assert.deepEqual(result.winningBuyers, expected.winningBuyers, 'winning buyers')
  assert.deepEqual(result.activeSellers, expected.activeSellers, 'active sellers')
  // Object.entries keeps the expected ids in the order written, which is id order: checks the order too.
  assert.deepEqual(
    result.buyerOutcomes.map((b) => [b.id, b.payment]),
    Object.entries(expected.buyerPayments),
    'buyer payments',
  )
  assert.deepEqual(
    result.sellerOutcomes.map((s) => [s.id, s.units]),
    Object.entries(expected.sellerUnits),
    'seller units',
  )
  assert.deepEqual(
    result.sellerOutcomes.map((s) => [s.id, s.payment]),
    Object.entries(expected.sellerPayments),
    'seller payments',
  )
  assert.equal(result.surplus, expected.surplus, 'surplus')
  assert.deepEqual(
    result.assignment,
    expected.assignment.map(([b, s, units]) => ({ buyer: b, seller: s, units })),
    'assignment',
  )
}

const e3Buyers = [buyer('a', 5, 10), buyer('b', 5, 9)]
const e3Sellers = [seller('x', 100, 1)]

describe('DARA v1 golden vectors', () => {
  it('E1: four buyers and four sellers trade 10 units at pB=6, pS=5', () => {
    const result = clearAuction(
      [buyer('b1', 5, 10), buyer('b2', 5, 8), buyer('b3', 5, 6), buyer('b4', 5, 4)],
      [seller('s1', 5, 2), seller('s2', 5, 3), seller('s3', 5, 5), seller('s4', 5, 7)],
    )
    assertTrade(result, {
      buyerPrice: 6n,
      sellerPrice: 5n,
      units: 10,
      winningBuyers: ['b1', 'b2'],
      activeSellers: ['s1', 's2'],
      buyerPayments: { b1: 30n, b2: 30n, b3: 0n, b4: 0n },
      sellerUnits: { s1: 5, s2: 5, s3: 0, s4: 0 },
      sellerPayments: { s1: 25n, s2: 25n, s3: 0n, s4: 0n },
      surplus: 10n,
      assignment: [
        ['b1', 's1', 5],
        ['b2', 's2', 5],
      ],
    })
  })

  it('E2: uneven units trade 4 units at pB=8, pS=4', () => {
    const result = clearAuction(
      [buyer('a', 4, 10), buyer('b', 6, 8), buyer('c', 10, 5), buyer('d', 2, 3)],
      [seller('x', 8, 2), seller('y', 6, 4), seller('z', 10, 6)],
    )
    assertTrade(result, {
      buyerPrice: 8n,
      sellerPrice: 4n,
      units: 4,
      winningBuyers: ['a'],
      activeSellers: ['x'],
      buyerPayments: { a: 32n, b: 0n, c: 0n, d: 0n },
      sellerUnits: { x: 4, y: 0, z: 0 },
      sellerPayments: { x: 16n, y: 0n, z: 0n },
      surplus: 16n,
      assignment: [['a', 'x', 4]],
    })
  })

  it('E3: one seller and no ceiling never trades', () => {
    const result = clearAuction(e3Buyers, e3Sellers)
    assert.deepEqual(result, {
      trade: false,
      buyerPrice: null,
      sellerPrice: null,
      units: 0,
      winningBuyers: [],
      activeSellers: [],
      buyerOutcomes: [
        { id: 'a', payment: 0n },
        { id: 'b', payment: 0n },
      ],
      sellerOutcomes: [{ id: 'x', units: 0, payment: 0n }],
      assignment: [],
      surplus: 0n,
    })
  })

  it('E4: E3 with buyerFloor 3 and sellerCeiling 3 trades 10 units at 3', () => {
    const reserves: Reserves = { buyerFloor: 3n, sellerCeiling: 3n }
    assertTrade(clearAuction(e3Buyers, e3Sellers, reserves), {
      buyerPrice: 3n,
      sellerPrice: 3n,
      units: 10,
      winningBuyers: ['a', 'b'],
      activeSellers: ['x'],
      buyerPayments: { a: 15n, b: 15n },
      sellerUnits: { x: 10 },
      sellerPayments: { x: 30n },
      surplus: 0n,
      assignment: [
        ['a', 'x', 5],
        ['b', 'x', 5],
      ],
    })
  })

  it('E5: equal prices and costs are broken by id, whatever the input order', () => {
    const result = clearAuction(
      [buyer('b2', 3, 10), buyer('b1', 3, 10), buyer('b3', 3, 10)],
      [seller('s2', 3, 1), seller('s1', 3, 1), seller('s3', 3, 1)],
    )
    assertTrade(result, {
      buyerPrice: 10n,
      sellerPrice: 1n,
      units: 6,
      winningBuyers: ['b1', 'b2'],
      activeSellers: ['s1', 's2'],
      buyerPayments: { b1: 30n, b2: 30n, b3: 0n },
      sellerUnits: { s1: 3, s2: 3, s3: 0 },
      sellerPayments: { s1: 3n, s2: 3n, s3: 0n },
      surplus: 54n,
      assignment: [
        ['b1', 's1', 3],
        ['b2', 's2', 3],
      ],
    })
  })

  it('E6: largest-remainder quotas split a buyer across two sellers', () => {
    const result = clearAuction(
      [buyer('a', 2, 10), buyer('b', 3, 8), buyer('c', 3, 7), buyer('e', 5, 2)],
      [seller('x', 3, 1), seller('y', 3, 2), seller('z', 2, 4), seller('w', 10, 9)],
    )
    assertTrade(result, {
      buyerPrice: 7n,
      sellerPrice: 4n,
      units: 5,
      winningBuyers: ['a', 'b'],
      activeSellers: ['x', 'y'],
      buyerPayments: { a: 14n, b: 21n, c: 0n, e: 0n },
      sellerUnits: { w: 0, x: 3, y: 2, z: 0 },
      sellerPayments: { w: 0n, x: 12n, y: 8n, z: 0n },
      surplus: 15n,
      assignment: [
        ['a', 'x', 2],
        ['b', 'x', 1],
        ['b', 'y', 2],
      ],
    })
  })
})
