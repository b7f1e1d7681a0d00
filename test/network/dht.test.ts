// Kad-DHT among full nodes on one IP: our private protocol id, server mode, and loopback addresses kept
// in the routing table (notes/libp2p.md P10: with kad-dht's defaults all three fail silently here).
import assert from 'node:assert/strict'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type SingleKadDHT } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { MeshNode } from '../../node/create-node.ts'
import { KAD_PROTOCOL } from '../../protocol/index.ts'
import { Cluster, tcpAddr, waitFor } from './helpers.ts'

const dhtOf = (node: MeshNode) => node.host.services.dht as SingleKadDHT

describe('Kad-DHT (4 nodes on loopback)', function () {
  const cluster = new Cluster()
  let nodes: MeshNode[]

  before(async () => {
    nodes = await cluster.startMesh(4)
  })
  after(() => cluster.stopAll())

  it('every full node serves the DHT and finds the other three through it, not only its bootstrap', async () => {
    // Nodes 1–3 are told of node 0 only; the others reach their routing tables through DHT queries.
    await waitFor('every routing table to hold the 3 other nodes', () =>
      nodes.every((n) => dhtOf(n).routingTable.size === 3),
    )
    for (const node of nodes) {
      assert.equal(dhtOf(node).getMode(), 'server')
      assert.ok(node.host.getProtocols().includes(KAD_PROTOCOL), `${node.peerId} serves ${KAD_PROTOCOL}`)
    }
  })

  it('a record one node provides is found by another through the DHT', async () => {
    const cid = CID.create(
      1,
      raw.code,
      await sha256.digest(new TextEncoder().encode(`dht test ${Date.now()}`)),
    )
    // provide() stores the record at the closest peers as its query runs; count the peers it reached.
    let stored = 0
    for await (const event of dhtOf(nodes[1]!).provide(cid, { signal: AbortSignal.timeout(10_000) })) {
      if (event.name === 'PEER_RESPONSE') stored++
    }
    assert.ok(stored > 0, 'the provider record reached other nodes')
    const providers = new Set<string>()
    for await (const event of dhtOf(nodes[3]!).findProviders(cid, { signal: AbortSignal.timeout(10_000) })) {
      if (event.name === 'PROVIDER') for (const p of event.providers) providers.add(p.id.toString())
    }
    assert.ok(providers.has(nodes[1]!.peerId.toString()), `providers found: ${[...providers].join(', ')}`)
    assert.ok(!providers.has(nodes[2]!.peerId.toString()), 'a node that did not provide is not listed')
  })

  it('a peer speaking the public DHT protocol is connected but never enters a routing table', async () => {
    const outsider = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // kad-dht's default protocol (/ipfs/kad/1.0.0), in server mode, keeping loopback addresses.
      services: {
        identify: identify(),
        ping: ping(),
        dht: kadDHT({ clientMode: false, peerInfoMapper: passthroughMapper }),
      },
    })
    cluster.cleanups.push(async () => outsider.stop())
    await outsider.dial(multiaddr(tcpAddr(nodes[0]!)))
    // Identify tells each side the other's protocols; a DHT peer would be added right after it.
    await waitFor('identify to finish both ways', async () => {
      const seen = await nodes[0]!.host.peerStore.get(outsider.peerId).catch(() => undefined)
      return (seen?.protocols.length ?? 0) > 0
    })
    await new Promise((r) => setTimeout(r, 1000))
    assert.equal(dhtOf(nodes[0]!).routingTable.size, 3, 'only our three nodes')
    assert.equal((outsider.services.dht as SingleKadDHT).routingTable.size, 0)
    assert.ok(
      nodes[0]!.host.getPeers().some((p) => p.equals(outsider.peerId)),
      'still connected',
    )
  })
})
