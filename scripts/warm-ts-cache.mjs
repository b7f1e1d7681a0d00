// Part of `npm install`: strips the project's TypeScript into the cache of node/cli/ts-cache.mjs, so
// the first node process started after an install loads no TypeScript compiler (about 25 MB of RSS).
// Plain JavaScript; on a Node without module.stripTypeScriptTypes it does nothing (bin.mjs re-executes
// on the bundled Node 22, which fills the cache on first use).
import * as nodeModule from 'node:module'

if (typeof nodeModule.stripTypeScriptTypes !== 'function') process.exit(0)
const { warmTsCache, tsCacheDir } = await import('../node/cli/ts-cache.mjs')
const files = warmTsCache()
console.log(`prover-mesh: ${files} TypeScript files stripped into ${tsCacheDir()}`)
