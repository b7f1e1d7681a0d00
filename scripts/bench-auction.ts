// `npm run bench:auction`: DARA clearing time at three sizes, seal verification at 20k×2k next to
// clearing the same instance, `prover-mesh auction clear` as a whole process at 100k×10k, and the
// fitted scaling exponent. Prints a table and writes bench-results/auction.json. Instances are
// random but seeded, so every run and machine clears the same bids.
import { spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clearAuction } from '../auction/clear.ts'
import { epochSalt } from '../auction/epoch.ts'
import { encodeClearingResultBytes } from '../auction/json.ts'
import { buildSeal, verifySeal, type EpochAuction } from '../auction/seal.ts'
import { randomInstance } from './bench-auction-instances.ts'

const SEED = 20_241_750
const sizes = [
  { buyers: 1_000, sellers: 100, runs: 21 },
  { buyers: 20_000, sellers: 2_000, runs: 11 },
  { buyers: 100_000, sellers: 10_000, runs: 7 },
]

interface Timing {
  wallMs: number
  cpuMs: number
  /** The fastest run: on a shared, loaded machine the best estimate of the unloaded time. */
  minWallMs: number
}

/** Median wall and CPU time (and fastest wall time) of `runs` calls after one warm-up call. */
function measure(runs: number, work: () => unknown): Timing {
  work()
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    work()
    wall.push(performance.now() - start)
    const used = process.cpuUsage(cpuStart)
    cpu.push((used.user + used.system) / 1000)
  }
  return { wallMs: round(median(wall)), cpuMs: round(median(cpu)), minWallMs: round(Math.min(...wall)) }
}

/**
 * measure() for several pieces of work at once, alternating them within every run. Each timed call
 * follows an untimed call of the same work, so that it pays for its own garbage, not for what the
 * other left (forcing a collection instead left sweeper threads competing with the timed call).
 */
function measureAlternating(runs: number, works: (() => unknown)[]): Timing[] {
  works.forEach((work) => work())
  const wall = works.map(() => [] as number[])
  const cpu = works.map(() => [] as number[])
  for (let i = 0; i < runs; i++) {
    works.forEach((work, w) => {
      work()
      const cpuStart = process.cpuUsage()
      const start = performance.now()
      work()
      wall[w]!.push(performance.now() - start)
      const used = process.cpuUsage(cpuStart)
      cpu[w]!.push((used.user + used.system) / 1000)
    })
  }
  return works.map((_, w) => ({
    wallMs: round(median(wall[w]!)),
    cpuMs: round(median(cpu[w]!)),
    minWallMs: round(Math.min(...wall[w]!)),
  }))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const round = (value: number) => Math.round(value * 100) / 100

/** Least-squares slope of log(time) against log(bids): 1 is linear, n·log n fits at ~1.1. */
function scalingExponent(points: { bids: number; ms: number }[]): number {
  const xs = points.map((p) => Math.log(p.bids))
  const ys = points.map((p) => Math.log(p.ms))
  const mx = xs.reduce((a, b) => a + b) / xs.length
  const my = ys.reduce((a, b) => a + b) / ys.length
  const sxy = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0)
  const sxx = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0)
  return Math.round((sxy / sxx) * 1000) / 1000
}

const clearing = sizes.map(({ buyers, sellers, runs }) => {
  const instance = randomInstance(buyers, sellers, SEED)
  let units = 0
  const timing = measure(runs, () => {
    units = clearAuction(instance.buyers, instance.sellers).units
  })
  console.log(
    `clear ${`${buyers}×${sellers}`.padEnd(13)} median ${String(timing.wallMs).padStart(8)} ms wall ` +
      `${String(timing.cpuMs).padStart(8)} ms cpu, fastest ${String(timing.minWallMs).padStart(8)} ms ` +
      `(${runs} runs, ${units} units traded)`,
  )
  return { buyers, sellers, runs, unitsTraded: units, ...timing }
})

// Seal verification at 20k×2k with every listed bid held: 22k tie-break hashes, clearing, hash.
const sealSize = randomInstance(20_000, 2_000, SEED)
const held: EpochAuction = {
  epoch: 1,
  resourceClass: 'sum/leaf',
  salt: epochSalt(1, 'sum/leaf', 'prover-mesh/bench'),
  buyers: sealSize.buyers.map(({ id, units, price }) => ({ bidId: id, units, price })),
  sellers: sealSize.sellers.map(({ id, units, cost }) => ({ bidId: id, units, cost })),
  reserves: { buyerFloor: 0n, sellerCeiling: null },
}
const { body } = buildSeal(held)
// Clearing and verification of the same instance alternate run by run, so that load on a shared
// machine hits both alike and their ratio means something.
const SEAL_RUNS = 11
const sealTimings = measureAlternating(SEAL_RUNS, [
  () => clearAuction(sealSize.buyers, sealSize.sellers),
  () => verifySeal(body, held),
])
const [sealClear, sealVerify] = sealTimings as [Timing, Timing]
const sealVerifyRatio = round(sealVerify.wallMs / sealClear.wallMs)
console.log(
  `verify seal 20000×2000  median ${sealVerify.wallMs} ms wall ${sealVerify.cpuMs} ms cpu, ` +
    `fastest ${sealVerify.minWallMs} ms; clearing the same instance alongside median ` +
    `${sealClear.wallMs} ms, fastest ${sealClear.minWallMs} ms: verify/clear ${sealVerifyRatio}× ` +
    `(median), ${round(sealVerify.minWallMs / sealClear.minWallMs)}× (fastest) (${SEAL_RUNS} runs each)`,
)

