// The operator set of a node with a stake oracle, per epoch: the rule of auction/operator-set.ts over
// the binding registry's histories (so a binding takes effect in the same epoch on every node that
// has it), with the stake check from this node's stake snapshot (member, minimum slashable stake).
import { getAddress, type Address } from 'viem'
import type { EpochSchedule } from '../../auction/epoch.ts'
import { operatorSetOfEpoch, type BindingRecord } from '../../auction/operator-set.ts'
import type { NodeStake } from '../stake/node-stake.ts'
import type { SignedPeerBinding } from '../stake/binding.ts'
import type { OperatorSet } from './operators.ts'

/** Epoch sets are computed once per (epoch, registry change, stake snapshot) and reused. */
const CACHED_EPOCHS = 8

export function stakeOperatorSet(stake: NodeStake, schedule: EpochSchedule, now: () => number): OperatorSet {
  const cache = new Map<number, { key: string; members: Map<string, string> }>()
  const members = (epoch: number): Map<string, string> => {
    const histories = stake.registry.histories()
    const nowMs = now()
    const admitted = (operator: string) => {
      const lookup = stake.oracle.lookup(getAddress(operator) as Address, nowMs)
      return lookup.status === 'member' && lookup.stake.meetsMinimum
    }
    // The cache key changes whenever an input does: a binding stored, a new or a stale snapshot.
    const { oracle } = stake
    const fresh = oracle.snapshot !== undefined && oracle.age(nowMs) <= oracle.config.maxStalenessMs
    const bindings = histories.map((h) => `${h.at(-1)!.binding.operator}:${h.at(-1)!.binding.nonce}`)
    const key = `${bindings.join(',')}|${oracle.snapshot?.blockNumber ?? ''}|${fresh}`
    const hit = cache.get(epoch)
    if (hit?.key === key) return hit.members
    const computed = operatorSetOfEpoch(schedule, epoch, histories.map(records), admitted)
    cache.set(epoch, { key, members: computed })
    if (cache.size > CACHED_EPOCHS) cache.delete(cache.keys().next().value!)
    return computed
  }
  return {
    operators: (epoch) => [...members(epoch).keys()],
    peerOf: (address, epoch) => members(epoch).get(address.toLowerCase()),
  }
}

function records(history: readonly SignedPeerBinding[]): BindingRecord[] {
  return history.map(({ binding }) => ({
    operator: binding.operator,
    peerId: binding.peerId,
    issuedAtMs: Number(binding.issuedAt) * 1000,
    expiresAtMs: Number(binding.expiry) * 1000,
  }))
}
