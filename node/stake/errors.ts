// Typed errors of the stake subsystem. Each names the field or input at fault; none ever carries key
// material (signatures and public data only).

/** A stake configuration value is missing or invalid. */
export class StakeConfigError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(`stake config: ${field} ${message}`)
    this.name = 'StakeConfigError'
    this.field = field
  }
}

export type BindingErrorCode =
  | 'malformed'
  | 'wrong-chain'
  | 'wrong-avs'
  | 'wrong-operator-set'
  | 'bad-peer-id'
  | 'expired'
  | 'not-yet-valid'
  | 'lifetime-too-long'
  | 'bad-operator-signature'
  | 'bad-peer-signature'
  | 'stale-nonce'

/** A peer binding was rejected; `code` is the machine-readable reason, `field` the binding field at fault. */
export class BindingError extends Error {
  readonly code: BindingErrorCode
  readonly field: string
  constructor(code: BindingErrorCode, field: string, message: string) {
    super(`peer binding rejected (${code}): ${field} ${message}`)
    this.name = 'BindingError'
    this.code = code
    this.field = field
  }
}
