// Client errors that no retry can fix fail at once and say why: a malformed gateway address before
// any dial, a gateway with another identity than its /p2p/ part, a peer without the submit protocol.
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Libp2p } from '@libp2p/interface'
import {
  createLightClient,
  GatewayAddressError,
  GatewaysUnusableError,
  InvalidRequestError,
  parseGatewayAddress,
  type SubmitEvent,
} from '../../node/client/light-client.ts'
import type { MeshNode } from '../../node/create-node.ts'
import type { SubmitTaskParams } from '../../protocol/index.ts'
import { runCli } from '../helpers/cli.ts'
import { Cluster, rawDialer, tcpAddr } from './helpers.ts'

const params: SubmitTaskParams = {
  input: { type: 'sum', values: [1, 2, 3, 4, 5, 6, 7, 8], chunkSize: 8 },
  maxPricePerUnit: 3n,
  deadlineMs: BigInt(Date.now() + 10 * 60_000),
}

/** A libp2p peer that listens but speaks no prover-mesh protocol. */
const plainPeer = () => rawDialer({ listen: ['/ip4/127.0.0.1/tcp/0'] })

describe('light client: errors retrying cannot fix', function () {
  const cluster = new Cluster()
  let gateway: MeshNode
  let plain: Libp2p

  before(async () => {
    gateway = await cluster.start()
    plain = await plainPeer()
    cluster.cleanups.push(async () => {
      await plain.stop()
    })
  })
  after(() => cluster.stopAll())

  it('a malformed gateway address is refused before any dial, naming the part at fault', async () => {
    const good = tcpAddr(gateway)
    const transport = good.slice(0, good.lastIndexOf('/p2p/'))
    assert.equal(parseGatewayAddress(good).toString(), good)
    assert.throws(() => parseGatewayAddress(transport), /needs a \/p2p\/<peer id> part/)
    assert.throws(
      () => parseGatewayAddress(`${transport}/p2p/12D3KooWbad`),
      (e: unknown) => e instanceof GatewayAddressError && /'12D3KooWbad' is not a peer id/.test(e.message),
    )
    assert.throws(
      () => parseGatewayAddress(`/ip4/127.0.0.1/tcpx/1/p2p/${gateway.peerId.toString()}`),
      /'\/ip4\/127.0.0.1\/tcpx\/1' is not a multiaddr/,
    )
    await assert.rejects(
      createLightClient({ gateways: [`${transport}/p2p/12D3KooWbad`] }),
      GatewayAddressError,
    )
  })

  it('a gateway whose identity differs from its /p2p/ part fails on the first attempt', async () => {
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const good = tcpAddr(gateway)
    const wrong = `${good.slice(0, good.lastIndexOf('/p2p/'))}/p2p/${stranger}`
    const client = await createLightClient({ gateways: [wrong], maxAttempts: 10, retryDelayMs: 10 })
    const events: SubmitEvent[] = []
    try {
      await assert.rejects(
        client.submit(params, { onEvent: (e) => events.push(e) }),
        (e: unknown) => e instanceof GatewaysUnusableError && /another identity/.test(e.message),
      )
    } finally {
      await client.close()
    }
    assert.deepEqual(events, [], 'no retry events: the failure is final at once')
  })

  it('a peer without the submit protocol is dropped; the next gateway takes the task', async () => {
    const plainAddr = plain.getMultiaddrs()[0]!.toString()
    const client = await createLightClient({ gateways: [plainAddr, tcpAddr(gateway)], retryDelayMs: 10 })
    const events: SubmitEvent[] = []
    try {
      const result = await client.submit(params, { onEvent: (e) => events.push(e) })
      assert.equal(result.gateway, tcpAddr(gateway))
    } finally {
      await client.close()
    }
    assert.deepEqual(
      events.map((e) => e.type),
      ['accepted', 'status'],
    )

    const alone = await createLightClient({ gateways: [plainAddr], maxAttempts: 10, retryDelayMs: 10 })
    try {
      await assert.rejects(
        alone.submit(params),
        (e: unknown) =>
          e instanceof GatewaysUnusableError && /does not speak \/prover-mesh\/submit/.test(e.message),
      )
    } finally {
      await alone.close()
    }
  })

  it('a request a gateway would refuse is refused locally with its field, and nothing is sent', async () => {
    const client = await createLightClient({ gateways: [tcpAddr(gateway)], maxAttempts: 1 })
    const before = (await gateway.store.list()).length
    const refused = async (over: Partial<SubmitTaskParams>, code: string, field: string) =>
      assert.rejects(
        client.submit({ ...params, ...over }),
        (e: unknown) => e instanceof InvalidRequestError && e.code === code && e.field === field,
      )
    try {
      const tooMany = Array.from({ length: 100_001 }, () => 1)
      await refused({ input: { type: 'sum', values: tooMany, chunkSize: 8 } }, 'too_large', 'input.values')
      await refused(
        { input: { type: 'sum', values: [1, 2, 3], chunkSize: 4 } },
        'out_of_range',
        'input.chunk_size',
      )
      await refused({ deadlineMs: BigInt(Date.now() - 1) }, 'deadline_past', 'deadline_ms')
    } finally {
      await client.close()
    }
    assert.equal((await gateway.store.list()).length, before, 'the gateway stored nothing')
  })

  it('the CLI prints the address error in one line and exits 2 before dialing', async () => {
    const good = tcpAddr(gateway)
    const run = await runCli([
      'submit',
      '--type',
      'hashchain',
      '--seed',
      '00'.repeat(32),
      '--steps',
      '4',
      '--gateway',
      `${good.slice(0, good.lastIndexOf('/p2p/'))}/p2p/12D3KooWbad`,
    ])
    assert.equal(run.code, 2)
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
    assert.match(run.stderr, /--gateway '.*': '12D3KooWbad' is not a peer id/)
  })

  it('a negative flag value is named as such, not as an "ambiguous" argument', async () => {
    const seed = '00'.repeat(32)
    const run = await runCli([
      ...['submit', '--gateway', tcpAddr(gateway), '--type', 'hashchain', '--seed', seed],
      ...['--steps', '-4'],
    ])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /--steps must be a non-negative integer, got '-4'/)
    assert.doesNotMatch(run.stderr, /ambiguous/)
  })
})
