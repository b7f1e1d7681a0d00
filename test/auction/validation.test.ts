// clearAuction rejects invalid input with an AuctionInputError naming the bid and the field.
import assert from 'node:assert/strict'
import { clearAuction } from '../../auction/clear.ts'
import { AuctionInputError } from '../../auction/errors.ts'
import type { Buyer, Seller } from '../../auction/types.ts'

const goodBuyer: Buyer = { id: 'b0', units: 1, price: 5n }
const goodSeller: Seller = { id: 's0', units: 1, cost: 1n }

function rejects(
  buyers: unknown[],
  sellers: unknown[],
  expected: { side?: 'buyer' | 'seller'; index?: number; bidId?: string; field: string },
) {
  assert.throws(
    () => clearAuction(buyers as Buyer[], sellers as Seller[]),
    (error: unknown) => {
      assert.ok(error instanceof AuctionInputError, String(error))
      assert.equal(error.field, expected.field)
      assert.equal(error.side, expected.side)
      assert.equal(error.index, expected.index)
      assert.equal(error.bidId, expected.bidId)
      if (expected.bidId !== undefined)
        assert.ok(error.message.includes(JSON.stringify(expected.bidId)), error.message)
      return true
    },
  )
}

describe('auction input validation', () => {
  it('names a bid with a missing field', () => {
    rejects([goodBuyer, { id: 'b1', units: 1 }], [], { side: 'buyer', index: 1, bidId: 'b1', field: 'price' })
    rejects([], [{ id: 's1', cost: 1n }], { side: 'seller', index: 0, bidId: 's1', field: 'units' })
    rejects([{ units: 1, price: 1n }], [], { side: 'buyer', index: 0, field: 'id' })
  })

  it('names a bid with a non-integer amount or units', () => {
    rejects([{ id: 'b1', units: 1, price: 1.5 }], [], {
      side: 'buyer',
      index: 0,
      bidId: 'b1',
      field: 'price',
    })
    rejects([{ id: 'b1', units: 1.5, price: 1n }], [], {
      side: 'buyer',
      index: 0,
      bidId: 'b1',
      field: 'units',
    })
    rejects([], [goodSeller, { id: 's1', units: 1, cost: '1' }], {
      side: 'seller',
      index: 1,
      bidId: 's1',
      field: 'cost',
    })
  })

  it('names a bid with a negative price or cost', () => {
    rejects([{ id: 'b1', units: 1, price: -1n }], [], {
      side: 'buyer',
      index: 0,
      bidId: 'b1',
      field: 'price',
    })
    rejects([], [{ id: 's1', units: 1, cost: -7n }], { side: 'seller', index: 0, bidId: 's1', field: 'cost' })
  })

  it('names a bid with units below 1', () => {
    rejects([{ id: 'b1', units: 0, price: 1n }], [], { side: 'buyer', index: 0, bidId: 'b1', field: 'units' })
    rejects([], [{ id: 's1', units: -2, cost: 1n }], {
      side: 'seller',
      index: 0,
      bidId: 's1',
      field: 'units',
    })
  })

  it('names the second bid that uses an id already taken on its side', () => {
    rejects([goodBuyer, { ...goodBuyer, price: 9n }], [], {
      side: 'buyer',
      index: 1,
      bidId: 'b0',
      field: 'id',
    })
    rejects([], [goodSeller, goodSeller], { side: 'seller', index: 1, bidId: 's0', field: 'id' })
  })

  it('rejects ids that have no UTF-8 encoding, and empty ids', () => {
    rejects([{ id: 'b\ud800', units: 1, price: 1n }], [], {
      side: 'buyer',
      index: 0,
      bidId: 'b\ud800',
      field: 'id',
    })
    rejects([{ id: '', units: 1, price: 1n }], [], { side: 'buyer', index: 0, field: 'id' })
  })

  it('rejects a side whose units add up beyond exact number arithmetic', () => {
    const huge = Number.MAX_SAFE_INTEGER
    rejects(
      [],
      [
        { id: 's1', units: huge, cost: 1n },
        { id: 's2', units: 1, cost: 1n },
      ],
      {
        side: 'seller',
        index: 1,
        bidId: 's2',
        field: 'units',
      },
    )
  })

  it('names a negative reserve', () => {
    assert.throws(
      () => clearAuction([goodBuyer], [goodSeller], { buyerFloor: 0n, sellerCeiling: -1n }),
      (error: unknown) => error instanceof AuctionInputError && error.field === 'sellerCeiling',
    )
  })
})
