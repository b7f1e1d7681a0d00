// Node configuration: documented defaults < JSON file < PROVER_MESH_* environment < CLI flags.
// Every source goes through the same per-key parser, so a bad value is reported with its key and
// where it came from.
import { readFileSync } from 'node:fs'
import type { Reserves } from '../auction/types.ts'
import { isValidNetworkName } from '../protocol/index.ts'
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './logger.ts'
import { STAKE_PRESET_NAMES, type StakePresetName } from './stake/preset-names.ts'

export const ROLES = ['gateway', 'prover'] as const
export type Role = (typeof ROLES)[number]

export interface NodeConfig {
  /** Holds peer.key, the peer store and the task store. */
  dataDir: string
  /** Mesh name in topic strings; nodes of different networks ignore each other's gossip. */
  network: string
  /** IP the libp2p listeners bind to. */
  host: string
  /** TCP listen port; 0 picks a free one. */
  tcpPort: number
  /** WebSocket listen port (browser clients); 0 picks a free one, null disables it. */
  wsPort: number | null
  /** Multiaddrs with /p2p/ ids, dialled at start and kept alive. */
  bootstrap: string[]
  roles: Role[]
  httpHost: string
  /** HTTP API port; 0 picks a free one, null disables the API. */
  httpPort: number | null
  logLevel: LogLevel
  /** 'json' (default: one JSON object per line, for log shippers) or 'pretty' (for a terminal). */
  logFormat: LogFormat
  /** Multiaddr CIDRs exempt from connection rate limits (notes/libp2p.md P4). */
  allow: string[]
  /** Below this many connections the node looks for more peers through the DHT; 0 disables. */
  minPeers: number
  /** JSON-RPC URL of the chain stake is read from; null: no stake oracle (see unstakedMarket). */
  stakeRpc: string | null
  /** Stake preset (node/stake/config.ts): addresses, strategies, minimum stake, capacity rule. */
  stakePreset: StakePresetName
  /** Our AVS address and operator set id; required with the hoodi and mainnet presets. */
  stakeAvs: string | null
  stakeOperatorSet: number | null
  /**
   * Asks and Seals on a node without stakeRpc: 'closed' (default) drops them, 'dev-open' accepts any
   * well-formed one (local development networks without a chain only).
   */
  unstakedMarket: 'closed' | 'dev-open'
  /** Epoch schedule of the DARA market (auction/epoch.ts): every node of a network must agree on it. */
  genesisMs: number
  epochMs: number
  /** Bids for an epoch are final this long after its window ends; must be below epochMs. */
  epochGraceMs: number
  /** This node's operator address (0x…): it may then sell (prover role) and seal. null: no market role. */
  operator: string | null
  /**
   * Without stakeRpc, the fixed operator set: `0xADDRESS=PEERID` entries. With stakeRpc the set is
   * read from the chain and the bindings instead, and this must stay empty.
   */
  operators: string[]
  /** Jobs this prover runs at once; it never asks for more units than it has free. */
  proverWorkers: number
  /** Cost per unit this prover asks (decimal integer, smallest currency unit). */
  proverCost: string
  /** 'real' proves with prover-ffi; 'sim' (scale studies only) sleeps simProveMs and returns no proof. */
  proverMode: 'real' | 'sim'
  simProveMs: number
  /**
   * Fault injection (tests, researchers): 'corrupt-proofs' delivers tampered proofs, 'withhold-proofs'
   * wins jobs and never delivers. 'none' in any real deployment.
   */
  proverFault: 'none' | 'corrupt-proofs' | 'withhold-proofs'
  /** Fault injection: as epoch leader, 'silent' seals nothing, 'wrong' seals a wrong result. */
  sealFault: 'none' | 'silent' | 'wrong' | 'equivocate'
  /**
   * Public reserves of every class (DARA.md): buyers below the floor and sellers above the ceiling
   * do not take part, and a buyer bid counts for at most the ceiling (auction/seal.ts buyerPriceCap).
   * Default floor = ceiling, a posted price (E4 of DARA.md): every job that trades pays exactly it
   * and every prover at or below it earns exactly it, surplus 0; a lone job and a lone prover clear.
   * A ceiling above the floor brings price discovery inside the band, at the cost of DARA's trade
   * reduction (the worst seller never trades, so a class then needs two asks to clear). Every node of
   * a network must use the same values (auction/README.md, "Reserves and what a client pays").
   */
  buyerFloor: string
  /** Decimal integer, or 'none' for no ceiling. */
  sellerCeiling: string
  /** A job not delivered this long after its seal was accepted returns to the pool. */
  jobTimeoutMs: number
  /**
   * Fault injection (testnets, the chaos soak): the node's clock reads this many ms ahead (negative:
   * behind) of the system clock. Refused with the hoodi and mainnet stake presets.
   */
  clockSkewMs: number
  /** Retention (node/store/retention.ts): a task is deleted this long after its deadline. */
  retainTasksMs: number
  /** A finished task's proofs, job states and demands are deleted this long after it ended. */
  retainProofsMs: number
}

