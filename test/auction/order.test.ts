// Id order is bytewise on UTF-8 whatever the characters; amount order breaks ties by position.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { amountOrder, compareIds, hexIdOrder, idOrder } from '../../auction/order.ts'

const utf8Order = (a: string, b: string) =>
  Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
const sortedIds = (ids: string[]) => idOrder(ids).map((index) => ids[index]!)

describe('auction id order', () => {
  it('compareIds agrees with Buffer.compare on the UTF-8 bytes, surrogate pairs included', () => {
    const id = fc.string({ unit: 'binary', maxLength: 6 })
    fc.assert(
      fc.property(id, id, (a, b) => assert.equal(Math.sign(compareIds(a, b)), utf8Order(a, b))),
      { numRuns: 1000 },
    )
  })

  it('idOrder sorts like Buffer.compare, including ids sharing long prefixes and duplicates', () => {
    // Shared prefixes longer than the six code units the packed keys cover force the slow path.
    const id = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.string({ unit: fc.constantFrom('a', 'b', '\uffff', '\u{10000}'), maxLength: 9 }),
      fc.string({ unit: 'binary', maxLength: 3 }).map((tail) => `prefix-shared-${tail}`),
    )
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), (ids) => {
        const expected = [...ids].sort(utf8Order)
        assert.deepEqual(sortedIds(ids), expected)
      }),
      { numRuns: 300 },
    )
  })

  it('orders U+FFFD after U+E000 but before a character outside the BMP, unlike UTF-16 code units', () => {
    assert.deepEqual(sortedIds(['\u{1F600}', '\uFFFD', '\uE000', 'z']), [
      'z',
      '\uE000',
      '\uFFFD',
      '\u{1F600}',
    ])
  })

  it('sorts ASCII ids by byte, capitals first and "10" before "9"', () => {
    assert.deepEqual(sortedIds(['b', '9', 'B', '10', 'a']), ['10', '9', 'B', 'a', 'b'])
  })

  it('returns ids already in order as they are, and still groups duplicates that are in order', () => {
    assert.deepEqual(idOrder(['a', 'b', 'c']), [0, 1, 2])
    assert.deepEqual(idOrder(['a', 'a', 'b']), [0, 1, 2])
    assert.deepEqual(sortedIds(['a', 'b', 'a']), ['a', 'a', 'b'])
  })

  it('hexIdOrder sorts like idOrder: hex ids sharing their first 8 digits, and any other ids', () => {
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 12 })
    const id = fc.oneof(
      hex.map((tail) => `0123abcd${tail}`),
      hex.map((tail) => `fedcba98${tail}`),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 16 }),
    )
    const other = fc.oneof(id, fc.string({ unit: 'binary', maxLength: 9 }), fc.constant('ABCDEF0123'))
    for (const ids of [id, other]) {
      fc.assert(
        fc.property(fc.array(ids, { maxLength: 40 }), (list) => {
          const sorted = hexIdOrder(list).map((index) => list[index]!)
          assert.deepEqual(sorted, [...list].sort(utf8Order))
        }),
        { numRuns: 300 },
      )
    }
  })
})

describe('auction amount order', () => {
  const reference = (amounts: bigint[], sign: 1 | -1) =>
    amounts
      .map((_, i) => i)
      .sort((a, b) => (amounts[a] === amounts[b] ? a - b : sign * (amounts[a]! < amounts[b]! ? -1 : 1)))

  it('sorts safe and beyond-2^53 amounts both ways, ties by position', () => {
    const amount = fc.oneof(
      fc.bigInt({ min: 0n, max: 8n }),
      fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
      fc.bigInt({ min: 0n, max: 2n ** 70n }),
    )
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 30 }), (amounts) => {
        assert.deepEqual(amountOrder(amounts, 'ascending'), reference(amounts, 1))
        assert.deepEqual(amountOrder(amounts, 'descending'), reference(amounts, -1))
      }),
      { numRuns: 500 },
    )
  })
})
