// Epoch bookkeeping: pure functions of the time passed in.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import {
  cutoffMs,
  epochIndex,
  epochLeader,
  epochSalt,
  epochStartMs,
  leaderRanking,
  placeBid,
  tieBreakId,
  type EpochSchedule,
} from '../../auction/epoch.ts'
import { EpochInputError } from '../../auction/errors.ts'

const schedule: EpochSchedule = { genesisMs: 1_000_000, epochMs: 12_000, graceMs: 2_000 }
const operators = Array.from({ length: 7 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`)

describe('auction epochs', () => {
  it('numbers epochs from genesis in fixed windows', () => {
    assert.equal(epochIndex(schedule, 1_000_000), 0)
    assert.equal(epochIndex(schedule, 1_011_999), 0)
    assert.equal(epochIndex(schedule, 1_012_000), 1)
    assert.equal(epochStartMs(schedule, 5), 1_060_000)
    assert.equal(cutoffMs(schedule, 0), 1_014_000)
    assert.throws(() => epochIndex(schedule, 999_999), EpochInputError)
  })

  it('counts a bid in the epoch it names until that epoch’s cut-off, grace included', () => {
    assert.deepEqual(placeBid(schedule, 1_005_000, 0), { epoch: 0, late: false })
    // After the window but within the grace: still on time for epoch 0.
    assert.deepEqual(placeBid(schedule, 1_013_999, 0), { epoch: 0, late: false })
    // Bids for a future epoch wait for it.
    assert.deepEqual(placeBid(schedule, 1_005_000, 3), { epoch: 3, late: false })
  })

  it('rolls a late bid into the earliest epoch still open', () => {
    assert.deepEqual(placeBid(schedule, 1_014_000, 0), { epoch: 1, late: true })
    assert.deepEqual(placeBid(schedule, 1_040_000, 0), { epoch: 3, late: true })
    assert.deepEqual(placeBid(schedule, 1_040_000), { epoch: 3, late: false })
  })

  it('places every bid in an epoch whose cut-off is after its arrival, and never earlier than asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        (arrival, target) => {
          const { epoch, late } = placeBid(schedule, arrival, target)
          assert.ok(cutoffMs(schedule, epoch) > arrival)
          assert.ok(epoch >= target)
          assert.equal(late, epoch !== target)
          // The earliest open epoch: the one before it had closed (or it is epoch 0).
          if (late) assert.ok(epoch === 0 || cutoffMs(schedule, epoch - 1) <= arrival)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('rejects a grace as long as the epoch, and non-integer times', () => {
    assert.throws(() => placeBid({ ...schedule, graceMs: 12_000 }, 1_000_000), /graceMs/)
    assert.throws(() => placeBid(schedule, 1.5), /arrivalMs/)
  })
})

describe('auction epoch leader', () => {
  it('is the operator with the smallest documented hash, whatever the list order', () => {
    const expected = [...operators].sort((a, b) => {
      const key = (address: string) =>
        createHash('sha256').update(`prover-mesh/dara/leader/v1\n7\n"sum/leaf"\n${address}`).digest('hex')
      return key(a) < key(b) ? -1 : 1
    })
    assert.deepEqual(leaderRanking(7, 'sum/leaf', operators), expected)
    assert.equal(epochLeader(7, 'sum/leaf', [...operators].reverse()), expected[0])
  })

  it('changes with the epoch and the class', () => {
    const leaders = new Set<string | undefined>()
    for (let epoch = 0; epoch < 20; epoch++) leaders.add(epochLeader(epoch, 'sum/leaf', operators))
    assert.ok(leaders.size > 1, 'one operator sealed 20 epochs in a row')
    const byClass = new Set(
      ['sum/leaf', 'hashchain/leaf', 'aggregate'].map((c) => leaderRanking(3, c, operators).join()),
    )
    assert.equal(byClass.size, 3)
  })

  it('ignores address case but rejects duplicates and non-addresses', () => {
    assert.equal(
      epochLeader(1, 'c', operators),
      epochLeader(
        1,
        'c',
        operators.map((a) => a.toUpperCase().replace('0X', '0x')),
      ),
    )
    assert.throws(
      () => leaderRanking(1, 'c', [operators[0]!, operators[0]!.toUpperCase().replace('0X', '0x')]),
      /twice/,
    )
    assert.throws(() => leaderRanking(1, 'c', ['0x1234']), /not a 0x address/)
    assert.equal(epochLeader(1, 'c', []), undefined)
  })
})

describe('auction tie-break ids', () => {
  const seed = 'prover-mesh/test'

  it('salt is sha256 of the documented text: epoch, class and seed, no bids', () => {
    const expected = createHash('sha256')
      .update(`prover-mesh/dara/salt/v2\n4\n"sum/leaf"\n${seed}`)
      .digest('hex')
    assert.equal(epochSalt(4, 'sum/leaf', seed), expected)
  })

  it('salt differs between seeds, epochs and classes', () => {
    const salts = new Set([
      epochSalt(4, 'sum/leaf', seed),
      epochSalt(4, 'sum/leaf', 'prover-mesh/other'),
      epochSalt(5, 'sum/leaf', seed),
      epochSalt(4, 'hashchain/leaf', seed),
    ])
    assert.equal(salts.size, 4)
  })

  it('rejects an empty, over-long or ill-formed seed, naming it', () => {
    const seedError = (error: unknown) => error instanceof EpochInputError && error.field === 'seed'
    assert.throws(() => epochSalt(4, 'sum/leaf', ''), seedError)
    assert.throws(() => epochSalt(4, 'sum/leaf', 'x'.repeat(257)), seedError)
    assert.throws(() => epochSalt(4, 'sum/leaf', 'seed\ud800'), seedError)
    assert.throws(() => epochSalt(4, 'sum/leaf', 42 as unknown as string), seedError)
    assert.match(epochSalt(4, 'sum/leaf', 'x'.repeat(256)), /^[0-9a-f]{64}$/)
    assert.throws(() => epochSalt(-1, 'sum/leaf', seed), /epoch/)
  })

  it('tie-break id is sha256 of the documented text, 64 hex digits', () => {
    const salt = epochSalt(0, 'c', seed)
    const expected = createHash('sha256').update(`prover-mesh/dara/tiebreak/v1\n${salt}\nbid-1`).digest('hex')
    assert.equal(tieBreakId('bid-1', salt), expected)
    assert.match(expected, /^[0-9a-f]{64}$/)
  })
})