export const DEFAULT_CONFIG: Readonly<NodeConfig> = {
  dataDir: './.prover-mesh',
  network: 'devnet',
  host: '127.0.0.1',
  tcpPort: 4001,
  wsPort: 4002,
  bootstrap: [],
  roles: ['gateway'],
  httpHost: '127.0.0.1',
  httpPort: 8080,
  logLevel: 'info',
  logFormat: 'json',
  allow: ['/ip4/127.0.0.1/ipcidr/32'],
  // gossipsub's D: enough connections for a full mesh (D_lo = 4) with a margin.
  minPeers: 6,
  stakeRpc: null,
  stakePreset: 'local',
  stakeAvs: null,
  stakeOperatorSet: null,
  unstakedMarket: 'closed',
  genesisMs: 0,
  epochMs: 2000,
  epochGraceMs: 250,
  operator: null,
  operators: [],
  proverWorkers: 1,
  proverCost: '1',
  proverMode: 'real',
  simProveMs: 500,
  proverFault: 'none',
  sealFault: 'none',
  buyerFloor: '1',
  sellerCeiling: '1',
  jobTimeoutMs: 30_000,
  clockSkewMs: 0,
  retainTasksMs: 30 * 86_400_000,
  retainProofsMs: 7 * 86_400_000,
}

/** The public reserves every class of the market uses, from the config (the same on every node). */
export function reservesOf(config: Pick<NodeConfig, 'buyerFloor' | 'sellerCeiling'>): Reserves {
  return {
    buyerFloor: BigInt(config.buyerFloor),
    sellerCeiling: config.sellerCeiling === 'none' ? null : BigInt(config.sellerCeiling),
  }
}

export class ConfigError extends Error {
  readonly key: string
  constructor(key: string, source: string, message: string) {
    super(`config ${key} (from ${source}): ${message}`)
    this.name = 'ConfigError'
    this.key = key
  }
}

type Raw = unknown
type Parser<K extends keyof NodeConfig> = (raw: Raw, source: string) => NodeConfig[K]

function port(key: string, nullable: boolean) {
  return (raw: Raw, source: string): number | null => {
    if (nullable && (raw === null || raw === 'off')) return null
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new ConfigError(
        key,
        source,
        `expected a port 0..65535${nullable ? " or 'off'" : ''}, got ${JSON.stringify(raw)}`,
      )
    }
    return n
  }
}

function int(key: string, min: number, max: number) {
  return (raw: Raw, source: string): number => {
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new ConfigError(key, source, `expected an integer ${min}..${max}, got ${JSON.stringify(raw)}`)
    }
    return n
  }
}

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/

function str(key: string, check?: (s: string) => boolean, what = 'a non-empty string') {
  return (raw: Raw, source: string): string => {
    if (typeof raw !== 'string' || raw === '' || (check && !check(raw))) {
      throw new ConfigError(key, source, `expected ${what}, got ${JSON.stringify(raw)}`)
    }
    return raw
  }
}

function list(key: string) {
  return (raw: Raw, source: string): string[] => {
    const items =
      typeof raw === 'string'
        ? raw
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : raw
    if (!Array.isArray(items) || !items.every((s) => typeof s === 'string')) {
      throw new ConfigError(key, source, `expected a list of strings, got ${JSON.stringify(raw)}`)
    }
    return items as string[]
  }
}

