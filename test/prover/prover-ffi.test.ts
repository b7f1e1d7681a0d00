import assert from 'node:assert/strict'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  defaultLibraryPath,
  encodeHashchainTask,
  encodeSumTask,
  IncompatibleProofsError,
  InvalidInputError,
  InvalidProofError,
  LIBRARY_ENV,
  Prover,
  ProverLibraryError,
} from '../../prover-ffi/index.ts'
import { proveTaskLocally } from '../../node/proving/local.ts'
import { taskId, testProver } from '../helpers/prover.ts'

describe('prover-ffi', () => {
  const prover = testProver()
  let sumJobs: Uint8Array[]
  let sumProofs: Uint8Array[]

  before(async () => {
    sumJobs = await prover.planJobs('sum', taskId(1), encodeSumTask([4, 8, 15, 16, 23, 42, 7, 1, 9, 9, 2]), 8)
    sumProofs = []
    for (const job of sumJobs) sumProofs.push(await prover.proveJob('sum', job))
  })

  it('reports its proof types and backend', () => {
    const info = prover.info()
    assert.deepEqual(
      info.proofTypes.map((t) => t.name),
      ['sum', 'hashchain'],
    )
    assert.equal(info.backend, 'cpu')
    assert.match(info.circuitVersion, /^pm-circuits-/)
  })

  it('proves, aggregates and verifies a hashchain task against the pinned key', async () => {
    const task = encodeHashchainTask('05'.padEnd(64, '0'), 40)
    const result = await proveTaskLocally(prover, 'hashchain', task, 16, { taskId: taskId(2) })
    assert.equal(result.jobCount, 3)
    assert.deepEqual(result.statement, result.expected)
    assert.equal(result.statement.type, 'hashchain')
    assert.equal(result.statement.end, 40)
  })

  it('keeps the event loop running while it proves', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const started = performance.now()
    try {
      await prover.proveJob('sum', sumJobs[0]!)
    } finally {
      clearInterval(timer)
    }
    const elapsed = performance.now() - started
    // A blocked loop would let at most one tick through; a free one fires many.
    assert.ok(
      elapsed < 20 || ticks >= 3,
      `only ${ticks} timer ticks during a ${Math.round(elapsed)} ms proof`,
    )
  })

  it('runs concurrent calls on separate threads', async () => {
    const [a, b] = await Promise.all([
      prover.verify('sum', sumProofs[0]!),
      prover.verify('sum', sumProofs[1]!),
    ])
    assert.equal(a.statement.start, 0)
    assert.equal(b.statement.start, 8)
    assert.equal(a.level, 'job')
  })

  it('turns garbage, truncated and mismatched input into typed errors', async () => {
    await assert.rejects(prover.verify('sum', new Uint8Array([1, 2, 3])), InvalidProofError)
    await assert.rejects(prover.verify('sum', sumProofs[0]!.subarray(0, 1000)), InvalidProofError)
    await assert.rejects(prover.verify('hashchain', sumProofs[0]!), /sum proof, expected hashchain/)
    await assert.rejects(
      prover.proveJob('hashchain', sumJobs[0]!),
      (e: Error) => e instanceof InvalidInputError && /'magic'/.test(e.message),
    )
    await assert.rejects(prover.planJobs('sum', taskId(1), encodeSumTask([1]), 12), /multiple of 8/)
    await assert.rejects(
      prover.planJobs('sum', new Uint8Array(31), encodeSumTask([1]), 8),
      /'taskId' must be 32 bytes/,
    )
    await assert.rejects(prover.verifyFinal(new Uint8Array(10), sumProofs[0]!), InvalidInputError)
    assert.throws(() => encodeSumTask([1, -1]), /'values\[1\]'/)
    assert.throws(() => encodeHashchainTask('ff'.repeat(32), 3), /limb 0/)
  })

  it('refuses to aggregate proofs that are not adjacent', async () => {
    const other = await prover.planJobs('sum', taskId(1), encodeSumTask(Array(24).fill(3)), 8)
    const third = await prover.proveJob('sum', other[2]!)
    await assert.rejects(prover.aggregate('sum', sumProofs[0]!, third), IncompatibleProofsError)
  })

  it('loads another build of the library from an explicit path or the environment', async () => {
    assert.throws(
      () => new Prover({ libraryPath: '/nonexistent/libprover.so' }),
      (e: Error) => {
        return e instanceof ProverLibraryError && e.message.includes('/nonexistent/libprover.so')
      },
    )
    const dir = await mkdtemp(join(tmpdir(), 'pm-lib-'))
    const copy = join(dir, 'libprover_copy.so')
    const previous = process.env[LIBRARY_ENV]
    try {
      await copyFile(defaultLibraryPath(), copy)
      process.env[LIBRARY_ENV] = copy
      const other = new Prover()
      assert.equal(other.libraryPath, copy)
      assert.equal(other.info().backend, 'cpu')
    } finally {
      if (previous === undefined) delete process.env[LIBRARY_ENV]
      else process.env[LIBRARY_ENV] = previous
      await rm(dir, { recursive: true, force: true })
    }
  })
})
