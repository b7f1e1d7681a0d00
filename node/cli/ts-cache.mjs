// A disk cache of this project's TypeScript with the types stripped, served by a module load hook.
//
// Why: Node strips types with amaro, swc compiled to WebAssembly. Its memory grows with every file it
// strips and is never given back: about 25 MB of RSS in each node process, and CPU at every start.
// Served from this cache, a process never loads amaro. The output is exactly Node's own
// (module.stripTypeScriptTypes in 'strip' mode keeps every position, so stack traces are unchanged).
//
// Entries are keyed by a hash of the source (and of the Node version), so an edited file is a miss,
// never a stale hit. A miss strips the file in this process and stores it; a cache that cannot be
// read or written falls back to Node's own loader. Plain JavaScript: bin.mjs loads it on any Node.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import * as nodeModule from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The project's own TypeScript (what `warmTsCache` strips ahead of time). */
const SOURCE_DIRS = ['node', 'protocol', 'auction', 'prover-ffi', 'scripts']

export function tsCacheDir() {
  return process.env.PROVER_MESH_TS_CACHE ?? join(PROJECT_ROOT, 'node_modules', '.cache', 'prover-mesh-ts')
}

function isProjectTypeScript(path) {
  return path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.includes('/node_modules/')
}

function entryPath(dir, source) {
  const key = createHash('sha256').update(process.version).update('\0').update(source).digest('hex')
  return join(dir, `${key}.js`)
}

/** Node's own stripping, without its one-time ExperimentalWarning for the API (the output is stable). */
function strip(source) {
  const emitWarning = process.emitWarning
  process.emitWarning = (warning, ...rest) => {
    if (!String(warning).includes('stripTypeScriptTypes')) emitWarning.call(process, warning, ...rest)
  }
  try {
    return nodeModule.stripTypeScriptTypes(source, { mode: 'strip' })
  } finally {
    process.emitWarning = emitWarning
  }
}

/** Written under a temporary name and renamed: processes starting together may store the same entry. */
function store(file, js) {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, js)
  renameSync(temporary, file)
}

/** The stripped JavaScript of `source`, from the cache or stripped now and stored. */
export function strippedSource(source, dir = tsCacheDir()) {
  const file = entryPath(dir, source)
  try {
    return readFileSync(file, 'utf8')
  } catch {
    const js = strip(source)
    mkdirSync(dir, { recursive: true })
    store(file, js)
    return js
  }
}

let registered = false

/** Installs the load hook (once per process). A Node without module.registerHooks keeps its own loader. */
export function registerTsCache() {
  if (registered || typeof nodeModule.registerHooks !== 'function') return
  registered = true
  const dir = tsCacheDir()
  nodeModule.registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:')) return nextLoad(url, context)
      const path = fileURLToPath(url)
      if (!isProjectTypeScript(path)) return nextLoad(url, context)
      let source
      try {
        source = readFileSync(path, 'utf8')
      } catch {
        return nextLoad(url, context) // Node reports the missing file in its own words
      }
      let js
      try {
        js = strippedSource(source, dir)
      } catch {
        // Syntax that cannot be stripped, or an unwritable cache: Node's own loader takes the file and
        // raises its own, well-known error for bad syntax.
        return nextLoad(url, context)
      }
      return { format: 'module', source: js, shortCircuit: true }
    },
  })
}

/**
 * Strips every project TypeScript file into the cache, so that processes started next all hit it.
 * Returns the number of files now cached.
 */
export function warmTsCache(root = PROJECT_ROOT, dir = tsCacheDir()) {
  let files = 0
  const walk = (folder) => {
    let entries
    try {
      entries = readdirSync(folder, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'target') walk(path)
      } else if (isProjectTypeScript(path)) {
        try {
          strippedSource(readFileSync(path, 'utf8'), dir)
          files++
        } catch {
          // A file Node cannot strip fails when it is loaded, with Node's message; nothing to cache.
        }
      }
    }
  }
  for (const folder of SOURCE_DIRS) walk(join(root, folder))
  return files
}
