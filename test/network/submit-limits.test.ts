// A gateway bounds the status streams clients hold open (each waits up to its task's deadline):
// per client peer and in all. Beyond a bound a submit gets one retryable `busy` error frame and
// nothing is stored; a freed slot is usable again; the light client retries `busy` instead of
// giving up as if the request were bad.
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import type { Libp2p, Stream } from '@libp2p/interface'
import {
  buildSubmitTask,
  decodeSubmitFrame,
  MAX_SUBMIT_RESPONSE_BYTES,
  SUBMIT_PROTOCOL,
  type SubmitFrame,
} from '../../protocol/index.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLightClient, GatewaysUnavailableError } from '../../node/client/light-client.ts'
import type { MeshNode } from '../../node/create-node.ts'
import { StatusStreamLimit } from '../../node/gateway/submit-handler.ts'
import { Cluster, rawDialer, tcpAddr, waitFor } from './helpers.ts'

let nonce = 0n
async function request(): Promise<Uint8Array> {
  return buildSubmitTask(
    {
      input: { type: 'sum', values: [1, 2, 3, 4, 5, 6, 7, 8], chunkSize: 8 },
      maxPricePerUnit: 7n,
      deadlineMs: BigInt(Date.now() + 10 * 60_000),
      nonce: ++nonce,
    },
    await generateKeyPair('Ed25519'),
  )
}

describe('submit: bounded status streams', function () {
  const cluster = new Cluster()
  const limit = new StatusStreamLimit(2, 3)
  let gateway: MeshNode
  let a: Libp2p
  let b: Libp2p

  before(async () => {
    gateway = await cluster.start({ roles: ['gateway'] }, { statusStreams: limit })
    a = await rawDialer()
    b = await rawDialer()
    cluster.cleanups.push(async () => {
      await a.stop()
      await b.stop()
    })
  })
  after(() => cluster.stopAll())

  /** Sends a request and reads the first frame; the stream stays open (a waiting client). */
  async function open(from: Libp2p, bytes: Uint8Array): Promise<{ stream: Stream; first: SubmitFrame }> {
    const stream = await from.dialProtocol(multiaddr(tcpAddr(gateway)), SUBMIT_PROTOCOL)
    const lp = lpStream(stream, { maxDataLength: MAX_SUBMIT_RESPONSE_BYTES })
    await lp.write(bytes)
    const first = decodeSubmitFrame((await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray())
    return { stream, first }
  }

  async function expectBusy(from: Libp2p, why: RegExp) {
    const bytes = await request()
    const before = gateway.store.size()
    const { first } = await open(from, bytes)
    assert.equal(first.type, 'error')
    if (first.type !== 'error') return
    assert.equal(first.error.code, 'busy')
    assert.match(first.error.message, why)
    assert.equal(gateway.store.size(), before, 'a refused submit stores nothing')
  }

  it('refuses a third stream from one peer and a fourth in all, then accepts once one closes', async () => {
    const a1 = await open(a, await request())
    const a2 = await open(a, await request())
    assert.equal(a1.first.type, 'accepted')
    assert.equal(a2.first.type, 'accepted')
    await expectBusy(a, /this peer has 2 open status streams \(at most 2\)/)
    const b1 = await open(b, await request())
    assert.equal(b1.first.type, 'accepted')
    await expectBusy(b, /the gateway has 3 open status streams \(at most 3\)/)
    assert.equal(limit.open, 3)

    a1.stream.abort(new Error('client gone'))
    await waitFor('the closed stream to free its slot', () => limit.open === 2)
    const b2 = await open(b, await request())
    assert.equal(b2.first.type, 'accepted', 'a freed slot is usable by another peer')
    for (const s of [a2, b1, b2]) s.stream.abort(new Error('done'))
    await waitFor('every slot freed', () => limit.open === 0)
  })

  it('the light client retries busy (no SubmitRejectedError) and names it when it gives up', async () => {
    const held = [
      await open(a, await request()),
      await open(a, await request()),
      await open(b, await request()),
    ]
    const client = await createLightClient({ gateways: [tcpAddr(gateway)], maxAttempts: 2, retryDelayMs: 10 })
    try {
      const events: string[] = []
      const bytes = await request()
      await assert.rejects(
        (async () => {
          for await (const e of client.track(bytes)) events.push(e.type)
        })(),
        (error: unknown) =>
          error instanceof GatewaysUnavailableError && /busy/.test((error as Error).message),
      )
      assert.deepEqual(events, ['retry', 'retry'])
      // Room again: the same signed bytes go through.
      held[0]!.stream.abort(new Error('done'))
      await waitFor('a free slot', () => limit.open === 2)
      const accepted: string[] = []
      for await (const e of client.track(bytes)) if (e.type === 'accepted') accepted.push(e.taskId)
      assert.equal(accepted.length, 1)
      assert.ok((await gateway.store.get(accepted[0]!)) !== undefined)
    } finally {
      for (const s of held) s.stream.abort(new Error('done'))
      await client.close()
    }
  })
})
