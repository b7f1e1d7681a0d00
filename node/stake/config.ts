// Stake oracle configuration and the presets for the chains we run on. EigenLayer core addresses come
// from shared notes/eigenlayer.md §3 (EigenLayer README, mainnet v1.12.0, Hoodi v1.9.0-rc.0); the read
// interface is identical across both versions. Our own AVS address and operator-set id are not
// deployed on public chains yet, so those presets leave them unset and resolveStakeConfig demands them.
import { getAddress, isAddress, type Address } from 'viem'
import type { CapacityRule } from './capacity.ts'
import type { StakePresetName } from './preset-names.ts'
import { StakeConfigError } from './errors.ts'

/** Beacon-chain ETH pseudo-strategy: no code at this address, 1 share = 1 wei. */
export const BEACON_CHAIN_ETH_STRATEGY: Address = '0xbeaC0eeEeeeeEEeEeEEEEeeEEeEeeeEeeEEBEaC0'

export interface StrategyWeight {
  readonly address: Address
  /** Weight in basis points (10 000 = 1x), as the middleware's StrategyParams.multiplier. */
  readonly multiplierBps: number
}

export type MulticallMode = { readonly deployless: true } | { readonly address: Address }

export interface StakeConfig extends CapacityRule {
  readonly chainId: number
  readonly delegationManager: Address
  readonly allocationManager: Address
  readonly avs: Address
  readonly operatorSetId: number
  readonly strategies: readonly StrategyWeight[]
  /** futureBlock = pinned block + lookaheadBlocks: how long a claimed job keeps the operator accountable. */
  readonly lookaheadBlocks: number
  /** Blocks behind the head to read at, so a shallow reorg cannot feed us state that disappears. */
  readonly confirmations: number
  /** Deployless works on any chain (anvil has no Multicall3); public chains use their Multicall3. */
  readonly multicall: MulticallMode
  /** Calldata bytes per eth_call inside one multicall (stays under providers' eth_call limits). */
  readonly multicallBytes: number
  /** How often the oracle looks for new blocks and events. */
  readonly pollIntervalMs: number
  /** Safety net: full re-read at least this often even if no event was seen. */
  readonly resyncIntervalMs: number
  /** After this long without a successful read, no seller is accepted (fail closed). */
  readonly maxStalenessMs: number
  /** Above this many blocks of log backlog, re-read everything instead of scanning logs. */
  readonly maxLogRange: number
}

export type { StakePresetName } from './preset-names.ts'

const ether = 10n ** 18n

const common = {
  minimumStake: 32n * ether,
  stakePerUnit: 1n * ether,
  maxUnitsPerOperator: 1000,
  // ~62 getAllocation calls per eth_call: their results (~14 KiB) stay under the 24 KiB that a
  // deployless multicall can return (it returns results as contract code, capped by EIP-170).
  multicallBytes: 8192,
  maxLogRange: 5000,
} as const

/**
 * Local chain: the addresses node/chain/deploy.ts gets on a fresh anvil (first CREATEs of anvil
 * account 0; test/stake/chain.test.ts checks they match). The AVS is our service manager contract;
 * the treasury is anvil account 9.
 */
export const LOCAL_DEPLOYMENT = {
  strategy: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  delegationManager: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  allocationManager: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
  permissionController: '0x75537828f2ce51be7289709686A69CbFDbB714F1',
  token: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
  avs: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
  registrar: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
  escrow: '0x0165878A594ca255338adfa4d48449f69242Eb8F',
  slasher: '0xa513E6E4b8f2a923D98304ec87F64353C4D5C853',
  treasury: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
  operatorSetId: 1,
} as const satisfies Record<string, Address | number>

