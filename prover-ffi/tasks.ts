// Byte forms of whole tasks, as the prover library reads them (rust-prover/README.md).
import { InvalidInputError } from './errors.ts'

const GOLDILOCKS_ORDER = 0xffffffff00000001n

/** A `sum` task: the u32 values, little-endian. */
export function encodeSumTask(values: ArrayLike<number>): Uint8Array {
  if (values.length === 0) throw new InvalidInputError("'values' must hold at least one value")
  const out = new Uint8Array(values.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new InvalidInputError(`'values[${i}]' must be an unsigned 32-bit integer, got ${v}`)
    view.setUint32(i * 4, v, true)
  }
  return out
}

/**
 * A `hashchain` task: the 32-byte input (4 little-endian 64-bit field elements, each below the
 * Goldilocks order) and the number of steps.
 */
export function encodeHashchainTask(inputHex: string, steps: number): Uint8Array {
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(inputHex))
    throw new InvalidInputError(`'input' must be 32 bytes of hex (64 digits), got '${inputHex}'`)
  if (!Number.isSafeInteger(steps) || steps < 1)
    throw new InvalidInputError(`'steps' must be a positive integer, got ${steps}`)
  const input = Buffer.from(inputHex.replace(/^0x/, ''), 'hex')
  for (let limb = 0; limb < 4; limb++) {
    if (input.readBigUInt64LE(limb * 8) >= GOLDILOCKS_ORDER)
      throw new InvalidInputError(
        `'input' limb ${limb} (bytes ${limb * 8}..${limb * 8 + 7}) is not below the field order`,
      )
  }
  const out = new Uint8Array(40)
  out.set(input, 0)
  new DataView(out.buffer).setBigUint64(32, BigInt(steps), true)
  return out
}
