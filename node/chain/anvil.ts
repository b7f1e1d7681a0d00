// Starts a real anvil as a child process and guarantees it is stopped: by `stop()`, when this process
// exits, and on SIGINT/SIGTERM/SIGHUP. The binary is resolved from the platform package that
// `@foundry-rs/anvil` pulls in as an optional dependency, so no npx/node wrapper process sits between
// us and anvil (a wrapper could outlive us and leave anvil orphaned).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface AnvilOptions {
  /** Chain id; 31337 (anvil's default) unless a test needs another one. */
  readonly chainId?: number
  /** Block gas limit; seeding 1000 operators in few transactions wants more than the 30M default. */
  readonly gasLimit?: bigint
  /** Milliseconds to wait for the first JSON-RPC answer. */
  readonly readyTimeoutMs?: number
  /** Extra raw arguments for anvil. */
  readonly args?: readonly string[]
}

export interface Anvil {
  readonly rpcUrl: string
  readonly port: number
  readonly pid: number
  /** SIGSTOP / SIGCONT: an RPC outage that keeps the chain's state (the socket stops answering). */
  pause(): void
  resume(): void
  /** Stops anvil and waits for it to exit. Safe to call more than once. */
  stop(): Promise<void>
}

const PLATFORM_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }

/**
 * Path of the anvil executable installed by `npm install`: first the platform package (an optional
 * dependency, no install script needed), then the binary that @foundry-rs/anvil's postinstall
 * downloads into its own folder when that package is missing and install scripts are allowed.
 */
export function anvilBinary(): string {
  const arch = PLATFORM_ARCH[process.arch]
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch ?? process.arch}`
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil'
  const require = createRequire(import.meta.url)
  for (const [base, sub] of [
    [pkg, ['bin', exe]],
    ['@foundry-rs/anvil', [exe]],
  ] as const) {
    try {
      const path = join(dirname(require.resolve(`${base}/package.json`)), ...sub)
      if (existsSync(path)) return path
    } catch {
      // Not installed: try the next place.
    }
  }
  throw new Error(
    `anvil binary not found: the optional dependency ${pkg} is missing (unsupported platform, npm install --omit=optional, ` +
      `or a lockfile made on another platform); run \`npm install-scripts approve @foundry-rs/anvil && npm rebuild @foundry-rs/anvil\` ` +
      'to let its postinstall download the binary',
  )
}

const live = new Set<ChildProcess>()
let hooksInstalled = false

/** Kills every live anvil synchronously; used from exit and signal handlers, where nothing async runs. */
function killAll(): void {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
}

function onSignal(signal: NodeJS.Signals): void {
  killAll()
  process.removeListener(signal, onSignal)
  // If nobody else handles this signal, our listener suppressed its default action: re-raise it so the
  // process still dies of it. If someone else listens (mocha, a node's graceful shutdown), they
  // already got this signal and own what happens next; re-raising would run them twice.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

function installHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal)
}

function uninstallHooks(): void {
  if (!hooksInstalled || live.size > 0) return
  hooksInstalled = false
  process.removeListener('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeListener(signal, onSignal)
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    })
    const body = (await response.json()) as { result?: string }
    return typeof body.result === 'string'
  } catch {
    return false
  }
}

export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const args = [
    '--host',
    '127.0.0.1',
    // Port 0: the kernel picks a free port and anvil prints it, so there is no pick-then-bind race.
    '--port',
    '0',
    '--chain-id',
    String(options.chainId ?? 31337),
    '--gas-limit',
    String(options.gasLimit ?? 1_000_000_000n),
    ...(options.args ?? []),
  ]
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  installHooks()
  live.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => {
    live.delete(child)
    uninstallHooks()
  })

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT') // a paused anvil cannot act on SIGTERM
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
  }

  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = ''
      const timer = setTimeout(
        () => reject(new Error(`anvil did not report its port within ${options.readyTimeoutMs ?? 20000} ms`)),
        options.readyTimeoutMs ?? 20000,
      )
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8')
        const match = /Listening on [\d.]+:(\d+)/.exec(output)
        if (match?.[1]) {
          clearTimeout(timer)
          child.stdout?.removeListener('data', onData)
          child.stdout?.resume() // keep draining so anvil never blocks on a full pipe
          resolve(Number(match[1]))
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
      child.once('error', (error) => reject(error))
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(
          new Error(
            `anvil exited before it was ready (code ${code}, signal ${signal}): ${output.slice(-500)}`,
          ),
        )
      })
    })
    const rpcUrl = `http://127.0.0.1:${port}`
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20000)
    while (!(await rpcAnswers(rpcUrl))) {
      if (Date.now() > deadline) throw new Error(`anvil at ${rpcUrl} did not answer JSON-RPC in time`)
      await new Promise((r) => setTimeout(r, 50))
    }
    return {
      rpcUrl,
      port,
      pid: child.pid ?? -1,
      pause: () => void child.kill('SIGSTOP'),
      resume: () => void child.kill('SIGCONT'),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
