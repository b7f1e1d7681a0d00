// The JSON layer on its own: what parses, what is rejected (naming the field), and the canonical text.
import assert from 'node:assert/strict'
import { hash } from 'node:crypto'
import fc from 'fast-check'
import { clearAuction } from '../../auction/clear.ts'
import { AuctionInputError } from '../../auction/errors.ts'
import {
  encodeClearingResult,
  encodeClearingResultBytes,
  parseClearRequest,
  parseClearRequestText,
  withHexIdResultBytes,
} from '../../auction/json.ts'
import type { ClearingResult } from '../../auction/types.ts'
import { instanceArbitrary } from './instances.ts'

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

  it('writes every id as JSON.stringify does: quotes, backslashes, controls, non-ASCII, surrogates', () => {
    const ids = ['a"b', 'back\\slash', 'new\nline', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '\u{1F600}']
    const result = clearAuction(
      ids.map((id, i) => ({ id, units: 1, price: BigInt(10 + i) })),
      ids.map((id) => ({ id, units: 2, cost: 1n })),
    )
    assert.ok(result.assignment.length > 0)
    assert.equal(encodeClearingResult(result), referenceEncoding(result))
  })

  it('agrees with a plain JSON.stringify transcription on random results, Unicode ids included', () => {
    fc.assert(
      fc.property(
        instanceArbitrary({ maxBuyers: 10, maxSellers: 6, maxUnits: 5, maxAmount: 12, unicodeIds: true }),
        ({ buyers, sellers, reserves }) => {
          const result = clearAuction(buyers, sellers, reserves)
          assert.equal(encodeClearingResult(result), referenceEncoding(result))
          const utf8 = Buffer.from(referenceEncoding(result), 'utf8')
          assert.ok(utf8.equals(encodeClearingResultBytes(result)))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('writes the same bytes on the seal path, whose ids are hex digests', () => {
    const hexId = (i: number) => hash('sha256', String(i), 'hex')
    const result = clearAuction(
      Array.from({ length: 300 }, (_, i) => ({ id: hexId(i), units: 1 + (i % 7), price: BigInt(i * 13) })),
      Array.from({ length: 40 }, (_, i) => ({ id: hexId(-i - 1), units: 20, cost: BigInt(i * 50) })),
    )
    assert.ok(result.trade)
    const expected = referenceEncoding(result)
    // Twice: the second call writes into the buffer the first one kept.
    for (let i = 0; i < 2; i++) {
      assert.equal(
        withHexIdResultBytes(result, (bytes) => new TextDecoder().decode(bytes)),
        expected,
      )
    }
  })
})

/** The canonical text as a plain transcription of the contract (how encodeClearingResult once was). */
function referenceEncoding(result: ClearingResult): string {
  const quoted = (id: string) => JSON.stringify(id)
  const map = <T extends { id: string }>(entries: readonly T[], value: (entry: T) => string) =>
    `{${entries.map((entry) => `${quoted(entry.id)}:${value(entry)}`).join(',')}}`
  const amount = (value: bigint | null) => (value === null ? 'null' : `"${value}"`)
  return (
    `{"trade":${result.trade},"buyerPrice":${amount(result.buyerPrice)},` +
    `"sellerPrice":${amount(result.sellerPrice)},"units":${result.units},` +
    `"buyers":[${result.winningBuyers.map(quoted).join(',')}],` +
    `"sellers":[${result.activeSellers.map(quoted).join(',')}],` +
    `"buyerPayments":${map(result.buyerOutcomes, (b) => `"${b.payment}"`)},` +
    `"sellerUnits":${map(result.sellerOutcomes, (s) => String(s.units))},` +
    `"sellerPayments":${map(result.sellerOutcomes, (s) => `"${s.payment}"`)},` +
    `"assignment":[${result.assignment
      .map((a) => `{"buyer":${quoted(a.buyer)},"seller":${quoted(a.seller)},"units":${a.units}}`)
      .join(',')}],"surplus":"${result.surplus}"}`
  )
}
