// The stake gate of gossip validation: who may publish on the bindings, asks and seals topics.
// Bindings go through the registry (signatures, policy, nonce) after a membership check; an Ask needs a
// bound, staked operator offering within its stake cap; a Seal needs a bound operator with the minimum.
// Each refusal is a GossipRefusal carrying the gossip action: 'reject' (the sender's fault, its score
// drops) or 'ignore' (dropped unpunished: we could not check, or an honest relay could have sent it).
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { bytesToHex, getAddress } from 'viem'
import { gossipAction, type SellerAdmission, type SellerVerdict } from './admission.ts'
import { decodeSignedBinding } from './binding.ts'
import { BindingError, type BindingErrorCode } from './errors.ts'
import type { StakeOracle } from './oracle.ts'
import { GossipRefusal, type GossipAction, type StakeGate } from './gate.ts'
import type { BindingRegistry } from './registry.ts'

/**
 * Binding errors a correct relay can trigger without fault: the binding expired in transit, or a newer
 * one of the same operator reached us first. Dropped (no state change), but not punished.
 */
const HONEST_BINDING_ERRORS: ReadonlySet<BindingErrorCode> = new Set(['expired', 'stale-nonce'])

function peerIdString(multihash: Uint8Array, field: string): string {
  try {
    return peerIdFromMultihash(Digest.decode(multihash)).toString()
  } catch {
    throw new GossipRefusal('reject', 'malformed', field, 'is not a peer id multihash')
  }
}

function refuse(verdict: SellerVerdict): void {
  if (verdict.ok) return
  const action = gossipAction(verdict) as GossipAction
  throw new GossipRefusal(action, verdict.reason, '', verdict.message)
}

export function createStakeGate(deps: {
  readonly registry: BindingRegistry
  readonly oracle: StakeOracle
  readonly admission: SellerAdmission
}): StakeGate {
  const { registry, oracle, admission } = deps
  return {
    async checkBinding(bytes, nowMs) {
      try {
        // Decoding twice (here and in accept) is cheap; it lets the membership check run before any
        // signature work, so bindings of arbitrary non-member keys cost no verification and no storage.
        const { binding } = decodeSignedBinding(bytes)
        const lookup = oracle.lookup(binding.operator, nowMs)
        if (lookup.status === 'unavailable') {
          throw new GossipRefusal('ignore', 'stake-unavailable', '', lookup.reason)
        }
        if (lookup.status === 'not-member') {
          throw new GossipRefusal(
            'reject',
            'not-in-operator-set',
            'operator',
            `${binding.operator} is not in the operator set at block ${lookup.blockNumber}`,
          )
        }
        const result = await registry.accept(bytes, nowMs)
        // The exact stored binding again (another publisher, or after a restart): nothing new to relay.
        if (result === 'duplicate') throw new GossipRefusal('ignore', 'duplicate', '', 'already stored')
        return result
      } catch (error) {
        if (error instanceof GossipRefusal) throw error
        if (error instanceof BindingError) {
          const action = HONEST_BINDING_ERRORS.has(error.code) ? 'ignore' : 'reject'
          throw new GossipRefusal(action, `binding-${error.code}`, error.field, error.message)
        }
        // An RPC failure while verifying a contract operator's signature: we could not check.
        throw new GossipRefusal(
          'ignore',
          'stake-unavailable',
          '',
          (error as Error).message.split('\n')[0] ?? '',
        )
      }
    },

    checkAsk(ask, nowMs) {
      const peerId = peerIdString(ask.peer, 'peer')
      // Beyond MAX_SAFE_INTEGER no stake cap could allow it; admitSeller then says capacity-over-cap.
      const units = ask.capacityUnits > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(ask.capacityUnits)
      const verdict = admission.admitSeller(peerId, units, nowMs)
      refuse(verdict)
      // The Ask names its operator; it must be the one the signer is bound to, or an Ask could claim
      // another operator's stake for pricing or accounting downstream.
      if (verdict.ok && getAddress(bytesToHex(ask.operator)) !== verdict.operator) {
        throw new GossipRefusal(
          'reject',
          'operator-mismatch',
          'operator',
          `is ${bytesToHex(ask.operator)}, the signer ${peerId} is bound to ${verdict.operator}`,
        )
      }
    },

    checkSeal(seal, nowMs) {
      refuse(admission.admitOperatorPeer(peerIdString(seal.leader, 'leader'), nowMs))
    },

    // A gateway is accountable like a seller: only a bound, staked operator's peer may put demand in
    // the market, so a fresh key cannot fill every node's book.
    checkDemand(demand, nowMs) {
      refuse(admission.admitOperatorPeer(peerIdString(demand.gateway, 'gateway'), nowMs))
    },
  }
}
