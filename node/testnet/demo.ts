// The testnet demo: one `sum` and one `hashchain` task submitted through the light client SDK, their
// progress shown from the gateway's status frames, and each final proof verified here against the
// verifier key of this checkout's circuits (pinned: not taken from the network) and against the
// statement the task must make, computed locally. Trust nothing the network says about the result.
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { toHex, type SubmitTaskParams, type TaskStatus } from '../../protocol/index.ts'
import { readValuesFile } from '../cli/values-file.ts'
import { createLightClient } from '../client/light-client.ts'
import { summarizeStatement } from '../client/verify.ts'
import { statementMismatch } from '../proving/statement-check.ts'
import type { ProofType, Prover, Statement } from '../../prover-ffi/index.ts'

export const DEMO_VALUES_FILE = fileURLToPath(
  new URL('../../scripts/data/values-5x1024.txt', import.meta.url),
)
const GOLDILOCKS_ORDER = 0xffffffff00000001n

/** A demo task failed, or its proof did not check out; names the task. */
export class DemoError extends Error {
  readonly task: string
  constructor(task: string, message: string) {
    super(`demo ${task} task: ${message}`)
    this.name = 'DemoError'
    this.task = task
  }
}

export interface DemoOptions {
  /** Gateway multiaddrs with /p2p/. */
  gateways: string[]
  /** 'sim' provers return no proof: the demo then checks only that the tasks finish. */
  proverMode: 'real' | 'sim'
  valuesFile?: string
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void
  signal?: AbortSignal
}

export interface DemoResult {
  type: ProofType
  taskId: string
  /** The verified statement; undefined in sim mode. */
  statement: Statement | undefined
  /** One line describing the verified result. */
  summary: string
}

/** `x/y` from a status detail such as "jobs proven 3/9" (tolerant: any "<n>/<m>" will do). */
export function parseProgress(detail: string): { done: number; total: number } | undefined {
  const m = /jobs?\s+proven\D*(\d+)\s*\/\s*(\d+)/i.exec(detail) ?? /(\d+)\s*\/\s*(\d+)/.exec(detail)
  if (!m) return undefined
  const done = Number(m[1])
  const total = Number(m[2])
  return total > 0 && done <= total ? { done, total } : undefined
}

export function progressLine(label: string, status: Pick<TaskStatus, 'state' | 'detail'>): string {
  const p = parseProgress(status.detail)
  const width = 20
  const bar = p
    ? ` [${'#'.repeat(Math.round((p.done / p.total) * width)).padEnd(width, '.')}] ${p.done}/${p.total}`
    : ''
  return `${label.padEnd(10)} ${status.state}${bar}${status.detail ? `  ${status.detail}` : ''}`
}

/** A random hashchain seed: 4 little-endian u64 limbs, each below the Goldilocks order. */
export function randomSeed(): Uint8Array {
  const out = new Uint8Array(32)
  const view = new DataView(out.buffer)
  for (let limb = 0; limb < 4; limb++) {
    let v: bigint
    do v = randomBytes(8).readBigUInt64LE(0)
    while (v >= GOLDILOCKS_ORDER)
    view.setBigUint64(limb * 8, v, true)
  }
  return out
}

/** A task as the demo (and the chaos soak) submits it, with what its proof must state. */
export interface DemoTask {
  label: string
  type: ProofType
  params: SubmitTaskParams
  /** The task's bytes as the prover library reads them, for the expected statement. */
  taskBytes(prover: Prover): Promise<Uint8Array>
}

async function demoTasks(valuesFile: string): Promise<DemoTask[]> {
  const { encodeHashchainTask, encodeSumTask } = await import('../../prover-ffi/index.ts')
  const values = Array.from(await readValuesFile(valuesFile))
  const seed = randomSeed()
  const steps = 1024
  const deadlineMs = BigInt(Date.now() + 600_000)
  return [
    {
      label: 'sum',
      type: 'sum',
      params: { input: { type: 'sum', values }, maxPricePerUnit: 10n, deadlineMs },
      taskBytes: async () => encodeSumTask(values),
    },
    {
      label: 'hashchain',
      type: 'hashchain',
      params: {
        input: { type: 'hashchain', seed, steps: BigInt(steps) },
        maxPricePerUnit: 10n,
        deadlineMs,
      },
      taskBytes: async () => encodeHashchainTask(toHex(seed), steps),
    },
  ]
}

/**
 * Verifies a root proof as a client must: against this checkout's verifier key (not the network's),
 * covering the task from its start, for this task id, stating what the task computes.
 */
export async function verifyTaskProof(
  prover: Prover,
  task: DemoTask,
  taskId: string,
  proof: Uint8Array,
): Promise<Statement> {
  const { fromHex } = await import('../../protocol/index.ts')
  const key = await prover.verifierKey(task.type)
  let statement: Statement
  try {
    statement = await prover.verifyFinal(key, proof)
  } catch (error) {
    throw new DemoError(task.label, `the proof does not verify: ${(error as Error).message}`)
  }
  if (statement.type !== task.type)
    throw new DemoError(task.label, `the proof is a ${statement.type} proof, expected ${task.type}`)
  if (!statement.fromOrigin)
    throw new DemoError(task.label, 'the proof does not cover the task from its start')
  if (statement.taskId.replace(/^0x/, '').toLowerCase() !== taskId.toLowerCase())
    throw new DemoError(task.label, `the proof is for task ${statement.taskId}, not ${taskId}`)
  const expected = await prover.taskStatement(task.type, fromHex(taskId), await task.taskBytes(prover))
  const mismatch = statementMismatch(task.type, statement, expected)
  if (mismatch) throw new DemoError(task.label, `valid proof of the wrong result: ${mismatch}`)
  return statement
}

export async function runDemo(options: DemoOptions): Promise<DemoResult[]> {
  const progress = options.progress ?? (() => undefined)
  const tasks = await demoTasks(options.valuesFile ?? DEMO_VALUES_FILE)
  let prover: Prover | undefined
  if (options.proverMode === 'real') {
    const { Prover } = await import('../../prover-ffi/index.ts')
    prover = new Prover()
  }
  const client = await createLightClient({ gateways: options.gateways })
  try {
    return await Promise.all(
      tasks.map(async (task): Promise<DemoResult> => {
        let last = ''
        const result = await client.submit(task.params, {
          wait: true,
          signal: options.signal,
          onEvent(event) {
            let line: string | undefined
            if (event.type === 'accepted')
              line = `${task.label.padEnd(10)} accepted by ${event.gateway}: ${event.taskId}`
            else if (event.type === 'retry')
              line = `${task.label.padEnd(10)} gateway ${event.gateway} failed (${event.error}); retrying`
            else line = progressLine(task.label, event.status)
            if (line !== last) progress(line)
            last = line
          },
        })
        const { status, taskId } = result
        if (status.state !== 'done')
          throw new DemoError(
            task.label,
            `task ${taskId} ended ${status.state}${status.detail ? `: ${status.detail}` : ''}`,
          )
        if (prover === undefined)
          return {
            type: task.type,
            taskId,
            statement: undefined,
            summary: `${task.label}: done, SIMULATED: nothing was proven (proverMode sim)`,
          }
        if (status.proof.byteLength === 0)
          throw new DemoError(task.label, `task ${taskId} is done but carries no proof`)
        const statement = await verifyTaskProof(prover, task, taskId, status.proof)
        return {
          type: task.type,
          taskId,
          statement,
          summary: `${task.label}: proof verified: ${summarizeStatement(statement)}`,
        }
      }),
    )
  } finally {
    await client.close()
  }
}
