// The operator set of a node with a stake oracle: operators whose current binding names a peer and
// who are admitted (in our operator set, with the minimum slashable stake) as of now. It follows the
// bindings gossip and the stake snapshot, so nodes agree once both have spread.
import { getAddress, type Address } from 'viem'
import type { NodeStake } from '../stake/node-stake.ts'
import type { OperatorSet } from './operators.ts'

export function stakeOperatorSet(stake: NodeStake, now: () => number): OperatorSet {
  return {
    operators: () =>
      stake.registry
        .bindings()
        .filter(
          ({ binding }) =>
            binding.peerId !== '' && stake.admission.admitOperatorPeer(binding.peerId, now()).ok,
        )
        .map(({ binding }) => binding.operator.toLowerCase())
        .sort(),
    peerOf(address) {
      try {
        return stake.registry.peerOf(getAddress(address) as Address)
      } catch {
        return undefined
      }
    },
  }
}
