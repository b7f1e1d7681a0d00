// BidBook (pure): where bids are placed, which ones a leader counts, and what an accepted seal does
// to the pool. Bids are plain objects shaped like validated ones; no signatures are needed here.
import assert from 'node:assert/strict'
import type { HeldAsk, HeldBuyer } from '../../node/market/bids.ts'
import { decodeFetchBids } from '../../node/market/bid-fetch.ts'
import { ASK_TTL_EPOCHS, BidBook } from '../../node/market/book.ts'
import { configOperatorSet } from '../../node/market/operators.ts'
import { FetchBids, MAX_SEAL_BIDS, ValidationError } from '../../protocol/index.ts'

const schedule = { genesisMs: 1_000_000, epochMs: 1000, graceMs: 100 }
const at = (epoch: number, ms: number) => schedule.genesisMs + epoch * 1000 + ms
const CLASS = 'sum/leaf'

function ask(id: string, epoch: number, peer = id, resourceClass = CLASS): HeldAsk {
  return {
    side: 'seller',
    bidId: id,
    envelope: new Uint8Array(),
    ask: {
      version: 1,
      epoch: BigInt(epoch),
      class: resourceClass,
      capacityUnits: 2n,
      costPerUnit: 1n,
      operator: new Uint8Array(20),
      peer: new Uint8Array(),
    },
    bid: { bidId: id, units: 2, cost: 1n },
    peer,
    operator: '0x' + '00'.repeat(20),
  }
}

function buyer(id: string, deadlineMs = at(100, 0)): HeldBuyer {
  return {
    side: 'buyer',
    bidId: id,
    envelope: new Uint8Array(),
    demand: {} as HeldBuyer['demand'],
    taskId: id,
    jobIndex: 0,
    gateway: '',
    resourceClass: CLASS,
    bid: { bidId: id, units: 1, price: 5n },
    deadlineMs: BigInt(deadlineMs),
  }
}

const ids = (bids: { bidId: string }[]) => bids.map((b) => b.bidId)

describe('BidBook', function () {
  it('places an ask in its epoch, or, after that epoch cut-off, in the earliest open one', function () {
    const book = new BidBook(schedule)
    assert.deepEqual(book.add(ask('a1', 5), at(6, 50)).placed, { bid: ask('a1', 5), epoch: 5, late: false })
    assert.deepEqual(book.add(ask('a2', 5), at(6, 150)).placed?.epoch, 6)
    assert.equal(book.add(ask('a2', 5), at(6, 150)).placed?.late, undefined, 'a second add is a no-op')
    assert.equal(book.add(ask('a2', 5), at(6, 150)).result, 'known')
    // A buyer names no epoch: within the grace it still lands in the epoch that just ended.
    assert.equal(book.add(buyer('b1'), at(6, 50)).placed?.epoch, 5)
    assert.equal(book.add(buyer('b2'), at(6, 150)).placed?.epoch, 6)
  })

  it('counts for a leader: placed bids of the class up to the epoch, live buyers, one ask per peer', function () {
    const book = new BidBook(schedule)
    book.add(ask('a1', 5, 'p1'), at(5, 0))
    book.add(ask('a0', 5, 'p1'), at(5, 0)) // same peer, smaller id: this one counts
    book.add(ask('a2', 6, 'p2'), at(5, 0)) // for the next epoch
    book.add(ask('a3', 5, 'p3', 'aggregate'), at(5, 0))
    book.add(buyer('b1'), at(5, 0))
    book.add(buyer('b2', at(6, 100)), at(5, 0)) // deadline at the cut-off: too late to trade
    const { buyers, sellers } = book.eligible(5, CLASS)
    assert.deepEqual(ids(sellers), ['a0'])
    assert.deepEqual(ids(buyers), ['b1'])
    assert.deepEqual(book.classesDue(5), ['aggregate', CLASS])
    assert.deepEqual(ids(book.eligible(6, CLASS).sellers), ['a0', 'a2'])
  })

  it('caps a seal at MAX_SEAL_BIDS, smallest ids first', function () {
    const book = new BidBook(schedule)
    for (let i = 0; i < MAX_SEAL_BIDS + 5; i++) book.add(buyer(`b${String(i).padStart(5, '0')}`), at(5, 0))
    const { buyers } = book.eligible(5, CLASS)
    assert.equal(buyers.length, MAX_SEAL_BIDS)
    assert.equal(buyers.at(-1)?.bidId, `b${String(MAX_SEAL_BIDS - 1).padStart(5, '0')}`)
  })

  it('applies a seal: counted asks and winners leave, losers stay, omitted bids are reported', function () {
    const book = new BidBook(schedule)
    for (const a of [ask('a1', 5), ask('a2', 5), ask('a9', 5)]) book.add(a, at(5, 0))
    for (const b of [buyer('b1'), buyer('b2')]) book.add(b, at(5, 0))
    const fetched = buyer('b3')
    const omitted = book.applySeal(5, CLASS, new Set(['a1', 'a2', 'b1', 'b2', 'b3']), new Set(['b1']), [
      fetched,
    ])
    assert.deepEqual(omitted, ['a9'])
    assert.ok(book.isConsumed('a1') && book.isConsumed('b1') && !book.isConsumed('b2'))
    const next = book.eligible(6, CLASS)
    assert.deepEqual(ids(next.sellers), ['a9'])
    assert.deepEqual(ids(next.buyers), ['b2', 'b3'], 'losers, including one learnt by fetch, compete again')
    assert.equal(book.add(ask('a1', 5), at(6, 0)).result, 'consumed', 'a counted ask cannot come back')
    assert.equal(book.get('a1')?.bidId, 'a1', 'counted bids are still served to fetching peers')
  })

  it('holds an unconfirmed bid for verifying and serving, never counts it as leader, until a seal decides', function () {
    const book = new BidBook(schedule)
    assert.equal(book.addUnconfirmed(buyer('b1'), 5), 'added')
    assert.equal(book.addUnconfirmed(buyer('b2'), 5), 'added')
    assert.equal(book.addUnconfirmed(buyer('b1'), 5), 'known')
    assert.deepEqual(ids(book.eligible(5, CLASS).buyers), [], 'a leader here leaves them out')
    assert.deepEqual(book.classesDue(5), [], 'no auction is due on their account')
    assert.equal(book.pendingCount(), 0)
    assert.equal(book.get('b1')?.bidId, 'b1', 'a seal listing it can be verified, and a fetch served')
    // Another leader's seal counts both: b1 wins (consumed), b2 loses (it competes from now on).
    book.applySeal(5, CLASS, new Set(['b1', 'b2']), new Set(['b1']), [])
    assert.ok(book.isConsumed('b1'))
    assert.deepEqual(ids(book.eligible(6, CLASS).buyers), ['b2'])
    assert.equal(book.addUnconfirmed(buyer('b1'), 6), 'consumed')
  })

  it('never offers a leader an ask whose time-to-live has ended, though it is not yet pruned', function () {
    // Found by the soak: a node that ignored (as LATE) the seal that consumed an ask kept it pending,
    // led epoch 36 + TTL + 1 before the prune, counted it, and refused its own seal.
    const book = new BidBook(schedule)
    book.add(ask('a1', 36), at(36, 0))
    assert.deepEqual(
      ids(book.eligible(36 + ASK_TTL_EPOCHS, CLASS).sellers),
      ['a1'],
      'the last epoch it may count in',
    )
    book.prune(36 + ASK_TTL_EPOCHS)
    assert.deepEqual(ids(book.eligible(36 + ASK_TTL_EPOCHS + 1, CLASS).sellers), [])
  })

  it('prunes expired buyers and stale asks', function () {
    const book = new BidBook(schedule)
    book.add(ask('a1', 5), at(5, 0))
    book.add(buyer('b1', at(7, 0)), at(5, 0))
    book.prune(7)
    assert.deepEqual(ids(book.eligible(7, CLASS).buyers), [])
    assert.deepEqual(ids(book.eligible(7, CLASS).sellers), ['a1'])
    book.prune(5 + ASK_TTL_EPOCHS + 1)
    assert.equal(book.pendingCount(), 0)
  })
})

