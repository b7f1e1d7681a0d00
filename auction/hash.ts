// The one hashing convention of the auction module: sha256 over the UTF-8 text of a versioned
// domain tag and newline-separated fields, free-form strings JSON-encoded so that no field can run
// into the next. Text, not a binary layout, so that any language can reproduce it exactly.
import { createHash, hash } from 'node:crypto'

/** Lowercase hex sha256 of `domain` (e.g. 'leader/v1') and `fields`, one per line. */
export function domainHash(domain: string, fields: readonly string[]): string {
  return hash('sha256', `prover-mesh/dara/${domain}\n${fields.join('\n')}`, 'hex')
}

/**
 * domainHash(domain, [...fields, last]) as a function of `last`, for hashing many values under
 * the same fields (the tie-break ids of one auction). The prefix is encoded once and each value
 * written after it into one reused buffer: building a fresh string per hash made most of the
 * garbage of a seal verification.
 */
export function domainHashOfLast(domain: string, fields: readonly string[]): (last: string) => string {
  const prefix = Buffer.from(`prover-mesh/dara/${domain}\n${fields.map((field) => `${field}\n`).join('')}`)
  let buffer = Buffer.alloc(0)
  let view = buffer
  return (last) => {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (buffer.length < prefix.length + 3 * last.length) {
      buffer = Buffer.alloc(prefix.length + 3 * last.length)
      prefix.copy(buffer)
    }
    const length = prefix.length + buffer.write(last, prefix.length)
    if (view.buffer !== buffer.buffer || view.length !== length) view = buffer.subarray(0, length)
    return hash('sha256', view, 'hex')
  }
}

/** domainHash(domain, [text]) for a single field given as the UTF-8 bytes of `text`. */
export function domainHashOfBytes(domain: string, bytes: Uint8Array): string {
  return createHash('sha256').update(`prover-mesh/dara/${domain}\n`).update(bytes).digest('hex')
}
