// Seals: built by the leader, verified by recomputation; wrong results and bid sets are rejected.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { epochSalt } from '../../auction/epoch.ts'
import { EpochInputError, SealRejectedError, type SealRejection } from '../../auction/errors.ts'
import { encodeClearingResult } from '../../auction/json.ts'
import {
  buildSeal,
  clearEpoch,
  encodeSealBody,
  verifySeal,
  type EpochAuction,
  type SealBody,
} from '../../auction/seal.ts'

const SEED = 'prover-mesh/test'

// E6 of DARA.md with content-like bid ids: the prices force the same winners whatever the salt.
const auction: EpochAuction = {
  epoch: 42,
  resourceClass: 'sum/leaf',
  salt: epochSalt(42, 'sum/leaf', SEED),
  buyers: [
    { bidId: 'task-a', units: 2, price: 10n },
    { bidId: 'task-b', units: 3, price: 8n },
    { bidId: 'task-c', units: 3, price: 7n },
    { bidId: 'task-e', units: 5, price: 2n },
  ],
  sellers: [
    { bidId: 'ask-x', units: 3, cost: 1n },
    { bidId: 'ask-y', units: 3, cost: 2n },
    { bidId: 'ask-z', units: 2, cost: 4n },
    { bidId: 'ask-w', units: 10, cost: 9n },
  ],
  reserves: { buyerFloor: 0n, sellerCeiling: null },
}

function rejected(code: SealRejection) {
  return (error: unknown) => {
    assert.ok(error instanceof SealRejectedError, String(error))
    assert.equal(error.code, code)
    return true
  }
}

