// The stake subsystem as a node runs it: one viem client shared by the oracle and the binding
// registry, bindings in level under the node's data dir, the oracle polling while the node runs, and
// the gossip gate on top. Also exports the oracle's numbers and the stored-binding count to /metrics.
import { Gauge, type Registry } from 'prom-client'
import { join } from 'node:path'
import { getAddress, type Address } from 'viem'
import { validatePeerBindingFrame } from '../../protocol/binding.ts'
import type { Logger } from '../logger.ts'
import { createSellerAdmission, type SellerAdmission } from './admission.ts'
import { bindingPolicy } from './binding.ts'
import { createStakeClient } from './client.ts'
import { resolveStakeConfig, type StakeConfig, type StakePresetName } from './config.ts'
import { GossipRefusal, createStakeGate, unstakedGate, type StakeGate } from './gossip-gate.ts'
import { StakeOracle } from './oracle.ts'
import { BindingRegistry, type AcceptResult } from './registry.ts'

export interface NodeStakeOptions {
  readonly rpcUrl: string
  readonly preset: StakePresetName
  /** Our AVS and operator set; required by the hoodi and mainnet presets, optional for local. */
  readonly avs?: Address
  readonly operatorSetId?: number
  /** Level directory of the binding registry. */
  readonly bindingDir: string
  readonly now: () => number
  readonly logger: Logger
  /** The node's metrics registry. */
  readonly metrics?: Registry
}

export interface NodeStake {
  readonly config: StakeConfig
  readonly oracle: StakeOracle
  readonly registry: BindingRegistry
  readonly admission: SellerAdmission
  readonly gate: StakeGate
  stop(): Promise<void>
}

export async function startNodeStake(options: NodeStakeOptions): Promise<NodeStake> {
  const overrides: Partial<StakeConfig> = {}
  if (options.avs !== undefined) Object.assign(overrides, { avs: options.avs })
  if (options.operatorSetId !== undefined) Object.assign(overrides, { operatorSetId: options.operatorSetId })
  const config = resolveStakeConfig(options.preset, overrides)
  const client = createStakeClient(options.rpcUrl)
  const log = options.logger
  const oracle = new StakeOracle({
    client,
    config,
    now: options.now,
    // The oracle never logs the RPC URL or keys; its fields pass through as structured log fields.
    logger: { info: (m, f) => log.info(f ?? {}, m), warn: (m, f) => log.warn(f ?? {}, m) },
  })
  const registry = await BindingRegistry.open(options.bindingDir, bindingPolicy(config), client)
  const admission = createSellerAdmission({ registry, oracle })
  const gate = createStakeGate({ registry, oracle, admission })
  if (options.metrics) registerStakeMetrics(options.metrics, oracle)
  // One read before gossip starts, so a reachable chain gives a snapshot before the first Ask or binding
  // sync is judged. poll() never throws: with the chain down the node starts and fails closed.
  await oracle.poll()
  oracle.start()
  return {
    config,
    oracle,
    registry,
    admission,
    gate,
    async stop() {
      oracle.stop()
      await registry.close()
    },
  }
}

function registerStakeMetrics(registry: Registry, oracle: StakeOracle): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read())
      },
    })
  const m = oracle.metrics
  gauge('prover_mesh_stake_refreshes', 'Successful full reads of the operator set', () => m.refreshes)
  gauge('prover_mesh_stake_refresh_failures', 'Failed stake reads (refresh or poll)', () => m.refreshFailures)
  gauge(
    'prover_mesh_stake_stale_rejections',
    'Admission checks refused because the stake snapshot was too old (fail closed)',
    () => m.staleRejections,
  )
  gauge('prover_mesh_stake_snapshot_block', 'Block of the current stake snapshot', () => m.snapshotBlock)
  gauge(
    'prover_mesh_stake_snapshot_operators',
    'Operators in the current stake snapshot',
    () => m.snapshotOperators,
  )
}

/** What a node's gossip gets from its config: the stake subsystem, or the no-oracle gate. */
export async function stakeForNode(
  config: {
    readonly dataDir: string
    readonly stakeRpc: string | null
    readonly stakePreset: StakePresetName
    readonly stakeAvs: string | null
    readonly stakeOperatorSet: number | null
    readonly unstakedMarket: 'closed' | 'dev-open'
  },
  deps: { readonly now: () => number; readonly logger: Logger; readonly metrics: Registry },
): Promise<{ gate: StakeGate; stake: NodeStake | undefined }> {
  if (config.stakeRpc === null) {
    if (config.unstakedMarket === 'dev-open') {
      deps.logger.warn('no stake oracle and unstakedMarket=dev-open: accepting Asks and Seals from anyone')
    }
    return {
      gate: unstakedGate(config.unstakedMarket === 'dev-open' ? 'dev-open' : 'closed'),
      stake: undefined,
    }
  }
  const stake = await startNodeStake({
    rpcUrl: config.stakeRpc,
    preset: config.stakePreset,
    ...(config.stakeAvs !== null && { avs: getAddress(config.stakeAvs) }),
    ...(config.stakeOperatorSet !== null && { operatorSetId: config.stakeOperatorSet }),
    bindingDir: join(config.dataDir, 'bindings'),
    now: deps.now,
    logger: deps.logger,
    metrics: deps.metrics,
  })
  return { gate: stake.gate, stake }
}

/**
 * Stores a binding locally (the same checks as gossip) and publishes it on the bindings topic. A binding
 * this node already holds is published again: a peer that joined since may not have it.
 */
export async function publishBinding(
  gate: StakeGate,
  publish: (bytes: Uint8Array) => Promise<unknown>,
  bytes: Uint8Array,
  nowMs: number,
): Promise<AcceptResult | 'duplicate'> {
  let result: AcceptResult
  try {
    result = await gate.checkBinding(validatePeerBindingFrame(bytes), nowMs)
  } catch (error) {
    if (!(error instanceof GossipRefusal) || error.code !== 'duplicate') throw error
    result = 'duplicate'
  }
  try {
    await publish(bytes)
  } catch (error) {
    // Message ids are content hashes: a binding published moments ago is still in gossipsub's seen
    // cache, and republishing it is a no-op that gossipsub reports as an error.
    if (!(result === 'duplicate' && /duplicate/i.test((error as Error).message))) throw error
  }
  return result
}
