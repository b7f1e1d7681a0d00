// Helpers for multi-node tests on loopback: temp data dirs, nodes on ephemeral ports, bounded waits.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_CONFIG, type NodeConfig } from '../../node/config.ts'
import { createNode, type MeshNode, type NodeDeps } from '../../node/create-node.ts'
import { silentLogger } from '../../node/logger.ts'

export async function tempDir(prefix = 'pm-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

export function testConfig(dataDir: string, over: Partial<NodeConfig> = {}): NodeConfig {
  return {
    ...DEFAULT_CONFIG,
    dataDir,
    network: 'test',
    tcpPort: 0,
    wsPort: null,
    httpPort: null,
    logLevel: 'silent',
    ...over,
  }
}

export function tcpAddr(node: MeshNode): string {
  const addr = node.multiaddrs().find((a) => a.includes('/tcp/') && !a.includes('/ws'))
  if (addr === undefined) throw new Error(`node ${node.peerId.toString()} has no TCP address`)
  return addr
}

/** Polls `check` until it returns true; fails with `what` if it has not after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** A set of nodes and dirs that `stopAll` tears down, also after a failed test. */
export class Cluster {
  readonly nodes: MeshNode[] = []
  readonly dirs: string[] = []
  readonly cleanups: (() => Promise<void>)[] = []

  async start(over: Partial<NodeConfig> = {}, deps: NodeDeps = {}, dir?: string): Promise<MeshNode> {
    const dataDir = dir ?? (await tempDir())
    if (dir === undefined) this.dirs.push(dataDir)
    const node = await createNode(testConfig(dataDir, over), { logger: silentLogger(), ...deps })
    this.nodes.push(node)
    return node
  }

  /** Starts `n` nodes: the first is the bootstrap of the others. */
  async startMesh(n: number, over: Partial<NodeConfig> = {}): Promise<MeshNode[]> {
    const first = await this.start(over)
    const rest: MeshNode[] = []
    for (let i = 1; i < n; i++) rest.push(await this.start({ bootstrap: [tcpAddr(first)], ...over }))
    return [first, ...rest]
  }

  async stopNode(node: MeshNode): Promise<void> {
    const i = this.nodes.indexOf(node)
    if (i >= 0) this.nodes.splice(i, 1)
    await node.stop()
  }

  async stopAll(): Promise<void> {
    const errors: unknown[] = []
    for (const c of this.cleanups.splice(0)) await c().catch((e: unknown) => errors.push(e))
    for (const node of this.nodes.splice(0)) await node.stop().catch((e: unknown) => errors.push(e))
    for (const dir of this.dirs.splice(0)) await rm(dir, { recursive: true, force: true })
    if (errors.length > 0) throw errors[0]
  }
}

/** Full mesh for our purposes: every node has a gossip mesh peer on the tasks topic and sees all subscribers. */
export async function waitForMesh(nodes: MeshNode[], timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `all ${nodes.length} nodes subscribed and meshed on the tasks topic`,
    () =>
      nodes.every((n) => {
        const topic = n.gossip.topics.tasks
        return (
          n.host.services.pubsub.getSubscribers(topic).length >= Math.min(nodes.length - 1, 4) &&
          (n.gossip.meshSizes()[topic] ?? 0) >= 1
        )
      }),
    timeoutMs,
  )
}

/**
 * A bare libp2p dialer for sending hand-made frames to the submit protocol; with `listen`, a peer
 * that others can dial but that speaks no prover-mesh protocol.
 */
export async function rawDialer({ listen = [] as string[] } = {}) {
  const { createLibp2p } = await import('libp2p')
  const { tcp } = await import('@libp2p/tcp')
  const { noise } = await import('@libp2p/noise')
  const { yamux } = await import('@libp2p/yamux')
  const { identify } = await import('@libp2p/identify')
  return createLibp2p({
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
  })
}
