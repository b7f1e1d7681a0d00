// The whole lifecycle in one process: three nodes (a gateway-prover and two provers) on loopback,
// the configured operator set, real proofs. A client submits a `sum` task and gets one verified
// root proof whose statement matches the data; the ledger and every node's view agree.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { MeshNode } from '../../node/create-node.ts'
import { loadOrCreateIdentity } from '../../node/identity.ts'
import { createLightClient } from '../../node/client/light-client.ts'
import { realBackend } from '../../node/proving/real.ts'
import { createLogger } from '../../node/logger.ts'
import { Cluster, rawDialer, tcpAddr, tempDir, waitForMesh } from '../network/helpers.ts'
import {
  DeliverJobResult,
  FetchJobInput,
  JOB_PROTOCOL,
  JobInput,
  JobResultAck,
  MAX_JOB_REPLY_BYTES,
  SignedEnvelope,
  sealEnvelope,
  type TaskStatus,
} from '../../protocol/index.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'

const address = (i: number) => `0x${String(i + 1).repeat(40)}`

describe('task lifecycle (in-process, real proofs)', function () {
  this.timeout(300_000)
  const cluster = new Cluster()
  let nodes: MeshNode[]

  before(async function () {
    const dirs: string[] = []
    const peers: string[] = []
    for (let i = 0; i < 3; i++) {
      const dir = await tempDir('pm-life-')
      cluster.dirs.push(dir)
      dirs.push(dir)
      peers.push(peerIdFromPrivateKey((await loadOrCreateIdentity(join(dir, 'peer.key'))).key).toString())
    }
    const backend = realBackend()
    const common = {
      unstakedMarket: 'dev-open' as const,
      operators: peers.map((p, i) => `${address(i)}=${p}`),
      epochMs: 1000,
      epochGraceMs: 200,
      jobTimeoutMs: 60_000,
      minPeers: 0,
    }
    nodes = []
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await cluster.start(
          {
            ...common,
            roles: i === 0 ? ['gateway', 'prover'] : ['prover'],
            operator: address(i),
            bootstrap: i === 0 ? [] : [tcpAddr(nodes[0]!)],
          },
          { backend, ...(process.env.PM_TEST_LOG ? { logger: createLogger('debug') } : {}) },
          dirs[i],
        ),
      )
    }
    await waitForMesh(nodes)
  })

  after(() => cluster.stopAll())

  it('proves a sum task across provers and hands the client a verified root proof', async function () {
    const values = Array.from({ length: 24 }, (_, i) => (i * 7919) % 1000)
    const client = await createLightClient({ gateways: [tcpAddr(nodes[0]!)] })
    const statuses: TaskStatus[] = []
    try {
      const result = await client.submit(
        {
          input: { type: 'sum', values, chunkSize: 8 },
          maxPricePerUnit: 10n,
          deadlineMs: BigInt(Date.now() + 90_000),
        },
        { wait: true, onEvent: (e) => e.type === 'status' && statuses.push(e.status) },
      )
      assert.equal(result.status.state, 'done', `final status: ${result.status.detail}`)
      const statement = await realBackend().verifyFinal('sum', result.status.proof)
      assert.equal(statement.type, 'sum')
      assert.equal(statement.taskId, result.taskId)
      assert.equal(statement.end, values.length)
      if (statement.type === 'sum') assert.equal(statement.sum, String(values.reduce((a, b) => a + b, 0)))
      assert.ok(
        statuses.some((s) => /jobs proven \d+\/6/.test(s.detail)),
        'progress details reach the client',
      )
      assert.deepEqual(nodes[0]!.lifecycle.runner!.status(), [], 'the finished task left the dispatcher')
      const ledger = (await nodes[0]!.lifecycle.api().ledger!(result.taskId)) as {
        entries: { buyerPrice: string | null; sellerPrice: string | null; operator: string }[]
        tasks: Record<string, { units: number; owed: string }>
        operators: Record<string, { units: number; earned: string }>
      }
      assert.equal(ledger.entries.length, 6, 'one ledger entry per proven job')
      assert.ok(
        ledger.entries.every((e) => e.buyerPrice !== null && BigInt(e.buyerPrice) >= BigInt(e.sellerPrice!)),
      )
      const owed = ledger.entries.reduce((n, e) => n + BigInt(e.buyerPrice!), 0n)
      assert.equal(ledger.tasks[result.taskId]!.owed, owed.toString())
      const earned = Object.values(ledger.operators).reduce((n, o) => n + BigInt(o.earned), 0n)
      assert.ok(earned <= owed, 'operators never earn more than clients pay (weak budget balance)')
      // The default reserves are a posted price of 1 (auction/README.md, "Reserves and what a client
      // pays"): with max price 10, each of the 6 jobs pays exactly 1, all of it to the provers.
      assert.equal(owed, 6n, 'the client pays 6 jobs × the posted price 1')
      assert.equal(earned, 6n, 'the provers earn all of it; the treasury takes nothing')
    } finally {
      await client.close()
    }
  })

  it('refuses a fetch of a job already proven as final (duplicate), so a restarted prover replaying old seals moves on', async function () {
    // A restarted prover learns the last 64 epochs' seals by catch-up and queues the jobs they gave it;
    // a retryable refusal for the ones it proved before the restart held its workers until their
    // deadlines, and the job it still owed missed its own (seen in the chaos soak).
    const client = await createLightClient({ gateways: [tcpAddr(nodes[0]!)] })
    const runner = nodes[0]!.lifecycle.runner!
    let refusal: Promise<string> | undefined
    try {
      const result = await client.submit(
        {
          input: { type: 'sum', values: Array.from({ length: 16 }, (_, i) => i), chunkSize: 8 },
          maxPricePerUnit: 10n,
          deadlineMs: BigInt(Date.now() + 90_000),
        },
        {
          wait: true,
          onEvent: (e) => {
            // Both leaves proven, the aggregation not yet: the task is still running.
            if (e.type !== 'status' || e.status.state !== 'aggregating' || refusal !== undefined) return
            refusal = runner
              .jobInput(
                e.status.taskId.reduce((h, b) => h + b.toString(16).padStart(2, '0'), ''),
                0,
                nodes[1]!.peerId.toString(),
              )
              .then(
                () => 'served',
                (error: unknown) => String((error as { code?: unknown }).code),
              )
          },
        },
      )
      assert.equal(result.status.state, 'done', result.status.detail)
      assert.ok(refusal !== undefined, 'the task was seen aggregating')
      assert.equal(await refusal, 'duplicate')
    } finally {
      await client.close()
    }
  })

  it('answers garbage, unknown tasks and unassigned provers on the job protocol with typed errors, changing nothing', async function () {
    const raw = await rawDialer()
    const stranger = await generateKeyPair('Ed25519')
    const exchange = async (frame: Uint8Array) => {
      const stream = await raw.dialProtocol(multiaddr(tcpAddr(nodes[0]!)), JOB_PROTOCOL)
      const lp = lpStream(stream, { maxDataLength: MAX_JOB_REPLY_BYTES })
      await lp.write(frame)
      return (await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray()
    }
    try {
      const garbage = JobInput.decode(await exchange(new Uint8Array([1, 2, 3, 4])))
      assert.equal(garbage.error?.code, 'malformed')

      const unknownTask = { version: 1, taskId: new Uint8Array(32).fill(9), jobIndex: 0 }
      const fetchUnknown = await sealEnvelope('FetchJobInput', FetchJobInput.encode(unknownTask), stranger)
      const unknown = JobInput.decode(await exchange(fetchUnknown))
      assert.equal(unknown.error?.code, 'unknown_task')
      assert.equal(unknown.error?.field, 'task_id')

      const forged = DeliverJobResult.encode({
        ...unknownTask,
        proof: new Uint8Array([1]),
        publicOutputs: new Uint8Array(),
      })
      const ack = JobResultAck.decode(
        await exchange(await sealEnvelope('DeliverJobResult', forged, stranger)),
      )
      assert.equal(ack.accepted, false)
      assert.equal(ack.error?.code, 'unknown_task')

      // A tampered signature is refused before anything is looked up.
      const tampered = SignedEnvelope.decode(fetchUnknown)
      tampered.signature[0] = tampered.signature[0]! ^ 1
      const badSig = JobInput.decode(await exchange(SignedEnvelope.encode(tampered)))
      assert.equal(badSig.error?.code, 'bad_signature')
      assert.deepEqual(await nodes[0]!.lifecycle.api().faults!(), [], 'no fault is pinned on anyone by junk')
    } finally {
      await raw.stop()
    }
  })
})
