// `prover-mesh proof …`: prove and verify on this machine, without a network.
import { readFile, writeFile } from 'node:fs/promises'
import {
  encodeHashchainTask,
  encodeSumTask,
  InvalidInputError,
  isProofType,
  Prover,
  ProverError,
  ProverLibraryError,
  type ProofType,
  type Statement,
} from '../../prover-ffi/index.ts'
import { ValidationError } from '../../protocol/errors.ts'
import { dispatcherJobSize, LEAF_CIRCUIT_LIMITS } from '../../protocol/job-size.ts'
import { proveTaskLocally, type LocalProgress } from '../proving/local.ts'
import { statementMismatch } from '../proving/statement-check.ts'
import { integerFlag, parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'
import { readValuesFile } from './values-file.ts'

const LOCAL_USAGE =
  'prover-mesh proof local --type sum --values FILE [--chunk N] --out PROOF\n' +
  '       prover-mesh proof local --type hashchain --input HEX --steps N [--segment M] --out PROOF\n' +
  "(without --chunk/--segment, jobs are sized by the dispatcher's rule, protocol/job-size.ts)"
const VERIFY_USAGE =
  'prover-mesh proof verify --type sum|hashchain [--key FILE] [--values FILE | --input HEX --steps N] PROOF'
const KEY_USAGE = 'prover-mesh proof key --type sum|hashchain --out FILE'

function proofTypeFlag(value: string | undefined, usage: string): ProofType {
  const type = requireFlag(value, 'type', usage)
  if (!isProofType(type)) throw new UsageError(`--type must be 'sum' or 'hashchain', got '${type}'`)
  return type
}

function openProver(): Prover {
  try {
    return new Prover()
  } catch (error) {
    if (error instanceof ProverLibraryError || error instanceof ProverError) throw new CliError(error.message)
    throw error
  }
}

/** Runs a prover call, turning the library's typed errors into one-line CLI errors. */
async function withProver<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action()
  } catch (error) {
    if (error instanceof InvalidInputError) throw new CliError(error.message, 2)
    if (error instanceof ProverError) throw new CliError(`${what}: ${error.message}`)
    throw error
  }
}

async function readBinary(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
}

function progressPrinter(): (p: LocalProgress) => void {
  return (p) =>
    process.stderr.write(
      `\r${p.stage === 'job' ? 'proving jobs' : 'aggregating '} ${p.done}/${p.total}   ${p.done === p.total ? '\n' : ''}`,
    )
}

/** The job size the network's dispatcher would choose (protocol/job-size.ts): --chunk/--segment override it. */
function ruleJobSize(type: ProofType, total: number, flag: string): number {
  try {
    return Number(dispatcherJobSize(LEAF_CIRCUIT_LIMITS[type], BigInt(total), flag).jobSize)
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message)
    throw error
  }
}

const local: Command = {
  path: ['proof', 'local'],
  summary: 'prove a whole task on this machine and write its final proof',
  usage: LOCAL_USAGE,
  async run(argv) {
    const { values: flags } = parseFlags(
      argv,
      {
        type: { type: 'string' },
        values: { type: 'string' },
        chunk: { type: 'string' },
        input: { type: 'string' },
        steps: { type: 'string' },
        segment: { type: 'string' },
        out: { type: 'string' },
      },
      LOCAL_USAGE,
    )
    const type = proofTypeFlag(flags.type, LOCAL_USAGE)
    const out = requireFlag(flags.out, 'out', LOCAL_USAGE)
    let task: Uint8Array
    let jobSize: number
    if (type === 'sum') {
      const values = await readValuesFile(requireFlag(flags.values, 'values', LOCAL_USAGE))
      jobSize =
        flags.chunk === undefined
          ? ruleJobSize('sum', values.length, 'values')
          : integerFlag(flags.chunk, 'chunk', { min: 1 })
      task = encodeSumTask(values)
    } else {
      const steps = integerFlag(requireFlag(flags.steps, 'steps', LOCAL_USAGE), 'steps', { min: 1 })
      jobSize =
        flags.segment === undefined
          ? ruleJobSize('hashchain', steps, 'steps')
          : integerFlag(flags.segment, 'segment', { min: 1 })
      try {
        task = encodeHashchainTask(requireFlag(flags.input, 'input', LOCAL_USAGE), steps)
      } catch (error) {
        if (error instanceof InvalidInputError) throw new UsageError(error.message)
        throw error
      }
    }
    const prover = openProver()
    const result = await withProver('proving failed', () =>
      proveTaskLocally(prover, type, task, jobSize, {
        onProgress: process.stderr.isTTY ? progressPrinter() : undefined,
      }),
    )
    if (JSON.stringify(result.statement) !== JSON.stringify(result.expected))
      throw new CliError('internal error: the final proof does not state what the task computes natively')
    await writeFile(out, result.proof)
    const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0))
    console.log(
      JSON.stringify(
        {
          ok: true,
          out,
          type,
          jobs: result.jobCount,
          jobSize,
          aggregations: result.aggregationCount,
          proofBytes: result.proof.length,
          publicOutputs: result.statement,
          timesMs: {
            plan: Math.round(result.timings.planMs),
            jobs: sum(result.timings.jobsMs),
            aggregations: sum(result.timings.aggregationsMs),
            verify: Math.round(result.timings.verifyMs),
            total: Math.round(result.timings.totalMs),
          },
        },
        null,
        2,
      ),
    )
    return 0
  },
}

