// `npm run bench:mesh [-- --nodes N --messages M --submits S --settle-ms T]`: N mesh nodes as
// separate processes on loopback, run with the flags of `prover-mesh node start`. Measures time to
// full mesh, then (after T ms for the start-up work of kad-dht and identify to finish) the idle CPU,
// gossip propagation (per delivery and to all nodes, one announce at a time) and its CPU cost,
// submit -> accepted from a light client (one task at a time, then back to back), and RSS per node.
// Prints a table and writes bench-results/mesh.json.
import { fork, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { NODE_PROCESS_FLAGS } from '../node/cli/node-flags.mjs'
import { warmTsCache } from '../node/cli/ts-cache.mjs'
import { createLightClient } from '../node/client/light-client.ts'
import { buildSubmitTask } from '../protocol/index.ts'

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '20' },
    messages: { type: 'string', default: '50' },
    submits: { type: 'string', default: '100' },
    'settle-ms': { type: 'string', default: '10000' },
  },
})
const N = Number(args.nodes)
const MESSAGES = Number(args.messages)
const SUBMITS = Number(args.submits)
const SETTLE_MS = Number(args['settle-ms'])
const DLO = 4 // gossipsub default D_lo
const childEntry = new URL('./bench-mesh-node.ts', import.meta.url).pathname

type Msg = { type: string; [k: string]: unknown }
interface Child {
  proc: ChildProcess
  peerId: string
  addrs: string[]
  next(type: string, timeoutMs?: number): Promise<Msg>
}

const receipts = new Map<string, Map<number, number>>() // taskId -> node index -> receipt time

