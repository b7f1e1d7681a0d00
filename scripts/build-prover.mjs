// Builds the Rust prover library (release) during `npm install`.
// Plain JavaScript on purpose: it must run on any Node, before the project's Node 22 is known to exist.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

if (process.env.PROVER_MESH_SKIP_RUST_BUILD === '1') {
  console.log('prover-mesh: PROVER_MESH_SKIP_RUST_BUILD=1, not building rust-prover')
  process.exit(0)
}

const manifest = fileURLToPath(new URL('../rust-prover/Cargo.toml', import.meta.url))
const result = spawnSync('cargo', ['build', '--release', '--manifest-path', manifest], { stdio: 'inherit' })
if (result.error) {
  const hint =
    result.error.code === 'ENOENT'
      ? 'cargo was not found: install stable Rust (rustup.rs)'
      : result.error.message
  console.error(`prover-mesh: cannot build rust-prover: ${hint}`)
  process.exit(1)
}
process.exit(result.status ?? 1)
