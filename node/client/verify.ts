// The client's own check of a root proof (Node only: it loads the prover library through FFI, which a
// browser cannot): the proof verifies under the pinned verifier key, proves this task from its start,
// and, given the task's input, states the result that input must give.
import type { Statement } from '../../prover-ffi/index.ts'
import { fromHex, PROOF_TYPES, type ProofInput, type SubmitTaskParams } from '../../protocol/index.ts'
import { realBackend } from '../proving/real.ts'
import { statementMismatch } from '../proving/statement-check.ts'

/** The proof is not a valid root proof of the task (or of its input's result). */
export class ProofVerificationError extends Error {
  readonly taskId: string
  constructor(taskId: string, message: string) {
    super(`task ${taskId}: ${message}`)
    this.name = 'ProofVerificationError'
    this.taskId = taskId
  }
}

export interface VerifiedProof {
  statement: Statement
  /** One line describing what is proven, e.g. `sum 10, count 4, min 1, max 4`. */
  summary: string
}

function toProofInput(input: SubmitTaskParams['input']): ProofInput {
  return input.type === 'sum'
    ? { type: 'sum', input: { values: [...input.values], chunkSize: input.chunkSize ?? 0 } }
    : { type: 'hashchain', input: { seed: input.seed, steps: input.steps, segment: input.segment ?? 0n } }
}

/** One line describing what a statement proves (the CLI's and the demo's wording). */
export function summarizeStatement(statement: Statement): string {
  return statement.type === 'sum'
    ? `sum ${statement.sum}, count ${statement.count}, min ${statement.min}, max ${statement.max}`
    : `hashchain ${statement.steps} steps: output ${statement.output}`
}

/**
 * Verifies `proof` as the root proof of task `taskId`. With `input` (what was submitted) it also
 * checks the stated result against the one that input must give; without, it checks only that a
 * valid proof of this task from its start is at hand (of either proof type).
 * Throws ProofVerificationError; an Error if the prover library cannot be loaded.
 */
export async function verifyTaskProof(
  taskId: string,
  proof: Uint8Array,
  input?: SubmitTaskParams['input'],
): Promise<VerifiedProof> {
  const backend = realBackend()
  const types = input === undefined ? PROOF_TYPES : [input.type]
  let statement: Statement | undefined
  let failure = ''
  for (const type of types) {
    try {
      statement = await backend.verifyFinal(type, proof)
      break
    } catch (error) {
      failure = (error as Error).message
    }
  }
  if (statement === undefined)
    throw new ProofVerificationError(taskId, `the proof does not verify: ${failure}`)
  if (statement.taskId !== taskId || !statement.fromOrigin)
    throw new ProofVerificationError(
      taskId,
      `the proof proves task ${statement.taskId} from ${statement.start}, not task ${taskId} from the start`,
    )
  if (input !== undefined) {
    const expected = await backend.taskStatement(fromHex(taskId), toProofInput(input))
    const mismatch = statementMismatch(input.type, statement, expected)
    if (mismatch !== undefined)
      throw new ProofVerificationError(taskId, `the proof does not state your task's result: ${mismatch}`)
  }
  return { statement, summary: summarizeStatement(statement) }
}
