// A local testnet in one call: a real anvil with the EigenLayer stand-ins, N staked operators, and N
// mesh nodes, each a separate `prover-mesh node start` process with its own data dir, config file and
// log, every operator bound to its node's PeerId. Used by `prover-mesh testnet` and by fault tests.
//
// Layout of `dir`:
//   testnet.json            what is running (rpc url, genesis, nodes); also marks the dir as ours
//   keys/operator-<i>.key   operator i's private key, 0600 (anvil test keys: worthless elsewhere)
//   nodes/n<i>/             node i's data dir: peer.key, config.json, node.log, its stores
import { warmTsCache } from '../cli/ts-cache.mjs'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { bytesToHex, keccak256, numberToHex, type Hex } from 'viem'
import { privateKeyToAccount, type LocalAccount } from 'viem/accounts'
import { startAnvil, type Anvil } from '../chain/anvil.ts'
import { anvilAccount, deployStandIns, registerLocalOperator } from '../chain/deploy.ts'
import type { NodeConfig } from '../config.ts'
import { loadOrCreateIdentity } from '../identity.ts'
import type { LogLevel } from '../logger.ts'
import { encodeSignedBinding, signPeerBinding, type PeerPrivateKey } from '../stake/binding.ts'
import { resolveStakeConfig } from '../stake/config.ts'
import { NodeProcess, TestnetNodeError, tcpPortOf, wsPortOf } from './node-process.ts'

export { TestnetNodeError } from './node-process.ts'

/** Bad options or an unusable testnet dir; names the offending option. */
export class TestnetError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(`testnet ${field}: ${message}`)
    this.name = 'TestnetError'
    this.field = field
  }
}

export const MAX_TESTNET_NODES = 64
/** The file that marks a dir as a testnet's (and may therefore be wiped by the next testnet). */
export const TESTNET_MARKER = 'testnet.json'
/** Connections each node keeps at least (the peer keeper's target): small, a testnet is small. */
const TESTNET_MIN_PEERS = 4
/** Bootstrap list length on restart: enough live peers to rejoin through. */
const MAX_BOOTSTRAP = 8

export interface TestnetOptions {
  nodes: number
  dir: string
  epochMs?: number
  proverMode?: 'real' | 'sim'
  simProveMs?: number
  jobTimeoutMs?: number
  network?: string
  /** Nodes 0..gateways-1 get the gateway role (and prover); the rest are provers. Default 1. */
  gateways?: number
  logLevel?: LogLevel
  /** Per-node config overrides, applied last (after the testnet's own keys). */
  nodeConfig?: (index: number) => Partial<NodeConfig>
  /** Progress of the testnet itself (one human-readable line each). */
  onLog?: (message: string) => void
  /** Every stderr (JSON log) line of every node; they also go to nodes/n<i>/node.log. */
  onNodeLog?: (index: number, line: string) => void
  /** How long start waits for the mesh and the bindings (default 60 s). */
  readyTimeoutMs?: number
}

/** What a node's GET /status returns (the parts the testnet reads; the rest passes through). */
export interface NodeStatus {
  peerId: string
  connectedPeers: string[]
  bindings?: { operator: string; peerId: string }[]
  [key: string]: unknown
}

export interface TestnetNode {
  readonly index: number
  readonly peerId: string
  /** This node's operator (0x address), staked on the testnet chain and bound to peerId. */
  readonly operator: string
  /** HTTP API base URL. */
  readonly http: string
  readonly addrs: string[]
  /** Plain-TCP multiaddr with /p2p/: what peers and light clients dial. */
  readonly addr: string
  readonly roles: string[]
  readonly dataDir: string
  readonly logPath: string
  readonly pid: number | undefined
  readonly running: boolean
  readonly paused: boolean
  /** Sends `signal` (default SIGKILL, a crash) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>
  /**
   * Stops it if running, then starts it again: same data dir (PeerId), same ports if still free.
   * `env`: extra environment for this run only (e.g. a test's PROVER_MESH_CRASH_AT).
   */
  restart(options?: { env?: Record<string, string> }): Promise<void>
  pause(): void
  resume(): void
  /** Restarts the node with its clock `ms` ahead of the system clock (negative: behind; 0 undoes it). */
  skewClock(ms: number): Promise<void>
  status(timeoutMs?: number): Promise<NodeStatus>
  /** Resolves when /status lists at least `n` connected peers. */
  waitPeers(n: number, timeoutMs?: number): Promise<void>
}

