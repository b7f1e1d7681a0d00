// `npm run soak -- [--minutes M] [--nodes N] [--seed S]`: the chaos soak. A real-proof testnet (anvil,
// staked operators, N node processes, node 0 the gateway), a steady stream of small client tasks
// through the light client SDK, and a seeded schedule of faults through the testnet's control
// endpoint: SIGKILL + restart of any node (the gateway included), SIGSTOP/SIGCONT, and clock skew of
// one node within the market's grace. After M minutes no new task or fault starts, every node is
// brought back, and the tasks in flight are waited for. Every root proof is verified here against
// this checkout's verifier key and the statement computed locally.
//
// Prints and writes bench-results/soak.json: tasks submitted / verified / failed (with reasons),
// faults injected, seals rejected by code (nodes' /metrics), faults recorded against the (honest)
// nodes, per-node RSS at start and end, and event-loop delay p99. Exit 1 when verified ≠ submitted
// or any node is recorded as faulty; every process is stopped on exit, on failure and on Ctrl-C.
import { mkdir, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { SubmitTaskParams, TaskStatus } from '../protocol/index.ts'
import { toHex } from '../protocol/index.ts'
import { createLightClient, type LightClient } from '../node/client/light-client.ts'
import { startControlServer, type ControlServer } from '../node/testnet/control.ts'
import { verifyTaskProof, type DemoTask } from '../node/testnet/demo.ts'
import { startTestnet, type Testnet } from '../node/testnet/testnet.ts'
import { encodeHashchainTask, encodeSumTask, Prover } from '../prover-ffi/index.ts'
import { parsePrometheus, sumBy, valueOf, type Sample } from './soak/prometheus.ts'
import { faultSchedule, prng, randomSeed, randomValues, type PlannedFault } from './soak/schedule.ts'

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    nodes: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    'epoch-ms': { type: 'string', default: '1000' },
    'task-interval-s': { type: 'string', default: '10' },
    'max-in-flight': { type: 'string', default: '3' },
    'drain-minutes': { type: 'string', default: '5' },
    'job-timeout-s': { type: 'string', default: '120' },
    dir: { type: 'string', default: '.prover-mesh/soak' },
    out: { type: 'string', default: 'bench-results/soak.json' },
  },
})

function intArg(name: keyof typeof args, min: number, max: number): number {
  const raw = args[name] as string
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(n >= min && n <= max)) {
    console.error(`soak: --${name} must be an integer ${min}..${max}, got '${raw}'`)
    process.exit(2)
  }
  return n
}
const MINUTES = intArg('minutes', 1, 24 * 60)
const NODES = intArg('nodes', 2, 16)
const SEED = intArg('seed', 0, 2 ** 32 - 1)
const EPOCH_MS = intArg('epoch-ms', 200, 60_000)
const TASK_INTERVAL_MS = intArg('task-interval-s', 1, 3600) * 1000
const MAX_IN_FLIGHT = intArg('max-in-flight', 1, 64)
const DRAIN_MS = intArg('drain-minutes', 1, 120) * 60_000
// Generous: the soak tests recovery from faults, not speed, and on a shared 2-core machine an honest
// aggregation can take over 30 s (the node default); a slow honest prover must not be charged.
const JOB_TIMEOUT_MS = intArg('job-timeout-s', 1, 3600) * 1000
const GRACE_MS = Math.floor(EPOCH_MS / 5) // as the testnet configures its nodes
const SCRAPE_MS = 5000
const WARM_MS = 60_000
/** Kill downtime and pause length: well under the job timeout, so a node back in time owes nothing. */
const OUTAGE_MS: [number, number] = [1000, 6000]
const FAULT_GAP_MS: [number, number] = [10_000, 25_000]

const t0 = Date.now()
const log = (line: string) =>
  console.error(`[soak ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${line}`)
const abort = new AbortController()
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })

// ---- tasks ----

interface TaskRecord {
  label: string
  type: 'sum' | 'hashchain'
  taskId: string | null
  submittedAtS: number
  endedAtS: number | null
  state: string
  detail: string
  verified: boolean
  failure: string | null
  retries: number
}

