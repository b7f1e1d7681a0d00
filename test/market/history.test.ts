import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EpochAllocation } from '../../node/market/epoch-driver.ts'
import {
  CSV_COLUMNS,
  formatHistory,
  HistoryQueryError,
  MarketHistory,
  parseHistoryQuery,
} from '../../node/market/history.ts'

function allocation(epoch: number, resourceClass = 'sum/leaf', units = 1): EpochAllocation {
  return {
    epoch,
    resourceClass,
    leader: '12D3KooWLeader',
    resultHash: `${epoch}`.padStart(64, 'a'),
    bidIds: ['b1', 'b2', 'b3'],
    trade: units > 0,
    buyerPrice: units > 0 ? '7' : null,
    sellerPrice: units > 0 ? '5' : null,
    units,
    lowestAsk: '3',
    assignment: Array.from({ length: units }, (_, i) => ({
      taskId: 'ff'.repeat(32),
      jobIndex: i,
      gateway: '12D3KooWGateway',
      proofType: 'sum',
      round: 0,
      operator: '0x' + '11'.repeat(20),
      units: 1,
    })),
  }
}

describe('market history (level, bounded)', () => {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pm-history-'))
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('keeps the newest `limit` seals, drops the oldest, and survives a restart', async () => {
    const path = join(dir, 'h')
    const history = await MarketHistory.open(path, 3)
    // Out of order on purpose (a catch-up brings old seals late): the oldest epoch goes, not the first added.
    for (const epoch of [5, 2, 7, 9]) await history.add(allocation(epoch))
    assert.deepEqual(
      history.entries().map((e) => e.epoch),
      [5, 7, 9],
    )
    await history.add(allocation(1)) // older than all it keeps: dropped at once
    assert.deepEqual(
      history.entries().map((e) => e.epoch),
      [5, 7, 9],
    )
    await history.add(allocation(9)) // a second copy of one seal replaces it, drops nothing
    assert.equal(history.size, 3)
    await history.close()

    const reopened = await MarketHistory.open(path, 3)
    assert.deepEqual(
      reopened.entries().map((e) => [e.epoch, e.resourceClass, e.countedBids, e.buyerPrice]),
      [
        [5, 'sum/leaf', 3, '7'],
        [7, 'sum/leaf', 3, '7'],
        [9, 'sum/leaf', 3, '7'],
      ],
    )
    await reopened.close()
    // Reopened with a smaller limit: trimmed to it, on disk too.
    const smaller = await MarketHistory.open(path, 2)
    assert.deepEqual(
      smaller.entries().map((e) => e.epoch),
      [7, 9],
    )
    await smaller.close()
    const again = await MarketHistory.open(path, 3)
    assert.equal(again.size, 2)
    assert.deepEqual(
      again.entries({ fromEpoch: 8 }).map((e) => e.epoch),
      [9],
    )
    assert.deepEqual(
      again.entries({ limit: 1 }).map((e) => e.epoch),
      [9],
    )
    await again.close()
  })

  it('formats JSONL (one entry a line) and CSV (header, quoted fields, assignment pieces)', () => {
    const entries = [allocation(4, 'sum/leaf', 2), allocation(5, 'odd,"class"', 0)].map((a) => ({
      epoch: a.epoch,
      resourceClass: a.resourceClass,
      leader: a.leader,
      resultHash: a.resultHash,
      countedBids: a.bidIds.length,
      trade: a.trade,
      buyerPrice: a.buyerPrice,
      sellerPrice: a.sellerPrice,
      units: a.units,
      lowestAsk: a.lowestAsk,
      assignment: a.assignment.map((p) => ({
        taskId: p.taskId,
        jobIndex: p.jobIndex,
        operator: p.operator,
        units: p.units,
      })),
    }))
    const jsonl = formatHistory(entries, 'jsonl').split('\n')
    assert.equal(jsonl.length, 3)
    assert.equal(jsonl[2], '')
    assert.deepEqual(JSON.parse(jsonl[0]!), entries[0])
    const csv = formatHistory(entries, 'csv').split('\r\n')
    assert.equal(csv[0], CSV_COLUMNS.join(','))
    const op = '0x' + '11'.repeat(20)
    const task = 'ff'.repeat(32)
    assert.equal(
      csv[1],
      `4,sum/leaf,12D3KooWLeader,${entries[0]!.resultHash},3,true,7,5,2,3,${task}:0=${op} ${task}:1=${op}`,
    )
    assert.equal(csv[2], `5,"odd,""class""",12D3KooWLeader,${entries[1]!.resultHash},3,false,,,0,3,`)
    assert.equal(csv[3], '')
  })

  it('parses a query and refuses a bad one naming the parameter', () => {
    assert.deepEqual(parseHistoryQuery(new URLSearchParams('')), { format: 'jsonl' })
    assert.deepEqual(parseHistoryQuery(new URLSearchParams('format=csv&from=3&limit=10')), {
      format: 'csv',
      fromEpoch: 3,
      limit: 10,
    })
    const bad: [string, string][] = [
      ['format=xml', 'format'],
      ['from=-1', 'from'],
      ['limit=0', 'limit'],
      ['limit=1e3', 'limit'],
      ['epoch=3', 'epoch'],
    ]
    for (const [query, field] of bad)
      assert.throws(
        () => parseHistoryQuery(new URLSearchParams(query)),
        (e: unknown) => e instanceof HistoryQueryError && e.field === field,
        query,
      )
  })
})
