// Proof types and the statements proofs make, as the Rust library reports them.

export const PROOF_TYPES = ['sum', 'hashchain'] as const
export type ProofType = (typeof PROOF_TYPES)[number]

export const PROOF_TYPE_CODES: Record<ProofType, number> = { sum: 1, hashchain: 2 }

export function isProofType(value: string): value is ProofType {
  return (PROOF_TYPES as readonly string[]).includes(value)
}

interface StatementBase {
  taskId: string
  /** Half-open range [start, end) of values (sum) or steps (hashchain) the proof covers. */
  start: number
  end: number
  /** True when the range starts at the task's beginning (and, for sum, from the empty sponge). */
  fromOrigin: boolean
}

export interface SumStatement extends StatementBase {
  type: 'sum'
  count: number
  /** Poseidon sponge commitment to the values, hex. */
  commitment: string
  stateIn: string
  stateOut: string
  /** Decimal string: up to 2^63. */
  sum: string
  min: number
  max: number
}

export interface HashchainStatement extends StatementBase {
  type: 'hashchain'
  steps: number
  input: string
  output: string
}

export type Statement = SumStatement | HashchainStatement

/** Which circuit made a proof: a job, or one of the two aggregation circuits. */
export type ProofLevel = 'job' | 'leaf-aggregation' | 'aggregation'

export interface ProverInfo {
  version: string
  circuitVersion: string
  proofSystem: string
  backend: 'cpu' | 'gpu'
  /** maxTaskLength: most values (sum) or steps (hashchain) one task may have. */
  proofTypes: {
    name: ProofType
    code: number
    maxJobSize: number
    jobSizeMultiple: number
    maxTaskLength: number
  }[]
}