const verify: Command = {
  path: ['proof', 'verify'],
  summary: "verify a task's final proof and print its public outputs",
  usage: VERIFY_USAGE,
  async run(argv) {
    const { values: flags, positionals } = parseFlags(
      argv,
      {
        type: { type: 'string' },
        key: { type: 'string' },
        values: { type: 'string' },
        input: { type: 'string' },
        steps: { type: 'string' },
      },
      VERIFY_USAGE,
    )
    const type = proofTypeFlag(flags.type, VERIFY_USAGE)
    if (positionals.length !== 1) throw new UsageError(`expected one PROOF file\nusage: ${VERIFY_USAGE}`)
    const proof = await readBinary(positionals[0]!, 'proof file')
    const prover = openProver()
    const key = flags.key
      ? await readBinary(flags.key, 'verifier key')
      : await withProver('verifier key', () => prover.verifierKey(type))
    const statement = await withProver('invalid proof', () => prover.verifyFinal(key, proof))
    if (statement.type !== type)
      throw new CliError(`invalid proof: it is a ${statement.type} proof, expected ${type}`)
    if (!statement.fromOrigin)
      throw new CliError('invalid proof: it does not cover its task from the beginning')
    const mismatch = await expectationMismatch(prover, type, statement, flags)
    if (mismatch) throw new CliError(`proof is valid but does not match the expected task: ${mismatch}`)
    console.log(JSON.stringify({ valid: true, publicOutputs: statement }, null, 2))
    return 0
  },
}

/** Compares the proven outputs with those of the task the user names, if any. */
async function expectationMismatch(
  prover: Prover,
  type: ProofType,
  statement: Statement,
  flags: { values?: string; input?: string; steps?: string },
): Promise<string | undefined> {
  let task: Uint8Array
  if (type === 'sum' && flags.values) task = encodeSumTask(await readValuesFile(flags.values))
  else if (type === 'hashchain' && flags.input && flags.steps)
    task = encodeHashchainTask(flags.input, integerFlag(flags.steps, 'steps', { min: 1 }))
  else return undefined
  return statementMismatch(type, statement, await prover.taskStatement(type, new Uint8Array(32), task))
}

const key: Command = {
  path: ['proof', 'key'],
  summary: "export a proof type's verifier key, for clients to pin",
  usage: KEY_USAGE,
  async run(argv) {
    const { values: flags } = parseFlags(
      argv,
      { type: { type: 'string' }, out: { type: 'string' } },
      KEY_USAGE,
    )
    const type = proofTypeFlag(flags.type, KEY_USAGE)
    const out = requireFlag(flags.out, 'out', KEY_USAGE)
    const bytes = await withProver('verifier key', () => openProver().verifierKey(type))
    await writeFile(out, bytes)
    console.log(JSON.stringify({ ok: true, type, out, bytes: bytes.length }))
    return 0
  },
}

export const proofCommands: Command[] = [local, verify, key]
