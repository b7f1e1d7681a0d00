// Typed validation errors. Every rejection of network or user input names the field it is about,
// so a gateway can put it in an error frame and a gossip validator can log why it said Reject.

export type ValidationErrorCode =
  | 'malformed'
  | 'missing'
  | 'out_of_range'
  | 'too_large'
  | 'bad_signature'
  | 'wrong_kind'
  | 'unsupported_version'
  | 'unknown_proof_type'
  | 'unknown_class'
  | 'deadline_past'
  | 'zero_budget'

export class ValidationError extends Error {
  readonly code: ValidationErrorCode
  /** The offending field in the wire schema's snake_case spelling, e.g. `deadline_ms`, or '' for the whole message. */
  readonly field: string

  constructor(code: ValidationErrorCode, field: string, message: string) {
    super(field === '' ? message : `${field}: ${message}`)
    this.name = 'ValidationError'
    this.code = code
    this.field = field
  }
}

export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof ValidationError
}
