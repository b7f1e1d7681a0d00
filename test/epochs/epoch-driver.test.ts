// EpochDriver judging seals and asks without a network: a fixed clock, hand-signed asks, announces
// and seals. Every wrong seal must be refused with its code, kept as a fault, and change nothing else.
import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { epochLeader, epochSalt, sortIds } from '../../auction/epoch.ts'
import { buildSeal } from '../../auction/seal.ts'
import { askBidId, buyerBidId } from '../../node/market/bids.ts'
import { DEV_SALT_SEED, EpochDriver } from '../../node/market/epoch-driver.ts'
import { configOperatorSet, type OperatorSet } from '../../node/market/operators.ts'
import type { AuctionContext } from '../../node/seams.ts'
import { MarketRefusal } from '../../auction/verdicts.ts'
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
    // Demands count only from a gateway that is a bound operator: operator 0's peer.
    gateway = keys[0]!
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
  const configured = () =>
    configOperatorSet(
      keys.map((k, i) => ({ address: address(i), peerId: peerIdFromPrivateKey(k).toString() })),
    )

  function newDriver(operator?: string, operators: OperatorSet = configured()) {
    return new EpochDriver({
      schedule,
      operators,
      ...(operator !== undefined ? { operator } : {}),
      clock: { now: () => now },
      reserves: () => ({ buyerFloor: 10n, sellerCeiling: 10n }),
    })
  }

  /** The refusal `check` ends with; fails the test if it accepts. */
  async function refusal(check: Promise<void>): Promise<MarketRefusal> {
    try {
      await check
    } catch (error) {
      if (error instanceof MarketRefusal) return error
      throw error
    }
    assert.fail('the message was accepted')
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
  async function task(units = 2, signer = gateway, resourceClass = CLASS) {
    const taskId = sha256(new TextEncoder().encode(`task ${nonce++}`))
    const jobIndexes = Array.from({ length: units }, (_, i) => i)
    const envelope = await buildJobDemand(
      {
        taskId,
        proofType: 'sum',
        class: resourceClass,
        jobIndexes,
        round: 1,
        maxPricePerUnit: 20n,
        deadlineMs: BigInt(GENESIS + 3_600_000),
      },
      signer,
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
      salt: epochSalt(EPOCH, CLASS, DEV_SALT_SEED),
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
    for (const a of asks) await driver.checkAsk(a.envelope)
    const tasks = [await task(), await task()]
    for (const t of tasks) await driver.onDemandEnvelope(t.envelope)
    now = AFTER_CUTOFF
    return { asks, tasks }
  }

  it('accepts the leader seal whose result it recomputes, and records the allocation', async function () {
    const { asks, tasks } = await market()
    await driver.checkSeal(await honestSeal(asks, tasks))
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
    for (const a of asks) await driver.checkAsk(a.envelope)
    const resumed = await task()
    await driver.onDemandEnvelope(resumed.envelope, 'resumed')
    assert.equal(driver.pendingDemand().get(CLASS), undefined, 'an earlier seal may have counted these bids')
    now = AFTER_CUTOFF
    await driver.checkSeal(await honestSeal(asks, [resumed]))
    assert.equal(driver.allocation(EPOCH, CLASS)?.units, 2)
    // The same demand offered as new is counted at once.
    const fresh = await task()
    await driver.onDemandEnvelope(fresh.envelope)
    assert.equal(driver.pendingDemand().get(CLASS), 2)
  })

  it('rejects a wrong result hash as RESULT_MISMATCH, keeps the evidence, changes nothing else', async function () {
    const { asks, tasks } = await market()
    const wrong = await honestSeal(asks, tasks, { resultHash: new Uint8Array(32).fill(1) })
    const refused = await refusal(driver.checkSeal(wrong))
    assert.equal(refused.code, 'RESULT_MISMATCH')
    assert.equal(refused.action, 'reject')
    assert.equal(driver.allocation(EPOCH, CLASS), undefined)
    const [fault] = driver.faults()
    assert.equal(fault?.code, 'RESULT_MISMATCH')
    assert.equal(fault?.signer, peerIdFromPrivateKey(keys[leader]!).toString())
    assert.equal(fault?.sealEnvelope, Buffer.from(wrong).toString('hex'))
    // The bids are untouched: the honest seal is still accepted.
    await driver.checkSeal(await honestSeal(asks, tasks))
  })

  it('rejects a seal signed by an operator that does not lead the epoch (NOT_LEADER)', async function () {
    const { asks, tasks } = await market()
    const right = await honestSeal(asks, tasks)
    const body = Seal.decode((await openEnvelope(right, 'Seal')).body)
    const forged = await seal(other, [], [], { bidIds: body.bidIds, resultHash: body.resultHash })
    assert.equal((await refusal(driver.checkSeal(forged))).code, 'NOT_LEADER')
    assert.equal(driver.faults()[0]?.code, 'NOT_LEADER')
  })

  it('ignores, unpunished and unrecorded, a seal before its cut-off (EARLY) or after the next one (LATE)', async function () {
    const { asks, tasks } = await market()
    const right = await honestSeal(asks, tasks)
    now = GENESIS + (EPOCH - 1) * 1000
    const early = await refusal(driver.checkSeal(right))
    assert.deepEqual([early.code, early.action], ['EARLY', 'ignore'], 'a clock ahead is no proof of fault')
    now = AFTER_CUTOFF + 1000
    const late = await refusal(driver.checkSeal(right))
    assert.deepEqual([late.code, late.action], ['LATE', 'ignore'], 'a slow relay is no proof of fault')
    assert.equal(driver.allocation(EPOCH, CLASS), undefined)
    assert.deepEqual(driver.faults(), [], 'no fault is recorded against the leader')
  })

  it('rejects a second, different seal for the same auction as EQUIVOCATION', async function () {
    const { asks, tasks } = await market()
    const first = await honestSeal(asks, tasks)
    await driver.checkSeal(first)
    const again = await refusal(driver.checkSeal(first))
    assert.deepEqual([again.code, again.action], ['DUPLICATE', 'ignore'], 'the same seal again is no fault')
    const second = await honestSeal(asks.slice(0, 2), tasks)
    const refused = await refusal(driver.checkSeal(second))
    assert.deepEqual([refused.code, refused.action], ['EQUIVOCATION', 'reject'])
    const [fault] = driver.faults()
    assert.equal(fault?.conflictsWith, driver.allocation(EPOCH, CLASS)?.resultHash)
    // Both signed seals are the evidence: anyone can check the two signatures and see they differ.
    assert.equal(fault?.sealEnvelope, Buffer.from(second).toString('hex'))
    assert.equal(fault?.conflictingEnvelope, Buffer.from(first).toString('hex'))
  })

  it('rejects a seal listing a bid nobody can produce (MISSING_BIDS)', async function () {
    const { asks, tasks } = await market()
    const unknown = 'ab'.repeat(32)
    const right = Seal.decode((await openEnvelope(await honestSeal(asks, tasks), 'Seal')).body)
    const ids = [...right.bidIds.map((b) => Buffer.from(b).toString('hex')), unknown]
    const withUnknown = await seal(leader, ids, [], { resultHash: right.resultHash })
    const refused = await refusal(driver.checkSeal(withUnknown))
    // This node's fetch may be what failed: dropped, not held against the leader.
    assert.deepEqual([refused.code, refused.action], ['MISSING_BIDS', 'ignore'])
    assert.deepEqual(driver.faults(), [])
  })

  it('rejects a seal that counts two asks of one peer (BAD_BID)', async function () {
    const { asks, tasks } = await market()
    const second = await ask(0, { costPerUnit: 9n })
    await driver.checkAsk(second.envelope)
    const doubled = await honestSeal([...asks, second], tasks)
    const refused = await refusal(driver.checkSeal(doubled))
    assert.equal(refused.code, 'BAD_BID')
    assert.match(refused.message, /second ask/)
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
  async function leaderDriver(operators?: OperatorSet) {
    const own = newDriver(address(leader), operators)
    const sealedEpochs: number[] = []
    const sealed: Seal[] = []
    const host = { handle: async () => {}, unhandle: async () => {}, getPeers: () => [] }
    await own.start({
      host: host as unknown as AuctionContext['host'],
      key: keys[leader]!,
      registry: new Registry(),
      publish: async (topic, bytes) => {
        if (topic !== 'seals') return
        const body = Seal.decode((await openEnvelope(bytes, 'Seal')).body)
        sealed.push(body)
        sealedEpochs.push(Number(body.epoch))
      },
    })
    for (const i of [0, 1, 2]) await own.checkAsk((await ask(i)).envelope)
    await own.onDemandEnvelope((await task()).envelope)
    return { own, sealedEpochs, sealed }
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
    const cases: [string, Uint8Array, string, RegExp][] = [
      [
        'unlisted operator',
        (await ask(0, { operator: fromHex('99'.repeat(20)) })).envelope,
        'NOT_OPERATOR',
        /operator/,
      ],
      ['operator bound to another peer', (await ask(0, {}, stranger)).envelope, 'NOT_OPERATOR', /peer/],
      [
        'epoch far ahead',
        (await ask(0, { epoch: BigInt(EPOCH + 5) })).envelope,
        'OUT_OF_WINDOW',
        /too far ahead/,
      ],
      ['zero capacity', (await ask(0, { capacityUnits: 0n })).envelope, 'INVALID', /capacity_units/],
      ['not an envelope', new Uint8Array([1, 2, 3]), 'INVALID', /./],
    ]
    for (const [what, envelope, code, reason] of cases) {
      const refused = await refusal(driver.checkAsk(envelope))
      assert.equal(refused.code, code, what)
      assert.match(refused.message, reason, what)
    }
    assert.equal((driver.status() as { pendingBids: number }).pendingBids, 0)
  })

  it('takes demands only from gateways that are bound operators, in known classes, changing nothing otherwise', async function () {
    const stranger = await generateKeyPair('Ed25519')
    const unbound = await refusal(driver.checkDemand((await task(3, stranger)).envelope))
    assert.deepEqual([unbound.code, unbound.action], ['NOT_OPERATOR', 'reject'])
    const madeUp = await refusal(driver.checkDemand((await task(3, gateway, 'sum/made-up')).envelope))
    assert.deepEqual([madeUp.code, madeUp.action], ['UNKNOWN_CLASS', 'reject'])
    const garbage = await refusal(driver.checkDemand(new Uint8Array([9, 9, 9])))
    assert.deepEqual([garbage.code, garbage.action], ['INVALID', 'reject'])
    assert.equal((driver.status() as { pendingBids: number }).pendingBids, 0)
    assert.equal(driver.counters().demandsRefused, 1)
    await driver.checkDemand((await task(3)).envelope)
    assert.equal(driver.pendingDemand().get(CLASS), 3)
  })

  it("bounds each gateway's share of the book, so one gateway's flood never displaces another's bids", async function () {
    const flooder = keys[1]!
    // Two full demands fill the flooder's share (2 × MAX_SEAL_BIDS pending bids)…
    for (let i = 0; i < 2; i++) await driver.checkDemand((await task(1024, flooder)).envelope)
    const full = await refusal(driver.checkDemand((await task(1024, flooder)).envelope))
    assert.deepEqual([full.code, full.action], ['SOURCE_FULL', 'ignore'])
    // …and an honest gateway's demand still gets in, and is counted by the leader's next seal.
    const honest = await task(2)
    await driver.checkDemand(honest.envelope)
    assert.equal(driver.pendingDemand().get(CLASS), 2048 + 2)

    now = GENESIS + EPOCH * 1000 + 300
    const { own, sealed } = await leaderDriver()
    for (let i = 0; i < 3; i++) await own.checkDemand((await task(1024, flooder)).envelope).catch(() => {})
    await own.checkDemand(honest.envelope)
    now = AFTER_CUTOFF
    await waitFor('the seal of the epoch', async () => sealed.some((s) => Number(s.epoch) === EPOCH), 5_000)
    await own.stop()
    const listed = new Set(
      sealed.find((s) => Number(s.epoch) === EPOCH)!.bidIds.map((b) => Buffer.from(b).toString('hex')),
    )
    for (const id of honest.bidIds)
      assert.ok(listed.has(id), 'the honest gateway’s bids are counted despite the flood')
    assert.ok(listed.size <= 1024, 'a seal counts at most MAX_SEAL_BIDS bids')
  })

  it('holds the demand of a gateway whose binding is not in force yet, and counts it only from the epoch it is', async function () {
    const newcomer = await generateKeyPair('Ed25519')
    const base = configured()
    const joined = configOperatorSet([
      ...keys.map((k, i) => ({ address: address(i), peerId: peerIdFromPrivateKey(k).toString() })),
      { address: address(3), peerId: peerIdFromPrivateKey(newcomer).toString() },
    ])
    // The newcomer's binding is in force from EPOCH + 1 on (auction/operator-set.ts).
    const settling: OperatorSet = {
      operators: (epoch) => (epoch > EPOCH ? joined : base).operators(epoch),
      peerOf: (address, epoch) => (epoch > EPOCH ? joined : base).peerOf(address, epoch),
    }
    const { own, sealed } = await leaderDriver(settling)
    const early = await task(2, newcomer)
    await own.checkDemand(early.envelope)
    assert.equal(
      own.pendingDemand().get(CLASS),
      2 + 2,
      'held (besides the 2 jobs of leaderDriver), not refused: it would be lost',
    )
    now = AFTER_CUTOFF
    await waitFor('the seal of the epoch', async () => sealed.some((s) => Number(s.epoch) === EPOCH), 5_000)
    await own.stop()
    const listed = sealed
      .find((s) => Number(s.epoch) === EPOCH)!
      .bidIds.map((b) => Buffer.from(b).toString('hex'))
    for (const id of early.bidIds) assert.ok(!listed.includes(id), 'not counted before it is in force')
    assert.equal(own.counters().bidsOmitted, 0, 'and not held against the leader as omitted')
    assert.equal(own.pendingDemand().get(CLASS), 2, 'still pending for the next epoch')
  })
})
