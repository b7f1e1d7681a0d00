// What the network's roles need from a prover, behind one interface: the gateway plans jobs and
// verifies what provers deliver, a prover proves jobs. `realBackend` is prover-ffi (plonky2, off
// the event loop); `simBackend` is the labelled scale-study stand-in (node/proving/sim.ts).
import type { Statement, ProofLevel } from '../../prover-ffi/index.ts'
import type { ProofInput, ProofType } from '../../protocol/index.ts'

/** Statement fields a delivered proof must show; only the fields present are compared. */
export type Expectation = Readonly<Record<string, string | number | boolean>>

export interface ProvingBackend {
  readonly mode: 'real' | 'sim'
  /** The task's leaf job inputs, in job order (gateway). */
  planLeafJobs(taskId: Uint8Array, input: ProofInput): Promise<Uint8Array[]>
  /** The statement the task's final proof must make, computed without proving (gateway, client). */
  taskStatement(taskId: Uint8Array, input: ProofInput): Promise<Statement>
  /** What leaf job `index`'s proof must state; `jobs` are the task's leaf inputs, `final` its statement. */
  leafExpectation(type: ProofType, jobs: readonly Uint8Array[], index: number, final: Statement): Expectation
  proveLeaf(type: ProofType, job: Uint8Array): Promise<Uint8Array>
  aggregate(type: ProofType, children: readonly Uint8Array[]): Promise<Uint8Array>
  /** Verifies a proof of any level; throws (prover-ffi's typed errors) when it does not verify. */
  verify(type: ProofType, proof: Uint8Array): Promise<{ level: ProofLevel; statement: Statement }>
  /** Verifies a final proof against the type's pinned verifier key. */
  verifyFinal(type: ProofType, proof: Uint8Array): Promise<Statement>
}

/** The level an aggregation of `children` has: over job proofs or over aggregations. */
export function aggregationLevel(childLevels: readonly ProofLevel[]): ProofLevel {
  return childLevels.every((l) => l === 'job') ? 'leaf-aggregation' : 'aggregation'
}

/** What an aggregation of the accepted `children` statements (in tree order) must state. */
export function aggregateExpectation(children: readonly Statement[]): Expectation {
  const first = children[0]!
  const last = children.at(-1)!
  const base = {
    type: first.type,
    taskId: first.taskId,
    start: first.start,
    end: last.end,
    fromOrigin: first.fromOrigin,
  }
  if (first.type === 'sum') {
    const sums = children as readonly Extract<Statement, { type: 'sum' }>[]
    return {
      ...base,
      count: sums.reduce((n, c) => n + c.count, 0),
      stateIn: first.stateIn,
      stateOut: (last as typeof first).stateOut,
      sum: sums.reduce((n, c) => n + BigInt(c.sum), 0n).toString(),
      min: Math.min(...sums.map((c) => c.min)),
      max: Math.max(...sums.map((c) => c.max)),
    }
  }
  const chain = children as readonly Extract<Statement, { type: 'hashchain' }>[]
  return {
    ...base,
    steps: chain.reduce((n, c) => n + c.steps, 0),
    input: chain[0]!.input,
    output: chain.at(-1)!.output,
  }
}

/** The first field where `statement` differs from `expected`, described; undefined when it matches. */
export function expectationMismatch(statement: Statement, expected: Expectation): string | undefined {
  const actual = statement as unknown as Record<string, unknown>
  for (const [field, value] of Object.entries(expected)) {
    if (actual[field] !== value)
      return `${field}: proof states ${JSON.stringify(actual[field])}, expected ${JSON.stringify(value)}`
  }
  return undefined
}
