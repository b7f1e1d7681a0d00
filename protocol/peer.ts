// Peer ids from raw Ed25519 keys, so a message's claimed peer can be tied to the key that signed it.
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'

/** The multihash bytes of the peer id of a raw Ed25519 public key. */
export function peerIdBytesOf(rawPublicKey: Uint8Array): Uint8Array {
  return peerIdFromPublicKey(publicKeyFromRaw(rawPublicKey)).toMultihash().bytes
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