function spawnChild(index: number, dir: string, bootstrap?: string): Promise<Child> {
  const proc = fork(childEntry, [join(dir, `n${index}`), bootstrap ?? ''], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [...NODE_PROCESS_FLAGS],
  })
  const waiting = new Map<string, ((m: Msg) => void)[]>()
  proc.on('message', (m: Msg) => {
    if (m.type === 'announce') {
      const id = m.taskId as string
      if (!receipts.has(id)) receipts.set(id, new Map())
      receipts.get(id)?.set(index, m.at as number)
      return
    }
    if (m.type === 'error') console.error(`node ${index}: ${m.error as string}`)
    waiting.get(m.type)?.shift()?.(m)
  })
  const next = (type: string, timeoutMs = 60_000) =>
    new Promise<Msg>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`node ${index}: no '${type}' within ${timeoutMs} ms`)),
        timeoutMs,
      )
      const list = waiting.get(type) ?? []
      list.push((m) => {
        clearTimeout(t)
        resolve(m)
      })
      waiting.set(type, list)
    })
  return next('ready').then((m) => ({ proc, peerId: m.peerId as string, addrs: m.addrs as string[], next }))
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN }
}
const round = (x: number) => Math.round(x * 100) / 100
const toMB = (mib: number) => round((mib * 2 ** 20) / 1e6)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'pm-bench-'))
  const children: Child[] = []
  warmTsCache()
  try {
    const t0 = performance.now()
    children.push(await spawnChild(0, dir))
    const boot = (children[0] as Child).addrs[0] as string
    children.push(
      ...(await Promise.all(Array.from({ length: N - 1 }, (_, i) => spawnChild(i + 1, dir, boot)))),
    )
    const started = performance.now()

    // Full mesh: every node has at least min(D_lo, N-1) gossipsub mesh peers on the tasks topic
    // (nodes need not be connected to all others; gossip reaches them through the mesh).
    let meshAt = NaN
    let states: Msg[] = []
    for (let tries = 0; tries < 600; tries++) {
      states = await Promise.all(children.map((c) => (c.proc.send({ type: 'mesh' }), c.next('mesh'))))
      if (states.every((s) => (s.mesh as number) >= Math.min(DLO, N - 1))) {
        meshAt = performance.now()
        break
      }
      await sleep(200)
    }
    if (Number.isNaN(meshAt)) {
      const summary = states.map(
        (s, i) => `${i}:peers=${s.peers as number},subs=${s.subscribers as number},mesh=${s.mesh as number}`,
      )
      throw new Error(`the mesh did not form within 120 s: ${summary.join(' ')}`)
    }

    // CPU time of all node processes together, in ms.
    const cpuMs = async () => {
      const all = await Promise.all(children.map((c) => (c.proc.send({ type: 'cpu' }), c.next('cpu'))))
      return all.reduce((sum, m) => sum + (m.micros as number) / 1000, 0)
    }
    await sleep(SETTLE_MS)
    const idleFrom = { cpu: await cpuMs(), at: performance.now() }
    await sleep(5000)
    const idleCpuPerNode = ((await cpuMs()) - idleFrom.cpu) / (performance.now() - idleFrom.at) / N

    // Gossip: one announce at a time from rotating publishers, each waiting until all others have it.
    const client = await generateKeyPair('Ed25519')
    const gossipFrom = { cpu: await cpuMs(), at: performance.now() }
    const perDelivery: number[] = []
    const toAll: number[] = []
    let lost = 0
    for (let m = 0; m < MESSAGES; m++) {
      const publisher = children[m % N] as Child
      const envelope = await buildSubmitTask(
        {
          input: { type: 'sum', values: [m, 1, 2, 3], chunkSize: 8 },
          maxPricePerUnit: 1n,
          deadlineMs: BigInt(Date.now() + 600_000),
          nonce: BigInt(m),
        },
        client,
      )
      publisher.proc.send({ type: 'publish', envelope: [...envelope] })
      const pub = await publisher.next('published')
      const taskId = pub.taskId as string
      const deadline = performance.now() + 5000
      while ((receipts.get(taskId)?.size ?? 0) < N - 1 && performance.now() < deadline) await sleep(5)
      const got = receipts.get(taskId) ?? new Map<number, number>()
      lost += N - 1 - got.size
      const lat = [...got.values()].map((at) => at - (pub.at as number))
      perDelivery.push(...lat)
      if (got.size === N - 1) toAll.push(Math.max(...lat))
    }
    // Net of the idle CPU, per announce, all nodes together.
    const gossipElapsed = performance.now() - gossipFrom.at
    const cpuPerMessage = ((await cpuMs()) - gossipFrom.cpu - idleCpuPerNode * N * gossipElapsed) / MESSAGES

    // Submit -> accepted from a light client to node 0 (connection reused after the first). One task
    // at a time: the next submit waits until every node has the previous task's announce, as the
    // gossip figures do. Back to back: the next submit follows the accepted frame at once, so it
    // competes with the gossip of the tasks before it (20 processes share the machine's cores).
    const light = await createLightClient({ gateways: [boot] })
    const submitOneAtATime: number[] = []
    const submitBackToBack: number[] = []
    let nonce = 1_000_000
    const submitOnce = async (): Promise<{ ms: number; taskId: string }> => {
      const envelope = await light.sign({
        input: { type: 'sum', values: [nonce, 7], chunkSize: 8 },
        maxPricePerUnit: 1n,
        deadlineMs: BigInt(Date.now() + 600_000),
        nonce: BigInt(nonce++),
      })
      const t = performance.now()
      for await (const e of light.track(envelope)) {
        if (e.type === 'accepted') return { ms: performance.now() - t, taskId: e.taskId }
      }
      throw new Error('the submit stream ended without an accepted frame')
    }
    try {
      for (let s = 0; s < SUBMITS; s++) {
        const { ms, taskId } = await submitOnce()
        submitOneAtATime.push(ms)
        const until = performance.now() + 5000
        while ((receipts.get(taskId)?.size ?? 0) < N - 1 && performance.now() < until) await sleep(2)
      }
      for (let s = 0; s < SUBMITS; s++) submitBackToBack.push((await submitOnce()).ms)
    } finally {
      await light.close()
    }

    const rss = await Promise.all(children.map((c) => (c.proc.send({ type: 'rss' }), c.next('rss'))))
    const rssMiB = rss.map((r) => (r.rss as number) / 2 ** 20)
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadAvg1mAtEnd: round(loadavg()[0] ?? 0) },
      nodes: N,
      nodeFlags: NODE_PROCESS_FLAGS.filter((f) => f.startsWith('--') && f !== '--import'),
      spawnMs: round(started - t0),
      timeToFullMeshMs: round(meshAt - t0),
      settleMs: SETTLE_MS,
      idleCpuPercentPerNode: round(idleCpuPerNode * 100),
      gossip: {
        messages: MESSAGES,
        lostDeliveries: lost,
        perDeliveryMs: mapRound(stats(perDelivery)),
        toAllMs: mapRound(stats(toAll)),
        cpuMsPerMessageAllNodes: round(cpuPerMessage),
      },
      submitToAcceptedMs: mapRound(stats(submitOneAtATime)),
      submitToAcceptedBackToBackMs: mapRound(stats(submitBackToBack)),
      rssMiBPerNode: {
        ...mapRound(stats(rssMiB)),
        mean: round(rssMiB.reduce((a, b) => a + b, 0) / rssMiB.length),
      },
    }
    const ms = (x: { p50: number; p99: number }) => `p50 ${x.p50} ms  p99 ${x.p99} ms`
    console.log(
      `bench:mesh — ${N} node processes on 127.0.0.1, ${cpus().length} CPUs, Node ${process.version}`,
    )
    console.log(`  node flags                 ${result.nodeFlags.join(' ')}`)
    console.log(`  spawn                      ${result.spawnMs} ms`)
    console.log(`  time to full mesh          ${result.timeToFullMeshMs} ms (from first spawn)`)
    console.log(
      `  idle CPU per node          ${result.idleCpuPercentPerNode}% of a core (after ${SETTLE_MS} ms settle)`,
    )
    console.log(
      `  gossip per delivery        ${ms(result.gossip.perDeliveryMs)}  (${result.gossip.perDeliveryMs.n} deliveries, ${lost} lost)`,
    )
    console.log(`  gossip to all ${N - 1} peers     ${ms(result.gossip.toAllMs)}`)
    console.log(
      `  gossip CPU per announce    ${result.gossip.cpuMsPerMessageAllNodes} ms (all nodes, net of idle)`,
    )
    console.log(
      `  submit -> accepted         ${ms(result.submitToAcceptedMs)}  (${SUBMITS} submits, one task at a time)`,
    )
    console.log(
      `  submit -> accepted         ${ms(result.submitToAcceptedBackToBackMs)}  (${SUBMITS} submits, back to back)`,
    )
    console.log(
      `  RSS per node               mean ${result.rssMiBPerNode.mean} MiB (${toMB(result.rssMiBPerNode.mean)} MB)  max ${result.rssMiBPerNode.max} MiB (${toMB(result.rssMiBPerNode.max)} MB)`,
    )
    await mkdir('bench-results', { recursive: true })
    await writeFile('bench-results/mesh.json', JSON.stringify(result, null, 2) + '\n')
    console.log('  written to bench-results/mesh.json')
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null) return resolve()
            const t = setTimeout(() => c.proc.kill('SIGKILL'), 5000)
            c.proc.once('exit', () => {
              clearTimeout(t)
              resolve()
            })
            c.proc.send({ type: 'stop' })
          }),
      ),
    )
    await rm(dir, { recursive: true, force: true })
  }
}

function mapRound<T extends Record<string, number>>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)])) as T
}

await main()