const PARSERS: { [K in keyof NodeConfig]: Parser<K> } = {
  dataDir: str('dataDir'),
  network: str('network', isValidNetworkName, 'lowercase letters, digits and dashes (max 32)'),
  host: str('host'),
  tcpPort: port('tcpPort', false) as Parser<'tcpPort'>,
  wsPort: port('wsPort', true),
  bootstrap: (raw, source) => {
    const items = list('bootstrap')(raw, source)
    for (const a of items)
      if (!a.includes('/p2p/')) throw new ConfigError('bootstrap', source, `'${a}' has no /p2p/<peer id>`)
    return items
  },
  roles: (raw, source) => {
    const items = list('roles')(raw, source)
    for (const r of items) {
      if (!(ROLES as readonly string[]).includes(r))
        throw new ConfigError('roles', source, `unknown role '${r}' (known: ${ROLES.join(', ')})`)
    }
    return items as Role[]
  },
  httpHost: str('httpHost'),
  httpPort: port('httpPort', true),
  logLevel: str(
    'logLevel',
    (s) => (LOG_LEVELS as readonly string[]).includes(s),
    `one of ${LOG_LEVELS.join(', ')}`,
  ) as Parser<'logLevel'>,
  logFormat: str(
    'logFormat',
    (s) => (LOG_FORMATS as readonly string[]).includes(s),
    `one of ${LOG_FORMATS.join(', ')}`,
  ) as Parser<'logFormat'>,
  allow: list('allow'),
  minPeers: (raw, source) => {
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1000) {
      throw new ConfigError('minPeers', source, `expected an integer 0..1000, got ${JSON.stringify(raw)}`)
    }
    return n
  },
  stakeRpc: (raw, source) => {
    if (raw === null || raw === 'off') return null
    // RPC URLs often carry an API key: never echo the value, only what is wrong with it.
    if (typeof raw !== 'string' || !/^(https?|wss?):\/\/\S+$/.test(raw)) {
      throw new ConfigError('stakeRpc', source, "expected an http(s):// or ws(s):// URL, or 'off'")
    }
    return raw
  },
  stakePreset: str(
    'stakePreset',
    (s) => (STAKE_PRESET_NAMES as readonly string[]).includes(s),
    `one of ${STAKE_PRESET_NAMES.join(', ')}`,
  ) as Parser<'stakePreset'>,
  stakeAvs: (raw, source) =>
    raw === null
      ? null
      : str('stakeAvs', (s) => /^0x[0-9a-fA-F]{40}$/.test(s), 'a 20-byte hex address')(raw, source),
  stakeOperatorSet: (raw, source) => {
    if (raw === null) return null
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) {
      throw new ConfigError('stakeOperatorSet', source, `expected a uint32, got ${JSON.stringify(raw)}`)
    }
    return n
  },
  unstakedMarket: str(
    'unstakedMarket',
    (s) => s === 'closed' || s === 'dev-open',
    "'closed' or 'dev-open'",
  ) as Parser<'unstakedMarket'>,
  genesisMs: int('genesisMs', 0, Number.MAX_SAFE_INTEGER),
  epochMs: int('epochMs', 100, 3_600_000),
  epochGraceMs: int('epochGraceMs', 0, 3_600_000),
  operator: (raw, source) =>
    raw === null || raw === 'off'
      ? null
      : str('operator', (s) => ADDRESS_RE.test(s), 'a 0x address')(raw, source),
  operators: (raw, source) => {
    const items = list('operators')(raw, source)
    for (const entry of items) {
      const [address, peerId, extra] = entry.split('=')
      if (address === undefined || !ADDRESS_RE.test(address) || !peerId || extra !== undefined)
        throw new ConfigError('operators', source, `'${entry}' is not 0xADDRESS=PEERID`)
    }
    return items
  },
  proverWorkers: int('proverWorkers', 1, 64),
  proverCost: str('proverCost', (s) => /^\d{1,30}$/.test(s), 'a decimal integer'),
  proverMode: str(
    'proverMode',
    (s) => s === 'real' || s === 'sim',
    "'real' or 'sim'",
  ) as Parser<'proverMode'>,
  simProveMs: int('simProveMs', 0, 3_600_000),
  proverFault: str(
    'proverFault',
    (s) => ['none', 'corrupt-proofs', 'withhold-proofs'].includes(s),
    "'none', 'corrupt-proofs' or 'withhold-proofs'",
  ) as Parser<'proverFault'>,
  sealFault: str(
    'sealFault',
    (s) => ['none', 'silent', 'wrong', 'equivocate'].includes(s),
    "'none', 'silent', 'wrong' or 'equivocate'",
  ) as Parser<'sealFault'>,
  buyerFloor: str('buyerFloor', (s) => /^\d{1,30}$/.test(s), 'a decimal integer'),
  sellerCeiling: str(
    'sellerCeiling',
    (s) => s === 'none' || /^\d{1,30}$/.test(s),
    "a decimal integer or 'none'",
  ),
  jobTimeoutMs: int('jobTimeoutMs', 100, 24 * 3_600_000),
  retainTasksMs: int('retainTasksMs', 1000, 10 * 365 * 86_400_000),
  retainProofsMs: int('retainProofsMs', 1000, 10 * 365 * 86_400_000),
  clockSkewMs: (raw, source) => {
    const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || Math.abs(n) > 60_000)
      throw new ConfigError(
        'clockSkewMs',
        source,
        `expected an integer -60000..60000, got ${JSON.stringify(raw)}`,
      )
    return n
  },
}

