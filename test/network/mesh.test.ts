import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import { createPeerScoreParams } from '@libp2p/gossipsub/score'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import {
  buildSubmitTask,
  buildTaskAnnounce,
  SignedEnvelope,
  TaskAnnounce,
  toHex,
  validateSubmitTask,
  type SubmitTaskParams,
} from '../../protocol/index.ts'
import type { MeshNode } from '../../node/create-node.ts'
import { gossipInternals } from '../../node/p2p/gossip.ts'
import { Cluster, tcpAddr, waitFor, waitForMesh } from './helpers.ts'

const params = (nonce: bigint): SubmitTaskParams => ({
  input: { type: 'sum', values: [1, 2, 3, 4], chunkSize: 8 },
  maxPricePerUnit: 3n,
  deadlineMs: BigInt(Date.now() + 10 * 60_000),
  nonce,
})

/** Count of gossip validations on the tasks topic with the given verdict. */
async function verdicts(node: MeshNode, verdict: string): Promise<number> {
  const metric = await node.metrics.gossipValidation.get()
  return metric.values
    .filter((v) => v.labels.topic === 'tasks' && v.labels.verdict === verdict)
    .reduce((sum, v) => sum + v.value, 0)
}

describe('mesh gossip (5 nodes on loopback)', function () {
  const cluster = new Cluster()
  let nodes: MeshNode[]

  before(async () => {
    nodes = await cluster.startMesh(5)
    await waitForMesh(nodes)
  })
  after(() => cluster.stopAll())

  it('delivers an announce from any gateway to every other node', async () => {
    const gateway = nodes[3] as MeshNode
    const client = await generateKeyPair('Ed25519')
    const { taskId } = await gateway.submit(await buildSubmitTask(params(1n), client))
    for (const node of nodes) {
      await waitFor(
        `node ${node.peerId} records task ${taskId}`,
        async () => (await node.store.get(taskId)) !== undefined,
      )
    }
    for (const node of nodes.filter((n) => n !== gateway)) {
      const record = await node.store.get(taskId)
      assert.equal(record?.state, 'announced')
      assert.equal(record?.gateway, gateway.peerId.toString())
      assert.equal(await verdicts(node, 'accept'), 1)
    }
  })

  it('rejects invalid announces, does not forward them, and lowers the sender score', async () => {
    const target = nodes[1] as MeshNode
    const topic = target.gossip.topics.tasks
    // The attacker runs plain gossipsub without our validators and is connected to `target` only.
    const attackerKey = await generateKeyPair('Ed25519')
    const attacker = await createLibp2p({
      privateKey: attackerKey,
      addresses: { listen: [] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        pubsub: gossipsub({
          globalSignaturePolicy: StrictSign,
          allowPublishToZeroTopicPeers: true,
          scoreParams: createPeerScoreParams({ IPColocationFactorWeight: 0 }),
        }),
      },
    })
    cluster.cleanups.push(async () => {
      await attacker.stop()
    })
    attacker.services.pubsub.subscribe(topic)
    await attacker.dial(multiaddr(tcpAddr(target)))
    await waitFor('attacker sees the target subscribed', () =>
      attacker.services.pubsub.getSubscribers(topic).some((p) => p.equals(target.peerId)),
    )

    // 1. bad signature: a real announce signed by the attacker, then its body tampered with.
    const client = await generateKeyPair('Ed25519')
    const task = await validateSubmitTask(await buildSubmitTask(params(2n), client), Date.now())
    // Signed by the attacker's own key, so only the tampering makes it invalid.
    const { bytes } = await buildTaskAnnounce(task, attackerKey, Date.now())
    const env = SignedEnvelope.decode(bytes)
    const body = TaskAnnounce.decode(env.body)
    const tampered = SignedEnvelope.encode({
      ...env,
      body: TaskAnnounce.encode({ ...body, maxPricePerUnit: 1000n }),
    })
    // 2. oversized and 3. malformed.
    const oversized = new Uint8Array(4096).fill(1)
    const malformed = new Uint8Array([0x1a, 0x50, 0x01])
    const scoreBefore = gossipInternals(target.host).getScore(attacker.peerId.toString())
    for (const data of [tampered, oversized, malformed]) await attacker.services.pubsub.publish(topic, data)

    await waitFor('the target rejects all three', async () => (await verdicts(target, 'reject')) === 3)
    await waitFor(
      'the attacker score drops below zero',
      () => gossipInternals(target.host).getScore(attacker.peerId.toString()) < 0,
    )
    assert.ok(gossipInternals(target.host).getScore(attacker.peerId.toString()) < scoreBefore)
    assert.equal(
      await target.store.get(toHex(task.taskId)),
      undefined,
      'nothing recorded from an invalid announce',
    )

    // A valid announce published after the attack reaches everyone; had the target forwarded the
    // invalid ones, the other nodes would have validated (and rejected) them too.
    const { taskId } = await target.submit(await buildSubmitTask(params(3n), client))
    for (const node of nodes) {
      await waitFor(
        `node ${node.peerId} records the later task`,
        async () => (await node.store.get(taskId)) !== undefined,
      )
    }
    for (const node of nodes.filter((n) => n !== target)) {
      assert.equal(await verdicts(node, 'reject'), 0, `node ${node.peerId} saw a forwarded invalid announce`)
    }
  })
})
