// The stake subsystem as a node runs it: one viem client shared by the oracle and the binding
// registry, bindings in level under the node's data dir, the oracle polling while the node runs, and
// the gossip gate on top. Also exports the oracle's numbers and the stored-binding count to /metrics.
import { Counter, Gauge, type Registry } from 'prom-client'
import { getAddress, type PublicClient } from 'viem'
import type { Logger } from '../logger.ts'
import { createSellerAdmission, type SellerAdmission } from './admission.ts'
import { bindingPolicy } from './binding.ts'
import { createStakeClient } from './client.ts'
import { resolveStakeConfig, type StakeConfig, type StakePresetName } from './config.ts'
import type { StakeGate } from './gate.ts'
import { createStakeGate } from './gossip-gate.ts'
import { StakeOracle } from './oracle.ts'
import { BindingRegistry } from './registry.ts'
import { NodeStartError } from '../start-errors.ts'

export interface NodeStakeOptions {
  readonly rpcUrl: string
  readonly preset: StakePresetName
  /** Our AVS (a hex address) and operator set; required by the hoodi and mainnet presets, optional for local. */
  readonly avs?: string
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
  if (options.avs !== undefined) Object.assign(overrides, { avs: getAddress(options.avs) })
  if (options.operatorSetId !== undefined) Object.assign(overrides, { operatorSetId: options.operatorSetId })
  const config = resolveStakeConfig(options.preset, overrides)
  const client = createStakeClient(options.rpcUrl)
  await checkChain(client, options.rpcUrl, options.preset, config.chainId)
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
  // Counts since start: counters (read at scrape time from the oracle's own counts).
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset()
        this.inc(read())
      },
    })
  const m = oracle.metrics
  counter('prover_mesh_stake_refreshes_total', 'Successful full reads of the operator set', () => m.refreshes)
  counter(
    'prover_mesh_stake_refresh_failures_total',
    'Failed stake reads (refresh or poll)',
    () => m.refreshFailures,
  )
  counter(
    'prover_mesh_stake_stale_rejections_total',
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

/**
 * The chain must answer and be the preset's chain before the node starts: a wrong-chain RPC would
 * read other contracts' state (or none) and fail closed forever without saying why. Only the RPC's
 * host is printed: the path and query of hosted RPC URLs often hold an API key.
 */
async function checkChain(
  client: PublicClient,
  rpcUrl: string,
  preset: StakePresetName,
  expected: number,
): Promise<void> {
  const where = new URL(rpcUrl).host
  let chainId: number
  try {
    chainId = await client.getChainId()
  } catch (error) {
    const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message
    throw new NodeStartError(
      'stakeRpc',
      `stakeRpc ${where} does not answer (${reason.split('\n')[0]}); check the URL and that the chain is running`,
    )
  }
  if (chainId !== expected) {
    throw new NodeStartError(
      'stakeRpc',
      `stakeRpc ${where} is chain ${chainId}, but stakePreset '${preset}' is chain ${expected}; point stakeRpc at the right chain or choose the matching stakePreset`,
    )
  }
}
