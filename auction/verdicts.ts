// Why a node refuses a market message (a seal, an ask or a job demand), and what gossip does with
// it. One table for every node: REJECT (the sender's gossip score drops) only for what is provably
// the sender's fault from the message and the rules alone; IGNORE (dropped, unpunished) for what an
// honest peer can trigger: clock skew, a relay's delay, this node's own failed fetch, a view of the
// market (consumed bids, operator set) that has not caught up yet.

export type GossipAction = 'reject' | 'ignore'

export const MARKET_REFUSAL_CODES = {
  // Seals.
  /** The signer does not lead (epoch, class) in the operator set of that epoch. */
  NOT_LEADER: 'reject',
  /** Before the epoch's cut-off by more than an epoch: a clock ahead, or a relay of the future. */
  EARLY: 'ignore',
  /** After the next epoch's cut-off: a slow relay or a stalled leader; the bids have rolled over. */
  LATE: 'ignore',
  /** A second, different seal by the same leader for one (epoch, class): both are the evidence. */
  EQUIVOCATION: 'reject',
  /** The same seal again (another copy of an accepted one): nothing new. */
  DUPLICATE: 'ignore',
  /** Listed bids neither this node nor the peers it asked could produce: maybe this node's fetch. */
  MISSING_BIDS: 'ignore',
  /** A listed bid that no honest leader may count: wrong class or epoch, two asks of one peer, … */
  BAD_BID: 'reject',
  /** A listed bid this node saw counted by an earlier seal: the leader may have missed that seal. */
  CONSUMED_BID: 'ignore',
  /** Bid ids unsorted or duplicated, a malformed hash: the signed bytes are wrong. */
  MALFORMED: 'reject',
  EPOCH_MISMATCH: 'reject',
  /** The recomputed DARA result differs from the one the leader signed. */
  RESULT_MISMATCH: 'reject',
  // Asks and demands.
  /** The signer is not a bound operator of the set (asks), or the gateway is not one (demands). */
  NOT_OPERATOR: 'reject',
  /** An ask signed by a peer other than the operator's binding in force for its epoch (a rotation). */
  NOT_IN_FORCE: 'ignore',
  /** An ask for an epoch too far ahead or too old for this node's clock. */
  OUT_OF_WINDOW: 'ignore',
  /** A resource class the demand's proof type does not have. */
  UNKNOWN_CLASS: 'reject',
  /** The message does not decode or validate (names the field). */
  INVALID: 'reject',
  /** This node's share for the sender is full (per-source bound): dropped until its bids clear. */
  SOURCE_FULL: 'ignore',
  /** A deadline already past: an honest relay can be that slow. */
  EXPIRED: 'ignore',
} as const satisfies Record<string, GossipAction>

export type MarketRefusalCode = keyof typeof MARKET_REFUSAL_CODES

/** Seal refusal codes that are evidence against the leader (kept as faults with the signed seal). */
export function isLeaderFault(code: MarketRefusalCode): boolean {
  return MARKET_REFUSAL_CODES[code] === 'reject'
}

/** A market message refused, with its code and the gossip action every node takes for that code. */
export class MarketRefusal extends Error {
  readonly code: MarketRefusalCode
  readonly action: GossipAction

  constructor(code: MarketRefusalCode, message: string) {
    super(`${code}: ${message}`)
    this.name = 'MarketRefusal'
    this.code = code
    this.action = MARKET_REFUSAL_CODES[code]
  }
}
