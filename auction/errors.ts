// Typed errors of the auction module. Each names the input it rejects, so that a CLI or a gossip
// validator can tell the sender which bid (and which field of it) is wrong.

export type BidSide = 'buyer' | 'seller'

/** Where a bad value sits: a bid (by side, position in the input, and id when it has one) or a reserve. */
export interface InputLocation {
  readonly side?: BidSide
  readonly index?: number
  readonly bidId?: string
}

/** Invalid auction input: missing field, non-integer, negative, duplicate id, units < 1, … */
export class AuctionInputError extends Error {
  /** The offending field, e.g. 'price', 'units', 'id', 'buyerFloor'. */
  readonly field: string
  readonly side: BidSide | undefined
  readonly index: number | undefined
  readonly bidId: string | undefined

  constructor(location: InputLocation, field: string, problem: string) {
    super(`${describeLocation(location)}: ${field} ${problem}`)
    this.name = 'AuctionInputError'
    this.field = field
    this.side = location.side
    this.index = location.index
    this.bidId = location.bidId
  }
}

function describeLocation({ side, index, bidId }: InputLocation): string {
  if (side === undefined) return 'input'
  const position = index === undefined ? '' : ` (${side}s[${index}])`
  return bidId === undefined ? `${side}s[${index}]` : `${side} ${JSON.stringify(bidId)}${position}`
}

/** An unusable epoch input: schedule, time, epoch, operators, salt seed or salt (names the field). */
export class EpochInputError extends Error {
  readonly field: string
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`)
    this.name = 'EpochInputError'
    this.field = field
  }
}

/**
 * Why a seal was rejected. MISSING_BIDS is not a fault: this node must fetch the listed bids it
 * lacks and verify again. RESULT_MISMATCH on a well-formed seal is evidence against the leader.
 */
export type SealRejection = 'MALFORMED' | 'EPOCH_MISMATCH' | 'MISSING_BIDS' | 'RESULT_MISMATCH'

/** A seal that does not match what this node recomputes from the same bids. */
export class SealRejectedError extends Error {
  readonly code: SealRejection
  constructor(code: SealRejection, detail: string) {
    super(`seal rejected (${code}): ${detail}`)
    this.name = 'SealRejectedError'
    this.code = code
  }
}
