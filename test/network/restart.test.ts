import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildSubmitTask, type SubmitTaskParams } from '../../protocol/index.ts'
import { createLightClient, type SubmitEvent } from '../../node/client/light-client.ts'
import type { MeshNode } from '../../node/create-node.ts'
import { IdentityError, loadOrCreateIdentity } from '../../node/identity.ts'
import { Cluster, tcpAddr, tempDir, waitFor, waitForMesh } from './helpers.ts'

const params = (nonce: bigint): SubmitTaskParams => ({
  input: { type: 'hashchain', seed: new Uint8Array(32).fill(9), steps: 1000n, segment: 250n },
  maxPricePerUnit: 2n,
  deadlineMs: BigInt(Date.now() + 10 * 60_000),
  nonce,
})

function tcpPort(node: MeshNode): number {
  return Number(tcpAddr(node).split('/')[4])
}

describe('restart', function () {
  const cluster = new Cluster()
  after(() => cluster.stopAll())

  it('refuses a key file others can read, and keeps a 0600 one', async () => {
    const dir = await tempDir()
    cluster.dirs.push(dir)
    const path = join(dir, 'peer.key')
    const first = await loadOrCreateIdentity(path)
    assert.equal(first.created, true)
    const again = await loadOrCreateIdentity(path)
    assert.equal(again.created, false)
    assert.ok(again.key.equals(first.key))
    await chmod(path, 0o644)
    await assert.rejects(loadOrCreateIdentity(path), IdentityError)
    await writeFile(join(dir, 'bad.key'), 'not a key', { mode: 0o600 })
    await assert.rejects(loadOrCreateIdentity(join(dir, 'bad.key')), IdentityError)
  })

  it('a restarted gateway keeps its PeerId and tasks and rejoins the mesh', async () => {
    const [boot, gateway, other] = (await cluster.startMesh(3)) as [MeshNode, MeshNode, MeshNode]
    await waitForMesh([boot, gateway, other])
    const client = await generateKeyPair('Ed25519')
    const { taskId } = await gateway.submit(await buildSubmitTask(params(1n), client))
    await waitFor(
      'the other node records the task',
      async () => (await other.store.get(taskId)) !== undefined,
    )
    await gateway.updateTaskState(taskId, 'planned')

    const { dataDir, bootstrap } = gateway.config
    const peerId = gateway.peerId
    const port = tcpPort(gateway)
    await cluster.stopNode(gateway)
    await waitFor('peers notice the gateway left', () => !boot.host.getPeers().some((p) => p.equals(peerId)))

    const restarted = await cluster.start({ bootstrap, tcpPort: port }, {}, dataDir)
    assert.ok(restarted.peerId.equals(peerId), 'same PeerId after restart')
    // `other` is not in the bootstrap list: knowing it right after start means the peer store persisted.
    assert.ok(await restarted.host.peerStore.has(other.peerId), 'peer store survives restart')
    const record = await restarted.store.get(taskId)
    assert.equal(record?.state, 'planned', 'task and state survive restart')
    assert.deepEqual(
      record?.history.map((h) => h.state),
      ['accepted', 'announced', 'planned'],
    )
    assert.ok(await restarted.store.getRequest(taskId), 'signed request survives restart')

    await waitFor('the restarted gateway reconnects to the bootstrap node', () =>
      restarted.host.getPeers().some((p) => p.equals(boot.peerId)),
    )
    await waitForMesh([boot, restarted, other])
    const { taskId: later } = await restarted.submit(await buildSubmitTask(params(2n), client))
    await waitFor('an announce after restart reaches the other nodes', async () =>
      (await Promise.all([boot, other].map((n) => n.store.get(later)))).every((r) => r !== undefined),
    )
  })

  it('the light client retries on another gateway when one is down', async () => {
    const [a, b] = (await cluster.startMesh(2)) as [MeshNode, MeshNode]
    const deadAddr = tcpAddr(a)
    await cluster.stopNode(a)
    const client = await createLightClient({
      gateways: [deadAddr, tcpAddr(b)],
      retryDelayMs: 50,
      dialTimeoutMs: 2000,
    })
    cluster.cleanups.push(() => client.close())
    const events: SubmitEvent[] = []
    const result = await client.submit(params(3n), { onEvent: (e) => events.push(e) })
    assert.equal(result.gateway, tcpAddr(b))
    assert.equal(events[0]?.type, 'retry')
    assert.ok(await b.store.get(result.taskId))
  })

  it('the light client survives a gateway restart while waiting for the result', async () => {
    const gateway = await cluster.start()
    const { dataDir } = gateway.config
    const port = tcpPort(gateway)
    const client = await createLightClient({
      gateways: [tcpAddr(gateway)],
      retryDelayMs: 100,
      maxAttempts: 30,
    })
    cluster.cleanups.push(() => client.close())

    let current = gateway
    const seen: string[] = []
    let taskId = ''
    for await (const event of client.track(await client.sign(params(4n)), { follow: true })) {
      seen.push(event.type === 'status' ? event.status.state : event.type)
      if (event.type === 'accepted') {
        if (taskId !== '') assert.equal(event.taskId, taskId, 'resubmission yields the same task id')
        taskId = event.taskId
      }
      if (event.type !== 'status') continue
      if (seen.filter((s) => s === 'accepted').length === 1) {
        // First stream is open: restart the gateway under the client's feet.
        await cluster.stopNode(current)
        current = await cluster.start({ tcpPort: port }, {}, dataDir)
      } else if (!event.status.final) {
        await current.updateTaskState(taskId, 'done', 'proved', new Uint8Array([42]))
      }
    }
    assert.ok(seen.includes('retry'), `the client retried: ${seen.join(',')}`)
    assert.equal(seen.filter((s) => s === 'accepted').length, 2)
    assert.equal(seen.at(-1), 'done')
    assert.equal(
      (await current.store.list()).filter((t) => t.taskId === taskId).length,
      1,
      'one task, not two',
    )
  })
})
