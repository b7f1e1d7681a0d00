#!/usr/bin/env node
// Entry point of the `prover-mesh` command. Plain JavaScript so that it runs on any Node: on a Node
// older than the project needs, it re-executes itself with the Node 22 runtime that `npm install`
// puts in node_modules, or says in one line what to do.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REQUIRED = [22, 18]
const mainModule = fileURLToPath(new URL('./main.ts', import.meta.url))

function isSupported(version) {
  const [major, minor] = version.slice(1).split('.').map(Number)
  return major > REQUIRED[0] || (major === REQUIRED[0] && minor >= REQUIRED[1])
}

function bundledNode() {
  try {
    const require = createRequire(import.meta.url)
    return join(dirname(require.resolve(`node-${process.platform}-${process.arch}/package.json`)), 'bin', 'node')
  } catch {
    return undefined
  }
}

if (isSupported(process.version)) {
  const { main } = await import(mainModule)
  process.exitCode = await main(process.argv.slice(2))
} else {
  const runtime = bundledNode()
  if (runtime === undefined) {
    console.error(
      `prover-mesh needs Node >= ${REQUIRED.join('.')} (this is ${process.version}): install Node 22 or newer, or run \`npm install\` in the project to get its bundled Node 22`,
    )
    process.exit(1)
  }
  const child = spawn(runtime, [mainModule, ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}
