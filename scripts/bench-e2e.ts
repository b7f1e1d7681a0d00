// `npm run bench:e2e [-- --tasks K --epoch-ms M]`: the whole lifecycle on a local testnet (anvil,
// staked operators, node processes). Real mode: 4 nodes, K `sum` tasks of 8 chunks × 1024 values,
// one after another, each root proof verified here. Per task: request → first assignment (client
// submit to the gateway's first 'jobs assigned' log line), end to end (submit to the verified 'done'
// frame), the proving time on the critical path of the task's tree (from the provers' 'job proven'
// timings), and the mesh overhead = end to end / critical path.
// `--prover sim [--nodes 10,25,50] [--tasks 100]`: SIMULATED proving (fixed service time, no proof)
// for scale: all tasks submitted at once; throughput and latency percentiles per network size.
// Prints a table and writes bench-results/e2e.json or e2e-sim.json.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createLightClient } from '../node/client/light-client.ts'
import { planJobs } from '../node/dispatcher/job-plan.ts'
import { startTestnet, type Testnet } from '../node/testnet/testnet.ts'
import { Prover } from '../prover-ffi/index.ts'

const { values: args } = parseArgs({
  options: {
    prover: { type: 'string', default: 'real' },
    nodes: { type: 'string' },
    tasks: { type: 'string' },
    'epoch-ms': { type: 'string', default: '1000' },
    'sim-prove-ms': { type: 'string', default: '500' },
    'max-minutes': { type: 'string', default: '10' },
  },
})
const SIM = args.prover === 'sim'
if (!SIM && args.prover !== 'real') throw new Error(`--prover must be real or sim, got '${args.prover}'`)
const EPOCH_MS = Number(args['epoch-ms'])
const SIZES = (args.nodes ?? (SIM ? '10,25,50' : '4')).split(',').map(Number)
const TASKS = Number(args.tasks ?? (SIM ? '100' : '5'))
const LEAVES = 8
const CHUNK = SIM ? 8 : 1024
const MAX_MS = Number(args['max-minutes']) * 60_000
const TASKS_PER_CLIENT = 25

