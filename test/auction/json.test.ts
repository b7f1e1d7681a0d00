// The JSON layer on its own: what parses, what is rejected (naming the field), and the canonical text.
import assert from 'node:assert/strict'
import { clearAuction } from '../../auction/clear.ts'
import { AuctionInputError } from '../../auction/errors.ts'
import { encodeClearingResult, parseClearRequest, parseClearRequestText } from '../../auction/json.ts'

function inputError(field: string, bidId?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof AuctionInputError, String(error))
    assert.equal(error.field, field)
    assert.equal(error.bidId, bidId)
    return true
  }
}

describe('auction JSON: parsing a clear request', () => {
  it('takes prices and costs as decimal strings or JSON integers, exactly', () => {
    const request = parseClearRequest({
      buyers: [{ id: 'b', units: 2, price: '123456789012345678901234567890' }],
      sellers: [{ id: 's', units: 3, cost: 42 }],
    })
    assert.deepEqual(request.buyers, [{ id: 'b', units: 2, price: 123456789012345678901234567890n }])
    assert.deepEqual(request.sellers, [{ id: 's', units: 3, cost: 42n }])
  })

  it('defaults the reserves to floor 0 and no ceiling, and reads null as no ceiling', () => {
    const none = parseClearRequest({ buyers: [], sellers: [] })
    assert.deepEqual(none.reserves, { buyerFloor: 0n, sellerCeiling: null })
    const explicit = parseClearRequest({ buyers: [], sellers: [], buyerFloor: '5', sellerCeiling: null })
    assert.deepEqual(explicit.reserves, { buyerFloor: 5n, sellerCeiling: null })
    const ceiling = parseClearRequest({ buyers: [], sellers: [], sellerCeiling: 9 })
    assert.deepEqual(ceiling.reserves, { buyerFloor: 0n, sellerCeiling: 9n })
  })

  it('rejects floats, exponents, and JSON numbers too large to be exact', () => {
    const bid = (price: unknown) => ({ buyers: [{ id: 'b9', units: 1, price }], sellers: [] })
    assert.throws(() => parseClearRequest(bid(1.5)), inputError('price', 'b9'))
    assert.throws(() => parseClearRequest(bid('1.0')), inputError('price', 'b9'))
    assert.throws(() => parseClearRequest(bid('1e3')), inputError('price', 'b9'))
    assert.throws(() => parseClearRequest(bid('')), inputError('price', 'b9'))
    assert.throws(() => parseClearRequest(bid(2 ** 53)), inputError('price', 'b9'))
    assert.throws(() => parseClearRequest(bid(true)), inputError('price', 'b9'))
    assert.throws(
      () => parseClearRequestText('{"buyers":[{"id":"b9","units":1.5,"price":"1"}],"sellers":[]}'),
      inputError('units', 'b9'),
    )
  })

  it('rejects unknown fields, so a misspelt reserve is not silently ignored', () => {
    assert.throws(
      () => parseClearRequest({ buyers: [], sellers: [], sellerCieling: '3' }),
      inputError('sellerCieling'),
    )
    assert.throws(
      () => parseClearRequest({ buyers: [], sellers: [{ id: 's1', units: 1, cost: '1', price: '2' }] }),
      inputError('price', 's1'),
    )
  })

  it('rejects a negative reserve and names it', () => {
    const { buyers, sellers, reserves } = parseClearRequest({ buyers: [], sellers: [], buyerFloor: '-1' })
    assert.throws(() => clearAuction(buyers, sellers, reserves), inputError('buyerFloor'))
  })
})

describe('auction JSON: the canonical result text', () => {
  it('writes map keys in bytewise id order, integer-like and __proto__ ids included', () => {
    // A plain object would put "9" before "10" and swallow "__proto__"; the contract wants id order.
    const ids = ['9', '10', '__proto__', 'Z', 'a']
    const result = clearAuction(
      ids.map((id) => ({ id, units: 1, price: 5n })),
      [],
    )
    assert.ok(
      encodeClearingResult(result).includes(
        '"buyerPayments":{"10":"0","9":"0","Z":"0","__proto__":"0","a":"0"}',
      ),
    )
  })

  it('writes the no-trade form: null prices, zero units, empty lists, every payment "0"', () => {
    const result = clearAuction([{ id: 'a', units: 5, price: 10n }], [{ id: 'x', units: 100, cost: 1n }])
    assert.equal(
      encodeClearingResult(result),
      '{"trade":false,"buyerPrice":null,"sellerPrice":null,"units":0,"buyers":[],"sellers":[],' +
        '"buyerPayments":{"a":"0"},"sellerUnits":{"x":0},"sellerPayments":{"x":"0"},"assignment":[],"surplus":"0"}',
    )
  })
})
