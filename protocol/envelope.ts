// The signing envelope. The signature covers `domain(kind) ‖ body` where body is the exact encoded
// message bytes as received: verification never re-encodes (protobuf encodings are not canonical).
// The domain tag stops a signature made for one message kind from being replayed as another.
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { ValidationError } from './errors.ts'
import { SignedEnvelope } from './generated/messages.js'
import { MAX_ENVELOPE_BYTES } from './limits.ts'

export const ENVELOPE_VERSION = 1
export const ED25519_PUBLIC_KEY_BYTES = 32
export const ED25519_SIGNATURE_BYTES = 64

export const MESSAGE_KINDS = [
  'SubmitTask',
  'TaskAnnounce',
  'Ask',
  'Seal',
  'PeerBinding',
  'FetchJobInput',
  'DeliverJobResult',
  'JobDemand',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

const encoder = new TextEncoder()

/** The exact bytes an envelope's signature covers. */
export function signedBytes(kind: MessageKind, body: Uint8Array): Uint8Array {
  const domain = encoder.encode(`prover-mesh/v${ENVELOPE_VERSION}/${kind}\n`)
  const out = new Uint8Array(domain.length + body.length)
  out.set(domain, 0)
  out.set(body, domain.length)
  return out
}

/** Signs an encoded body with an Ed25519 key and returns the encoded envelope. */
export async function sealEnvelope(
  kind: MessageKind,
  body: Uint8Array,
  key: PrivateKey,
): Promise<Uint8Array> {
  if (key.type !== 'Ed25519') throw new TypeError(`envelopes are signed with Ed25519 keys, got ${key.type}`)
  const signature = await key.sign(signedBytes(kind, body))
  return SignedEnvelope.encode({
    version: ENVELOPE_VERSION,
    kind,
    body,
    publicKey: key.publicKey.raw,
    signature,
  })
}

/** A decoded envelope whose signature has been checked. */
export interface OpenedEnvelope {
  kind: MessageKind
  body: Uint8Array
  /** Raw Ed25519 public key of the signer. */
  publicKey: Uint8Array
  signature: Uint8Array
}

/**
 * Decodes an envelope of the expected kind and verifies its signature over the received body bytes.
 * Throws ValidationError: too_large, malformed, unsupported_version, wrong_kind, missing, bad_signature.
 */
export async function openEnvelope(bytes: Uint8Array, expected: MessageKind): Promise<OpenedEnvelope> {
  const max = MAX_ENVELOPE_BYTES[expected]
  if (bytes.byteLength > max) {
    throw new ValidationError(
      'too_large',
      '',
      `${expected} envelope is ${bytes.byteLength} bytes, limit ${max}`,
    )
  }
  let envelope: SignedEnvelope
  try {
    envelope = SignedEnvelope.decode(bytes)
  } catch (error) {
    throw new ValidationError('malformed', '', `not a SignedEnvelope: ${(error as Error).message}`)
  }
  if (envelope.version !== ENVELOPE_VERSION) {
    throw new ValidationError(
      'unsupported_version',
      'envelope.version',
      `expected ${ENVELOPE_VERSION}, got ${envelope.version}`,
    )
  }
  if (envelope.kind !== expected) {
    throw new ValidationError(
      'wrong_kind',
      'envelope.kind',
      `expected ${expected}, got '${envelope.kind.slice(0, 40)}'`,
    )
  }
  if (envelope.body.byteLength === 0) throw new ValidationError('missing', 'envelope.body', 'empty body')
  if (envelope.publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new ValidationError(
      envelope.publicKey.byteLength === 0 ? 'missing' : 'out_of_range',
      'envelope.public_key',
      `expected a ${ED25519_PUBLIC_KEY_BYTES}-byte Ed25519 key, got ${envelope.publicKey.byteLength} bytes`,
    )
  }
  if (envelope.signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    throw new ValidationError(
      envelope.signature.byteLength === 0 ? 'missing' : 'bad_signature',
      'envelope.signature',
      `expected ${ED25519_SIGNATURE_BYTES} bytes, got ${envelope.signature.byteLength}`,
    )
  }
  let ok: boolean
  try {
    const key = publicKeyFromRaw(envelope.publicKey)
    ok = await key.verify(signedBytes(expected, envelope.body), envelope.signature)
  } catch {
    ok = false
  }
  if (!ok) throw new ValidationError('bad_signature', 'envelope.signature', 'signature does not verify')
  return { kind: expected, body: envelope.body, publicKey: envelope.publicKey, signature: envelope.signature }
}
