// The bindings topic's wire form. A binding message is exactly the stake module's signed binding
// (node/stake/binding.ts `encodeSignedBinding`: UTF-8 JSON of the EIP-712 PeerBinding, the operator's
// signature and the peer key's countersignature), not a SignedEnvelope around a protobuf body.
// Why: the binding authenticates itself twice (operator key over the EIP-712 digest, peer key over a
// domain-separated copy of it), so any node may relay or republish it; an envelope would only add a
// third signature by whoever published it, which gossipsub's StrictSign already gives. One encoding
// also means a file written by `prover-mesh operator bind` is a valid gossip payload byte for byte.
// Decoding and verification need the chain id, AVS and operator set, so they live with the stake
// registry; this is the size/shape pre-check a node runs before handing the bytes over.
import { ValidationError } from './errors.ts'

/** Same bound as the stake decoder: a contract operator's ERC-1271 signature may be long. */
export const MAX_PEER_BINDING_BYTES = 8192

/** Cheap wire check of a bindings-topic payload; throws ValidationError naming the problem. */
export function validatePeerBindingFrame(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength === 0) throw new ValidationError('missing', '', 'empty binding')
  if (bytes.byteLength > MAX_PEER_BINDING_BYTES) {
    throw new ValidationError(
      'too_large',
      '',
      `binding is ${bytes.byteLength} bytes, limit ${MAX_PEER_BINDING_BYTES}`,
    )
  }
  // JSON object: the first byte is '{' (the encoder writes no leading whitespace).
  if (bytes[0] !== 0x7b) throw new ValidationError('malformed', '', 'binding is not a JSON object')
  return bytes
}
