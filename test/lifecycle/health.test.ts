// A background loop that keeps failing makes /health say `degraded`, naming the loop and its last
// error, and the node keeps running; once the loop succeeds again /health is ok. One gateway node in
// process (its own operator set, no chain), a real task store whose writes of `failed` are made to
// fail for a while: the deadline sweep that expires a task then fails on every beat.
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { join } from 'node:path'
import type { MeshNode } from '../../node/create-node.ts'
import { loadOrCreateIdentity } from '../../node/identity.ts'
import { DEGRADED_AFTER_FAILURES } from '../../node/loop-health.ts'
import { realBackend } from '../../node/proving/real.ts'
import { openTaskStore } from '../../node/store/task-store.ts'
import { buildSubmitTask } from '../../protocol/index.ts'
import { Cluster, tempDir, waitFor } from '../network/helpers.ts'

const OPERATOR = `0x${'1'.repeat(40)}`

interface Health {
  ok: boolean
  status?: string
  failing?: { loop: string; consecutiveFailures: number; lastError: string }[]
}

describe('/health and failing background loops', function () {
  this.timeout(120_000)
  const cluster = new Cluster()
  let node: MeshNode
  let failWrites = true

  before(async function () {
    const dir = await tempDir('pm-health-')
    cluster.dirs.push(dir)
    const peer = peerIdFromPrivateKey((await loadOrCreateIdentity(join(dir, 'peer.key'))).key).toString()
    node = await cluster.start(
      {
        roles: ['gateway'],
        operator: OPERATOR,
        operators: [`${OPERATOR}=${peer}`],
        unstakedMarket: 'dev-open',
        epochMs: 1000,
        epochGraceMs: 200,
        minPeers: 0,
        httpPort: 0,
      },
      {
        backend: realBackend(),
        // The real store; only its writes of 'failed' fail while failWrites is set.
        openTaskStore: async (path) => {
          const store = await openTaskStore(path)
          return {
            ...store,
            setState: (taskId, state, atMs) =>
              failWrites && state === 'failed'
                ? Promise.reject(new Error('disk full (test)'))
                : store.setState(taskId, state, atMs),
          }
        },
      },
      dir,
    )
  })

  after(() => cluster.stopAll())

  const health = async () => {
    const response = await fetch(`${node.httpUrl}/health`, { signal: AbortSignal.timeout(5_000) })
    return { code: response.status, body: (await response.json()) as Health }
  }

  it('is ok while the loops succeed', async function () {
    const { code, body } = await health()
    assert.equal(code, 200)
    assert.equal(body.ok, true)
    assert.equal(body.status, undefined)
  })

  it('says degraded while the deadline sweep keeps failing, and ok again once it succeeds', async function () {
    // No prover at all: the task only waits for its deadline, a few seconds from now.
    const envelope = await buildSubmitTask(
      {
        input: { type: 'sum', values: [1, 2, 3, 4, 5, 6, 7, 8], chunkSize: 8 },
        maxPricePerUnit: 5n,
        deadlineMs: BigInt(Date.now() + 2_000),
      },
      await generateKeyPair('Ed25519'),
    )
    const { taskId } = await node.submit(envelope)
    let degraded: Health | undefined
    await waitFor(
      'the sweep to fail often enough for /health to say degraded',
      async () => {
        const { code, body } = await health()
        if (code === 503 && body.status === 'degraded') degraded = body
        return degraded !== undefined
      },
      30_000,
    )
    const sweep = degraded!.failing?.find((f) => f.loop === 'gateway.sweep')
    assert.ok(sweep, `the failing loop is named: ${JSON.stringify(degraded)}`)
    assert.ok(sweep.consecutiveFailures >= DEGRADED_AFTER_FAILURES)
    assert.equal(sweep.lastError, 'disk full (test)')
    assert.equal(degraded!.ok, false)
    const metrics = await (await fetch(`${node.httpUrl}/metrics`)).text()
    assert.match(metrics, /prover_mesh_background_failures_total\{loop="gateway.sweep"\} [1-9]/)
    assert.notEqual((await node.store.get(taskId))?.state, 'failed', 'the failed write changed nothing')

    failWrites = false
    await waitFor(
      'the sweep to succeed and /health to be ok again',
      async () => (await health()).code === 200,
      30_000,
    )
    assert.equal((await health()).body.ok, true)
    assert.equal((await node.store.get(taskId))?.state, 'failed', 'the retried sweep expired the task')
  })
})
