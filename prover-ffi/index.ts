// Typed, asynchronous API over the Rust prover. Proving, aggregation and verification run on
// koffi's worker threads, so the event loop keeps running while a proof is made.
import { errorForStatus, InvalidInputError } from './errors.ts'
import {
  loadLibrary,
  takeBuffer,
  type NativeFunction,
  type NativeLibrary,
  type RawBuffer,
} from './library.ts'
import {
  PROOF_TYPE_CODES,
  type ProofLevel,
  type ProofType,
  type ProverInfo,
  type Statement,
} from './types.ts'

export * from './errors.ts'
export * from './types.ts'
export { defaultLibraryPath, LIBRARY_ENV } from './library.ts'
export { encodeHashchainTask, encodeSumTask } from './tasks.ts'

export interface ProverOptions {
  /** Path of the shared library; default $PROVER_MESH_PROVER_LIB, else this checkout's build. */
  libraryPath?: string
  /** Circuit cache directory ('' for none). Default: the library's (~/.cache/prover-mesh/circuits). */
  cacheDir?: string
}

const TASK_ID_BYTES = 32
const decoder = new TextDecoder()
const encoder = new TextEncoder()

export class Prover {
  readonly #lib: NativeLibrary

  constructor(options: ProverOptions = {}) {
    this.#lib = loadLibrary(options.libraryPath)
    if (options.cacheDir !== undefined) {
      const dir = encoder.encode(options.cacheDir)
      this.#callSync(this.#lib.pm_init, dir, dir.length)
    }
  }

  get libraryPath(): string {
    return this.#lib.path
  }

  info(): ProverInfo {
    return JSON.parse(decoder.decode(this.#callSync(this.#lib.pm_info))) as ProverInfo
  }

  /** Splits a task (see rust-prover/README.md for its byte form) into job inputs. */
  async planJobs(
    type: ProofType,
    taskId: Uint8Array,
    task: Uint8Array,
    jobSize: number,
  ): Promise<Uint8Array[]> {
    checkTaskId(taskId)
    checkU32(jobSize, 'jobSize')
    const out = await this.#call(
      this.#lib.pm_plan_jobs,
      PROOF_TYPE_CODES[type],
      taskId,
      task,
      task.length,
      jobSize,
    )
    return splitJobList(out)
  }

  /** The statement the task's final proof must make, computed natively. */
  async taskStatement(type: ProofType, taskId: Uint8Array, task: Uint8Array): Promise<Statement> {
    checkTaskId(taskId)
    const out = await this.#call(
      this.#lib.pm_task_statement,
      PROOF_TYPE_CODES[type],
      taskId,
      task,
      task.length,
    )
    return JSON.parse(decoder.decode(out)) as Statement
  }

  async proveJob(type: ProofType, job: Uint8Array): Promise<Uint8Array> {
    return this.#call(this.#lib.pm_prove_job, PROOF_TYPE_CODES[type], job, job.length)
  }

  /** Aggregates two adjacent proofs of one task, or one proof alone when `right` is omitted. */
  async aggregate(type: ProofType, left: Uint8Array, right?: Uint8Array): Promise<Uint8Array> {
    const r = right ?? null
    return this.#call(this.#lib.pm_aggregate, PROOF_TYPE_CODES[type], left, left.length, r, r?.length ?? 0)
  }

  /** Verifies a proof of any level with the library's own circuits (what a gateway does). */
  async verify(type: ProofType, proof: Uint8Array): Promise<{ level: ProofLevel; statement: Statement }> {
    const out = await this.#call(this.#lib.pm_verify, PROOF_TYPE_CODES[type], proof, proof.length)
    return JSON.parse(decoder.decode(out)) as { level: ProofLevel; statement: Statement }
  }

  /** Verifies a final proof against a pinned verifier key (what a client does). */
  async verifyFinal(key: Uint8Array, proof: Uint8Array): Promise<Statement> {
    const out = await this.#call(this.#lib.pm_verify_final, key, key.length, proof, proof.length)
    return JSON.parse(decoder.decode(out)) as Statement
  }

  /** The verifier key of final proofs of a type, for clients to pin. */
  async verifierKey(type: ProofType): Promise<Uint8Array> {
    return this.#call(this.#lib.pm_verifier_key, PROOF_TYPE_CODES[type])
  }

  /**
   * Benchmarking aid: times `iterations` runs (1 to 1000) of an operation inside the library,
   * without the FFI call around it, to compare with the same call made through this binding.
   */
  async timeNative(
    op: 'proveJob' | 'verify',
    type: ProofType,
    input: Uint8Array,
    iterations: number,
  ): Promise<number[]> {
    checkU32(iterations, 'iterations')
    const code = op === 'proveJob' ? 1 : 2
    const out = await this.#call(
      this.#lib.pm_time_native,
      code,
      PROOF_TYPE_CODES[type],
      input,
      input.length,
      iterations,
    )
    return (JSON.parse(decoder.decode(out)) as { samplesNs: number[] }).samplesNs.map((ns) => ns / 1e6)
  }

  #callSync(fn: NativeFunction, ...args: unknown[]): Uint8Array {
    const out: RawBuffer = { ptr: null, len: 0 }
    const status = fn(...args, out) as number
    return this.#result(status, out)
  }

  #call(fn: NativeFunction, ...args: unknown[]): Promise<Uint8Array> {
    const out: RawBuffer = { ptr: null, len: 0 }
    return new Promise((resolve, reject) => {
      fn.async(...args, out, (error: unknown, status: number) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)))
        try {
          resolve(this.#result(status, out))
        } catch (failure) {
          reject(failure as Error)
        }
      })
    })
  }

  #result(status: number, out: RawBuffer): Uint8Array {
    const bytes = takeBuffer(this.#lib, out)
    if (status !== 0) throw errorForStatus(status, decoder.decode(bytes))
    return bytes
  }
}

function checkTaskId(taskId: Uint8Array): void {
  if (taskId.length !== TASK_ID_BYTES)
    throw new InvalidInputError(`'taskId' must be ${TASK_ID_BYTES} bytes, got ${taskId.length}`)
}

function checkU32(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new InvalidInputError(`'${field}' must be an integer in 0..2^32-1, got ${value}`)
}

/** Decodes `u32 count | count × (u32 length | bytes)`. */
function splitJobList(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint32(0, true)
  const jobs: Uint8Array[] = []
  let offset = 4
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(offset, true)
    jobs.push(bytes.subarray(offset + 4, offset + 4 + len))
    offset += 4 + len
  }
  return jobs
}
