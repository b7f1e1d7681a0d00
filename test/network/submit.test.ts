import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import {
  decodeSubmitFrame,
  MAX_ENVELOPE_BYTES,
  SignedEnvelope,
  SUBMIT_PROTOCOL,
  SubmitTask,
  sealEnvelope,
  type SubmitFrame,
  type SubmitTaskParams,
} from '../../protocol/index.ts'
import {
  createLightClient,
  InvalidRequestError,
  type LightClient,
  type SubmitEvent,
} from '../../node/client/light-client.ts'
import type { MeshNode } from '../../node/create-node.ts'
import { Cluster, rawDialer, tcpAddr, waitFor, waitForMesh } from './helpers.ts'

const params = (over: Partial<SubmitTaskParams> = {}): SubmitTaskParams => ({
  input: { type: 'sum', values: [3, 1, 4, 1, 5, 9, 2, 6], chunkSize: 8 },
  maxPricePerUnit: 7n,
  deadlineMs: BigInt(Date.now() + 10 * 60_000),
  ...over,
})

describe('submit protocol (3 nodes on loopback)', function () {
  const cluster = new Cluster()
  let gateway: MeshNode
  let others: MeshNode[]
  let client: LightClient
  let raw: Libp2p

  before(async () => {
    ;[gateway, ...others] = (await cluster.startMesh(3)) as [MeshNode, ...MeshNode[]]
    await waitForMesh([gateway, ...others])
    client = await createLightClient({ gateways: [tcpAddr(gateway)], maxAttempts: 2 })
    cluster.cleanups.push(() => client.close())
    raw = await rawDialer()
    cluster.cleanups.push(async () => {
      await raw.stop()
    })
  })
  after(() => cluster.stopAll())

  /** Sends one hand-made frame (written raw, without a length prefix when `rawBytes`) and reads the replies. */
  async function exchange(bytes: Uint8Array, { rawBytes = false } = {}): Promise<SubmitFrame[]> {
    const stream = await raw.dialProtocol(multiaddr(tcpAddr(gateway)), SUBMIT_PROTOCOL)
    const lp = lpStream(stream, { maxDataLength: 8 * 1024 * 1024 })
    if (rawBytes) {
      stream.send(bytes)
      await stream.close()
    } else void lp.write(bytes).catch(() => undefined) // an oversized write may be cut off by the gateway's close
    const frames: SubmitFrame[] = []
    try {
      while (true)
        frames.push(decodeSubmitFrame((await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray()))
    } catch (error) {
      if (frames.length === 0) throw error
    }
    return frames
  }

  async function expectErrorFrame(bytes: Uint8Array, code: string, field?: string, opts = {}) {
    const before = (await gateway.store.list()).length
    const frames = await exchange(bytes, opts)
    assert.equal(
      frames.length,
      1,
      `expected exactly one error frame, got ${JSON.stringify(frames.map((f) => f.type))}`,
    )
    const frame = frames[0] as SubmitFrame
    assert.equal(frame.type, 'error')
    if (frame.type !== 'error') return
    assert.equal(frame.error.code, code, frame.error.message)
    if (field !== undefined) assert.equal(frame.error.field, field)
    assert.ok(frame.error.message.length > 0, 'error frame says what is wrong')
    assert.equal((await gateway.store.list()).length, before, 'a rejected request stores nothing')
  }

  it('accepts a valid task: id, status frames, stored, announced to every node', async () => {
    const events: SubmitEvent[] = []
    const result = await client.submit(params(), { onEvent: (e) => events.push(e) })
    assert.match(result.taskId, /^[0-9a-f]{64}$/)
    assert.deepEqual(
      events.map((e) => e.type),
      ['accepted', 'status'],
    )
    assert.equal(result.status.state, 'announced')
    const stored = await gateway.store.get(result.taskId)
    assert.equal(stored?.origin, 'submitted')
    assert.ok(await gateway.store.getRequest(result.taskId), 'gateway keeps the signed request')
    for (const node of others) {
      await waitFor(
        `node ${node.peerId} records the task`,
        async () => (await node.store.get(result.taskId)) !== undefined,
      )
      const record = await node.store.get(result.taskId)
      assert.equal(record?.origin, 'announced')
      assert.equal(record?.gateway, gateway.peerId.toString())
    }
  })

  it("announces the dispatcher's job sizes, not the client's: every node records the plan's demand", async () => {
    const sized: [SubmitTaskParams['input'], [string, string][]][] = [
      // 2500 values: 3 jobs of 840 (⌈2500/1024⌉ = 3), and the 3 aggregations of a 3-leaf tree.
      [
        { type: 'sum', values: Array.from({ length: 2500 }, (_, i) => i % 97) },
        [
          ['sum/leaf', '3'],
          ['aggregate', '3'],
        ],
      ],
      // 1000 steps: 4 jobs of 250.
      [
        { type: 'hashchain', seed: new Uint8Array(32).fill(3), steps: 1000n },
        [
          ['hashchain/leaf', '4'],
          ['aggregate', '3'],
        ],
      ],
      // An old client's explicit size is honoured: 20 values in jobs of 8.
      [
        { type: 'sum', values: Array.from({ length: 20 }, (_, i) => i), chunkSize: 8 },
        [
          ['sum/leaf', '3'],
          ['aggregate', '3'],
        ],
      ],
    ]
    for (const [input, demands] of sized) {
      const result = await client.submit(params({ input }))
      const expected = demands.map(([resourceClass, units]) => ({ class: resourceClass, units }))
      assert.deepEqual((await gateway.store.get(result.taskId))?.demands, expected)
      for (const node of others) {
        await waitFor(
          `node ${node.peerId} records the task`,
          async () => (await node.store.get(result.taskId)) !== undefined,
        )
        assert.deepEqual((await node.store.get(result.taskId))?.demands, expected)
      }
    }
  })

  it('refuses a task too long for the circuits at full jobs, naming the field, and stores nothing', async () => {
    const tooLong = await client.sign(
      params({ input: { type: 'hashchain', seed: new Uint8Array(32), steps: 4096n * 256n + 1n } }),
    )
    await expectErrorFrame(tooLong, 'too_large', 'input.steps')
  })

  it('treats a duplicate submit as the same task', async () => {
    const envelope = await client.sign(params({ nonce: 42n }))
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      for await (const e of client.track(envelope)) if (e.type === 'accepted') ids.push(e.taskId)
    }
    assert.equal(ids.length, 2)
    assert.equal(ids[0], ids[1])
    const matching = (await gateway.store.list()).filter((t) => t.taskId === ids[0])
    assert.equal(matching.length, 1)
    assert.equal(matching[0]?.history.filter((h) => h.state === 'accepted').length, 1, 'not accepted twice')
  })

  it('streams later state changes until a final state', async () => {
    const envelope = await client.sign(params({ nonce: 7n }))
    const states: string[] = []
    let taskId = ''
    for await (const e of client.track(envelope, { follow: true })) {
      if (e.type === 'accepted') taskId = e.taskId
      if (e.type !== 'status') continue
      states.push(e.status.state)
      if (e.status.state === 'announced') {
        await gateway.updateTaskState(taskId, 'proving', 'leaf 1/2')
        await gateway.updateTaskState(taskId, 'done', '', new Uint8Array([1, 2, 3]))
      }
      if (e.status.final) assert.deepEqual([...e.status.proof], [1, 2, 3])
    }
    assert.deepEqual(states, ['announced', 'proving', 'done'])
  })

  it('answers malformed bytes with an error frame', async () => {
    // Field 3 claims 80 bytes but the message ends after one.
    await expectErrorFrame(new Uint8Array([0x1a, 0x50, 0x01]), 'malformed')
  })

  it('answers a truncated frame with an error frame', async () => {
    // The length prefix promises 100 bytes; the client sends 3 and closes its side.
    await expectErrorFrame(new Uint8Array([100, 1, 2, 3]), 'malformed', undefined, { rawBytes: true })
  })

  it('answers an oversized frame with too_large', async () => {
    await expectErrorFrame(new Uint8Array(MAX_ENVELOPE_BYTES.SubmitTask + 1), 'too_large')
  })

  it('answers a tampered request with bad_signature', async () => {
    const env = SignedEnvelope.decode(await client.sign(params()))
    const body = SubmitTask.decode(env.body)
    const tampered = SignedEnvelope.encode({
      ...env,
      body: SubmitTask.encode({ ...body, maxPricePerUnit: 1n }),
    })
    await expectErrorFrame(tampered, 'bad_signature', 'envelope.signature')
  })

  it('answers an unknown proof type', async () => {
    const body = SubmitTask.encode({
      version: 1,
      proofType: 'fib',
      input: new Uint8Array([1]),
      maxPricePerUnit: 1n,
      deadlineMs: BigInt(Date.now() + 60_000),
    })
    await expectErrorFrame(
      await sealEnvelope('SubmitTask', body, client.key),
      'unknown_proof_type',
      'proof_type',
    )
  })

  it('answers a past deadline, and the SDK reports the field', async () => {
    await expectErrorFrame(
      await client.sign(params({ deadlineMs: BigInt(Date.now() - 1000) })),
      'deadline_past',
      'deadline_ms',
    )
    await expectErrorFrame(
      await client.sign(params({ maxPricePerUnit: 0n })),
      'zero_budget',
      'max_price_per_unit',
    )
    // The SDK runs the gateway's validator before sending: the same code and field, nothing sent.
    await assert.rejects(client.submit(params({ maxPricePerUnit: 0n })), (error: unknown) => {
      assert.ok(error instanceof InvalidRequestError)
      assert.equal(error.code, 'zero_budget')
      assert.equal(error.field, 'max_price_per_unit')
      return true
    })
  })

  it('keeps serving after garbage', async () => {
    const result = await client.submit(params({ nonce: 99n }))
    assert.equal(result.status.state, 'announced')
    assert.equal(gateway.host.status, 'started')
  })
})