export interface Testnet {
  readonly dir: string
  readonly rpcUrl: string
  /** Process id of the testnet's anvil. */
  readonly anvilPid: number
  readonly genesisMs: number
  readonly nodes: readonly TestnetNode[]
  /** TCP multiaddrs of the running gateway nodes. */
  gatewayAddrs(): string[]
  node(index: number): TestnetNode
  /** Resolves when every running node has its peers and knows every binding (start does this once). */
  waitReady(timeoutMs?: number): Promise<void>
  /** Stops every node (SIGTERM, SIGKILL after a grace period) and anvil. Safe to call twice. */
  stop(): Promise<void>
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Operator i: anvil accounts 1..9 (as `npm run chain` uses), beyond that keys derived from i. */
export function testnetOperatorKey(index: number): Hex {
  if (index < 9) {
    const key = anvilAccount(index + 1).getHdKey().privateKey
    if (!key) throw new Error('anvil account without a private key')
    return bytesToHex(key)
  }
  return keccak256(numberToHex(index + 1, { size: 32 }))
}

/** Creates `dir`, wiping it first only if it holds a previous testnet (its marker file). */
export async function prepareTestnetDir(dir: string): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    entries = []
  }
  if (entries.length > 0) {
    if (!entries.includes(TESTNET_MARKER))
      throw new TestnetError(
        'dir',
        `${dir} exists, is not empty and is not a testnet dir (no ${TESTNET_MARKER})`,
      )
    await rm(dir, { recursive: true, force: true })
  }
  await mkdir(dir, { recursive: true })
}

function checkOptions(o: TestnetOptions): void {
  const int = (value: number | undefined, field: string, min: number, max: number) => {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min || value > max))
      throw new TestnetError(field, `must be an integer ${min}..${max}, got ${value}`)
  }
  int(o.nodes, 'nodes', 1, MAX_TESTNET_NODES)
  int(o.gateways, 'gateways', 1, o.nodes)
  int(o.epochMs, 'epochMs', 100, 3_600_000)
  int(o.simProveMs, 'simProveMs', 0, 3_600_000)
  int(o.jobTimeoutMs, 'jobTimeoutMs', 100, 24 * 3_600_000)
  if (o.proverMode !== undefined && o.proverMode !== 'real' && o.proverMode !== 'sim')
    throw new TestnetError('proverMode', `must be 'real' or 'sim', got '${String(o.proverMode)}'`)
}

