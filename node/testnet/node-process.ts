// One testnet node as a separate OS process (`prover-mesh node start --config FILE`), with the fault
// controls the testnet offers: kill, restart (same data dir, so the same PeerId; same ports when
// they are still free), pause/resume (SIGSTOP/SIGCONT). stderr (the node's JSON logs) is appended to
// the node's log file; stdout's first line is the node's `{"peerId","addrs","http"}` start report.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { NODE_PROCESS_FLAGS } from '../cli/node-flags.mjs'
import { CONFIG_KEYS, envName, type NodeConfig } from '../config.ts'
import { guardChild, isAlive, stopChild } from './children.ts'

const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url))

/** A node process did not start, or an operation on a node failed; names the node. */
export class TestnetNodeError extends Error {
  readonly index: number
  constructor(index: number, message: string) {
    super(`testnet node ${index}: ${message}`)
    this.name = 'TestnetNodeError'
    this.index = index
  }
}

export interface NodeStartReport {
  peerId: string
  addrs: string[]
  http: string
}

export interface NodeProcessOptions {
  index: number
  /** The node's folder: config.json, node.log, and its data dir live here. */
  dir: string
  configPath: string
  logPath: string
  /** Operator address the node sells for. */
  operator: string
  startTimeoutMs: number
  stopGraceMs: number
  onLog?: (index: number, line: string) => void
}

/**
 * The child's environment: ours minus every PROVER_MESH_* config variable, because the environment
 * overrides the config file (node/config.ts) and a stray PROVER_MESH_DATA_DIR in the parent's shell
 * would make every node share one data dir. PROVER_MESH_PROVER_LIB (not a config key) passes through.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const key of CONFIG_KEYS) delete env[envName(key)]
  return { ...env, ...extra }
}

/** TCP port of the first plain-TCP (not /ws) loopback address, or undefined. */
export function tcpPortOf(addrs: string[]): number | undefined {
  for (const a of addrs) {
    const m = /^\/ip4\/[\d.]+\/tcp\/(\d+)(\/p2p\/.*)?$/.exec(a)
    if (m) return Number(m[1])
  }
  return undefined
}

export function wsPortOf(addrs: string[]): number | undefined {
  for (const a of addrs) {
    const m = /^\/ip4\/[\d.]+\/tcp\/(\d+)\/ws(\/p2p\/.*)?$/.exec(a)
    if (m) return Number(m[1])
  }
  return undefined
}

/** The address other nodes and clients dial: plain TCP, with /p2p/<peer id>. */
export function dialAddr(report: NodeStartReport): string | undefined {
  const tcp = report.addrs.find((a) => /^\/ip4\/[\d.]+\/tcp\/\d+(\/p2p\/.*)?$/.test(a))
  if (tcp === undefined) return undefined
  return tcp.includes('/p2p/') ? tcp : `${tcp}/p2p/${report.peerId}`
}

export class NodeProcess {
  readonly index: number
  readonly dir: string
  readonly dataDir: string
  readonly configPath: string
  readonly logPath: string
  readonly operator: string
  #options: NodeProcessOptions
  #child: ChildProcess | undefined
  #report: NodeStartReport | undefined
  #paused = false

  constructor(options: NodeProcessOptions, dataDir: string) {
    this.#options = options
    this.index = options.index
    this.dir = options.dir
    this.dataDir = dataDir
    this.configPath = options.configPath
    this.logPath = options.logPath
    this.operator = options.operator
  }

