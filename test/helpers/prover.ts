// Shared test fixtures: one Prover per test process, with circuits cached where the Rust tests
// cache them, so CI builds each circuit once.
import { fileURLToPath } from 'node:url'
import { Prover } from '../../prover-ffi/index.ts'

export const CIRCUIT_CACHE = fileURLToPath(new URL('../../rust-prover/target/tmp/circuits', import.meta.url))

let shared: Prover | undefined

export function testProver(): Prover {
  shared ??= new Prover({ cacheDir: CIRCUIT_CACHE })
  return shared
}

export function taskId(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte)
}
