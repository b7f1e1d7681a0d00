// EpochDriver judging seals and asks without a network: a fixed clock, hand-signed asks, announces
// and seals. Every wrong seal must be refused with its code, kept as a fault, and change nothing else.
import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { epochLeader, sortIds } from '../../auction/epoch.ts'
import { buildSeal } from '../../auction/seal.ts'
import { askBidId, buyerBidId } from '../../node/market/bids.ts'
import { EpochDriver } from '../../node/market/epoch-driver.ts'
import { configOperatorSet } from '../../node/market/operators.ts'
import type { AuctionContext } from '../../node/seams.ts'
import { waitFor } from '../network/helpers.ts'
import {
  Ask,
  Seal,
  buildJobDemand,
  fromHex,
  openEnvelope,
  peerIdBytesOf,
  sealEnvelope,
  sha256,
} from '../../protocol/index.ts'

const CLASS = 'sum/leaf'
const GENESIS = 1_700_000_000_000
const schedule = { genesisMs: GENESIS, epochMs: 1000, graceMs: 100 }
const EPOCH = 10
/** Just after EPOCH's cut-off: its seal is due. */
const AFTER_CUTOFF = GENESIS + (EPOCH + 1) * 1000 + 150
const address = (i: number) => `0x${String(i + 1).repeat(40)}`

