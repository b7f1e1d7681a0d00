// Id order: bytewise on UTF-8, whatever the characters.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { compareIds, sortById } from '../../auction/order.ts'

const utf8Order = (a: string, b: string) =>
  Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))

describe('auction id order', () => {
  it('compareIds agrees with Buffer.compare on the UTF-8 bytes, surrogate pairs included', () => {
    const id = fc.string({ unit: 'binary', maxLength: 6 })
    fc.assert(
      fc.property(id, id, (a, b) => assert.equal(Math.sign(compareIds(a, b)), utf8Order(a, b))),
      { numRuns: 1000 },
    )
  })

  it('orders U+FFFD after U+E000 but before a character outside the BMP, unlike UTF-16 code units', () => {
    const ids = ['\u{1F600}', '\uFFFD', '\uE000', 'z']
    assert.deepEqual(
      sortById(ids.map((id) => ({ id }))).map((b) => b.id),
      ['z', '\uE000', '\uFFFD', '\u{1F600}'],
    )
  })

  it('sorts ASCII ids by byte, capitals first and "10" before "9"', () => {
    assert.deepEqual(
      sortById(['b', '9', 'B', '10', 'a'].map((id) => ({ id }))).map((b) => b.id),
      ['10', '9', 'B', 'a', 'b'],
    )
  })
})
