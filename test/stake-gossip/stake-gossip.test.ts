// Stake-gated gossip, end to end: a real anvil with the EigenLayer stand-ins, three real libp2p nodes
// on loopback, each with its own stake oracle and binding registry. Checks what each node's validators
// decide (by reason) and what they deliver, for bindings, Asks and Seals.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { bytesToHex } from 'viem'
import type { PrivateKey } from '@libp2p/interface'
import type { MeshNode } from '../../node/create-node.ts'
import { loadOrCreateIdentity } from '../../node/identity.ts'
import { resolveStakeConfig } from '../../node/stake/config.ts'
import { GossipRefusal } from '../../node/stake/gate.ts'
import { ROLES, startLocalChain, type LocalChain } from '../stake/local-chain.ts'
import { Cluster, tcpAddr, tempDir, waitFor } from '../network/helpers.ts'
import { Deliveries, bindingBytes, newPeerKey, signedAsk, signedSeal, validations } from './helpers.ts'

const WAD = 10n ** 18n
const main = fileURLToPath(new URL('../../node/cli/main.ts', import.meta.url))

/** Runs the CLI as a user does: a child process of this Node binary. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { env: process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
const policy = resolveStakeConfig('local')

describe('stake-gated gossip (real anvil, 3 libp2p nodes)', function () {
  const cluster = new Cluster()
  const deliveries = new Deliveries()
  let chain: LocalChain | undefined
  let a: MeshNode // the staked operator's node
  let b: MeshNode // an observer
  let c: MeshNode // a node whose operator is not in the set
  let keyA: PrivateKey
  let keyC: PrivateKey

  /** A node with a known peer key (pre-created in its data dir) and a stake oracle on the anvil. */
  async function stakedNode(
    rpcUrl: string,
    bootstrap: string[],
  ): Promise<{ node: MeshNode; key: PrivateKey }> {
    const dir = await tempDir('pm-stake-gossip-')
    cluster.dirs.push(dir)
    const { key } = await loadOrCreateIdentity(join(dir, 'peer.key'))
    const node = await cluster.start(
      { stakeRpc: rpcUrl, stakePreset: 'local', minPeers: 0, bootstrap },
      // The stake gate alone: no market, whose epoch checks would judge these test Asks and Seals too.
      { auction: null },
      dir,
    )
    return { node, key }
  }

  const topic = (node: MeshNode, name: 'asks' | 'seals' | 'bindings'): string => node.gossip.topics[name]
  const publish = (node: MeshNode, name: 'asks' | 'seals' | 'bindings', data: Uint8Array) =>
    node.host.services.pubsub.publish(topic(node, name), data)

  /**
   * Publishes from a fresh node and waits until every receiver's validator refused it with `code`.
   * A fresh publisher each time: gossipsub scoring graylists a peer after a few rejected messages
   * (scoring.ts), and the penalty belongs to whoever published, not to the key that signed the Ask.
   */
  async function expectRefused(
    receivers: MeshNode[],
    name: 'asks' | 'seals' | 'bindings',
    data: Uint8Array,
    code: string,
    verdict: 'reject' | 'ignore' = 'reject',
  ): Promise<void> {
    const publisher = await cluster.start({ minPeers: 0, bootstrap: receivers.map(tcpAddr) })
    try {
      // Both directions: a receiver has heard the publisher's subscription only over the publisher's
      // outbound gossip stream, which is the stream the publish will use (gossipsub skips peers
      // without one, silently).
      const self = publisher.peerId.toString()
      await waitFor(
        `a fresh publisher and ${receivers.length} receivers to know each other on ${name}`,
        () =>
          receivers.every((n) =>
            n.host.services.pubsub.getSubscribers(topic(n, name)).some((p) => p.toString() === self),
          ) &&
          publisher.host.services.pubsub.getSubscribers(topic(publisher, name)).length >= receivers.length,
      )
      const count = (n: MeshNode) => validations(n, name, code).then((v) => v[verdict] ?? 0)
      const before = await Promise.all(receivers.map(count))
      await publish(publisher, name, data)
      try {
        await waitFor(`every receiver to ${verdict} the ${name} message with code ${code}`, async () => {
          const now = await Promise.all(receivers.map(count))
          return now.every((n, i) => n === (before[i] ?? 0) + 1)
        })
      } catch (error) {
        // Say what the receivers did decide, so a failure explains itself.
        const seen = await Promise.all(receivers.map((n) => n.metrics.gossipValidation.get()))
        const decided = seen.map((m) =>
          m.values
            .filter((v) => v.labels.topic === name)
            .map((v) => `${v.labels.verdict}/${v.labels.code}=${v.value}`),
        )
        throw new Error(
          `${(error as Error).message}; before ${JSON.stringify(before)}; now ${JSON.stringify(decided)}`,
          { cause: error },
        )
      }
    } finally {
      await cluster.stopNode(publisher)
    }
    for (const n of receivers) {
      assert.equal(
        deliveries.has(n, topic(n, name), data),
        false,
        `${name} message delivered although refused`,
      )
    }
  }

  async function expectDelivered(
    from: MeshNode,
    receivers: MeshNode[],
    name: 'asks' | 'seals',
    data: Uint8Array,
  ) {
    await publish(from, name, data)
    await waitFor(`the ${name} message to reach every receiver`, () =>
      receivers.every((n) => deliveries.has(n, topic(n, name), data)),
    )
  }

  before(async function () {
    chain = await startLocalChain()
    const rpcUrl = chain.anvil.rpcUrl
    ;({ node: a, key: keyA } = await stakedNode(rpcUrl, []))
    ;({ node: b } = await stakedNode(rpcUrl, [tcpAddr(a)]))
    ;({ node: c, key: keyC } = await stakedNode(rpcUrl, [tcpAddr(a), tcpAddr(b)]))
    for (const n of [a, b, c]) deliveries.watch(n)
    await waitFor('every node to have a stake snapshot', () =>
      [a, b, c].every((n) => n.stake?.oracle.snapshot !== undefined),
    )
    await waitFor('every node to see the two others on the asks, seals and bindings topics', () =>
      [a, b, c].every((n) =>
        (['asks', 'seals', 'bindings'] as const).every(
          (t) => n.host.services.pubsub.getSubscribers(topic(n, t)).length >= 2,
        ),
      ),
    )
  })

  after(async function () {
    deliveries.stop()
    try {
      await cluster.stopAll()
    } finally {
      await chain?.stop()
    }
  })

  it('stores a binding gossiped by its node on every node: each knows the operator’s current peer', async function () {
    const bytes = await bindingBytes({ operator: ROLES.staked, peerKey: keyA, policy })
    assert.equal(await a.publishBinding(bytes), 'stored')
    await waitFor('b and c to store the binding', () =>
      [b, c].every((n) => n.stake?.registry.peerOf(ROLES.staked.address) === a.peerId.toString()),
    )
    for (const n of [a, b, c])
      assert.equal(n.stake?.registry.operatorOf(a.peerId.toString()), ROLES.staked.address)
  })

  it('publishes an operator’s binding through a node’s HTTP API (operator bind --publish), refusing junk', async function () {
    const dir = await tempDir('pm-stake-gossip-')
    cluster.dirs.push(dir)
    const peerKeyFile = join(dir, 'peer.key')
    const { key } = await loadOrCreateIdentity(peerKeyFile)
    const d = await cluster.start(
      {
        stakeRpc: (chain as LocalChain).anvil.rpcUrl,
        minPeers: 0,
        httpPort: 0,
        bootstrap: [a, b, c].map(tcpAddr),
      },
      { auction: null },
      dir,
    )
    const api = d.httpUrl as string
    await waitFor(
      'the HTTP node to have a stake snapshot and see the bindings subscribers',
      () =>
        d.stake?.oracle.snapshot !== undefined &&
        // a, b and c have heard D's subscription, so D's outbound gossip streams to them are open.
        [a, b, c].every((n) =>
          n.host.services.pubsub.getSubscribers(topic(n, 'bindings')).some((p) => p.equals(d.peerId)),
        ) &&
        d.host.services.pubsub.getSubscribers(topic(d, 'bindings')).length >= 3,
    )
    const junk = await fetch(`${api}/bindings`, { method: 'POST', body: '{"binding":{}}' })
    assert.equal(junk.status, 400)
    assert.equal(((await junk.json()) as { code: string }).code, 'binding-malformed')

    const operatorKeyHex = bytesToHex(ROLES.staked2.getHdKey().privateKey as Uint8Array)
    const operatorKeyFile = join(dir, 'operator.key')
    await writeFile(operatorKeyFile, operatorKeyHex, { mode: 0o600 })
    const run = await cli([
      'operator',
      'bind',
      '--key-file',
      operatorKeyFile,
      '--peer-key-file',
      peerKeyFile,
      '--publish',
      '--node-api',
      api,
    ])
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stderr, /published through .*: stored/)
    assert.ok(!(run.stdout + run.stderr).includes(operatorKeyHex.slice(2)), 'the operator key was printed')
    const peer = peerIdFromPrivateKey(key as Parameters<typeof peerIdFromPrivateKey>[0]).toString()
    await waitFor('every node to know staked2’s current peer', () =>
      [a, b, c, d].every((n) => n.stake?.registry.peerOf(ROLES.staked2.address) === peer),
    )
    await cluster.stopNode(d)
  })

  it('hands every stored binding to a node that joins later (binding sync on connect)', async function () {
    const late = await cluster.start(
      { stakeRpc: (chain as LocalChain).anvil.rpcUrl, minPeers: 0, bootstrap: [tcpAddr(b)] },
      { auction: null },
    )
    const expected = b.stake?.registry.peerOf(ROLES.staked2.address)
    assert.ok(expected !== undefined, 'b should hold staked2’s binding from the previous test')
    await waitFor(
      'the late node to know both operators’ current peers',
      () =>
        late.stake?.registry.peerOf(ROLES.staked.address) === a.peerId.toString() &&
        late.stake.registry.peerOf(ROLES.staked2.address) === expected,
    )
    await cluster.stopNode(late)
  })

  it('delivers a bound, staked operator’s Ask within its stake cap', async function () {
    // 40 + 40 × 1.1 = 84 ether of stake → 84 units at 1 unit per ether.
    await expectDelivered(a, [b, c], 'asks', await signedAsk(keyA, ROLES.staked.address, 84n))
  })

  it('rejects an Ask over the operator’s stake cap', async function () {
    await expectRefused(
      [a, b, c],
      'asks',
      await signedAsk(keyA, ROLES.staked.address, 85n),
      'capacity-over-cap',
    )
  })

  it('rejects an Ask from a peer with no binding', async function () {
    const stranger = await newPeerKey()
    await expectRefused([a, b, c], 'asks', await signedAsk(stranger, ROLES.staked2.address, 1n), 'no-binding')
  })

  it('rejects an Ask that names another operator than the signer’s', async function () {
    await expectRefused(
      [a, b, c],
      'asks',
      await signedAsk(keyA, ROLES.staked2.address, 1n),
      'operator-mismatch',
    )
  })

  it('delivers a Seal from a bound operator and rejects one from a peer that is not', async function () {
    await expectDelivered(a, [b, c], 'seals', await signedSeal(keyA))
    await expectRefused([a, b, c], 'seals', await signedSeal(await newPeerKey()), 'no-binding')
  })

  it('rejects a forged binding and changes no stored binding', async function () {
    // staked2's address, signed with staked's key: the operator signature does not verify.
    const stored = [a, b, c].map((n) => n.stake?.registry.bindingOf(ROLES.staked2.address))
    const forged = await bindingBytes({
      operator: ROLES.staked,
      claimedOperator: ROLES.staked2.address,
      peerKey: keyC,
      policy,
      // Above any nonce staked2 has used, so the only thing wrong with it is the signature.
      nonce: 2n ** 40n,
    })
    await expectRefused([a, b, c], 'bindings', forged, 'binding-bad-operator-signature')
    assert.deepEqual(
      [a, b, c].map((n) => n.stake?.registry.bindingOf(ROLES.staked2.address)),
      stored,
    )
    for (const n of [a, b, c])
      assert.notEqual(n.stake?.registry.operatorOf(c.peerId.toString()), ROLES.staked2.address)
  })

  it('rejects a binding of an operator not in the set and does not store it', async function () {
    const bytes = await bindingBytes({ operator: ROLES.registeredNotInSet, peerKey: keyC, policy })
    // The node's own publish path applies the same check and refuses to gossip it.
    await assert.rejects(
      c.publishBinding(bytes),
      (e: unknown) => e instanceof GossipRefusal && e.code === 'not-in-operator-set',
    )
    await expectRefused([a, b, c], 'bindings', bytes, 'not-in-operator-set')
    for (const n of [a, b, c])
      assert.equal(n.stake?.registry.bindingOf(ROLES.registeredNotInSet.address), undefined)
  })

  it('rejects an Ask of a bound operator that is not in the operator set', async function () {
    // Bound directly in the registries (gossip would not carry a non-member's binding, as tested above).
    const bytes = await bindingBytes({ operator: ROLES.registeredNotInSet, peerKey: keyC, policy })
    for (const n of [a, b, c]) assert.equal(await n.stake?.registry.accept(bytes, Date.now()), 'stored')
    await expectRefused(
      [a, b, c],
      'asks',
      await signedAsk(keyC, ROLES.registeredNotInSet.address, 1n),
      'not-in-operator-set',
    )
  })

  it('rejects a repeated binding of a stored nonce without penalty (ignore) and keeps the stored one', async function () {
    const older = await bindingBytes({
      operator: ROLES.staked,
      peerKey: await newPeerKey(),
      policy,
      nonce: 1n,
    })
    await expectRefused([a, b, c], 'bindings', older, 'binding-stale-nonce', 'ignore')
    for (const n of [a, b, c])
      assert.equal(n.stake?.registry.peerOf(ROLES.staked.address), a.peerId.toString())
  })

  it('rejects the Asks of an operator slashed below the minimum once the oracles refresh', async function () {
    const deployment = (chain as LocalChain).deployment
    // 70 % of the allocated magnitude in both strategies: 84 → 25.2 ether, under the 32 ether minimum.
    await (chain as LocalChain).control('mockSlash', [
      ROLES.staked.address,
      { avs: deployment.avs, id: deployment.operatorSetId },
      deployment.strategies,
      [7n * (WAD / 10n), 7n * (WAD / 10n)],
      'test',
    ])
    await waitFor('every node to see the slashing', () =>
      [a, b, c].every((n) => {
        const lookup = n.stake?.oracle.lookup(ROLES.staked.address, Date.now())
        return lookup?.status === 'member' && !lookup.stake.meetsMinimum
      }),
    )
    await expectRefused(
      [a, b, c],
      'asks',
      await signedAsk(keyA, ROLES.staked.address, 1n),
      'stake-below-minimum',
    )
    await expectRefused([a, b, c], 'seals', await signedSeal(keyA), 'stake-below-minimum')
  })
})

