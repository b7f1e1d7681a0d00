#!/usr/bin/env node
// Entry point of the `prover-mesh` command. Plain JavaScript so that it runs on any Node: on a Node
// older than the project needs, it re-executes itself with the Node 22 runtime that `npm install`
// puts in node_modules, or says in one line what to do. `node start` runs with the node process
// settings of node-flags.mjs, and every command loads the project's TypeScript through ts-cache.mjs.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_PROCESS_FLAGS, hasNodeProcessFlags } from './node-flags.mjs'
import { registerTsCache } from './ts-cache.mjs'

const REQUIRED = [22, 18]
const mainModule = fileURLToPath(new URL('./main.ts', import.meta.url))
const binFile = fileURLToPath(import.meta.url)
const args = process.argv.slice(2)
const startsNode = args[0] === 'node' && args[1] === 'start'

function isSupported(version) {
  const [major, minor] = version.slice(1).split('.').map(Number)
  return major > REQUIRED[0] || (major === REQUIRED[0] && minor >= REQUIRED[1])
}

function bundledNode() {
  try {
    const require = createRequire(import.meta.url)
    return join(
      dirname(require.resolve(`node-${process.platform}-${process.arch}/package.json`)),
      'bin',
      'node',
    )
  } catch {
    return undefined
  }
}

if (isSupported(process.version)) {
  if (startsNode && !hasNodeProcessFlags() && typeof process.execve === 'function') {
    // Replaces this process (same pid: signals and supervisors see no wrapper). Flags given to this
    // process come after ours, so they win.
    process.execve(process.execPath, [
      process.execPath,
      ...NODE_PROCESS_FLAGS,
      ...process.execArgv,
      binFile,
      ...args,
    ])
  }
  registerTsCache()
  const { main } = await import(mainModule)
  process.exitCode = await main(args)
} else {
  const runtime = bundledNode()
  if (runtime === undefined) {
    console.error(
      `prover-mesh needs Node >= ${REQUIRED.join('.')} (this is ${process.version}): install Node 22 or newer, or run \`npm install\` in the project to get its bundled Node 22`,
    )
    process.exit(1)
  }
  const flags = startsNode ? NODE_PROCESS_FLAGS : []
  const child = spawn(runtime, [...flags, binFile, ...args], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}