describe('auction seals', () => {
  it('lists sorted bid ids and verifies against the same bids', () => {
    const { body, clearing } = buildSeal(auction)
    assert.deepEqual(body.buyerBidIds, ['task-a', 'task-b', 'task-c', 'task-e'])
    assert.deepEqual(body.sellerBidIds, ['ask-w', 'ask-x', 'ask-y', 'ask-z'])
    const verified = verifySeal(body, auction)
    assert.equal(verified.resultText, clearing.resultText)
    // The DARA outcome of E6, read back through the tie-break id maps.
    const { result } = verified
    assert.equal(result.buyerPrice, 7n)
    assert.equal(result.sellerPrice, 4n)
    assert.deepEqual(
      result.winningBuyers.map((id) => verified.buyerBidIds.get(id)),
      ['task-a', 'task-b'],
    )
    assert.deepEqual(
      result.activeSellers.map((id) => verified.sellerBidIds.get(id)),
      ['ask-x', 'ask-y'],
    )
  })

  it('rejects a seal whose result hash is wrong', () => {
    const { body } = buildSeal(auction)
    const flipped = body.resultHash.replace(/^./, (c) => (c === '0' ? '1' : '0'))
    assert.throws(() => verifySeal({ ...body, resultHash: flipped }, auction), rejected('RESULT_MISMATCH'))
  })

  it('rejects a seal whose hash was computed over a different bid set', () => {
    // The leader clears without task-b but lists the full set: the recomputed hash differs.
    const { body: partial } = buildSeal({
      ...auction,
      buyers: auction.buyers.filter((b) => b.bidId !== 'task-b'),
    })
    const forged: SealBody = { ...partial, buyerBidIds: buildSeal(auction).body.buyerBidIds }
    assert.throws(() => verifySeal(forged, auction), rejected('RESULT_MISMATCH'))
  })

  it('rejects a seal with a result for other reserves', () => {
    const { body } = buildSeal({ ...auction, reserves: { buyerFloor: 8n, sellerCeiling: null } })
    assert.throws(() => verifySeal(body, auction), rejected('RESULT_MISMATCH'))
  })

  it('counts only the listed bids, and asks for listed bids this node lacks', () => {
    const lessBuyers = { ...auction, buyers: auction.buyers.slice(0, 3) }
    const { body } = buildSeal(lessBuyers)
    // This node also holds task-e, which the leader did not count: the seal still verifies.
    assert.equal(verifySeal(body, auction).resultText, clearEpoch(lessBuyers).resultText)
    const { body: full } = buildSeal(auction)
    assert.throws(() => verifySeal(full, lessBuyers), rejected('MISSING_BIDS'))
  })

  it('rejects a seal for another epoch or class, and malformed listings', () => {
    const { body } = buildSeal(auction)
    assert.throws(() => verifySeal({ ...body, epoch: 43 }, auction), rejected('EPOCH_MISMATCH'))
    assert.throws(
      () => verifySeal({ ...body, resourceClass: 'aggregate' }, auction),
      rejected('EPOCH_MISMATCH'),
    )
    const unsorted = [...body.buyerBidIds].reverse()
    assert.throws(() => verifySeal({ ...body, buyerBidIds: unsorted }, auction), rejected('MALFORMED'))
    const doubled = [body.sellerBidIds[0]!, ...body.sellerBidIds]
    assert.throws(() => verifySeal({ ...body, sellerBidIds: doubled }, auction), rejected('MALFORMED'))
    assert.throws(() => verifySeal({ ...body, resultHash: 'abc' }, auction), rejected('MALFORMED'))
  })

  it('gives the same seal whatever order the bids arrived in', () => {
    const expected = encodeSealBody(buildSeal(auction).body)
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...auction.buyers], { minLength: auction.buyers.length }),
        fc.shuffledSubarray([...auction.sellers], { minLength: auction.sellers.length }),
        (buyers, sellers) => {
          assert.equal(encodeSealBody(buildSeal({ ...auction, buyers, sellers }).body), expected)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('ranks equal prices by salted id, not by bid id, and the order changes with the epoch', () => {
    // Ten identical one-unit asks, five units traded: who supplies depends only on the salted ids.
    const tied: EpochAuction = {
      ...auction,
      buyers: [
        { bidId: 'task', units: 5, price: 10n },
        { bidId: 'cheap-task', units: 5, price: 2n },
      ],
      sellers: Array.from({ length: 10 }, (_, i) => ({ bidId: `ask-${i}`, units: 1, cost: 1n })),
    }
    const suppliersIn = (epoch: number) => {
      const clearing = clearEpoch({ ...tied, epoch, salt: epochSalt(epoch, tied.resourceClass, SEED) })
      const suppliers = clearing.result.sellerOutcomes.filter((s) => s.units > 0)
      assert.equal(suppliers.length, 5)
      return suppliers.map((s) => clearing.sellerBidIds.get(s.id)).join()
    }
    const outcomes = new Set(Array.from({ length: 8 }, (_, epoch) => suppliersIn(epoch)))
    assert.ok(outcomes.size > 1, 'the same asks won every epoch: ids are not salted')
  })

  it('hashes the documented text: the canonical JSON of the result, under the result/v1 tag', () => {
    const { body, clearing } = buildSeal(auction)
    assert.equal(clearing.resultText, encodeClearingResult(clearing.result))
    const expected = createHash('sha256')
      .update(`prover-mesh/dara/result/v1\n${clearing.resultText}`)
      .digest('hex')
    assert.equal(body.resultHash, expected)
  })

  it('verifies whatever order the bids are held in, extra bids held included', () => {
    const { body, clearing } = buildSeal(auction)
    const extra = { bidId: 'task-extra', units: 1, price: 50n }
    const listedOrder = {
      ...auction,
      buyers: body.buyerBidIds.map((id) => auction.buyers.find((b) => b.bidId === id)!),
      sellers: body.sellerBidIds.map((id) => auction.sellers.find((s) => s.bidId === id)!),
    }
    assert.equal(verifySeal(body, listedOrder).resultText, clearing.resultText)
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...auction.buyers, extra], { minLength: auction.buyers.length + 1 }),
        fc.shuffledSubarray([...auction.sellers], { minLength: auction.sellers.length }),
        (buyers, sellers) => {
          const verified = verifySeal(body, { ...auction, buyers, sellers })
          assert.equal(verified.resultText, clearing.resultText)
          assert.deepEqual(verified.countedBuyerBidIds, body.buyerBidIds)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('uses the salt it is given, whatever bids are counted', () => {
    const subsets = [auction, { ...auction, buyers: auction.buyers.slice(1) }, { ...auction, sellers: [] }]
    for (const counted of subsets) assert.equal(clearEpoch(counted).salt, auction.salt)
  })

  it('rejects a salt that is not 64 lowercase hex digits (e.g. the seed passed by mistake)', () => {
    assert.throws(
      () => clearEpoch({ ...auction, salt: SEED }),
      (error: unknown) => error instanceof EpochInputError && error.field === 'salt',
    )
  })
})

describe('auction seals: a leader choosing the counted set', () => {
  // Eight asks at one cost, three units traded: the tie-break ids alone decide who supplies. The
  // leader's own ask is at the same cost; counting it or not must not reorder the others.
  const others = Array.from({ length: 8 }, (_, i) => ({ bidId: `ask-${i}`, units: 1, cost: 1n }))
  const leaderAsk = { bidId: 'ask-leader', units: 1, cost: 1n }
  const tied: EpochAuction = {
    ...auction,
    buyers: [
      { bidId: 'task', units: 3, price: 10n },
      { bidId: 'cheap-task', units: 3, price: 2n },
    ],
    sellers: [...others, leaderAsk],
  }
  const withoutLeader: EpochAuction = { ...tied, sellers: others }
  const withSecondLeaderAsk: EpochAuction = {
    ...tied,
    sellers: [...tied.sellers, { bidId: 'ask-leader-2', units: 1, cost: 1n }],
  }

  /** Bid id → tie-break id, for the bids of others. */
  function othersTieBreakIds(counted: EpochAuction): Map<string, string> {
    const clearing = clearEpoch(counted)
    const byBidId = new Map([...clearing.sellerBidIds].map(([tieBreak, bidId]) => [bidId, tieBreak]))
    return new Map(others.map((ask) => [ask.bidId, byBidId.get(ask.bidId)!]))
  }

  /** The others' asks in the order the auction ranks them (cost, then tie-break id). */
  function othersInRankOrder(counted: EpochAuction): string[] {
    const clearing = clearEpoch(counted)
    const ranked = clearing.result.sellerOutcomes.map((s) => clearing.sellerBidIds.get(s.id)!)
    return ranked.filter((bidId) => others.some((ask) => ask.bidId === bidId))
  }

  it('cannot change another bid’s tie-break id by omitting or adding one of its own', () => {
    const honest = othersTieBreakIds(tied)
    assert.deepEqual(othersTieBreakIds(withoutLeader), honest)
    assert.deepEqual(othersTieBreakIds(withSecondLeaderAsk), honest)
  })

  it('cannot change the rank of the other bids among themselves either', () => {
    const honest = othersInRankOrder(tied)
    assert.deepEqual(othersInRankOrder(withoutLeader), honest)
    assert.deepEqual(othersInRankOrder(withSecondLeaderAsk), honest)
  })
})
