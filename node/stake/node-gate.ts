// What a node's gossip gets from its config: the stake subsystem when `stakeRpc` is set, or the gate of
// a node without a stake oracle. The subsystem (viem, the oracle, the binding registry) is imported only
// when it is started, so a node without a chain never loads it.
import { join } from 'node:path'
import type { Registry } from 'prom-client'
import { validatePeerBindingFrame } from '../../protocol/binding.ts'
import type { Logger } from '../logger.ts'
import { GossipRefusal, unstakedGate, type StakeGate } from './gate.ts'
import type { NodeStake } from './node-stake.ts'
import type { StakePresetName } from './preset-names.ts'
import type { AcceptResult } from './registry.ts'

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
  const { startNodeStake } = await import('./node-stake.ts')
  const stake = await startNodeStake({
    rpcUrl: config.stakeRpc,
    preset: config.stakePreset,
    ...(config.stakeAvs !== null && { avs: config.stakeAvs }),
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
