// The seller admission check that gossip validation of Asks and Seals calls: may this peer sell `units`
// of capacity now? Synchronous and network-free (bindings and stake are cached), so it can run on
// every message. Each rejection carries a machine-readable reason and the gossip action it implies.
import type { Address } from 'viem'
import { checkBindingTimes } from './binding.ts'
import { BindingError } from './errors.ts'
import type { StakeOracle } from './oracle.ts'
import type { BindingRegistry } from './registry.ts'

export type SellerRejection =
  | 'no-binding'
  | 'binding-expired'
  | 'binding-not-yet-valid'
  | 'not-in-operator-set'
  | 'stake-below-minimum'
  | 'capacity-over-cap'
  | 'stake-unavailable'

export type SellerVerdict =
  | {
      readonly ok: true
      readonly operator: Address
      readonly units: number
      readonly capUnits: number
      readonly stake: bigint
      /** Block of the stake snapshot the decision used. */
      readonly blockNumber: bigint
    }
  | {
      readonly ok: false
      readonly reason: SellerRejection
      readonly message: string
      readonly operator?: Address
    }

/**
 * How gossip should treat a message after this verdict: a sender's fault is REJECT (the peer score
 * drops); our own inability to check stake is IGNORE (drop, but do not punish a possibly honest peer).
 */
export function gossipAction(verdict: SellerVerdict): 'accept' | 'reject' | 'ignore' {
  if (verdict.ok) return 'accept'
  return verdict.reason === 'stake-unavailable' ? 'ignore' : 'reject'
}

export interface SellerAdmission {
  /** For Asks: a bound, staked operator's peer offering `units` within its stake cap. */
  admitSeller(peerId: string, units: number, nowMs: number): SellerVerdict
  /** For Seals and other operator-only messages: a bound operator in the set with the minimum stake. */
  admitOperatorPeer(peerId: string, nowMs: number): SellerVerdict
}

export function createSellerAdmission(deps: {
  readonly registry: BindingRegistry
  readonly oracle: StakeOracle
}): SellerAdmission {
  const { registry, oracle } = deps

  const admitOperatorPeer = (peerId: string, nowMs: number): SellerVerdict => {
    const operator = registry.operatorOf(peerId)
    const signed = operator && registry.bindingOf(operator)
    if (!operator || !signed || signed.binding.peerId !== peerId) {
      return { ok: false, reason: 'no-binding', message: `peer ${peerId} has no current operator binding` }
    }
    try {
      checkBindingTimes(signed.binding, registry.policy, nowMs)
    } catch (error) {
      if (!(error instanceof BindingError)) throw error
      const reason = error.code === 'expired' ? 'binding-expired' : 'binding-not-yet-valid'
      return { ok: false, reason, message: error.message, operator }
    }
    const lookup = oracle.lookup(operator, nowMs)
    if (lookup.status === 'unavailable') {
      return { ok: false, reason: 'stake-unavailable', message: lookup.reason, operator }
    }
    if (lookup.status === 'not-member') {
      return {
        ok: false,
        reason: 'not-in-operator-set',
        message: `operator ${operator} is not in operator set ${oracle.config.operatorSetId} at block ${lookup.blockNumber}`,
        operator,
      }
    }
    const { stake } = lookup
    if (!stake.meetsMinimum) {
      return {
        ok: false,
        reason: 'stake-below-minimum',
        message: `operator ${operator} has ${stake.stake} slashable stake, minimum is ${oracle.config.minimumStake}`,
        operator,
      }
    }
    return {
      ok: true,
      operator,
      units: 0,
      capUnits: stake.capUnits,
      stake: stake.stake,
      blockNumber: lookup.blockNumber,
    }
  }

  return {
    admitOperatorPeer,
    admitSeller(peerId, units, nowMs) {
      const verdict = admitOperatorPeer(peerId, nowMs)
      if (!verdict.ok) return verdict
      if (!Number.isInteger(units) || units < 1 || units > verdict.capUnits) {
        return {
          ok: false,
          reason: 'capacity-over-cap',
          message: `operator ${verdict.operator} offers ${units} units, its stake allows 1..${verdict.capUnits}`,
          operator: verdict.operator,
        }
      }
      return { ...verdict, units }
    },
  }
}
