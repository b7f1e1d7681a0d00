// `npm run bench:stake`: RPC round trips, JSON-RPC calls and wall time of one full stake refresh for
// 10, 100 and 1000 operators on a local anvil, plus the cost of a poll that finds nothing new.
// Prints a table and writes bench-results/stake.json. Target: round trips do not grow with operators.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createPublicClient } from 'viem'
import { foundry } from 'viem/chains'
import { resolveStakeConfig } from '../node/stake/config.ts'
import { StakeOracle } from '../node/stake/oracle.ts'
import { startAnvil } from '../node/chain/anvil.ts'
import { countingHttp, createRpcCounter } from '../node/chain/counting-transport.ts'
import { deployStandIns, seedOperators, syntheticOperator } from '../node/chain/deploy.ts'

const SIZES = [10, 100, 1000]
const RUNS = 5

interface Row {
  operators: number
  httpRequests: number
  rpcCalls: number
  byMethod: Record<string, number>
  refreshMsMedian: number
  refreshMsMin: number
  refreshMsMax: number
  idlePollHttpRequests: number
  idlePollMsMedian: number
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const round = (x: number): number => Math.round(x * 10) / 10

const anvil = await startAnvil()
const rows: Row[] = []
try {
  const deployment = await deployStandIns(anvil.rpcUrl)
  const counter = createRpcCounter()
  const client = createPublicClient({ chain: foundry, transport: countingHttp(anvil.rpcUrl, counter) })
  const config = resolveStakeConfig('local')
  const quiet = { info: () => undefined, warn: (m: string) => console.error(m) }
  const oracle = new StakeOracle({ client, config, now: () => performance.now(), logger: quiet })
  let seeded = 0
  for (const size of SIZES) {
    const seedStart = performance.now()
    const fresh = Array.from({ length: size - seeded }, (_, i) => syntheticOperator(seeded + i))
    await seedOperators(anvil.rpcUrl, deployment, fresh)
    seeded = size
    console.error(`seeded ${size} operators (${Math.round(performance.now() - seedStart)} ms)`)

    await oracle.refresh() // warm-up: JIT, connection
    const times: number[] = []
    let sample = { httpRequests: 0, rpcCalls: 0, byMethod: {} as Record<string, number> }
    for (let i = 0; i < RUNS; i++) {
      counter.reset()
      const t = performance.now()
      const snapshot = await oracle.refresh()
      times.push(performance.now() - t)
      if (snapshot.operators.size !== size)
        throw new Error(`expected ${size} operators, read ${snapshot.operators.size}`)
      sample = {
        httpRequests: counter.httpRequests,
        rpcCalls: counter.rpcCalls,
        byMethod: { ...counter.byMethod },
      }
    }
    const pollTimes: number[] = []
    let pollRequests = 0
    for (let i = 0; i < RUNS; i++) {
      counter.reset()
      const t = performance.now()
      await oracle.poll()
      pollTimes.push(performance.now() - t)
      pollRequests = counter.httpRequests
    }
    rows.push({
      operators: size,
      ...sample,
      refreshMsMedian: round(median(times)),
      refreshMsMin: round(Math.min(...times)),
      refreshMsMax: round(Math.max(...times)),
      idlePollHttpRequests: pollRequests,
      idlePollMsMedian: round(median(pollTimes)),
    })
  }
} finally {
  await anvil.stop()
}

console.log(
  'operators  http round trips  json-rpc calls  refresh ms (median, min-max)  idle poll (requests, ms)',
)
for (const r of rows) {
  console.log(
    `${String(r.operators).padStart(9)}  ${String(r.httpRequests).padStart(16)}  ${String(r.rpcCalls).padStart(14)}  ${`${r.refreshMsMedian} (${r.refreshMsMin}-${r.refreshMsMax})`.padStart(28)}  ${`${r.idlePollHttpRequests}, ${r.idlePollMsMedian}`.padStart(24)}`,
  )
}
const result = {
  benchmark: 'stake-refresh',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  chain: 'anvil (local stand-ins), HTTP transport with JSON-RPC batching',
  runsPerSize: RUNS,
  strategies: 2,
  rows,
}
await mkdir('bench-results', { recursive: true })
await writeFile('bench-results/stake.json', `${JSON.stringify(result, null, 2)}\n`)
console.log('wrote bench-results/stake.json')