/** Environment variable for each key: dataDir -> PROVER_MESH_DATA_DIR. */
export function envName(key: keyof NodeConfig): string {
  return `PROVER_MESH_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}

export const CONFIG_KEYS = Object.keys(PARSERS) as (keyof NodeConfig)[]

function apply(config: NodeConfig, values: Record<string, Raw>, source: string): NodeConfig {
  const out: Record<string, unknown> = { ...config }
  for (const [key, raw] of Object.entries(values)) {
    if (!(key in PARSERS))
      throw new ConfigError(key, source, `unknown key (known: ${CONFIG_KEYS.join(', ')})`)
    out[key] = (PARSERS[key as keyof NodeConfig] as Parser<keyof NodeConfig>)(raw, source)
  }
  return out as unknown as NodeConfig
}

export interface ConfigSources {
  /** Path of a JSON config file. */
  file?: string
  env?: Record<string, string | undefined>
  /** Values from CLI flags, keyed like NodeConfig, as strings. */
  flags?: Partial<Record<keyof NodeConfig, string>>
}

export function loadConfig(sources: ConfigSources = {}): NodeConfig {
  let config: NodeConfig = { ...DEFAULT_CONFIG }
  if (sources.file !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(sources.file, 'utf8'))
    } catch (error) {
      throw new ConfigError('file', sources.file, (error as Error).message)
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError('file', sources.file, 'expected a JSON object')
    }
    config = apply(config, parsed as Record<string, Raw>, sources.file)
  }
  const env = sources.env ?? {}
  const fromEnv: Record<string, Raw> = {}
  for (const key of CONFIG_KEYS) {
    const value = env[envName(key)]
    if (value !== undefined) fromEnv[key] = value
  }
  config = apply(config, fromEnv, 'environment')
  const flags = Object.fromEntries(Object.entries(sources.flags ?? {}).filter(([, v]) => v !== undefined))
  return checkCombined(apply(config, flags, 'command line'))
}

/** Rules that involve two keys, checked once every source is applied. */
function checkCombined(config: NodeConfig): NodeConfig {
  if (config.epochGraceMs >= config.epochMs)
    throw new ConfigError('epochGraceMs', 'merged config', `must be below epochMs (${config.epochMs})`)
  if (config.stakeRpc !== null && config.operators.length > 0)
    throw new ConfigError('operators', 'merged config', 'must be empty with stakeRpc (the chain names them)')
  if (config.clockSkewMs !== 0 && (config.stakePreset === 'hoodi' || config.stakePreset === 'mainnet'))
    throw new ConfigError(
      'clockSkewMs',
      'merged config',
      `is fault injection: refused with the ${config.stakePreset} preset`,
    )
  if (config.roles.includes('prover') && config.operator === null)
    throw new ConfigError('operator', 'merged config', "the prover role needs this node's operator address")
  return config
}