export const STAKE_PRESETS: Record<StakePresetName, Partial<StakeConfig>> = {
  local: {
    ...common,
    chainId: 31337,
    delegationManager: LOCAL_DEPLOYMENT.delegationManager,
    allocationManager: LOCAL_DEPLOYMENT.allocationManager,
    avs: LOCAL_DEPLOYMENT.avs,
    operatorSetId: LOCAL_DEPLOYMENT.operatorSetId,
    strategies: [
      { address: BEACON_CHAIN_ETH_STRATEGY, multiplierBps: 10_000 },
      { address: LOCAL_DEPLOYMENT.strategy, multiplierBps: 10_000 },
    ],
    lookaheadBlocks: 10,
    confirmations: 0,
    multicall: { deployless: true },
    pollIntervalMs: 500,
    resyncIntervalMs: 30_000,
    maxStalenessMs: 10_000,
  },
  hoodi: {
    ...common,
    chainId: 560048,
    delegationManager: '0x867837a9722C512e0862d8c2E15b8bE220E8b87d',
    allocationManager: '0x95a7431400F362F3647a69535C5666cA0133CAA0',
    strategies: [{ address: BEACON_CHAIN_ETH_STRATEGY, multiplierBps: 10_000 }],
    // Testnet DEALLOCATION_DELAY is 50 blocks; the lookahead must stay below it.
    lookaheadBlocks: 25,
    confirmations: 2,
    multicall: { address: '0xcA11bde05977b3631167028862bE2a173976CA11' },
    pollIntervalMs: 12_000,
    resyncIntervalMs: 10 * 60_000,
    maxStalenessMs: 5 * 60_000,
  },
  mainnet: {
    ...common,
    chainId: 1,
    delegationManager: '0x39053D51B77DC0d36036Fc1fCc8Cb819df8Ef37A',
    allocationManager: '0x948a420b8CC1d6BFd0B6087C2E7c344a2CD0bc39',
    strategies: [
      { address: BEACON_CHAIN_ETH_STRATEGY, multiplierBps: 10_000 },
      { address: '0x93c4b944D05dfe6df7645A86cd2206016c51564D', multiplierBps: 10_000 }, // stETH
      { address: '0x1BeE69b7dFFfA4E2d53C2a2Df135C388AD25dCD2', multiplierBps: 10_000 }, // rETH
      { address: '0x54945180dB7943c0ed0FEE7EdaB2Bd24620256bc', multiplierBps: 10_000 }, // cbETH
    ],
    // 300 blocks = 1 hour of accountability, far below the 100 800-block DEALLOCATION_DELAY.
    lookaheadBlocks: 300,
    confirmations: 3,
    multicall: { address: '0xcA11bde05977b3631167028862bE2a173976CA11' },
    pollIntervalMs: 12_000,
    resyncIntervalMs: 10 * 60_000,
    maxStalenessMs: 5 * 60_000,
  },
}

function address(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new StakeConfigError(field, `must be a 20-byte hex address, got ${JSON.stringify(value)}`)
  }
  return getAddress(value)
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new StakeConfigError(field, `must be an integer in [${min}, ${max}], got ${String(value)}`)
  }
  return value
}

function positiveBigint(value: unknown, field: string, allowZero = false): bigint {
  if (typeof value !== 'bigint' || value < 0n || (!allowZero && value === 0n)) {
    throw new StakeConfigError(
      field,
      `must be a ${allowZero ? 'non-negative' : 'positive'} bigint, got ${String(value)}`,
    )
  }
  return value
}

/** Merges a preset with overrides and validates every field, naming the first bad one. */
export function resolveStakeConfig(
  preset: StakePresetName,
  overrides: Partial<StakeConfig> = {},
): StakeConfig {
  const base = STAKE_PRESETS[preset]
  if (!base) throw new StakeConfigError('preset', `must be one of ${Object.keys(STAKE_PRESETS).join(', ')}`)
  const c = { ...base, ...overrides }
  const strategies = c.strategies
  if (!Array.isArray(strategies) || strategies.length === 0) {
    throw new StakeConfigError('strategies', 'must list at least one strategy')
  }
  const multicall = c.multicall
  return {
    chainId: integer(c.chainId, 'chainId', 1),
    delegationManager: address(c.delegationManager, 'delegationManager'),
    allocationManager: address(c.allocationManager, 'allocationManager'),
    avs: address(c.avs, 'avs'),
    operatorSetId: integer(c.operatorSetId, 'operatorSetId', 0, 2 ** 32 - 1),
    strategies: strategies.map((s, i) => ({
      address: address(s.address, `strategies[${i}].address`),
      multiplierBps: integer(s.multiplierBps, `strategies[${i}].multiplierBps`, 1),
    })),
    minimumStake: positiveBigint(c.minimumStake, 'minimumStake', true),
    stakePerUnit: positiveBigint(c.stakePerUnit, 'stakePerUnit'),
    maxUnitsPerOperator: integer(c.maxUnitsPerOperator, 'maxUnitsPerOperator', 1),
    lookaheadBlocks: integer(c.lookaheadBlocks, 'lookaheadBlocks', 1),
    confirmations: integer(c.confirmations, 'confirmations', 0),
    multicall:
      multicall && 'address' in multicall
        ? { address: address(multicall.address, 'multicall.address') }
        : { deployless: true },
    multicallBytes: integer(c.multicallBytes, 'multicallBytes', 0),
    pollIntervalMs: integer(c.pollIntervalMs, 'pollIntervalMs', 1),
    resyncIntervalMs: integer(c.resyncIntervalMs, 'resyncIntervalMs', 1),
    maxStalenessMs: integer(c.maxStalenessMs, 'maxStalenessMs', 0),
    maxLogRange: integer(c.maxLogRange, 'maxLogRange', 1),
  }
}
