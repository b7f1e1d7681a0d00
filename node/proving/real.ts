// The real backend: prover-ffi (plonky2), every heavy call on a worker thread. Leaf expectations
// are read from the job bytes the gateway planned (rust-prover/README.md, "Byte formats").
import {
  Prover,
  encodeHashchainTask,
  encodeSumTask,
  type ProverOptions,
  type Statement,
} from '../../prover-ffi/index.ts'
import { leafJobSizing, toHex, type ProofInput, type ProofType } from '../../protocol/index.ts'
import type { Expectation, ProvingBackend } from './backend.ts'

/** Offsets in a job's bytes: magic[4] task_id[32] start u64, then the type's chaining state. */
const START_OFFSET = 36
const STATE_OFFSET = 44
const SUM_STATE_BYTES = 96
const HASH_STATE_BYTES = 32

/** The task's bytes for the prover library, and its leaf job size (the dispatcher's, protocol/job-size.ts). */
export function taskBytes(input: ProofInput): { bytes: Uint8Array; jobSize: number } {
  const jobSize = Number(leafJobSizing(input).jobSize)
  if (input.type === 'sum') return { bytes: encodeSumTask(input.input.values), jobSize }
  return { bytes: encodeHashchainTask(toHex(input.input.seed), Number(input.input.steps)), jobSize }
}

function stateHex(type: ProofType, job: Uint8Array): string {
  const length = type === 'sum' ? SUM_STATE_BYTES : HASH_STATE_BYTES
  return toHex(job.subarray(STATE_OFFSET, STATE_OFFSET + length))
}

/** What leaf job `index` proves, from its bytes and its successor's (whose state it must end in). */
export function leafExpectationFromJobs(
  type: ProofType,
  jobs: readonly Uint8Array[],
  index: number,
  final: Statement,
): Expectation {
  const job = jobs[index]!
  const view = new DataView(job.buffer, job.byteOffset, job.byteLength)
  const start = Number(view.getBigUint64(START_OFFSET, true))
  const next = jobs[index + 1]
  if (type === 'sum') {
    const countOffset = STATE_OFFSET + SUM_STATE_BYTES
    const count = view.getUint32(countOffset, true)
    let sum = 0n
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < count; i++) {
      const v = view.getUint32(countOffset + 4 + i * 4, true)
      sum += BigInt(v)
      min = Math.min(min, v)
      max = Math.max(max, v)
    }
    return {
      type,
      taskId: final.taskId,
      start,
      end: start + count,
      count,
      stateIn: stateHex(type, job),
      stateOut: next ? stateHex(type, next) : (final as Extract<Statement, { type: 'sum' }>).stateOut,
      sum: sum.toString(),
      min,
      max,
    }
  }
  const steps = view.getUint32(STATE_OFFSET + HASH_STATE_BYTES, true)
  return {
    type,
    taskId: final.taskId,
    start,
    end: start + steps,
    steps,
    input: stateHex(type, job),
    output: next ? stateHex(type, next) : (final as Extract<Statement, { type: 'hashchain' }>).output,
  }
}

export function realBackend(options: ProverOptions = {}): ProvingBackend {
  const prover = new Prover(options)
  const keys = new Map<ProofType, Promise<Uint8Array>>()
  const keyOf = (type: ProofType) => {
    if (!keys.has(type)) keys.set(type, prover.verifierKey(type))
    return keys.get(type)!
  }
  return {
    mode: 'real',
    planLeafJobs(taskId, input) {
      const { bytes, jobSize } = taskBytes(input)
      return prover.planJobs(input.type, taskId, bytes, jobSize)
    },
    taskStatement: (taskId, input) => prover.taskStatement(input.type, taskId, taskBytes(input).bytes),
    leafExpectation: leafExpectationFromJobs,
    proveLeaf: (type, job) => prover.proveJob(type, job),
    aggregate: (type, children) => prover.aggregate(type, children[0]!, children[1]),
    verify: (type, proof) => prover.verify(type, proof),
    verifyFinal: async (type, proof) => prover.verifyFinal(await keyOf(type), proof),
  }
}
