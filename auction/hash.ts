// The one hashing convention of the auction module: sha256 over the UTF-8 text of a versioned
// domain tag and newline-separated fields, free-form strings JSON-encoded so that no field can run
// into the next. Text, not a binary layout, so that any language can reproduce it exactly.
import { hash } from 'node:crypto'

/** Lowercase hex sha256 of `domain` (e.g. 'leader/v1') and `fields`, one per line. */
export function domainHash(domain: string, fields: readonly string[]): string {
  return hash('sha256', `prover-mesh/dara/${domain}\n${fields.join('\n')}`, 'hex')
}