describe('EpochDriver seal and ask checks (no network)', function () {
  let keys: PrivateKey[]
  let gateway: PrivateKey
  let now: number
  let driver: EpochDriver
  let leader: number
  let other: number

  before(async () => {
    keys = [
      await generateKeyPair('Ed25519'),
      await generateKeyPair('Ed25519'),
      await generateKeyPair('Ed25519'),
    ]
    gateway = await generateKeyPair('Ed25519')
    leader = keys.findIndex(
      (_, i) =>
        address(i) ===
        epochLeader(
          EPOCH,
          CLASS,
          keys.map((_k, j) => address(j)),
        ),
    )
    other = (leader + 1) % keys.length
  })

  /** A driver on the test clock; with `operator`, one that seals the epochs that operator leads. */
  function newDriver(operator?: string) {
    return new EpochDriver({
      schedule,
      operators: configOperatorSet(
        keys.map((k, i) => ({ address: address(i), peerId: peerIdFromPrivateKey(k).toString() })),
      ),
      ...(operator !== undefined ? { operator } : {}),
      clock: { now: () => now },
      reserves: () => ({ buyerFloor: 10n, sellerCeiling: 10n }),
    })
  }

  beforeEach(() => {
    now = GENESIS + EPOCH * 1000 + 300
    driver = newDriver()
  })

  async function ask(i: number, over: Partial<Ask> = {}, signer = keys[i]!) {
    const body = Ask.encode({
      version: 1,
      epoch: BigInt(EPOCH),
      class: CLASS,
      capacityUnits: 3n,
      costPerUnit: BigInt(2 + i),
      operator: fromHex(address(i).slice(2)),
      peer: peerIdBytesOf(signer.publicKey.raw),
      ...over,
    })
    return { envelope: await sealEnvelope('Ask', body, signer), bidId: askBidId(body) }
  }

  let nonce = 0
  /** A JobDemand of `units` leaf jobs of a fresh task: `units` buyer bids of one unit each. */
  async function task(units = 2) {
    const taskId = sha256(new TextEncoder().encode(`task ${nonce++}`))
    const jobIndexes = Array.from({ length: units }, (_, i) => i)
    const envelope = await buildJobDemand(
      {
        taskId,
        proofType: 'sum',
        class: CLASS,
        jobIndexes,
        round: 1,
        maxPricePerUnit: 20n,
        deadlineMs: BigInt(GENESIS + 3_600_000),
      },
      gateway,
    )
    return { envelope, bidIds: jobIndexes.map((j) => buyerBidId(taskId, j, 1)) }
  }

  /** Seals `bids` (the right result unless `resultHash` is given) with operator `signer`'s key. */
  async function seal(signer: number, askIds: string[], buyerIds: string[], over: Partial<Seal> = {}) {
    const body = Seal.encode({
      version: 1,
      epoch: BigInt(EPOCH),
      class: CLASS,
      leader: peerIdBytesOf(keys[signer]!.publicKey.raw),
      bidIds: sortIds([...askIds, ...buyerIds]).map(fromHex),
      resultHash: new Uint8Array(32),
      ...over,
    })
    return sealEnvelope('Seal', body, keys[signer]!)
  }

  /** The honest seal of (EPOCH, CLASS) over the given asks and tasks, computed with auction/seal.ts. */
  async function honestSeal(
    asks: { envelope: Uint8Array }[],
    tasks: { bidIds: string[] }[],
    over: Partial<Seal> = {},
  ) {
    const sellers = await Promise.all(
      asks.map(async ({ envelope }) => {
        const { body } = await openEnvelope(envelope, 'Ask')
        const a = Ask.decode(body)
        return { bidId: askBidId(body), units: Number(a.capacityUnits), cost: a.costPerUnit }
      }),
    )
    const buyers = await Promise.all(
      tasks.flatMap((t) => t.bidIds.map((bidId) => ({ bidId, units: 1, price: 20n }) as const)),
    )
    const { body } = buildSeal({
      epoch: EPOCH,
      resourceClass: CLASS,
      buyers,
      sellers,
      reserves: { buyerFloor: 10n, sellerCeiling: 10n },
    })
    return seal(leader, body.sellerBidIds as string[], body.buyerBidIds as string[], {
      resultHash: fromHex(body.resultHash),
      ...over,
    })
  }

  async function market() {
    const asks = [await ask(0), await ask(1), await ask(2)]
    for (const a of asks) assert.equal(await driver.checkAsk(a.envelope), undefined)
    const tasks = [await task(), await task()]
    for (const t of tasks) driver.onDemandEnvelope(t.envelope)
    // onDemandEnvelope validates asynchronously; let it finish.
    await new Promise((r) => setTimeout(r, 20))
    now = AFTER_CUTOFF
    return { asks, tasks }
  }

  it('accepts the leader seal whose result it recomputes, and records the allocation', async function () {
    const { asks, tasks } = await market()
    assert.equal(await driver.checkSeal(await honestSeal(asks, tasks)), undefined)
    const allocation = driver.allocation(EPOCH, CLASS)
    assert.ok(allocation)
    assert.equal(allocation.trade, true)
    assert.equal(allocation.units, 4)
    assert.equal(allocation.buyerPrice, '10')
    assert.equal(
      allocation.assignment.reduce((n, a) => n + a.units, 0),
      4,
    )
    assert.deepEqual(driver.faults(), [])
    assert.equal(driver.counters().sealsAccepted, 1)
    assert.equal(driver.counters().bidsOmitted, 0)
  })

  it("holds a restarted gateway's resumed demand out of its own count, and accepts a seal that counts it", async function () {
    const asks = [await ask(0), await ask(1), await ask(2)]
    for (const a of asks) assert.equal(await driver.checkAsk(a.envelope), undefined)
    const resumed = await task()
    driver.onDemandEnvelope(resumed.envelope, 'resumed')
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(driver.pendingDemand().get(CLASS), undefined, 'an earlier seal may have counted these bids')
    now = AFTER_CUTOFF
    assert.equal(await driver.checkSeal(await honestSeal(asks, [resumed])), undefined)
    assert.equal(driver.allocation(EPOCH, CLASS)?.units, 2)
    // The same demand offered as new is counted at once.
    const fresh = await task()
    driver.onDemandEnvelope(fresh.envelope)
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(driver.pendingDemand().get(CLASS), 2)
  })

  it('rejects a wrong result hash as RESULT_MISMATCH, keeps the evidence, changes nothing else', async function () {
    const { asks, tasks } = await market()
    const wrong = await honestSeal(asks, tasks, { resultHash: new Uint8Array(32).fill(1) })
    assert.match((await driver.checkSeal(wrong)) ?? '', /^RESULT_MISMATCH/)
    assert.equal(driver.allocation(EPOCH, CLASS), undefined)
    const [fault] = driver.faults()
    assert.equal(fault?.code, 'RESULT_MISMATCH')
    assert.equal(fault?.signer, peerIdFromPrivateKey(keys[leader]!).toString())
    assert.equal(fault?.sealEnvelope, Buffer.from(wrong).toString('hex'))
    // The bids are untouched: the honest seal is still accepted.
    assert.equal(await driver.checkSeal(await honestSeal(asks, tasks)), undefined)
  })

  it('rejects a seal signed by an operator that does not lead the epoch (NOT_LEADER)', async function () {
    const { asks, tasks } = await market()
    const right = await honestSeal(asks, tasks)
    const body = Seal.decode((await openEnvelope(right, 'Seal')).body)
    const forged = await seal(other, [], [], { bidIds: body.bidIds, resultHash: body.resultHash })
    assert.match((await driver.checkSeal(forged)) ?? '', /^NOT_LEADER/)
    assert.equal(driver.faults()[0]?.code, 'NOT_LEADER')
  })

  it('rejects a seal before its cut-off (EARLY) or after the next one (LATE)', async function () {
    const { asks, tasks } = await market()
    const right = await honestSeal(asks, tasks)
    now = GENESIS + (EPOCH - 1) * 1000
    assert.match((await driver.checkSeal(right)) ?? '', /^EARLY/)
    now = AFTER_CUTOFF + 1000
    assert.match((await driver.checkSeal(right)) ?? '', /^LATE/)
    assert.equal(driver.allocation(EPOCH, CLASS), undefined)
  })

  it('rejects a second, different seal for the same auction as EQUIVOCATION', async function () {
    const { asks, tasks } = await market()
    assert.equal(await driver.checkSeal(await honestSeal(asks, tasks)), undefined)
    const second = await honestSeal(asks.slice(0, 2), tasks)
    assert.match((await driver.checkSeal(second)) ?? '', /^EQUIVOCATION/)
    assert.equal(driver.faults()[0]?.conflictsWith, driver.allocation(EPOCH, CLASS)?.resultHash)
  })

  it('rejects a seal listing a bid nobody can produce (MISSING_BIDS)', async function () {
    const { asks, tasks } = await market()
    const unknown = 'ab'.repeat(32)
    const right = Seal.decode((await openEnvelope(await honestSeal(asks, tasks), 'Seal')).body)
    const ids = [...right.bidIds.map((b) => Buffer.from(b).toString('hex')), unknown]
    const withUnknown = await seal(leader, ids, [], { resultHash: right.resultHash })
    assert.match((await driver.checkSeal(withUnknown)) ?? '', /^MISSING_BIDS/)
  })

  it('rejects a seal that counts two asks of one peer (BAD_BID)', async function () {
    const { asks, tasks } = await market()
    const second = await ask(0, { costPerUnit: 9n })
    assert.equal(await driver.checkAsk(second.envelope), undefined)
    const doubled = await honestSeal([...asks, second], tasks)
    assert.match((await driver.checkSeal(doubled)) ?? '', /^BAD_BID.*second ask/)
  })

  it('counts held bids a seal omitted, and keeps them for the next epoch', async function () {
    const { asks, tasks } = await market()
    assert.equal(await driver.checkSeal(await honestSeal(asks.slice(0, 2), tasks)), undefined)
    assert.equal(driver.counters().bidsOmitted, 1)
    // Still pending: the omitted ask only (every buyer won).
    assert.equal((driver.status() as { pendingBids: number }).pendingBids, 1)
  })

  /**
   * The leader's own driver, started with a stand-in for the node (no streams, no peers) that keeps
   * what it publishes; `now` stays in EPOCH until the caller moves it.
   */
  async function leaderDriver() {
    const own = newDriver(address(leader))
    const sealedEpochs: number[] = []
    const host = { handle: async () => {}, unhandle: async () => {}, getPeers: () => [] }
    await own.start({
      host: host as unknown as AuctionContext['host'],
      key: keys[leader]!,
      registry: new Registry(),
      publish: async (topic, bytes) => {
        if (topic === 'seals')
          sealedEpochs.push(Number(Seal.decode((await openEnvelope(bytes, 'Seal')).body).epoch))
      },
    })
    for (const i of [0, 1, 2]) assert.equal(await own.checkAsk((await ask(i)).envelope), undefined)
    own.onDemandEnvelope((await task()).envelope)
    await new Promise((r) => setTimeout(r, 20))
    return { own, sealedEpochs }
  }

  it('a leader seals its epoch after the cut-off, but not when its tick comes after the next cut-off', async function () {
    const onTime = await leaderDriver()
    now = AFTER_CUTOFF
    await waitFor('the seal of the epoch', async () => onTime.sealedEpochs.includes(EPOCH), 5_000)
    await onTime.own.stop()
    assert.equal(onTime.own.counters().sealsPublished, 1)

    now = GENESIS + EPOCH * 1000 + 300
    const late = await leaderDriver()
    // A stalled process: the first tick after EPOCH's cut-off comes after the next one too.
    now = AFTER_CUTOFF + 1000
    await new Promise((r) => setTimeout(r, 300))
    await late.own.stop()
    assert.ok(!late.sealedEpochs.includes(EPOCH), 'every node would refuse it as LATE')
    assert.deepEqual(late.own.faults(), [], 'and it records no fault against itself')
  })

  it('refuses asks from non-operators, unbound peers, far epochs and garbage without storing them', async function () {
    const stranger = await generateKeyPair('Ed25519')
    const cases: [string, Uint8Array, RegExp][] = [
      ['unlisted operator', (await ask(0, { operator: fromHex('99'.repeat(20)) })).envelope, /operator/],
      ['operator bound to another peer', (await ask(0, {}, stranger)).envelope, /peer/],
      ['epoch far ahead', (await ask(0, { epoch: BigInt(EPOCH + 5) })).envelope, /too far ahead/],
      ['zero capacity', (await ask(0, { capacityUnits: 0n })).envelope, /capacity_units/],
      ['not an envelope', new Uint8Array([1, 2, 3]), /./],
    ]
    for (const [what, envelope, reason] of cases) {
      assert.match((await driver.checkAsk(envelope)) ?? 'accepted', reason, what)
    }
    assert.equal((driver.status() as { pendingBids: number }).pendingBids, 0)
  })
})