  get peerId(): string {
    return this.#need().peerId
  }
  get addrs(): string[] {
    return this.#need().addrs
  }
  get http(): string {
    return this.#need().http
  }
  /** Plain-TCP multiaddr with /p2p/, what peers and light clients dial. */
  get addr(): string {
    const a = dialAddr(this.#need())
    if (a === undefined) throw new TestnetNodeError(this.index, 'reported no TCP address')
    return a
  }
  get pid(): number | undefined {
    return this.#child?.pid
  }
  /** The process is alive (paused or not). */
  get running(): boolean {
    return this.#child !== undefined && isAlive(this.#child)
  }
  get paused(): boolean {
    return this.running && this.#paused
  }

  #need(): NodeStartReport {
    if (this.#report === undefined) throw new TestnetNodeError(this.index, 'has not started yet')
    return this.#report
  }

  /**
   * Spawns the node and resolves with its start report; rejects (with the log's tail) if it exits
   * first. `env`: extra environment for this run only (a test's crash hook).
   */
  async start(env?: Record<string, string>): Promise<NodeStartReport> {
    if (this.running) throw new TestnetNodeError(this.index, 'is already running')
    const { index, startTimeoutMs } = this.#options
    const log = createWriteStream(this.logPath, { flags: 'a' })
    log.write(`${JSON.stringify({ testnet: 'spawn', at: new Date().toISOString() })}\n`)
    const child = spawn(
      process.execPath,
      [...NODE_PROCESS_FLAGS, BIN, 'node', 'start', '--config', this.configPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: childEnv(env),
      },
    )
    guardChild(child)
    this.#child = child
    this.#paused = false
    let tail = ''
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.write(`${line}\n`)
      tail = `${tail}${line}\n`.slice(-2000)
      this.#options.onLog?.(index, line)
    })
    child.once('exit', () => log.end())
    const lines = createInterface({ input: child.stdout! })
    try {
      const report = await new Promise<NodeStartReport>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new TestnetNodeError(index, `no start report within ${startTimeoutMs} ms`)),
          startTimeoutMs,
        )
        lines.once('line', (line) => {
          clearTimeout(timer)
          try {
            const parsed = JSON.parse(line) as Partial<NodeStartReport>
            if (
              typeof parsed.peerId !== 'string' ||
              !Array.isArray(parsed.addrs) ||
              typeof parsed.http !== 'string'
            )
              throw new Error('missing peerId, addrs or http')
            resolve(parsed as NodeStartReport)
          } catch (error) {
            reject(
              new TestnetNodeError(
                index,
                `bad start report ${JSON.stringify(line)}: ${(error as Error).message}`,
              ),
            )
          }
        })
        child.once('exit', (code, signal) => {
          clearTimeout(timer)
          // Give readline a moment to deliver stderr's last lines into `tail`.
          setTimeout(
            () =>
              reject(
                new TestnetNodeError(
                  index,
                  `exited before it started (code ${code}, signal ${signal}); log ${this.logPath}:\n${tail.trim().split('\n').slice(-5).join('\n')}`,
                ),
              ),
            50,
          )
        })
        child.once('error', (error) => {
          clearTimeout(timer)
          reject(new TestnetNodeError(index, `spawn failed: ${error.message}`))
        })
      })
      lines.on('line', () => undefined) // keep draining stdout
      this.#report = report
      return report
    } catch (error) {
      await stopChild(child, this.#options.stopGraceMs)
      throw error
    }
  }

  /** Sends `signal` (default SIGKILL: a crash) and waits for the process to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child
    if (child === undefined || !isAlive(child)) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    if (this.#paused) child.kill('SIGCONT')
    child.kill(signal)
    if (signal !== 'SIGKILL') {
      // A node that ignores a polite signal would make kill() hang: escalate after the grace period.
      const timer = setTimeout(() => child.kill('SIGKILL'), this.#options.stopGraceMs)
      await exited
      clearTimeout(timer)
    } else {
      await exited
    }
  }

  pause(): void {
    if (!this.running) throw new TestnetNodeError(this.index, 'is not running')
    this.#child!.kill('SIGSTOP')
    this.#paused = true
  }

  resume(): void {
    if (!this.running) throw new TestnetNodeError(this.index, 'is not running')
    this.#child!.kill('SIGCONT')
    this.#paused = false
  }

  /** Graceful stop: SIGTERM, SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (this.#child !== undefined) await stopChild(this.#child, this.#options.stopGraceMs)
    this.#paused = false
  }

  async readConfig(): Promise<Partial<NodeConfig>> {
    return JSON.parse(await readFile(this.configPath, 'utf8')) as Partial<NodeConfig>
  }

  async writeConfig(config: Partial<NodeConfig>): Promise<void> {
    await writeFile(this.configPath, `${JSON.stringify(config, null, 2)}\n`)
  }

  /** GET <http><path> as JSON, with a timeout (a paused node never answers). */
  async getJson(path: string, timeoutMs = 3000): Promise<unknown> {
    const response = await fetch(`${this.http}${path}`, { signal: AbortSignal.timeout(timeoutMs) })
    if (!response.ok) throw new TestnetNodeError(this.index, `GET ${path} answered ${response.status}`)
    return response.json()
  }
}
