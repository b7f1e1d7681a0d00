// A mesh of real libp2p nodes on loopback, each running an EpochDriver with its own skewed clock.
import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { epochLeader, epochStartMs, type EpochSchedule } from '../../auction/epoch.ts'
import type { MeshNode } from '../../node/create-node.ts'
import { loadOrCreateIdentity } from '../../node/identity.ts'
import { EpochDriver } from '../../node/market/epoch-driver.ts'
import { configOperatorSet, type OperatorSet } from '../../node/market/operators.ts'
import { buildJobDemand, buildSubmitTask, fromHex } from '../../protocol/index.ts'
import { buyerBidId } from '../../node/market/bids.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Cluster, tcpAddr, tempDir, waitFor } from '../network/helpers.ts'

export const CLASS = 'sum/leaf'

export interface MarketNode {
  readonly node: MeshNode
  readonly driver: EpochDriver
  readonly address: string
  readonly key: PrivateKey
  readonly skewMs: number
}

export interface Market {
  readonly schedule: EpochSchedule
  readonly operators: OperatorSet
  readonly members: MarketNode[]
}

/**
 * Starts `skews.length` nodes; node i runs on a clock `skews[i]` ms off the real one. Every node is
 * in the operator list; those in `unaware` run a driver that does not know its own operator address,
 * so they verify seals but never seal: a silent leader.
 */
export async function startMarket(
  cluster: Cluster,
  skews: readonly number[],
  schedule: EpochSchedule,
  unaware: readonly number[] = [],
): Promise<Market> {
  const dirs: string[] = []
  const keys: PrivateKey[] = []
  for (let i = 0; i < skews.length; i++) {
    const dir = await tempDir('pm-epochs-')
    cluster.dirs.push(dir)
    dirs.push(dir)
    // The node loads this same key from its data dir, so the operator list can name its peer id.
    keys.push((await loadOrCreateIdentity(join(dir, 'peer.key'))).key)
  }
  const addresses = keys.map((_, i) => `0x${(i + 1).toString(16).padStart(2, '0').repeat(20)}`)
  const operators = configOperatorSet(
    keys.map((key, i) => ({ address: addresses[i]!, peerId: peerIdFromPrivateKey(key).toString() })),
  )
  const members: MarketNode[] = []
  for (const [i, skewMs] of skews.entries()) {
    const clock = { now: () => Date.now() + skewMs }
    const driver = new EpochDriver({
      schedule,
      operators,
      clock,
      ...(unaware.includes(i) ? {} : { operator: addresses[i]! }),
      // Floor = ceiling: every buyer at or above it trades whenever capacity covers demand.
      reserves: () => ({ buyerFloor: 10n, sellerCeiling: 10n }),
    })
    const bootstrap = members.length === 0 ? [] : [tcpAddr(members[0]!.node)]
    // No chain here: operators come from the config list, so the stake gate runs in dev-open mode.
    const node = await cluster.start(
      { bootstrap, unstakedMarket: 'dev-open' },
      { clock, auction: driver },
      dirs[i],
    )
    members.push({ node, driver, address: addresses[i]!, key: keys[i]!, skewMs })
  }
  await waitFor(
    'every node meshed on the tasks, asks and seals topics',
    () =>
      members.every(({ node }) =>
        (['tasks', 'asks', 'seals'] as const).every((t) => {
          const topic = node.gossip.topics[t]
          return (
            node.host.services.pubsub.getSubscribers(topic).length >= Math.min(members.length - 1, 4) &&
            (node.gossip.meshSizes()[topic] ?? 0) >= 1
          )
        }),
      ),
    30_000,
  )
  return { schedule, operators, members }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}

/** Sleeps (real time) until `offsetMs` into the first epoch after now matching `accept`. */
export async function enterEpoch(
  schedule: EpochSchedule,
  offsetMs: number,
  accept: (epoch: number) => boolean = () => true,
): Promise<number> {
  let epoch = Math.floor((Date.now() - schedule.genesisMs) / schedule.epochMs) + 1
  for (let i = 0; !accept(epoch); i++, epoch++) if (i > 200) throw new Error('no epoch matched in 200')
  await sleep(epochStartMs(schedule, epoch) + offsetMs - Date.now())
  return epoch
}

export function leaderOf(market: Market, epoch: number): MarketNode {
  const address = epochLeader(epoch, CLASS, market.operators.operators(epoch))
  return market.members.find((m) => m.address === address)!
}

/**
 * Submits a one-leaf `sum` task at `gateway` and publishes its leaf job's demand (one unit of
 * sum/leaf, round 1) as the gateway's dispatcher would: these nodes run no prover to plan with.
 */
export async function submitTask(gateway: MarketNode, price = 20n): Promise<string> {
  const client = await generateKeyPair('Ed25519')
  const envelope = await buildSubmitTask(
    {
      input: { type: 'sum', values: [1, 2, 3, Math.floor(Math.random() * 1e9)], chunkSize: 8 },
      maxPricePerUnit: price,
      deadlineMs: BigInt(Date.now() + 10 * 60_000),
    },
    client,
  )
  const deadlineMs = BigInt(Date.now() + 10 * 60_000)
  const { taskId } = await gateway.node.submit(envelope)
  const demand = await buildJobDemand(
    {
      taskId: fromHex(taskId),
      proofType: 'sum',
      class: CLASS,
      jobIndexes: [0],
      round: 1,
      maxPricePerUnit: price,
      deadlineMs,
    },
    gateway.key,
  )
  await gateway.node.publishDemand(demand)
  return taskId
}

/** The buyer bid id of a task's leaf job 0 in demand round 1 (what submitTask publishes). */
export function leafBidId(taskId: string): string {
  return buyerBidId(fromHex(taskId), 0, 1)
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}