let taskNumber = 0
function nextTask(random: () => number): DemoTask {
  const n = taskNumber++
  const deadlineMs = BigInt(Date.now() + 30 * 60_000)
  if (n % 2 === 0) {
    const values = randomValues(random, 16)
    return {
      label: `sum-${n}`,
      type: 'sum',
      params: { input: { type: 'sum', values, chunkSize: 8 }, maxPricePerUnit: 10n, deadlineMs },
      taskBytes: async () => encodeSumTask(values),
    }
  }
  const seed = randomSeed(random)
  const params: SubmitTaskParams = {
    input: { type: 'hashchain', seed, steps: 16n, segment: 8n },
    maxPricePerUnit: 10n,
    deadlineMs,
  }
  return {
    label: `hashchain-${n}`,
    type: 'hashchain',
    params,
    taskBytes: async () => encodeHashchainTask(toHex(seed), 16),
  }
}

async function runTask(
  client: LightClient,
  prover: Prover,
  task: DemoTask,
  record: TaskRecord,
): Promise<void> {
  let last: TaskStatus | undefined
  try {
    const result = await client.submit(task.params, {
      wait: true,
      signal: abort.signal,
      onEvent(event) {
        if (event.type === 'accepted' && record.taskId === null) {
          record.taskId = event.taskId
          log(`${task.label} accepted: ${event.taskId.slice(0, 12)}…`)
        }
        if (event.type === 'retry') record.retries++
        if (event.type === 'status') last = event.status
      },
    })
    const status = result.status ?? last
    record.state = status?.state ?? 'unknown'
    record.detail = status?.detail ?? ''
    if (status?.state !== 'done') throw new Error(`ended ${record.state}: ${record.detail}`)
    if (status.proof.byteLength === 0) throw new Error('done without a proof')
    await verifyTaskProof(prover, task, result.taskId, status.proof)
    record.verified = true
    log(`${task.label} verified (${record.retries} client retries)`)
  } catch (error) {
    record.failure = (error as Error).message
    log(`${task.label} FAILED: ${record.failure}`)
  } finally {
    record.endedAtS = (Date.now() - t0) / 1000
  }
}

// ---- what the nodes report ----

interface Incarnation {
  node: number
  pid: number
  firstRssBytes: number | null
  /** The first RSS sampled a minute or more into the process (circuits loaded, caches warm). */
  warmRssBytes: number | null
  firstScrapeAt: number
  lastRssBytes: number | null
  /** The latest scrape of this process (counters since it started). */
  last: Sample[]
  scrapes: number
  eventLoopP99s: number[]
}