// The whole `prover-mesh auction clear` process on the largest instance, as a user runs it: start-up,
// reading and parsing 11 MB of JSON, validation, clearing, writing 23 MB of JSON. Each run is a fresh
// process reading the request from a file; its output is checked against the in-process result.
const CLI = fileURLToPath(new URL('../node/cli/bin.mjs', import.meta.url))
const PROCESS_RUNS = 7
const largest = sizes[sizes.length - 1]!
const largestInstance = randomInstance(largest.buyers, largest.sellers, SEED)
const scratchDir = mkdtempSync(join(tmpdir(), 'bench-auction-'))
const wholeProcess = (() => {
  try {
    const request = join(scratchDir, 'request.json')
    writeFileSync(
      request,
      JSON.stringify({
        buyers: largestInstance.buyers.map(({ id, units, price }) => ({ id, units, price: String(price) })),
        sellers: largestInstance.sellers.map(({ id, units, cost }) => ({ id, units, cost: String(cost) })),
      }),
    )
    const empty = join(scratchDir, 'empty.json')
    writeFileSync(empty, '{"buyers":[],"sellers":[]}')
    const expected = Buffer.concat([
      encodeClearingResultBytes(clearAuction(largestInstance.buyers, largestInstance.sellers)),
      Buffer.from('\n'),
    ])
    // stdout goes to a file, as `auction clear < request.json > result.json` does: through a pipe,
    // this process would be copying 23 MB on the same cores while the command runs.
    const output = join(scratchDir, 'result.json')
    const runCli = (input: string): { ms: number; stdout: Buffer } => {
      const inFd = openSync(input, 'r')
      const outFd = openSync(output, 'w')
      try {
        const start = performance.now()
        const run = spawnSync(process.execPath, [CLI, 'auction', 'clear'], { stdio: [inFd, outFd, 'pipe'] })
        const ms = performance.now() - start
        if (run.status !== 0) throw new Error(`auction clear exited ${run.status}: ${run.stderr}`)
        return { ms, stdout: readFileSync(output) }
      } finally {
        closeSync(inFd)
        closeSync(outFd)
      }
    }
    const timeRuns = (input: string, check: (stdout: Buffer) => void) => {
      runCli(input) // warm-up: the TypeScript cache, the page cache
      const wall: number[] = []
      for (let i = 0; i < PROCESS_RUNS; i++) {
        const { ms, stdout } = runCli(input)
        check(stdout)
        wall.push(ms)
      }
      return { wallMs: round(median(wall)), minWallMs: round(Math.min(...wall)) }
    }
    const full = timeRuns(request, (stdout) => {
      if (!stdout.equals(expected)) throw new Error('auction clear printed another result than clearAuction')
    })
    const startup = timeRuns(empty, () => {})
    return { buyers: largest.buyers, sellers: largest.sellers, runs: PROCESS_RUNS, ...full, startup }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true })
  }
})()
const inProcess = clearing[clearing.length - 1]!
console.log(
  `auction clear, whole process ${largest.buyers}×${largest.sellers}: median ${wholeProcess.wallMs} ms wall, ` +
    `fastest ${wholeProcess.minWallMs} ms (clearing in process: median ${inProcess.wallMs} ms); ` +
    `start-up with an empty request: median ${wholeProcess.startup.wallMs} ms (${PROCESS_RUNS} runs each)`,
)

const fit = (pick: (c: (typeof clearing)[number]) => number, from = 0) =>
  scalingExponent(clearing.slice(from).map((c) => ({ bids: c.buyers + c.sellers, ms: pick(c) })))
const exponent = {
  wall: fit((c) => c.wallMs),
  cpu: fit((c) => c.cpuMs),
  fastestWall: fit((c) => c.minWallMs),
  // The two large sizes only: the asymptotic slope, free of the small size's fixed costs.
  fastestWallLargeSizes: fit((c) => c.minWallMs, 1),
}
console.log(
  `scaling exponent (time ∝ bids^k): k = ${exponent.wall} median wall, ${exponent.cpu} median cpu, ` +
    `${exponent.fastestWall} fastest wall, ${exponent.fastestWallLargeSizes} fastest wall 22k→110k bids`,
)
const load = loadavg().map(round)
console.log(`node ${process.version}, ${cpus().length} cpus, load average ${load.join(' ')}`)

mkdirSync('bench-results', { recursive: true })
const report = {
  benchmark: 'auction',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  loadAverage: load,
  seed: SEED,
  clearing,
  // Median wall times of verifying the 20k×2k seal and of clearing the same instance, alternated.
  sealVerifyMs: sealVerify.wallMs,
  sealClearMs: sealClear.wallMs,
  sealVerifyRatio,
  sealVerify: { buyers: 20_000, sellers: 2_000, runs: SEAL_RUNS, ...sealVerify },
  sealClear: { buyers: 20_000, sellers: 2_000, runs: SEAL_RUNS, ...sealClear },
  scalingExponent: exponent,
  // `prover-mesh auction clear` as a fresh process on the largest instance (wall ms, median and
  // fastest), and the same command on an empty request (start-up alone).
  wholeProcessMs: wholeProcess.wallMs,
  wholeProcess,
}
writeFileSync('bench-results/auction.json', `${JSON.stringify(report, null, 2)}\n`)
console.log('wrote bench-results/auction.json')
