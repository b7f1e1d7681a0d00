// Decoding helpers: turn a protons decode failure into a typed `malformed` error naming the message.
import type { Codec } from 'protons-runtime'
import { ValidationError } from './errors.ts'
import { MAX_DEADLINE_AHEAD_MS } from './limits.ts'
import { bytesEqual, peerIdBytesOf } from './peer.ts'

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

/** A task's price and deadline as every gossiped header carries them: price > 0, deadline ahead but not too far. */
export function checkPriceAndDeadline(maxPricePerUnit: bigint, deadlineMs: bigint, nowMs: number): void {
  if (maxPricePerUnit === 0n) throw new ValidationError('zero_budget', 'max_price_per_unit', 'must be > 0')
  const now = BigInt(Math.floor(nowMs))
  if (deadlineMs <= now)
    throw new ValidationError('deadline_past', 'deadline_ms', `deadline ${deadlineMs} passed`)
  if (deadlineMs - now > BigInt(MAX_DEADLINE_AHEAD_MS))
    throw new ValidationError('out_of_range', 'deadline_ms', `more than ${MAX_DEADLINE_AHEAD_MS} ms ahead`)
}

/**
 * The signer rules of a gateway's gossiped message: signed by the gossip publisher (when known), and
 * naming that same peer in its `gateway` field.
 */
export function checkGatewaySigner(
  gateway: Uint8Array,
  signer: Uint8Array,
  publisherKey: Uint8Array | undefined,
): void {
  if (publisherKey !== undefined && !bytesEqual(publisherKey, signer))
    throw new ValidationError('bad_signature', 'envelope.public_key', 'not signed by the gossip publisher')
  if (gateway.byteLength === 0) throw new ValidationError('missing', 'gateway', 'required')
  if (!bytesEqual(gateway, peerIdBytesOf(signer)))
    throw new ValidationError('bad_signature', 'gateway', 'gateway is not the signing peer')
}
