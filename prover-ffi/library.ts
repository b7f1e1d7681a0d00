// Finds and loads the Rust prover's shared library, and declares its C ABI
// (rust-prover/include/prover_mesh.h) for koffi.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import koffi, { type LibraryHandle } from 'koffi'
import { ProverLibraryError } from './errors.ts'

/** Environment variable that points at another build of the library (e.g. a GPU build). */
export const LIBRARY_ENV = 'PROVER_MESH_PROVER_LIB'

function libraryFileName(): string {
  if (process.platform === 'darwin') return 'libprover_mesh_prover.dylib'
  if (process.platform === 'win32') return 'prover_mesh_prover.dll'
  return 'libprover_mesh_prover.so'
}

/** Where `npm install` builds the library in this checkout. */
export function defaultLibraryPath(): string {
  return fileURLToPath(new URL(`../rust-prover/target/release/${libraryFileName()}`, import.meta.url))
}

/** Explicit path, else $PROVER_MESH_PROVER_LIB, else this checkout's release build. */
export function resolveLibraryPath(explicit?: string): string {
  const path = explicit ?? process.env[LIBRARY_ENV] ?? defaultLibraryPath()
  if (!existsSync(path)) {
    const origin = explicit
      ? 'the given path'
      : process.env[LIBRARY_ENV]
        ? `$${LIBRARY_ENV}`
        : 'the default path'
    throw new ProverLibraryError(
      `prover library not found at ${path} (${origin}): run \`npm run build:prover\` or set ${LIBRARY_ENV}`,
    )
  }
  return path
}

const PmBuffer = koffi.struct('pm_buffer', { ptr: 'uint8_t *', len: 'size_t' })

/** A buffer as koffi returns it through an out-parameter. */
export interface RawBuffer {
  ptr: unknown
  len: number | bigint
}

/** A koffi function: callable synchronously, or with `.async(...args, callback)` on a worker thread. */
export type NativeFunction = ReturnType<LibraryHandle['func']>

export interface NativeLibrary {
  path: string
  pm_init: NativeFunction
  pm_info: NativeFunction
  pm_plan_jobs: NativeFunction
  pm_task_statement: NativeFunction
  pm_prove_job: NativeFunction
  pm_aggregate: NativeFunction
  pm_verify: NativeFunction
  pm_verify_final: NativeFunction
  pm_verifier_key: NativeFunction
  pm_time_native: NativeFunction
  pm_buffer_free: NativeFunction
}

const loaded = new Map<string, NativeLibrary>()

export function loadLibrary(explicitPath?: string): NativeLibrary {
  const path = resolveLibraryPath(explicitPath)
  const cached = loaded.get(path)
  if (cached) return cached
  let lib: LibraryHandle
  try {
    lib = koffi.load(path)
  } catch (error) {
    throw new ProverLibraryError(`cannot load prover library ${path}: ${(error as Error).message}`)
  }
  const out = koffi.out(koffi.pointer(PmBuffer))
  const bytes = 'const uint8_t *'
  const native: NativeLibrary = {
    path,
    pm_init: lib.func('pm_init', 'int32_t', [bytes, 'size_t', out]),
    pm_info: lib.func('pm_info', 'int32_t', [out]),
    pm_plan_jobs: lib.func('pm_plan_jobs', 'int32_t', ['uint32_t', bytes, bytes, 'size_t', 'uint32_t', out]),
    pm_task_statement: lib.func('pm_task_statement', 'int32_t', ['uint32_t', bytes, bytes, 'size_t', out]),
    pm_prove_job: lib.func('pm_prove_job', 'int32_t', ['uint32_t', bytes, 'size_t', out]),
    pm_aggregate: lib.func('pm_aggregate', 'int32_t', ['uint32_t', bytes, 'size_t', bytes, 'size_t', out]),
    pm_verify: lib.func('pm_verify', 'int32_t', ['uint32_t', bytes, 'size_t', out]),
    pm_verify_final: lib.func('pm_verify_final', 'int32_t', [bytes, 'size_t', bytes, 'size_t', out]),
    pm_verifier_key: lib.func('pm_verifier_key', 'int32_t', ['uint32_t', out]),
    pm_time_native: lib.func('pm_time_native', 'int32_t', [
      'uint32_t',
      'uint32_t',
      bytes,
      'size_t',
      'uint32_t',
      out,
    ]),
    pm_buffer_free: lib.func('pm_buffer_free', 'void', [PmBuffer]),
  }
  loaded.set(path, native)
  return native
}

/** Copies a library-owned buffer into JS memory and releases it. */
export function takeBuffer(lib: NativeLibrary, raw: RawBuffer): Uint8Array {
  const len = Number(raw.len)
  try {
    return len === 0 ? new Uint8Array(0) : new Uint8Array(koffi.view(raw.ptr, len)).slice()
  } finally {
    lib.pm_buffer_free(raw)
  }
}
