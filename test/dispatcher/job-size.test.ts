// The dispatcher's job sizing rule (protocol/job-size.ts): the fewest leaf jobs the circuits allow,
// the work spread evenly over them; an old client's explicit size still honoured; bad sizes refused.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  dispatcherJobSize,
  LEAF_CIRCUIT_LIMITS,
  leafJobSizing,
  MAX_LEAF_JOBS,
  planDemand,
  ValidationError,
  type ProofInput,
} from '../../protocol/index.ts'
import { planJobs } from '../../node/dispatcher/job-plan.ts'
import { runCli } from '../helpers/cli.ts'

const sum = (count: number, chunkSize = 0): ProofInput => ({
  type: 'sum',
  input: { values: Array.from({ length: count }, (_, i) => i), chunkSize },
})
const hashchain = (steps: bigint, segment = 0n): ProofInput => ({
  type: 'hashchain',
  input: { seed: new Uint8Array(32), steps, segment },
})

describe('dispatcher job sizing', () => {
  it('fills sum jobs to the circuit: ⌈n/1024⌉ jobs of ⌈n/L⌉ values rounded up to a multiple of 8', () => {
    const cases: [number, bigint, number][] = [
      // values, job size, leaf jobs
      [1, 8n, 1],
      [8, 8n, 1],
      [9, 16n, 1],
      [1024, 1024n, 1],
      [1025, 520n, 2], // ⌈1025/2⌉ = 513 → 520; 520 + 505
      [2500, 840n, 3], // ⌈2500/3⌉ = 834 → 840; 840 + 840 + 820
      [5 * 1024, 1024n, 5],
      [100_000, 1024n, 98], // ⌈100000/98⌉ = 1021 → 1024; 97 × 1024 + 672
    ]
    for (const [values, jobSize, leafCount] of cases) {
      assert.deepEqual(leafJobSizing(sum(values)), { jobSize, leafCount }, `${values} values`)
    }
  })

  it('fills hashchain jobs to 256 steps, spread evenly', () => {
    const cases: [bigint, bigint, number][] = [
      [1n, 1n, 1],
      [256n, 256n, 1],
      [257n, 129n, 2],
      [1000n, 250n, 4],
      [1024n, 256n, 4],
      [BigInt(MAX_LEAF_JOBS) * 256n, 256n, MAX_LEAF_JOBS],
    ]
    for (const [steps, jobSize, leafCount] of cases) {
      assert.deepEqual(leafJobSizing(hashchain(steps)), { jobSize, leafCount }, `${steps} steps`)
    }
  })

  it('holds for any size: fewest jobs, each within the circuit, evenly filled, integers only', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sum' as const, 'hashchain' as const),
        fc.bigInt({ min: 1n, max: BigInt(MAX_LEAF_JOBS) * 256n }),
        (type, total) => {
          const limits = LEAF_CIRCUIT_LIMITS[type]
          const { jobSize, leafCount } = dispatcherJobSize(limits, total, 'total')
          const fewest = (total + limits.capacity - 1n) / limits.capacity
          assert.equal(BigInt(leafCount), fewest, 'the fewest jobs the circuit allows')
          assert.ok(jobSize <= limits.capacity && jobSize % limits.multiple === 0n)
          assert.equal(BigInt(leafCount), (total + jobSize - 1n) / jobSize)
          // Even: no smaller size (of the multiple) gives the same number of jobs.
          const smaller = jobSize - limits.multiple
          assert.ok(smaller < 1n || (total + smaller - 1n) / smaller > BigInt(leafCount))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('announces the plan it proves: the demand header is the job plan of the sized task', () => {
    for (const input of [sum(2500), hashchain(1000n), sum(1)]) {
      const { leafCount } = leafJobSizing(input)
      const plan = planJobs(input.type, leafCount)
      const [leaf, aggregate] = planDemand(input)
      assert.equal(leaf!.units, BigInt(plan.leafCount))
      assert.equal(aggregate!.units, BigInt(plan.jobs.length - plan.leafCount))
    }
    assert.deepEqual(planDemand(sum(2500)), [
      { class: 'sum/leaf', units: 3n },
      { class: 'aggregate', units: 3n },
    ])
  })

  it("keeps an old client's explicit size (SubmitTask v1), so its signed request means the same jobs", () => {
    assert.deepEqual(leafJobSizing(sum(20, 8)), { jobSize: 8n, leafCount: 3 })
    assert.deepEqual(leafJobSizing(hashchain(1000n, 300n)), { jobSize: 300n, leafCount: 4 })
  })

  it('refuses a task that needs more jobs than MAX_LEAF_JOBS, naming the field', () => {
    assert.throws(
      () => leafJobSizing(hashchain(BigInt(MAX_LEAF_JOBS) * 256n + 1n)),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.code === 'too_large' &&
        error.field === 'input.steps' &&
        /4097 jobs of at most 256/.test(error.message),
    )
    assert.throws(
      () => dispatcherJobSize(LEAF_CIRCUIT_LIMITS.sum, 0n, 'input.values'),
      (error: unknown) => error instanceof ValidationError && error.field === 'input.values',
    )
  })

  it('`prover-mesh proof local` sizes jobs by the same rule without --segment, and names a too-long task', async () => {
    const run = await runCli([
      'proof',
      'local',
      '--type',
      'hashchain',
      '--input',
      '0'.repeat(64),
      '--steps',
      String(4096 * 256 + 1),
      '--out',
      '/nonexistent/never-written.proof',
    ])
    assert.equal(run.code, 2, run.stderr)
    assert.match(run.stderr, /steps: 1048577 needs 4097 jobs of at most 256, limit 4096 jobs/)
  })

  it('`prover-mesh submit` refuses --chunk-size and --segment, saying the dispatcher sizes jobs', async () => {
    for (const flag of ['--chunk-size', '--segment']) {
      const run = await runCli([
        'submit',
        '--gateway',
        '/ip4/127.0.0.1/tcp/1/p2p/x',
        '--type',
        'sum',
        flag,
        '8',
      ])
      assert.equal(run.code, 2, run.stderr)
      assert.match(run.stderr, new RegExp(`${flag} is not a submit option: the gateway's dispatcher sizes`))
    }
  })
})
