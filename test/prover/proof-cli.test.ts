// The proof CLI as a user runs it: the `prover-mesh` bin, as a child process.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CIRCUIT_CACHE } from '../helpers/prover.ts'

const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))

interface Run {
  code: number
  stdout: string
  stderr: string
}

function cli(args: string[], node = process.execPath): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      node,
      [BIN, ...args],
      { env: { ...process.env, PROVER_MESH_CIRCUIT_CACHE: CIRCUIT_CACHE } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('prover-mesh proof (CLI)', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pm-cli-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('proves a 3-chunk sum locally, and verify accepts it with the right outputs', async () => {
    const values = join(dir, 'values.txt')
    await writeFile(values, '1 2 3 4 5 6 7 8\n9, 10, 11, 12, 13, 14, 15, 16\n100\n')
    const proof = join(dir, 'sum.proof')
    const run = await cli([
      'proof',
      'local',
      '--type',
      'sum',
      '--values',
      values,
      '--chunk',
      '8',
      '--out',
      proof,
    ])
    assert.equal(run.code, 0, run.stderr)
    const summary = JSON.parse(run.stdout)
    assert.equal(summary.jobs, 3)
    assert.equal(summary.publicOutputs.sum, '236')
    assert.equal(summary.publicOutputs.count, 17)
    assert.equal(summary.publicOutputs.max, 100)

    const verified = await cli(['proof', 'verify', '--type', 'sum', '--values', values, proof])
    assert.equal(verified.code, 0, verified.stderr)
    assert.equal(JSON.parse(verified.stdout).publicOutputs.commitment, summary.publicOutputs.commitment)

    const other = join(dir, 'other.txt')
    await writeFile(other, '1 2 3')
    const mismatch = await cli(['proof', 'verify', '--type', 'sum', '--values', other, proof])
    assert.notEqual(mismatch.code, 0)
    assert.match(mismatch.stderr, /does not match the expected task: commitment/)

    const bytes = await readFile(proof)
    for (const offset of [10, bytes.length >> 1, bytes.length - 1]) {
      const tampered = Buffer.from(bytes)
      tampered[offset]! ^= 0x40
      const bad = join(dir, 'bad.proof')
      await writeFile(bad, tampered)
      const run = await cli(['proof', 'verify', '--type', 'sum', bad])
      assert.equal(run.code, 1, `flipped byte ${offset} was accepted`)
      assert.match(run.stderr, /^prover-mesh: invalid proof/)
    }
    const wrongType = await cli(['proof', 'verify', '--type', 'hashchain', proof])
    assert.notEqual(wrongType.code, 0)
  })

  it('proves a hashchain and exports its verifier key for pinning', async () => {
    const proof = join(dir, 'chain.proof')
    const input = '07'.padEnd(64, '0')
    const run = await cli([
      'proof',
      'local',
      '--type',
      'hashchain',
      '--input',
      input,
      '--steps',
      '20',
      '--segment',
      '8',
      '--out',
      proof,
    ])
    assert.equal(run.code, 0, run.stderr)
    const key = join(dir, 'hashchain.key')
    assert.equal((await cli(['proof', 'key', '--type', 'hashchain', '--out', key])).code, 0)
    const verified = await cli([
      'proof',
      'verify',
      '--type',
      'hashchain',
      '--key',
      key,
      '--input',
      input,
      '--steps',
      '20',
      proof,
    ])
    assert.equal(verified.code, 0, verified.stderr)
    assert.equal(JSON.parse(verified.stdout).publicOutputs.steps, 20)
    const wrongSteps = await cli([
      'proof',
      'verify',
      '--type',
      'hashchain',
      '--input',
      input,
      '--steps',
      '21',
      proof,
    ])
    assert.match(wrongSteps.stderr, /steps is 20, expected 21/)
  })

  it('answers bad input with one line naming the problem', async () => {
    const values = join(dir, 'bad-values.txt')
    await writeFile(values, '1 2\n3 abc\n')
    const cases: [string[], RegExp][] = [
      [
        ['proof', 'local', '--type', 'sum', '--values', values, '--chunk', '8', '--out', 'x'],
        /bad-values.txt:2: 'abc' is not an unsigned 32-bit integer/,
      ],
      [['proof', 'local', '--type', 'foo', '--out', 'x'], /--type must be 'sum' or 'hashchain'/],
      [
        ['proof', 'local', '--type', 'sum', '--values', join(dir, 'missing'), '--chunk', '8', '--out', 'x'],
        /cannot read values file .*ENOENT/,
      ],
      [
        [
          'proof',
          'local',
          '--type',
          'hashchain',
          '--input',
          'zz',
          '--steps',
          '3',
          '--segment',
          '2',
          '--out',
          'x',
        ],
        /'input' must be 32 bytes of hex/,
      ],
      [
        [
          'proof',
          'local',
          '--type',
          'hashchain',
          '--input',
          '00'.repeat(32),
          '--steps',
          'ten',
          '--segment',
          '2',
          '--out',
          'x',
        ],
        /--steps must be a non-negative integer/,
      ],
      [['proof', 'local', '--type', 'sum', '--bogus'], /Unknown option '--bogus'/],
      [['proof', 'verify', '--type', 'sum', join(dir, 'nope.proof')], /cannot read proof file/],
    ]
    for (const [args, expected] of cases) {
      const run = await cli(args)
      assert.notEqual(run.code, 0, args.join(' '))
      assert.match(run.stderr, expected)
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
    }
    const chunk = await cli([
      'proof',
      'local',
      '--type',
      'sum',
      '--values',
      join(dir, 'values.txt'),
      '--chunk',
      '12',
      '--out',
      'x',
    ])
    assert.match(chunk.stderr, /must be a multiple of 8/)
  })

  it('runs from an older system Node by re-executing itself with the bundled Node 22', async function () {
    const systemNode = '/usr/bin/node'
    const { existsSync } = await import('node:fs')
    if (!existsSync(systemNode)) this.skip()
    const run = await cli(['--help'], systemNode)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /proof local/)
  })
})
