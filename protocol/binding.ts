// PeerBinding shape check. The operator's EIP-712 signature is checked by the stake issue (it needs
// the chain id and the operator set); here: well formed, countersigned by the named peer, not expired.
import { checkBytes, checkVersion, decodeBody } from './decode.ts'
import { openEnvelope } from './envelope.ts'
import { ValidationError } from './errors.ts'
import { PeerBinding } from './generated/messages.js'
import { ADDRESS_BYTES } from './market.ts'
import { bytesEqual, peerIdBytesOf } from './peer.ts'

export const PEER_BINDING_VERSION = 1
export const EIP712_SIGNATURE_BYTES = 65

export async function validatePeerBinding(bytes: Uint8Array, nowMs: number): Promise<PeerBinding> {
  const envelope = await openEnvelope(bytes, 'PeerBinding')
  const binding = decodeBody(PeerBinding, envelope.body, 'body')
  checkVersion(binding.version, PEER_BINDING_VERSION)
  checkBytes(binding.operator, 'operator', ADDRESS_BYTES)
  if (binding.peer.byteLength === 0) throw new ValidationError('missing', 'peer', 'required')
  if (!bytesEqual(binding.peer, peerIdBytesOf(envelope.publicKey))) {
    throw new ValidationError('bad_signature', 'peer', 'not countersigned by the named peer')
  }
  if (binding.chainId === 0n) throw new ValidationError('missing', 'chain_id', 'required')
  if (binding.expiryMs <= BigInt(Math.floor(nowMs)))
    throw new ValidationError('deadline_past', 'expiry_ms', 'expired')
  checkBytes(binding.operatorSignature, 'operator_signature', EIP712_SIGNATURE_BYTES)
  return binding
}
