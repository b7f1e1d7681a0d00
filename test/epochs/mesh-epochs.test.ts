// The epoch protocol over real libp2p nodes on loopback: five nodes with skewed clocks clear the same
// auctions; a silent leader, a late bid and a wrong seal each delay clearing by one epoch at most and
// lose nothing. Node 4 is in the operator list but does not know it, so it never seals: when it leads,
// the epoch's leader is silent (and its key is used below to forge a wrong seal).
import assert from 'node:assert/strict'
import { cutoffMs, sortIds } from '../../auction/epoch.ts'
import { askBidId, buyerBidId } from '../../node/market/bids.ts'
import type { EpochAllocation } from '../../node/market/epoch-driver.ts'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import {
  Ask,
  BIDS_PROTOCOL,
  BidSet,
  FetchBids,
  MAX_BID_SET_BYTES,
  MAX_FETCH_BIDS_BYTES,
  MAX_SEAL_BIDS,
  Seal,
  buildJobDemand,
  fromHex,
  peerIdBytesOf,
  sealEnvelope,
  sha256,
  toHex,
} from '../../protocol/index.ts'
import { Cluster, rawDialer, tcpAddr, waitFor } from '../network/helpers.ts'
import {
  CLASS,
  enterEpoch,
  leaderOf,
  shuffle,
  sleep,
  startMarket,
  submitTask,
  leafBidId,
  type Market,
} from './market-cluster.ts'

const EPOCH_MS = 600
const GRACE_MS = 150
const SILENT = 4
/**
 * Bids go out this far into an epoch: after the previous epoch's grace, so that the earliest open
 * epoch (where a task's demand lands) is the current one on every node, skew included.
 */
const BID_AT_MS = GRACE_MS + 60

