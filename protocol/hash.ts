// sha256 from @noble/hashes and hex without Buffer: pure JS, so protocol/ runs unchanged in the
// browser SDK bundle.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = nobleSha256.create()
  for (const part of parts) h.update(part)
  return h.digest()
}

export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes)
}

/** Parses lowercase or uppercase hex with an even number of digits; throws TypeError otherwise. */
export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new TypeError(`not a hex string: '${hex.slice(0, 20)}'`)
  return hexToBytes(hex.toLowerCase())
}
