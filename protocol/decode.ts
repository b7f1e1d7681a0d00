// Decoding helpers: turn a protons decode failure into a typed `malformed` error naming the message.
import type { Codec } from 'protons-runtime'
import { ValidationError } from './errors.ts'

export function decodeBody<T>(codec: { decode(bytes: Uint8Array): T }, bytes: Uint8Array, field: string): T {
  try {
    return codec.decode(bytes)
  } catch (error) {
    throw new ValidationError('malformed', field, `cannot decode: ${(error as Error).message}`)
  }
}

export type { Codec }

/** Checks a body's version field: 0 means the field is missing, anything else than `supported` is unknown. */
export function checkVersion(version: number, supported: number, field = 'version'): void {
  if (version === 0) throw new ValidationError('missing', field, 'version is required')
  if (version !== supported) {
    throw new ValidationError('unsupported_version', field, `expected ${supported}, got ${version}`)
  }
}

export function checkBytes(value: Uint8Array, field: string, exactLength: number): void {
  if (value.byteLength === 0) throw new ValidationError('missing', field, 'required')
  if (value.byteLength !== exactLength) {
    throw new ValidationError('out_of_range', field, `expected ${exactLength} bytes, got ${value.byteLength}`)
  }
}

export function checkString(value: string, field: string, maxChars: number): void {
  if (value === '') throw new ValidationError('missing', field, 'required')
  if (value.length > maxChars)
    throw new ValidationError('too_large', field, `longer than ${maxChars} characters`)
}
