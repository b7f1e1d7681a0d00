// Typed errors for the prover library's status codes. Each carries the Rust message.

export class ProverError extends Error {
  readonly code: number
  constructor(message: string, code: number) {
    super(message)
    this.name = 'ProverError'
    this.code = code
  }
}

/** Malformed or out-of-range input; the message names the field. */
export class InvalidInputError extends ProverError {
  constructor(message: string) {
    super(message, 1)
    this.name = 'InvalidInputError'
  }
}

/** A proof or key that does not decode or does not verify. */
export class InvalidProofError extends ProverError {
  constructor(message: string) {
    super(message, 2)
    this.name = 'InvalidProofError'
  }
}

/** Proofs that cannot be aggregated: other task, not adjacent, wrong levels. */
export class IncompatibleProofsError extends ProverError {
  constructor(message: string) {
    super(message, 3)
    this.name = 'IncompatibleProofsError'
  }
}

/** Circuit cache or file-system failure inside the library. */
export class ProverIoError extends ProverError {
  constructor(message: string) {
    super(message, 4)
    this.name = 'ProverIoError'
  }
}

/** A bug in the library, including a panic it caught (the message says where it was raised). */
export class ProverInternalError extends ProverError {
  constructor(message: string) {
    super(message, 5)
    this.name = 'ProverInternalError'
  }
}

/** The shared library could not be found or loaded. */
export class ProverLibraryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProverLibraryError'
  }
}

export function errorForStatus(code: number, message: string): ProverError {
  switch (code) {
    case 1:
      return new InvalidInputError(message)
    case 2:
      return new InvalidProofError(message)
    case 3:
      return new IncompatibleProofsError(message)
    case 4:
      return new ProverIoError(message)
    case 5:
      return new ProverInternalError(message)
    default:
      return new ProverError(`prover library returned status ${code}: ${message}`, code)
  }
}