describe('FetchBids requests', function () {
  const rejects = (bytes: Uint8Array, field: string) =>
    assert.throws(
      () => decodeFetchBids(bytes),
      (e: unknown) => e instanceof ValidationError && e.field === field,
    )

  it('accepts up to MAX_SEAL_BIDS ids of 32 bytes', function () {
    const id = new Uint8Array(32).fill(0xab)
    assert.deepEqual(decodeFetchBids(FetchBids.encode({ version: 1, bidIds: [id] })), ['ab'.repeat(32)])
  })

  it('rejects garbage, another version, short ids and too many ids, naming the field', function () {
    rejects(new Uint8Array([0xff, 0xff, 0xff]), '')
    rejects(FetchBids.encode({ version: 2, bidIds: [] }), 'version')
    rejects(FetchBids.encode({ version: 1, bidIds: [new Uint8Array(31)] }), 'bid_ids[0]')
    const many = Array.from({ length: MAX_SEAL_BIDS + 1 }, () => new Uint8Array(32))
    rejects(FetchBids.encode({ version: 1, bidIds: many }), 'bid_ids')
  })
})

describe('configOperatorSet', function () {
  it('rejects bad addresses, duplicates and bad peer ids, naming the entry', function () {
    const peerId = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
    assert.throws(() => configOperatorSet([{ address: '0x12', peerId }]), /operators\[0\]\.address/)
    assert.throws(
      () =>
        configOperatorSet([
          { address: '0x' + 'ab'.repeat(20), peerId },
          { address: '0x' + 'AB'.repeat(20), peerId },
        ]),
      /operators\[1\]\.address: listed twice/,
    )
    assert.throws(() => configOperatorSet([{ address: '0x' + 'ab'.repeat(20), peerId: 'nope' }]), /peerId/)
    const set = configOperatorSet([{ address: '0x' + 'ab'.repeat(20), peerId }])
    assert.equal(set.peerOf('0x' + 'AB'.repeat(20), 7), peerId)
    assert.deepEqual(set.operators(7), ['0x' + 'ab'.repeat(20)])
  })
})
