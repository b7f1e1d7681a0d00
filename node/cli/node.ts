// `prover-mesh node start` and `prover-mesh node id`.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { join } from 'node:path'
import { ConfigError, CONFIG_KEYS, DEFAULT_CONFIG, envName, loadConfig, type NodeConfig } from '../config.ts'
import { createNode } from '../create-node.ts'
import { IdentityError, loadOrCreateIdentity } from '../identity.ts'
import { NodeStartError } from '../start-errors.ts'
import type { LoopHealth } from '../loop-health.ts'
import { CRASH_AT_ENV, CrashHookError, armCrashHook, parseCrashAt } from '../write-points.ts'
import { parseFlags, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

/** Flag name for each config key: tcpPort -> --tcp-port. */
const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

const configFlags = Object.fromEntries(CONFIG_KEYS.map((k) => [flagName(k), { type: 'string' as const }]))

const START_USAGE = `prover-mesh node start [--config FILE] ${CONFIG_KEYS.map((k) => `[--${flagName(k)} V]`).join(' ')}`

function describeDefaults(): string {
  return CONFIG_KEYS.map((k) => {
    const v = DEFAULT_CONFIG[k]
    return `  --${flagName(k).padEnd(10)} ${envName(k).padEnd(26)} default ${JSON.stringify(v)}`
  }).join('\n')
}

function configFrom(values: Record<string, string | boolean | undefined>): NodeConfig {
  const flags: Partial<Record<keyof NodeConfig, string>> = {}
  for (const key of CONFIG_KEYS) {
    const v = values[flagName(key)]
    if (typeof v === 'string') flags[key] = v
  }
  try {
    return loadConfig({ file: values.config as string | undefined, env: process.env, flags })
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message)
    throw error
  }
}

const start: Command = {
  path: ['node', 'start'],
  summary: 'run a mesh node (config: JSON file < PROVER_MESH_* env < flags)',
  usage: `${START_USAGE}\n\nlists are comma-separated; ports take 0 (any free port) or 'off' where optional.\n${describeDefaults()}`,
  async run(argv) {
    const { values } = parseFlags(argv, { config: { type: 'string' }, ...configFlags }, START_USAGE)
    const config = configFrom(values)
    armCrashHookFromEnv(config)
    let node
    try {
      const skew = config.clockSkewMs
      node = await createNode(config, {
        processMetrics: true,
        // Fault injection only (config.ts refuses it with real chain presets).
        ...(skew !== 0 && { clock: { now: () => Date.now() + skew } }),
      })
    } catch (error) {
      if (error instanceof IdentityError || error instanceof NodeStartError) throw new CliError(error.message)
      throw error
    }
    installProcessHandlers(node.loops)
    console.log(
      JSON.stringify({
        peerId: node.peerId.toString(),
        addrs: node.multiaddrs(),
        http: node.httpUrl ?? null,
      }),
    )
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve())
    })
    await node.stop()
    return 0
  },
}

/**
 * The process-level policy. A rejected promise nobody handled is a bug in one code path: logged
 * with its stack, counted, and the node keeps running (every write is atomic, so no state is half
 * written, and the loops it may have come from retry on their next beat). An uncaught exception
 * leaves the process in a state Node does not define: logged, counted, and the node exits (code 70)
 * for its supervisor to restart it, which resumes every task from the store.
 */
function installProcessHandlers(loops: LoopHealth): void {
  process.on('unhandledRejection', (reason) => loops.unhandled('unhandledRejection', reason))
  process.on('uncaughtException', (error) => {
    loops.unhandled('uncaughtException', error)
    process.exit(70)
  })
}

/**
 * The test-only crash hook (node/write-points.ts): exits right after a named write. Refused on a
 * real chain, where a node that kills itself on purpose would cost its operator real money.
 */
function armCrashHookFromEnv(config: NodeConfig): void {
  const value = process.env[CRASH_AT_ENV]
  if (value === undefined || value === '') return
  try {
    if (config.stakePreset !== 'local')
      throw new CrashHookError(
        `the crash hook is for tests on the local testnet only; refused with stakePreset '${config.stakePreset}'`,
      )
    armCrashHook(parseCrashAt(value))
  } catch (error) {
    if (error instanceof CrashHookError) throw new UsageError(error.message)
    throw error
  }
  console.error(`prover-mesh: TEST CRASH HOOK ARMED: this node exits right after write point ${value}`)
}

const ID_USAGE = 'prover-mesh node id [--data-dir DIR]'

const id: Command = {
  path: ['node', 'id'],
  summary: "print the node's PeerId, creating its identity key (0600) if there is none",
  usage: ID_USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, { 'data-dir': { type: 'string' } }, ID_USAGE)
    const dataDir = values['data-dir'] ?? process.env[envName('dataDir')] ?? DEFAULT_CONFIG.dataDir
    try {
      const path = join(dataDir, 'peer.key')
      const { key, created } = await loadOrCreateIdentity(path)
      if (created) console.error(`created ${path}`)
      console.log(peerIdFromPrivateKey(key).toString())
      return 0
    } catch (error) {
      if (error instanceof IdentityError) throw new CliError(error.message)
      throw error
    }
  },
}

export const nodeCommands: Command[] = [start, id]
