// Compares the statement a final proof makes with the one its task should make (computed locally
// with prover.taskStatement), field by field. Shared by `proof verify` and the testnet demo.
import type { ProofType, Statement } from '../../prover-ffi/index.ts'

/** The fields that pin a final proof to its task's data and result. */
export const STATEMENT_FIELDS: Record<ProofType, readonly string[]> = {
  sum: ['commitment', 'count', 'sum', 'min', 'max'],
  hashchain: ['input', 'output', 'steps'],
}

/** A `field is X, expected Y; …` description of every difference, or undefined when they agree. */
export function statementMismatch(
  type: ProofType,
  actual: Statement,
  expected: Statement,
): string | undefined {
  const a = actual as unknown as Record<string, unknown>
  const e = expected as unknown as Record<string, unknown>
  const wrong = STATEMENT_FIELDS[type].filter((f) => a[f] !== e[f])
  return wrong.length ? wrong.map((f) => `${f} is ${a[f]}, expected ${e[f]}`).join('; ') : undefined
}