const incarnations = new Map<string, Incarnation>()
/** Faults recorded against nodes (all of them honest here), deduplicated. */
const recordedFaults = new Map<string, Record<string, unknown>>()

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) })
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`)
  return response.json()
}

async function scrapeNode(net: Testnet, index: number): Promise<void> {
  const node = net.node(index)
  if (!node.running || node.paused || node.pid === undefined) return
  const pid = node.pid
  const http = node.http
  const response = await fetch(`${http}/metrics`, { signal: AbortSignal.timeout(3000) })
  if (!response.ok) return
  const samples = parsePrometheus(await response.text())
  const key = `${index}/${pid}`
  const inc = incarnations.get(key) ?? {
    node: index,
    pid,
    firstRssBytes: null,
    warmRssBytes: null,
    firstScrapeAt: Date.now(),
    lastRssBytes: null,
    last: [],
    scrapes: 0,
    eventLoopP99s: [],
  }
  incarnations.set(key, inc)
  inc.last = samples
  inc.scrapes++
  const rss = valueOf(samples, 'prover_mesh_process_resident_memory_bytes')
  if (rss !== undefined) {
    inc.firstRssBytes ??= rss
    if (Date.now() - inc.firstScrapeAt >= WARM_MS) inc.warmRssBytes ??= rss
    inc.lastRssBytes = rss
  }
  const p99 = valueOf(samples, 'prover_mesh_nodejs_eventloop_lag_p99_seconds')
  if (p99 !== undefined && p99 > 0) inc.eventLoopP99s.push(p99)

  const status = (await getJson(`${http}/status`)) as {
    auction?: { faults?: Record<string, unknown>[] }
    lifecycle?: { evidence?: Record<string, unknown>[] }
  }
  for (const f of status.auction?.faults ?? [])
    recordedFaults.set(`seal/${index}/${String(f.signer)}/${String(f.epoch)}/${String(f.resourceClass)}`, {
      kind: 'seal',
      seenBy: index,
      ...f,
    })
  for (const e of status.lifecycle?.evidence ?? [])
    recordedFaults.set(`evidence/${index}/${JSON.stringify(e)}`, { kind: 'evidence', seenBy: index, ...e })
  if (node.roles.includes('gateway')) {
    const faults = (await getJson(`${http}/faults`)) as Record<string, unknown>[]
    for (const f of faults)
      recordedFaults.set(`prover/${String(f.taskId)}/${String(f.jobIndex)}/${String(f.atMs)}`, {
        kind: 'prover',
        seenBy: index,
        ...f,
      })
  }
}

async function scrapeAll(net: Testnet): Promise<void> {
  await Promise.all(net.nodes.map((n) => scrapeNode(net, n.index).catch(() => undefined)))
}

// ---- faults ----

interface InjectedFault extends PlannedFault {
  atS: number
  ok: boolean
  error?: string
}

async function control(url: string, index: number, action: string, query = ''): Promise<void> {
  const response = await fetch(`${url}/nodes/${index}/${action}${query}`, {
    method: 'POST',
    signal: AbortSignal.timeout(120_000),
  })
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string }
    throw new Error(`${action} ${index}: ${response.status} ${body.error ?? ''}`)
  }
}

async function inject(controlUrl: string, fault: PlannedFault): Promise<void> {
  if (fault.kind === 'kill') {
    await control(controlUrl, fault.node, 'kill')
    await sleep(fault.durationMs)
    await control(controlUrl, fault.node, 'restart')
  } else if (fault.kind === 'pause') {
    await control(controlUrl, fault.node, 'pause')
    await sleep(fault.durationMs)
    await control(controlUrl, fault.node, 'resume')
  } else {
    await control(controlUrl, fault.node, 'skew', `?ms=${fault.skewMs}`)
  }
}

/** After the faults: every node running and not paused (a failed restart is tried again). */
async function restoreAll(net: Testnet, controlUrl: string): Promise<void> {
  for (const node of net.nodes) {
    for (let attempt = 1; ; attempt++) {
      try {
        if (node.paused) await control(controlUrl, node.index, 'resume')
        else if (!node.running) await control(controlUrl, node.index, 'restart')
        break
      } catch (error) {
        if (attempt >= 3) throw error
        log(`restoring node ${node.index} failed (${(error as Error).message}); again`)
      }
    }
  }
}

// ---- the run ----

function summarize(values: number[]) {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return {
    max: sorted.at(-1)!,
    p50: sorted[Math.floor(sorted.length / 2)]!,
    mean: values.reduce((a, b) => a + b, 0) / values.length,
  }
}

const MIB = 1024 * 1024

async function main(): Promise<number> {
  const random = prng(SEED)
  const schedule = faultSchedule(random, {
    nodes: NODES,
    graceMs: GRACE_MS,
    gapMs: FAULT_GAP_MS,
    outageMs: OUTAGE_MS,
  })
  const taskRandom = prng(SEED ^ 0x5eed)
  let net: Testnet | undefined
  let controlServer: ControlServer | undefined
  let client: LightClient | undefined
  const tasks: TaskRecord[] = []
  const faults: InjectedFault[] = []
  let scraper: ReturnType<typeof setInterval> | undefined
  try {
    log(`seed ${SEED}, ${NODES} nodes, ${MINUTES} min; starting the testnet (real proofs)…`)
    net = await startTestnet({
      nodes: NODES,
      dir: args.dir!,
      epochMs: EPOCH_MS,
      jobTimeoutMs: JOB_TIMEOUT_MS,
      proverMode: 'real',
      onLog: (m) => log(m),
    })
    if (abort.signal.aborted) return 130
    const testnet = net
    controlServer = await startControlServer(testnet)
    log(`control endpoint ${controlServer.url}`)
    const controlUrl = controlServer.url
    const prover = new Prover()
    const lightClient = await createLightClient({
      gateways: testnet.gatewayAddrs(),
      // A killed gateway is down for its outage plus its restart: keep trying the same signed bytes.
      maxAttempts: 400,
      retryDelayMs: 500,
    })
    client = lightClient
    await scrapeAll(testnet)
    scraper = setInterval(() => void scrapeAll(testnet), SCRAPE_MS)

    const endAt = Date.now() + MINUTES * 60_000
    const running: Promise<void>[] = []
    let inFlight = 0
    const submitter = (async () => {
      while (Date.now() < endAt && !abort.signal.aborted) {
        if (inFlight < MAX_IN_FLIGHT) {
          const task = nextTask(taskRandom)
          const record: TaskRecord = {
            label: task.label,
            type: task.type,
            taskId: null,
            submittedAtS: (Date.now() - t0) / 1000,
            endedAtS: null,
            state: 'submitting',
            detail: '',
            verified: false,
            failure: null,
            retries: 0,
          }
          tasks.push(record)
          inFlight++
          running.push(runTask(lightClient, prover, task, record).finally(() => inFlight--))
        }
        await sleep(TASK_INTERVAL_MS)
      }
    })()
    const injector = (async () => {
      for (const planned of schedule) {
        await sleep(planned.gapMs)
        if (Date.now() >= endAt || abort.signal.aborted) return
        const fault: InjectedFault = { ...planned, atS: (Date.now() - t0) / 1000, ok: false }
        faults.push(fault)
        log(
          `fault ${faults.length}: ${fault.kind} node ${fault.node}${fault.kind === 'skew' ? ` ${fault.skewMs} ms` : ` for ${fault.durationMs} ms`}`,
        )
        try {
          await inject(controlUrl, planned)
          fault.ok = true
        } catch (error) {
          fault.error = (error as Error).message
          log(`fault ${faults.length} did not complete: ${fault.error}`)
        }
      }
    })()
    await Promise.all([submitter, injector])
    if (abort.signal.aborted) {
      await Promise.allSettled(running)
      return Math.max(130, await report(tasks, faults))
    }
    log(`soak period over: ${tasks.length} tasks submitted, ${faults.length} faults; restoring every node…`)
    await restoreAll(testnet, controlUrl)
    log(`draining the tasks in flight (at most ${DRAIN_MS / 60_000} min)…`)
    const drained = await Promise.race([
      Promise.all(running).then(() => true),
      sleep(DRAIN_MS).then(() => false),
    ])
    if (!drained) {
      for (const t of tasks)
        if (t.endedAtS === null) t.failure ??= `not finished ${DRAIN_MS / 60_000} min after the soak ended`
      abort.abort()
    }
    clearInterval(scraper)
    scraper = undefined
    await scrapeAll(testnet)
    return await report(tasks, faults)
  } finally {
    if (scraper !== undefined) clearInterval(scraper)
    await client?.close().catch(() => undefined)
    await controlServer?.close().catch(() => undefined)
    await net?.stop()
  }
}

async function report(tasks: TaskRecord[], faults: InjectedFault[]): Promise<number> {
  const perNode = Array.from({ length: NODES }, (_, node) => {
    const incs = [...incarnations.values()].filter((i) => i.node === node)
    const first = incs[0]
    const last = incs.at(-1)
    return {
      node,
      processes: incs.length,
      rssStartMiB: typeof first?.firstRssBytes === 'number' ? first.firstRssBytes / MIB : null,
      rssEndMiB: typeof last?.lastRssBytes === 'number' ? last.lastRssBytes / MIB : null,
      // Growth within the process that ran longest without a restart, from a minute in (its circuits
      // loaded) to its last sample: what a leak shows in.
      rssGrowthLongestProcess: (() => {
        const longest = incs.reduce<Incarnation | undefined>(
          (a, b) => (a === undefined || b.scrapes > a.scrapes ? b : a),
          undefined,
        )
        if (!longest || longest.warmRssBytes === null || longest.lastRssBytes === null) return null
        return {
          warmMiB: longest.warmRssBytes / MIB,
          endMiB: longest.lastRssBytes / MIB,
          minutes: (Date.now() - longest.firstScrapeAt) / 60_000,
          growth: longest.lastRssBytes / longest.warmRssBytes - 1,
        }
      })(),
      eventLoopDelayP99Ms: summarize(incs.flatMap((i) => i.eventLoopP99s).map((s) => s * 1000)),
    }
  })
  const sealRejects: Record<string, number> = {}
  const marketEvents: Record<string, number> = {}
  for (const inc of incarnations.values()) {
    // Every refusal of a seal at gossip validation, Reject (proves the leader wrong) or Ignore.
    for (const sample of inc.last) {
      const { topic, verdict, code } = sample.labels
      if (sample.name !== 'prover_mesh_gossip_validation_total' || topic !== 'seals' || verdict === 'accept')
        continue
      const key = `${verdict}:${code ?? ''}`
      sealRejects[key] = (sealRejects[key] ?? 0) + sample.value
    }
    for (const [event, n] of Object.entries(sumBy(inc.last, 'prover_mesh_market_events', 'event')))
      marketEvents[event] = (marketEvents[event] ?? 0) + n
  }
  const verified = tasks.filter((t) => t.verified).length
  const failed = tasks.filter((t) => !t.verified)
  const recorded = [...recordedFaults.values()].map(({ sealEnvelope: _s, evidence: _e, ...rest }) => rest)
  const result = {
    at: new Date().toISOString(),
    seed: SEED,
    minutes: MINUTES,
    nodes: NODES,
    epochMs: EPOCH_MS,
    jobTimeoutMs: JOB_TIMEOUT_MS,
    loadAverage: loadavg(),
    tasks: {
      submitted: tasks.length,
      verified,
      failed: failed.length,
      failures: failed.map((t) => ({ label: t.label, taskId: t.taskId, reason: t.failure })),
      endToEndS: summarize(tasks.filter((t) => t.verified).map((t) => t.endedAtS! - t.submittedAtS)),
      clientRetries: tasks.reduce((a, t) => a + t.retries, 0),
    },
    faultsInjected: {
      total: faults.length,
      byKind: faults.reduce<Record<string, number>>((a, f) => ({ ...a, [f.kind]: (a[f.kind] ?? 0) + 1 }), {}),
      incomplete: faults.filter((f) => !f.ok).length,
      list: faults,
    },
    sealsRejectedByCode: sealRejects,
    marketEvents,
    faultsRecordedAgainstHonestNodes: recorded,
    perNode,
    taskList: tasks,
  }
  await mkdir(join(args.out!, '..'), { recursive: true })
  await writeFile(args.out!, `${JSON.stringify(result, null, 2)}\n`)
  const line = (k: string, v: unknown) =>
    console.log(`${k.padEnd(34)} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
  console.log(
    `\nchaos soak: seed ${SEED}, ${NODES} nodes, ${MINUTES} min (load average ${loadavg()[0]!.toFixed(2)})`,
  )
  line('tasks submitted / verified / failed', `${tasks.length} / ${verified} / ${failed.length}`)
  for (const f of result.tasks.failures) line(`  failed ${f.label}`, f.reason ?? '')
  line('faults injected', result.faultsInjected.byKind)
  line('seals rejected by code', sealRejects)
  line('faults recorded against nodes', recorded.length)
  for (const f of recorded.slice(0, 10)) line('  ', f)
  for (const n of perNode)
    line(
      `node ${n.node} (${n.processes} processes)`,
      `RSS ${n.rssStartMiB?.toFixed(0) ?? '?'} -> ${n.rssEndMiB?.toFixed(0) ?? '?'} MiB` +
        (n.rssGrowthLongestProcess
          ? ` (longest process: ${n.rssGrowthLongestProcess.warmMiB.toFixed(0)} -> ${n.rssGrowthLongestProcess.endMiB.toFixed(0)} MiB over ${n.rssGrowthLongestProcess.minutes.toFixed(1)} min)`
          : '') +
        `, event-loop p99 max ${n.eventLoopDelayP99Ms?.max.toFixed(1) ?? '?'} ms`,
    )
  console.log(`written to ${args.out}`)
  const ok = tasks.length > 0 && verified === tasks.length && recorded.length === 0
  if (!ok) console.log('SOAK FAILED: verified != submitted, or a node was recorded as faulty')
  return ok ? 0 : 1
}

process.on('SIGINT', () => {
  log('interrupted: stopping every process')
  abort.abort()
})

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak failed: ${(error as Error).stack ?? String(error)}`)
    process.exit(1)
  },
)