interface TaskFigures {
  taskId: string
  submitAtMs: number
  firstAssignmentMs: number | null
  endToEndMs: number
  criticalPathProvingMs: number | null
  meshOverhead: number | null
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function summary(values: number[]) {
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null
  return { p50: percentile(values, 50), p99: percentile(values, 99), mean }
}

interface LogLine {
  msg?: string
  taskId?: string
  time?: number
  job?: number
  ms?: number
}

async function logLines(net: Testnet): Promise<LogLine[]> {
  const lines: LogLine[] = []
  for (const node of net.nodes) {
    for (const line of (await readFile(node.logPath, 'utf8').catch(() => '')).split('\n')) {
      if (!line.startsWith('{')) continue
      try {
        lines.push(JSON.parse(line) as LogLine)
      } catch {
        // a line cut by a kill
      }
    }
  }
  return lines
}

/** Proving time on the critical path: each job's own time plus its slowest child's path. */
function criticalPath(lines: LogLine[], taskId: string): number | null {
  const ms = new Map<number, number>()
  for (const l of lines) if (l.msg === 'job proven' && l.taskId === taskId) ms.set(l.job!, l.ms!)
  const plan = planJobs('sum', LEAVES)
  const path = new Map<number, number>()
  for (const job of plan.jobs) {
    const own = ms.get(job.index)
    if (own === undefined) return null
    path.set(job.index, own + Math.max(0, ...job.children.map((c) => path.get(c)!)))
  }
  return path.get(plan.root)!
}

function values(seed: number): number[] {
  return Array.from({ length: LEAVES * CHUNK }, (_, i) => (i * 2654435761 + seed * 40503) % 1_000_000)
}

async function runSize(nodes: number, dir: string) {
  const net = await startTestnet({
    nodes,
    dir,
    epochMs: EPOCH_MS,
    proverMode: SIM ? 'sim' : 'real',
    simProveMs: Number(args['sim-prove-ms']),
    jobTimeoutMs: 60_000,
    readyTimeoutMs: Math.max(60_000, nodes * 6_000),
  })
  // Like independent clients: a gateway serves at most 64 submit streams per connection.
  const clients = await Promise.all(
    Array.from({ length: Math.ceil(TASKS / TASKS_PER_CLIENT) }, () =>
      createLightClient({ gateways: net.gatewayAddrs(), maxAttempts: 40 }),
    ),
  )
  const prover = SIM ? undefined : new Prover()
  const key = prover ? await prover.verifierKey('sum') : undefined
  const started = Date.now()
  try {
    const runOne = async (i: number) => {
      const submitAtMs = Date.now()
      const result = await clients[Math.floor(i / TASKS_PER_CLIENT)]!.submit(
        {
          input: { type: 'sum', values: values(i + nodes * 1000), chunkSize: CHUNK },
          maxPricePerUnit: 10n,
          deadlineMs: BigInt(Date.now() + MAX_MS),
          nonce: BigInt(i),
        },
        { wait: true },
      )
      if (result.status.state !== 'done') throw new Error(`task ${result.taskId}: ${result.status.detail}`)
      if (prover && key) await prover.verifyFinal(key, result.status.proof)
      return { taskId: result.taskId, submitAtMs, endToEndMs: Date.now() - submitAtMs }
    }
    const deadline = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`not done within ${args['max-minutes']} minutes`)), MAX_MS).unref(),
    )
    const done = SIM
      ? await Promise.race([Promise.all(Array.from({ length: TASKS }, (_, i) => runOne(i))), deadline])
      : await Promise.race([
          (async () => {
            const out = []
            for (let i = 0; i < TASKS; i++) out.push(await runOne(i))
            return out
          })(),
          deadline,
        ])
    const windowMs = Date.now() - started
    const lines = await logLines(net)
    const tasks: TaskFigures[] = done.map((t) => {
      const firstAssigned = lines
        .filter((l) => l.msg === 'jobs assigned' && l.taskId === t.taskId)
        .map((l) => l.time!)
        .sort((a, b) => a - b)[0]
      const critical = SIM ? null : criticalPath(lines, t.taskId)
      return {
        ...t,
        firstAssignmentMs: firstAssigned === undefined ? null : firstAssigned - t.submitAtMs,
        criticalPathProvingMs: critical,
        meshOverhead: critical ? t.endToEndMs / critical : null,
      }
    })
    const assignment = summary(
      tasks.flatMap((t) => (t.firstAssignmentMs === null ? [] : [t.firstAssignmentMs])),
    )
    return {
      nodes,
      ok: true,
      tasks: tasks.length,
      windowMs,
      throughputTasksPerMin: (tasks.length / windowMs) * 60_000,
      requestToFirstAssignmentMs: assignment,
      requestToFirstAssignmentEpochs: assignment.p50 === null ? null : assignment.p50 / EPOCH_MS,
      endToEndMs: summary(tasks.map((t) => t.endToEndMs)),
      criticalPathProvingMs: summary(
        tasks.flatMap((t) => (t.criticalPathProvingMs ? [t.criticalPathProvingMs] : [])),
      ),
      meshOverhead: summary(tasks.flatMap((t) => (t.meshOverhead ? [t.meshOverhead] : []))),
      perTask: SIM ? undefined : tasks,
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()))
    await net.stop()
  }
}

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined ? '-' : v.toFixed(digits)

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'pm-bench-e2e-'))
  const results = []
  try {
    for (const nodes of SIZES) {
      console.error(`${SIM ? 'SIMULATED proving' : 'real proving'}: ${nodes} nodes, ${TASKS} tasks …`)
      try {
        results.push(await runSize(nodes, join(root, `n${nodes}`)))
      } catch (error) {
        results.push({ nodes, ok: false, error: (error as Error).message })
        console.error(`  ${nodes} nodes failed: ${(error as Error).message}`)
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  console.log(
    `\n${SIM ? 'SIMULATED proving (no proofs; scale study)' : 'real proofs'}, epoch ${EPOCH_MS} ms, sum over ${LEAVES} chunks`,
  )
  console.log(
    'nodes  tasks  tasks/min  assign p50/p99 ms (epochs)  e2e p50/p99 ms  critical p50 ms  overhead p50/p99',
  )
  for (const r of results) {
    if (!('tasks' in r)) {
      console.log(`${String(r.nodes).padEnd(6)} failed: ${r.error}`)
      continue
    }
    console.log(
      `${String(r.nodes).padEnd(6)} ${String(r.tasks).padEnd(6)} ${fmt(r.throughputTasksPerMin, 1).padEnd(10)} ` +
        `${fmt(r.requestToFirstAssignmentMs.p50)}/${fmt(r.requestToFirstAssignmentMs.p99)} (${fmt(r.requestToFirstAssignmentEpochs, 2)})`.padEnd(
          28,
        ) +
        ` ${fmt(r.endToEndMs.p50)}/${fmt(r.endToEndMs.p99)}`.padEnd(16) +
        ` ${fmt(r.criticalPathProvingMs.p50)}`.padEnd(17) +
        ` ${fmt(r.meshOverhead.p50, 2)}/${fmt(r.meshOverhead.p99, 2)}`,
    )
  }
  console.log('targets: request→assignment p50 ≤ 1.5 epochs; mesh overhead ≤ 1.5× at a 1 s epoch')
  await mkdir('bench-results', { recursive: true })
  const file = join('bench-results', SIM ? 'e2e-sim.json' : 'e2e.json')
  await writeFile(
    file,
    JSON.stringify(
      {
        mode: SIM ? 'sim (SIMULATED proving, no proofs)' : 'real',
        epochMs: EPOCH_MS,
        leaves: LEAVES,
        chunk: CHUNK,
        tasksPerSize: TASKS,
        machine: { cpus: cpus().length, node: process.version },
        results,
      },
      null,
      2,
    ),
  )
  console.log(`wrote ${file}`)
}

await main()
