// Ask and Seal shape checks. The auction issue adds the economic checks (stake, epoch windows,
// recomputing the clearing); these only make sure the message is well formed and signed by its peer.
import { checkBytes, checkString, checkVersion, decodeBody } from './decode.ts'
import { openEnvelope } from './envelope.ts'
import { ValidationError } from './errors.ts'
import { Ask, Seal } from './generated/messages.js'
import { MAX_CLASS_CHARS } from './limits.ts'
import { bytesEqual, peerIdBytesOf } from './peer.ts'

export const ASK_VERSION = 1
export const SEAL_VERSION = 1
export const ADDRESS_BYTES = 20
export const MAX_SEAL_BIDS = 1024

function checkSigner(peer: Uint8Array, signer: Uint8Array, field: string): void {
  if (peer.byteLength === 0) throw new ValidationError('missing', field, 'required')
  if (!bytesEqual(peer, peerIdBytesOf(signer)))
    throw new ValidationError('bad_signature', field, 'not the signing peer')
}

export async function validateAsk(bytes: Uint8Array): Promise<Ask> {
  const envelope = await openEnvelope(bytes, 'Ask')
  const ask = decodeBody(Ask, envelope.body, 'body')
  checkVersion(ask.version, ASK_VERSION)
  checkString(ask.class, 'class', MAX_CLASS_CHARS)
  if (ask.capacityUnits === 0n) throw new ValidationError('out_of_range', 'capacity_units', 'must be > 0')
  checkBytes(ask.operator, 'operator', ADDRESS_BYTES)
  checkSigner(ask.peer, envelope.publicKey, 'peer')
  return ask
}

export async function validateSeal(bytes: Uint8Array): Promise<Seal> {
  const envelope = await openEnvelope(bytes, 'Seal')
  const seal = decodeBody(Seal, envelope.body, 'body')
  checkVersion(seal.version, SEAL_VERSION)
  checkString(seal.class, 'class', MAX_CLASS_CHARS)
  checkSigner(seal.leader, envelope.publicKey, 'leader')
  if (seal.bidIds.length > MAX_SEAL_BIDS)
    throw new ValidationError('too_large', 'bid_ids', `limit ${MAX_SEAL_BIDS}`)
  for (const [i, id] of seal.bidIds.entries()) {
    checkBytes(id, `bid_ids[${i}]`, 32)
    const prev = seal.bidIds[i - 1]
    if (prev !== undefined && compareBytes(prev, id) >= 0) {
      throw new ValidationError(
        'out_of_range',
        `bid_ids[${i}]`,
        'bid ids must be sorted ascending without duplicates',
      )
    }
  }
  checkBytes(seal.resultHash, 'result_hash', 32)
  return seal
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return a.length - b.length
}