describe('gossip of a node without a stake oracle (2 libp2p nodes)', function () {
  const cluster = new Cluster()
  const deliveries = new Deliveries()

  afterEach(async function () {
    deliveries.stop()
    await cluster.stopAll()
  })

  async function pair(unstakedMarket: 'closed' | 'dev-open') {
    const sender = await cluster.start({ minPeers: 0 })
    const receiver = await cluster.start({ minPeers: 0, bootstrap: [tcpAddr(sender)], unstakedMarket })
    deliveries.watch(receiver)
    await waitFor('both nodes to see each other on the asks topic', () =>
      [sender, receiver].every(
        (n) => n.host.services.pubsub.getSubscribers(n.gossip.topics.asks).length >= 1,
      ),
    )
    return { sender, receiver }
  }

  it('fails closed: drops Asks and Seals unpunished (ignore) and stores no binding', async function () {
    const { sender, receiver } = await pair('closed')
    const key = await newPeerKey()
    const cases = [
      ['asks', await signedAsk(key, ROLES.staked.address, 1n)],
      ['seals', await signedSeal(key)],
      ['bindings', await bindingBytes({ operator: ROLES.staked, peerKey: key, policy })],
    ] as const
    for (const [name, data] of cases) {
      await sender.host.services.pubsub.publish(sender.gossip.topics[name], data)
      await waitFor(`the receiver to ignore the ${name} message`, async () => {
        return ((await validations(receiver, name, 'no-stake-oracle')).ignore ?? 0) === 1
      })
      assert.equal(deliveries.has(receiver, receiver.gossip.topics[name], data), false)
    }
    assert.equal(receiver.stake, undefined)
  })

  it('dev-open: delivers any well-formed Ask', async function () {
    const { sender, receiver } = await pair('dev-open')
    const ask = await signedAsk(await newPeerKey(), ROLES.staked.address, 1n)
    await sender.host.services.pubsub.publish(sender.gossip.topics.asks, ask)
    await waitFor('the receiver to deliver the Ask', () =>
      deliveries.has(receiver, receiver.gossip.topics.asks, ask),
    )
  })
})