describe('epoch protocol (5 nodes on loopback, skewed clocks)', function () {
  const cluster = new Cluster()
  let market: Market

  before(async () => {
    const now = Date.now()
    const schedule = {
      genesisMs: now - (now % EPOCH_MS) - 100 * EPOCH_MS,
      epochMs: EPOCH_MS,
      graceMs: GRACE_MS,
    }
    market = await startMarket(cluster, [0, 35, -30, 20, -45], schedule, [SILENT])
  })
  after(() => cluster.stopAll())

  const members = () => market.members
  const honest = () => market.members.filter((_, i) => i !== SILENT)
  const silent = () => market.members[SILENT]!

  /** What each node saw, for failure messages. */
  const diagnose = async () =>
    JSON.stringify(
      await Promise.all(
        members().map(async ({ driver, node }) => ({
          sealVerdicts: (await node.metrics.gossipValidation.get()).values
            .filter((v) => v.labels.topic === 'seals')
            .map((v) => `${v.labels.verdict}/${v.labels.code}: ${v.value}`),
          faults: driver.faults().map((f) => `${f.epoch} ${f.code} ${f.reason}`),
          sealed: driver.allocations().map((a) => `${a.epoch}:${a.bidIds.length}`),
          counters: driver.counters(),
        })),
      ),
    )

  /** Waits until every node holds an accepted seal that lists all of `bidIds`; returns node 0's. */
  async function sealedEverywhere(what: string, bidIds: string[]): Promise<EpochAllocation[]> {
    const covering = (allocations: EpochAllocation[]) =>
      allocations.filter((a) => a.bidIds.some((id) => bidIds.includes(id)))
    try {
      await waitFor(
        `every node accepts a seal counting ${what}`,
        () =>
          members().every(({ driver }) => {
            const counted = new Set(covering(driver.allocations()).flatMap((a) => a.bidIds))
            return bidIds.every((id) => counted.has(id))
          }),
        15_000,
      )
    } catch (error) {
      throw new Error(`${(error as Error).message}\nnodes: ${await diagnose()}`, { cause: error })
    }
    const first = covering(members()[0]!.driver.allocations())
    for (const { driver } of members()) assert.deepEqual(covering(driver.allocations()), first)
    return first
  }

  it('every node reaches the same allocation every epoch, whatever the arrival order', async function () {
    const taskIds: string[] = []
    const askIds: string[] = []
    for (let round = 0; round < 3; round++) {
      await enterEpoch(market.schedule, BID_AT_MS)
      const sellers = shuffle(honest().slice()).slice(0, 3)
      const gateways = shuffle(members().slice()).slice(0, 2)
      // Asks and tasks enter at different nodes, in random order, with random gaps.
      const actions = shuffle([
        ...sellers.map((s, i) => async () => {
          askIds.push(await s.driver.offer({ resourceClass: CLASS, units: 4n, cost: BigInt(2 + i) }))
        }),
        ...gateways.map((g) => async () => {
          taskIds.push(await submitTask(g))
        }),
      ])
      await Promise.all(actions.map((act) => sleep(Math.random() * 60).then(act)))
    }
    const buyerIds = taskIds.map((t) => leafBidId(t))
    await sealedEverywhere('all asks and tasks', [...askIds, ...buyerIds])

    // Once no bids are left the seals stop, so every node's full list must be the same.
    await waitFor(
      'allocation lists to settle',
      () => {
        const lists = members().map((m) => JSON.stringify(m.driver.allocations()))
        return lists.every((l) => l === lists[0])
      },
      10_000,
    )
    const allocations = members()[0]!.driver.allocations()
    for (const { driver } of members()) assert.deepEqual(driver.allocations(), allocations)
    // Every task got its one unit exactly once, from an operator that offered, at the reserve price.
    const served = allocations.flatMap((a) => a.assignment)
    assert.deepEqual(served.map((s) => s.taskId).sort(), taskIds.slice().sort())
    assert.ok(served.every((s) => s.units === 1 && honest().some((m) => m.address === s.operator)))
    assert.ok(
      allocations.filter((a) => a.trade).every((a) => a.buyerPrice === '10' && a.sellerPrice === '10'),
    )
    for (const { driver } of members()) assert.deepEqual(driver.faults(), [])
  })

  it('a silent leader delays clearing by one epoch and loses nothing', async function () {
    const epoch = await enterEpoch(
      market.schedule,
      BID_AT_MS,
      (e) => leaderOf(market, e) === silent() && leaderOf(market, e + 1) !== silent(),
    )
    const [a, b] = honest()
    const bidIds = [
      await a!.driver.offer({ resourceClass: CLASS, units: 2n, cost: 3n }),
      await b!.driver.offer({ resourceClass: CLASS, units: 2n, cost: 4n }),
      leafBidId(await submitTask(b!)),
    ]
    const [allocation, ...more] = await sealedEverywhere('the bids of the silent epoch', bidIds)
    assert.equal(more.length, 0)
    assert.equal(allocation!.epoch, epoch + 1, `the next epoch cleared them; nodes: ${await diagnose()}`)
    assert.equal(allocation!.trade, true)
    for (const { driver } of members()) assert.equal(driver.allocation(epoch, CLASS), undefined)
  })

  it('a bid that arrives after its epoch cut-off rolls into the next epoch', async function () {
    const epoch = await enterEpoch(
      market.schedule,
      0,
      (e) => leaderOf(market, e) !== silent() && leaderOf(market, e + 1) !== silent(),
    )
    // Past the cut-off of `epoch` by more than any node's skew.
    await sleep(cutoffMs(market.schedule, epoch) + 120 - Date.now())
    const [a, b] = honest()
    const lateAsk = await a!.driver.offer({ resourceClass: CLASS, units: 1n, cost: 2n, epoch })
    const buyer = leafBidId(await submitTask(b!))
    const [allocation] = await sealedEverywhere('the late ask', [lateAsk, buyer])
    // Normally epoch + 1 (the earliest open one); later only if gossip took longer than an epoch.
    assert.ok(allocation!.epoch > epoch, `cleared in ${allocation!.epoch}, after ${epoch}`)
    assert.equal(allocation!.trade, true)
    for (const m of members()) {
      assert.equal(m.driver.allocation(epoch, CLASS), undefined)
      if (m !== a) assert.ok(m.driver.counters().lateBids >= 1, `node ${m.address} counted the late bid`)
    }
  })

  it('nodes fetch the bids they lack from the leader before accepting its seal', async function () {
    const epoch = await enterEpoch(market.schedule, BID_AT_MS, (e) => leaderOf(market, e) !== silent())
    const leader = leaderOf(market, epoch)
    const seller = honest().find((m) => m !== leader)!
    // An ask and a task that reach the leader only (as if gossip had lost them everywhere else).
    const body = Ask.encode({
      version: 1,
      epoch: BigInt(epoch),
      class: CLASS,
      capacityUnits: 2n,
      costPerUnit: 1n,
      operator: fromHex(seller.address.slice(2)),
      peer: peerIdBytesOf(seller.key.publicKey.raw),
    })
    await leader.driver.checkAsk(await sealEnvelope('Ask', body, seller.key))
    const taskId = sha256(new TextEncoder().encode(`only the leader holds this ${Date.now()}`))
    const demand = await buildJobDemand(
      {
        taskId,
        proofType: 'sum',
        class: CLASS,
        jobIndexes: [0],
        round: 1,
        maxPricePerUnit: 20n,
        deadlineMs: BigInt(Date.now() + 600_000),
      },
      seller.key,
    )
    await leader.driver.onDemandEnvelope(demand)
    const bidIds = [askBidId(body), buyerBidId(taskId, 0, 1)]
    const [allocation] = await sealedEverywhere('bids only the leader held', bidIds)
    assert.equal(allocation!.epoch, epoch)
    assert.equal(allocation!.trade, true)
    assert.deepEqual(allocation!.assignment, [
      {
        taskId: toHex(taskId),
        jobIndex: 0,
        gateway: seller.node.peerId.toString(),
        proofType: 'sum',
        round: 1,
        operator: seller.address,
        units: 1,
      },
    ])
  })

  it('the bids protocol refuses garbage and oversized requests and keeps serving', async function () {
    const raw = await rawDialer()
    try {
      const target = members()[0]!
      const known = target.driver.allocations().at(-1)!.bidIds[0]!
      const exchange = async (frame: Uint8Array, maxDataLength = MAX_BID_SET_BYTES) => {
        const stream = await raw.dialProtocol(multiaddr(tcpAddr(target.node)), BIDS_PROTOCOL)
        const lp = lpStream(stream, { maxDataLength })
        await lp.write(frame).catch(() => undefined)
        try {
          return BidSet.decode((await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray())
        } catch {
          return undefined
        } finally {
          if (stream.status === 'open') stream.abort(new Error('done'))
        }
      }
      assert.equal(await exchange(new Uint8Array([0xff, 0xff, 0xff])), undefined, 'garbage: no reply')
      assert.equal(await exchange(new Uint8Array(MAX_FETCH_BIDS_BYTES + 1)), undefined, 'oversized: no reply')
      const many = Array.from({ length: MAX_SEAL_BIDS + 1 }, () => fromHex(known))
      assert.equal(await exchange(FetchBids.encode({ version: 1, bidIds: many })), undefined, 'too many ids')
      const reply = await exchange(
        FetchBids.encode({ version: 1, bidIds: [fromHex(known), new Uint8Array(32)] }),
      )
      assert.equal(reply?.envelopes.length, 1, 'a valid request still gets the one bid it knows')
    } finally {
      await raw.stop()
    }
  })

  it('a wrong seal from the leader is rejected by every node, recorded as a fault, and rolls over', async function () {
    const epoch = await enterEpoch(
      market.schedule,
      BID_AT_MS,
      (e) => leaderOf(market, e) === silent() && leaderOf(market, e + 1) !== silent(),
    )
    const [a, b] = honest()
    const bidIds = [
      await a!.driver.offer({ resourceClass: CLASS, units: 2n, cost: 3n }),
      await b!.driver.offer({ resourceClass: CLASS, units: 2n, cost: 4n }),
      leafBidId(await submitTask(a!)),
    ]
    await sleep(cutoffMs(market.schedule, epoch) + 100 - Date.now())
    // The leader signs a seal over the right bids with a result hash nobody can recompute.
    const forged = Seal.encode({
      version: 1,
      epoch: BigInt(epoch),
      class: CLASS,
      leader: peerIdBytesOf(silent().key.publicKey.raw),
      bidIds: sortIds(bidIds).map(fromHex),
      resultHash: new Uint8Array(32).fill(7),
    })
    const envelope = await sealEnvelope('Seal', forged, silent().key)
    // A rejected message is not forwarded, so each node must hear it from the leader itself
    // (floodPublish sends to every subscribed peer).
    const sealsTopic = silent().node.gossip.topics.seals
    for (const m of honest()) await silent().node.host.dial(multiaddr(tcpAddr(m.node)))
    await waitFor('the leader to see every node subscribed to seals', () =>
      honest().every((m) =>
        silent()
          .node.host.services.pubsub.getSubscribers(sealsTopic)
          .some((p) => p.equals(m.node.peerId)),
      ),
    )
    await silent().node.host.services.pubsub.publish(sealsTopic, envelope)

    await waitFor(
      'every other node to record the wrong seal as a fault',
      () =>
        honest().every(({ driver }) =>
          driver.faults().some((f) => f.epoch === epoch && f.code === 'RESULT_MISMATCH'),
        ),
      10_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\nnodes: ${await diagnose()}`, { cause: error })
    })
    for (const { driver } of honest()) {
      const fault = driver.faults().find((f) => f.epoch === epoch)!
      assert.equal(fault.signer, silent().node.peerId.toString())
      assert.equal(fault.resourceClass, CLASS)
      assert.ok(fault.sealEnvelope.length > 0, 'the signed seal is kept as evidence')
      assert.equal(driver.allocation(epoch, CLASS), undefined)
    }
    const [allocation] = await sealedEverywhere('the bids of the wrongly sealed epoch', bidIds)
    assert.equal(allocation!.epoch, epoch + 1, `epoch ${epoch}; nodes: ${await diagnose()}`)
    const status = (await members()[0]!.node.status()) as { auction?: { faults: unknown[] } }
    assert.ok((status.auction?.faults.length ?? 0) >= 1, '/status lists the fault')
    const metrics = await members()[0]!.node.metrics.registry.metrics()
    assert.match(metrics, /prover_mesh_market_events_total\{event="sealsRejected"\} [1-9]/)
    assert.match(metrics, /prover_mesh_market_events_total\{event="bidsOmitted"\} \d+/)
  })
})
