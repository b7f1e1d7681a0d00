// npm run bench:prover — prover figures on this machine: leaf proof of a 1024-value sum chunk,
// 2-to-1 aggregations, final verification, proof size, circuit load time from the cache, and the
// FFI overhead (a koffi call vs the same work timed inside Rust, alternating in this process).
// Prints a table and writes bench-results/prover.json.
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus } from 'node:os'
import { Prover, encodeSumTask } from '../prover-ffi/index.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const AGG_RUNS = Number(process.env.BENCH_AGG_RUNS ?? 3)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function timeAsync(runs: number, f: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await f()
    samples.push(performance.now() - t)
  }
  return samples
}

const prover = new Prover()
const taskId = new Uint8Array(32).fill(0xbe)
const values = Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 0)
const jobs = await prover.planJobs('sum', taskId, encodeSumTask(values), 1024)

// Loading circuits from the cache, in a fresh process (building them first if the cache is cold).
await prover.verifierKey('sum')
const loadScript = `import { Prover } from ${JSON.stringify(new URL('../prover-ffi/index.ts', import.meta.url).href)}
const t = performance.now(); await new Prover().verifierKey('sum'); console.log(performance.now() - t)`
const circuitLoadMs = median(
  Array.from({ length: 3 }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', loadScript]).toString()),
  ),
)

/** Alternates one call through koffi with one native run of the same work, so both see the same load. */
async function interleaved(
  runs: number,
  op: 'proveJob' | 'verify',
  input: Uint8Array,
  viaFfi: () => Promise<unknown>,
) {
  const ffi: number[] = []
  const native: number[] = []
  for (let i = 0; i < runs; i++) {
    ffi.push(...(await timeAsync(1, viaFfi)))
    native.push(...(await prover.timeNative(op, 'sum', input, 1)))
  }
  return { ffi, native }
}

const leaves: Uint8Array[] = []
for (const job of jobs) leaves.push(await prover.proveJob('sum', job))
const leafRuns = await interleaved(RUNS, 'proveJob', jobs[0]!, () => prover.proveJob('sum', jobs[0]!))
const leafMs = leafRuns.ffi
const leafNativeMs = leafRuns.native

const left = await prover.aggregate('sum', leaves[0]!, leaves[1]!)
const right = await prover.aggregate('sum', leaves[2]!, leaves[3]!)
const leafAggregationMs = await timeAsync(AGG_RUNS, () => prover.aggregate('sum', leaves[0]!, leaves[1]!))
let root: Uint8Array = new Uint8Array()
const nodeAggregationMs = await timeAsync(AGG_RUNS, async () => {
  root = await prover.aggregate('sum', left, right)
})

const key = await prover.verifierKey('sum')
const verifyMs = await timeAsync(RUNS * 4, () => prover.verifyFinal(key, root))
const verifyRuns = await interleaved(RUNS * 4, 'verify', root, () => prover.verify('sum', root))
const verifyFfiMs = verifyRuns.ffi
const verifyNativeMs = verifyRuns.native

const result = {
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version },
  prover: prover.info(),
  runs: { leaf: RUNS, aggregation: AGG_RUNS, verify: RUNS * 4 },
  leafProveMs: { sum1024: median(leafMs), samples: leafMs },
  aggregationMs: {
    leafLevel: median(leafAggregationMs),
    nodeLevel: median(nodeAggregationMs),
    samples: { leafLevel: leafAggregationMs, nodeLevel: nodeAggregationMs },
  },
  finalVerifyMs: median(verifyMs),
  proofBytes: { leaf: leaves[0]!.length, final: root.length },
  verifierKeyBytes: key.length,
  circuitLoadFromCacheMs: circuitLoadMs,
  ffiOverhead: {
    proveJob: median(leafMs) / median(leafNativeMs),
    verify: median(verifyFfiMs) / median(verifyNativeMs),
    nativeMs: { proveJob: median(leafNativeMs), verify: median(verifyNativeMs) },
  },
}

const f = (x: number) => x.toFixed(1)
console.log(`prover bench (${result.machine.cpus} cpus, ${result.machine.model})`)
console.log(`  leaf proof, sum of 1024 values     ${f(result.leafProveMs.sum1024)} ms   (target ≤ 500)`)
console.log(`  2-to-1 aggregation, job proofs     ${f(result.aggregationMs.leafLevel)} ms   (target ≤ 2500)`)
console.log(`  2-to-1 aggregation, aggregations   ${f(result.aggregationMs.nodeLevel)} ms   (target ≤ 2500)`)
console.log(`  final verify (pinned key)          ${f(result.finalVerifyMs)} ms   (target ≤ 20)`)
console.log(
  `  proof size: job ${result.proofBytes.leaf} B, final ${result.proofBytes.final} B; key ${key.length} B`,
)
console.log(`  circuit load from cache            ${f(circuitLoadMs)} ms`)
console.log(
  `  FFI overhead: prove ×${result.ffiOverhead.proveJob.toFixed(3)}, verify ×${result.ffiOverhead.verify.toFixed(3)}   (target ≤ 1.02)`,
)
await mkdir(new URL('../bench-results/', import.meta.url), { recursive: true })
await writeFile(
  new URL('../bench-results/prover.json', import.meta.url),
  JSON.stringify(result, null, 2) + '\n',
)
console.log('wrote bench-results/prover.json')
