// The stake gate's interface and refusals, and the gate of a node without a stake oracle. No viem and
// no chain code here: gossip validation imports this in every node, and a node without `stakeRpc`
// never loads the stake oracle (node-stake.ts loads it on demand).
import type { Ask, JobDemand, Seal } from '../../protocol/index.ts'
import type { AcceptResult } from './registry.ts'

export type GossipAction = 'reject' | 'ignore'

/** A gossip message refused by the stake gate; `code` is the metrics label, `field` the wire field. */
export class GossipRefusal extends Error {
  readonly action: GossipAction
  readonly code: string
  readonly field: string

  constructor(action: GossipAction, code: string, field: string, message: string) {
    super(field === '' ? message : `${field}: ${message}`)
    this.name = 'GossipRefusal'
    this.action = action
    this.code = code
    this.field = field
  }
}

export interface StakeGate {
  /** Validates and stores a bindings-topic payload; resolves only for a binding that was stored. */
  checkBinding(bytes: Uint8Array, nowMs: number): Promise<AcceptResult>
  /** Throws GossipRefusal unless the Ask's signer is a bound, staked operator within its cap. */
  checkAsk(ask: Ask, nowMs: number): void
  /** Throws GossipRefusal unless the Seal's leader is a bound operator with the minimum stake. */
  checkSeal(seal: Seal, nowMs: number): void
  /** Throws GossipRefusal unless the JobDemand's gateway is a bound operator with the minimum stake. */
  checkDemand(demand: JobDemand, nowMs: number): void
}

/**
 * The gate of a node without a stake oracle. Fail closed (the default): nobody can be shown to be a
 * staked operator, so Asks, Seals and bindings are dropped, unpunished (the sender may be honest; we
 * cannot tell). 'dev-open' accepts every well-formed Ask, Seal and JobDemand (the market's configured
 * operator list still decides who may send them) and stores no bindings: for local
 * development networks without a chain only, never for a network that pays for proofs.
 */
export function unstakedGate(mode: 'closed' | 'dev-open'): StakeGate {
  const closed = (): void => {
    if (mode === 'closed') {
      throw new GossipRefusal('ignore', 'no-stake-oracle', '', 'this node has no stake oracle (fail closed)')
    }
  }
  return {
    checkBinding() {
      return Promise.reject(
        new GossipRefusal('ignore', 'no-stake-oracle', '', 'this node has no stake oracle to check bindings'),
      )
    },
    checkAsk: closed,
    checkSeal: closed,
    checkDemand: closed,
  }
}
