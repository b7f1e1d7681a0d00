// The Node.js settings of a long-running node process (`prover-mesh node start`, testnet and bench
// nodes), in one place. Plain JavaScript: bin.mjs reads it on any Node.
//
// A node's heap is mostly libp2p's modules and small, short-lived messages, so V8's defaults (16 MB
// semi-spaces, a heap that grows for throughput, a GC thread per core) cost far more memory than they
// save time. Measured with `npm run bench:mesh` (20 node processes on 2 cores): RSS per node 183 MB with
// the defaults, about 105 MB with these settings, at the same CPU per gossiped message.
const TS_CACHE_REGISTER = new URL('./ts-cache-register.mjs', import.meta.url).href

export const NODE_PROCESS_FLAGS = Object.freeze([
  '--import',
  TS_CACHE_REGISTER,
  '--max-semi-space-size=1',
  '--optimize-for-size',
  '--v8-pool-size=1',
])

/** True when this process already runs with NODE_PROCESS_FLAGS. */
export function hasNodeProcessFlags(execArgv = process.execArgv) {
  return NODE_PROCESS_FLAGS.every((flag) => execArgv.includes(flag))
}