/** Builds the circuits once here, so N nodes do not all build them at once on first use. */
async function warmCircuits(log: (m: string) => void): Promise<void> {
  const { Prover } = await import('../../prover-ffi/index.ts')
  const prover = new Prover()
  for (const type of ['sum', 'hashchain'] as const) {
    const t0 = Date.now()
    log(`preparing the ${type} circuits (cached after the first build, which takes minutes)…`)
    await prover.verifierKey(type)
    log(`${type} circuits ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  }
}

async function signBinding(operator: LocalAccount, peerKey: PeerPrivateKey): Promise<string> {
  const config = resolveStakeConfig('local')
  const nowSec = Math.floor(Date.now() / 1000)
  const signed = await signPeerBinding({
    binding: {
      operator: operator.address,
      peerId: peerIdFromPrivateKey(peerKey).toString(),
      avs: config.avs,
      operatorSetId: config.operatorSetId,
      nonce: BigInt(nowSec),
      issuedAt: BigInt(nowSec),
      expiry: BigInt(nowSec + 7 * 86_400),
    },
    chainId: config.chainId,
    operator,
    peerKey,
  })
  return encodeSignedBinding(signed)
}

/** POST /bindings; 'stored'/'duplicate', or throws with the node's answer. */
async function postBinding(http: string, binding: string): Promise<string> {
  const response = await fetch(`${http}/bindings`, {
    method: 'POST',
    body: binding,
    signal: AbortSignal.timeout(5000),
  })
  const body = (await response.json()) as { result?: string; error?: string }
  if (!response.ok) throw new Error(`POST ${http}/bindings: ${response.status} ${body.error ?? ''}`)
  return body.result ?? ''
}

class Member implements TestnetNode {
  readonly proc: NodeProcess
  readonly roles: string[]
  readonly binding: string
  readonly #net: TestnetImpl
  constructor(proc: NodeProcess, roles: string[], binding: string, net: TestnetImpl) {
    this.proc = proc
    this.roles = roles
    this.binding = binding
    this.#net = net
  }
  get index() {
    return this.proc.index
  }
  get peerId() {
    return this.proc.peerId
  }
  get operator() {
    return this.proc.operator
  }
  get http() {
    return this.proc.http
  }
  get addrs() {
    return this.proc.addrs
  }
  get addr() {
    return this.proc.addr
  }
  get dataDir() {
    return this.proc.dataDir
  }
  get logPath() {
    return this.proc.logPath
  }
  get pid() {
    return this.proc.pid
  }
  get running() {
    return this.proc.running
  }
  get paused() {
    return this.proc.paused
  }
  kill(signal?: NodeJS.Signals) {
    return this.proc.kill(signal)
  }
  pause() {
    this.proc.pause()
  }
  resume() {
    this.proc.resume()
  }
  restart(options?: { env?: Record<string, string> }) {
    return this.#net.restart(this, options?.env)
  }
  async skewClock(ms: number) {
    await this.proc.writeConfig({ ...(await this.proc.readConfig()), clockSkewMs: ms })
    await this.#net.restart(this)
  }
  async status(timeoutMs = 3000): Promise<NodeStatus> {
    return (await this.proc.getJson('/status', timeoutMs)) as NodeStatus
  }
  async waitPeers(n: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const seen = await this.status().then(
        (s) => s.connectedPeers.length,
        () => -1,
      )
      if (seen >= n) return
      if (Date.now() > deadline)
        throw new TestnetNodeError(
          this.index,
          `has ${seen} connected peers after ${timeoutMs} ms, wanted ${n}`,
        )
      await delay(250)
    }
  }
}

class TestnetImpl implements Testnet {
  readonly dir: string
  readonly rpcUrl: string
  readonly anvilPid: number
  readonly genesisMs: number
  readonly members: Member[] = []
  readonly #anvil: Anvil
  readonly #log: (m: string) => void
  #stopping: Promise<void> | undefined

  constructor(dir: string, anvil: Anvil, genesisMs: number, log: (m: string) => void) {
    this.dir = dir
    this.#anvil = anvil
    this.rpcUrl = anvil.rpcUrl
    this.anvilPid = anvil.pid
    this.genesisMs = genesisMs
    this.#log = log
  }

  get nodes(): readonly TestnetNode[] {
    return this.members
  }

  node(index: number): TestnetNode {
    const m = this.members[index]
    if (m === undefined || !Number.isInteger(index))
      throw new TestnetError(
        'index',
        `no node ${index} (this testnet has nodes 0..${this.members.length - 1})`,
      )
    return m
  }

  gatewayAddrs(): string[] {
    return this.members.filter((m) => m.running && m.roles.includes('gateway')).map((m) => m.addr)
  }

  /** Peers each node must see before the testnet counts as formed. */
  requiredPeers(): number {
    return Math.min(this.members.length - 1, TESTNET_MIN_PEERS)
  }

  async restart(member: Member, env?: Record<string, string>): Promise<void> {
    if (member.running) await member.proc.stop()
    const config = await member.proc.readConfig()
    // Bootstrap through whoever is up now, so the node rejoins even if node 0 is the one restarted.
    const others = this.members.filter((m) => m !== member && m.running && !m.paused)
    config.bootstrap = others.slice(0, MAX_BOOTSTRAP).map((m) => m.addr)
    await member.proc.writeConfig(config)
    try {
      await member.proc.start(env)
    } catch (error) {
      const log = await readFile(member.logPath, 'utf8').catch(() => '')
      if (!/EADDRINUSE/.test(log.slice(-4000))) throw error
      // Someone took a port meanwhile: take fresh ones (peers re-learn them through identify).
      this.#log(`node ${member.index}: its ports are taken; restarting on fresh ports`)
      await member.proc.writeConfig({ ...config, tcpPort: 0, wsPort: 0, httpPort: 0 })
      await member.proc.start(env)
    }
    await this.#pinPorts(member)
    await this.writeMarker()
  }

  /** Writes the ports a node got into its config, so a restart binds the same ones. */
  async #pinPorts(member: Member): Promise<void> {
    const config = await member.proc.readConfig()
    const tcp = tcpPortOf(member.addrs)
    const ws = wsPortOf(member.addrs)
    if (tcp !== undefined) config.tcpPort = tcp
    if (ws !== undefined && config.wsPort !== null) config.wsPort = ws
    config.httpPort = Number(new URL(member.http).port)
    await member.proc.writeConfig(config)
  }

  async startAll(): Promise<void> {
    // Node 0 first: the others bootstrap through it, then start side by side.
    const [first, ...rest] = this.members
    if (first === undefined) return
    await first.proc.start()
    await this.#pinPorts(first)
    for (const m of rest) {
      const config = await m.proc.readConfig()
      config.bootstrap = [first.addr]
      await m.proc.writeConfig(config)
    }
    await Promise.all(
      rest.map(async (m) => {
        await m.proc.start()
        await this.#pinPorts(m)
      }),
    )
    for (const m of this.members) this.#log(`node ${m.index} up: ${m.peerId} ${m.http}`)
  }

  async writeMarker(): Promise<void> {
    const nodes = this.members.map((m) => ({
      index: m.index,
      peerId: m.running ? m.peerId : undefined,
      operator: m.operator,
      roles: m.roles,
      http: m.running ? m.http : undefined,
      addr: m.running ? m.addr : undefined,
      pid: m.pid,
      dataDir: m.dataDir,
      log: m.logPath,
    }))
    await writeFile(
      join(this.dir, TESTNET_MARKER),
      `${JSON.stringify({ rpcUrl: this.rpcUrl, genesisMs: this.genesisMs, parentPid: process.pid, nodes }, null, 2)}\n`,
    )
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    const need = this.requiredPeers()
    let lastRepost = Date.now()
    for (;;) {
      const missing: string[] = []
      const live = this.members.filter((m) => m.running && !m.paused)
      const statuses = await Promise.all(live.map((m) => m.status().catch(() => undefined)))
      const reposts: Promise<unknown>[] = []
      const repost = Date.now() - lastRepost > 3000
      for (const [i, m] of live.entries()) {
        const s = statuses[i]
        if (s === undefined) {
          missing.push(`node ${m.index}: /status did not answer`)
          continue
        }
        if (s.connectedPeers.length < need)
          missing.push(`node ${m.index}: ${s.connectedPeers.length}/${need} peers`)
        const known = new Set((s.bindings ?? []).map((b) => `${b.operator.toLowerCase()}=${b.peerId}`))
        const lacking = this.members.filter((o) => !known.has(`${o.operator.toLowerCase()}=${o.peerId}`))
        if (lacking.length > 0) {
          missing.push(`node ${m.index}: lacks bindings of ${lacking.map((o) => o.index).join(',')}`)
          // Gossip may have missed it (published before the mesh had formed): hand it over directly.
          if (repost)
            for (const o of lacking) reposts.push(postBinding(m.http, o.binding).catch(() => undefined))
        }
      }
      if (missing.length === 0) return
      if (repost) {
        lastRepost = Date.now()
        await Promise.all(reposts)
      }
      if (Date.now() > deadline)
        throw new TestnetError('ready', `mesh not formed after ${timeoutMs} ms: ${missing.join('; ')}`)
      await delay(250)
    }
  }

  async publishBindings(): Promise<void> {
    for (const m of this.members) {
      // Right after start gossipsub may not know its peers' subscriptions yet and the publish fails
      // (the binding is stored anyway): retry briefly; waitReady hands over whatever is still missing.
      for (let attempt = 0; ; attempt++) {
        try {
          await postBinding(m.http, m.binding)
          break
        } catch (error) {
          if (attempt >= 8) {
            this.#log(
              `node ${m.index}: publishing its binding failed (${(error as Error).message}); will hand it over`,
            )
            break
          }
          await delay(500)
        }
      }
    }
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.allSettled(this.members.map((m) => m.proc.stop()))
      await this.#anvil.stop()
    })()
    return this.#stopping
  }
}

export async function startTestnet(options: TestnetOptions): Promise<Testnet> {
  checkOptions(options)
  const log = options.onLog ?? (() => undefined)
  const dir = resolve(options.dir)
  const n = options.nodes
  const gateways = options.gateways ?? 1
  const epochMs = options.epochMs ?? 1000
  const proverMode = options.proverMode ?? 'real'
  await prepareTestnetDir(dir)
  // Stripped once here rather than by every node process as it starts (node/cli/ts-cache.mjs).
  warmTsCache()
  if (proverMode === 'real') await warmCircuits(log)

  log('starting anvil and deploying the EigenLayer stand-ins and our AVS contracts…')
  const anvil = await startAnvil()
  let net: TestnetImpl | undefined
  try {
    const deployment = await deployStandIns(anvil.rpcUrl)
    const accounts = Array.from({ length: n }, (_, i) => privateKeyToAccount(testnetOperatorKey(i)))
    log(
      `chain ${anvil.rpcUrl}: AVS ${deployment.avs}, registrar ${deployment.ours.registrar}, escrow ${deployment.ours.escrow}, slasher ${deployment.ours.slasher}`,
    )
    const keysDir = join(dir, 'keys')
    await mkdir(keysDir, { recursive: true, mode: 0o700 })
    for (let i = 0; i < n; i++)
      await writeFile(join(keysDir, `operator-${i}.key`), `${testnetOperatorKey(i)}\n`, { mode: 0o600 })
    await chmod(keysDir, 0o700)

    // One genesis for everyone, fixed now: every node of a network must agree on the epoch schedule.
    const genesisMs = Date.now()
    net = new TestnetImpl(dir, anvil, genesisMs, log)
    for (let i = 0; i < n; i++) {
      const nodeDir = join(dir, 'nodes', `n${i}`)
      const { key } = await loadOrCreateIdentity(join(nodeDir, 'peer.key'))
      const roles = i < gateways ? ['gateway', 'prover'] : ['prover']
      const operator = accounts[i]!
      // Joins our set through the real flow; the registrar then holds its peer id on chain.
      await registerLocalOperator(anvil.rpcUrl, deployment, operator, key as PeerPrivateKey)
      const config: Partial<NodeConfig> = {
        dataDir: nodeDir,
        network: options.network ?? 'testnet',
        host: '127.0.0.1',
        tcpPort: 0,
        wsPort: 0,
        httpHost: '127.0.0.1',
        httpPort: 0,
        bootstrap: [],
        roles: roles as NodeConfig['roles'],
        logLevel: options.logLevel ?? 'info',
        minPeers: Math.min(n - 1, TESTNET_MIN_PEERS),
        operator: operator.address,
        stakeRpc: anvil.rpcUrl,
        stakePreset: 'local',
        genesisMs,
        epochMs,
        epochGraceMs: Math.floor(epochMs / 5),
        proverMode,
        ...(options.simProveMs !== undefined && { simProveMs: options.simProveMs }),
        ...(options.jobTimeoutMs !== undefined && { jobTimeoutMs: options.jobTimeoutMs }),
        ...options.nodeConfig?.(i),
      }
      const proc = new NodeProcess(
        {
          index: i,
          dir: nodeDir,
          configPath: join(nodeDir, 'config.json'),
          logPath: join(nodeDir, 'node.log'),
          operator: operator.address,
          startTimeoutMs: 60_000,
          stopGraceMs: 5000,
          onLog: options.onNodeLog,
        },
        nodeDir,
      )
      await proc.writeConfig(config)
      net.members.push(new Member(proc, roles, await signBinding(operator, key as PeerPrivateKey), net))
    }
    log(`${n} operators registered through the registrar, with their peer ids on chain`)
    await net.writeMarker()
    log(`starting ${n} nodes…`)
    await net.startAll()
    await net.writeMarker()
    log('waiting for the mesh to form and every binding to spread…')
    await Promise.all(
      net.members.map((m) => m.waitPeers(Math.min(1, n - 1), options.readyTimeoutMs ?? 60_000)),
    )
    await net.publishBindings()
    await net.waitReady(options.readyTimeoutMs ?? 60_000)
    log('testnet ready')
    return net
  } catch (error) {
    if (net) await net.stop()
    else await anvil.stop()
    throw error
  }
}
