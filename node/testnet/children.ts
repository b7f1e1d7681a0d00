// Bookkeeping that guarantees no node process outlives the testnet parent. Every child is registered
// here while it lives: on SIGINT/SIGTERM/SIGHUP the children are woken (SIGCONT, a paused process
// cannot act on SIGTERM) and asked to stop (SIGTERM, their graceful shutdown); on process 'exit',
// where nothing asynchronous can run any more, whatever is still alive is SIGKILLed.
// Same pattern as node/chain/anvil.ts, which guards anvil the same way.
import type { ChildProcess } from 'node:child_process'

const live = new Set<ChildProcess>()
let hooksInstalled = false

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

function killAll(): void {
  for (const child of live) {
    child.kill('SIGCONT')
    child.kill('SIGKILL')
  }
  live.clear()
}

function onSignal(signal: NodeJS.Signals): void {
  for (const child of live) {
    child.kill('SIGCONT')
    child.kill('SIGTERM')
  }
  process.removeListener(signal, onSignal)
  // Nobody else listens (a plain script): our listener suppressed the default action, so re-raise it
  // and the process dies of it; 'exit' then SIGKILLs any child that has not stopped yet. If someone
  // else listens (the testnet CLI, mocha), they own the shutdown and will call Testnet.stop().
  if (process.listenerCount(signal) === 0) {
    killAll()
    process.kill(process.pid, signal)
  }
}

function installHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', killAll)
  for (const signal of SIGNALS) process.on(signal, onSignal)
}

function uninstallHooks(): void {
  if (!hooksInstalled || live.size > 0) return
  hooksInstalled = false
  process.removeListener('exit', killAll)
  for (const signal of SIGNALS) process.removeListener(signal, onSignal)
}

/** Registers a freshly spawned child; it is forgotten (and the hooks dropped with the last one) on exit. */
export function guardChild(child: ChildProcess): void {
  installHooks()
  live.add(child)
  child.once('exit', () => {
    live.delete(child)
    uninstallHooks()
  })
}

export function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

/**
 * Stops a child: SIGCONT (it may be paused), SIGTERM, then SIGKILL after `graceMs`. Resolves once it
 * has exited.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!isAlive(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGCONT')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
