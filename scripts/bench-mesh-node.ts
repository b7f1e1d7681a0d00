// One node of `npm run bench:mesh`, run as a child process with the node process flags
// (node/cli/node-flags.mjs); the parent drives it over IPC.
// Receipt times are wall-clock (performance.timeOrigin + now()), comparable across processes on
// one machine.
import { performance } from 'node:perf_hooks'
import { DEFAULT_CONFIG } from '../node/config.ts'
import { createNode } from '../node/create-node.ts'
import { silentLogger } from '../node/logger.ts'
import { toHex } from '../protocol/index.ts'

const wallNow = () => performance.timeOrigin + performance.now()
const send = (msg: unknown) => process.send?.(msg)

const dataDir = process.argv[2] as string
const bootstrap = process.argv[3] ? [process.argv[3]] : []

const node = await createNode(
  {
    ...DEFAULT_CONFIG,
    dataDir,
    network: 'bench',
    tcpPort: 0,
    wsPort: null,
    httpPort: null,
    bootstrap,
    logLevel: 'silent',
  },
  {
    logger: silentLogger(),
    auction: { onTaskAnnounced: (a) => send({ type: 'announce', taskId: toHex(a.taskId), at: wallNow() }) },
  },
)
const topic = node.gossip.topics.tasks

process.on('message', (msg: { type: string; envelope?: number[] }) => {
  void (async () => {
    if (msg.type === 'mesh') {
      send({
        type: 'mesh',
        mesh: node.gossip.meshSizes()[topic] ?? 0,
        subscribers: node.host.services.pubsub.getSubscribers(topic).length,
        peers: node.host.getPeers().length,
      })
    } else if (msg.type === 'publish') {
      const at = wallNow()
      const { taskId } = await node.submit(Uint8Array.from(msg.envelope ?? []))
      send({ type: 'published', taskId, at })
    } else if (msg.type === 'rss') {
      send({ type: 'rss', ...process.memoryUsage() })
    } else if (msg.type === 'cpu') {
      const { user, system } = process.cpuUsage()
      send({ type: 'cpu', micros: user + system, at: performance.now() })
    } else if (msg.type === 'stop') {
      await node.stop()
      process.exit(0)
    }
  })().catch((error: unknown) => send({ type: 'error', error: (error as Error).message }))
})
// An orphaned child (parent killed) must not keep a node running.
process.on('disconnect', () => process.exit(1))
send({ type: 'ready', peerId: node.peerId.toString(), addrs: node.multiaddrs() })
