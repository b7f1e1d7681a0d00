// Bids as the epoch protocol handles them: a seller bid is a signed Ask, a buyer bid is one class
// demand of a signed TaskAnnounce. Each has a 32-byte id that nobody but its signer can vary: an
// ask's id hashes its signed body bytes (a relay cannot re-encode them without breaking the
// signature), a buyer's id hashes the task id and class (one bid per task and class).
import {
  Ask,
  openEnvelope,
  sha256,
  toHex,
  validateAsk,
  validateTaskAnnounce,
  ValidationError,
  type TaskAnnounce,
} from '../../protocol/index.ts'
import type { BuyerBid, SellerAsk } from '../../auction/seal.ts'

const encoder = new TextEncoder()
/** Asks beyond this capacity are refused: units must stay exact as JS numbers across a class. */
export const MAX_ASK_UNITS = 1n << 32n

export interface HeldAsk {
  readonly side: 'seller'
  readonly bidId: string
  readonly envelope: Uint8Array
  readonly ask: Ask
  readonly bid: SellerAsk
  /** Peer id bytes as hex: one ask per peer is counted in a seal. */
  readonly peer: string
  readonly operator: string
}

export interface HeldBuyer {
  readonly side: 'buyer'
  readonly bidId: string
  readonly envelope: Uint8Array
  readonly announce: TaskAnnounce
  readonly resourceClass: string
  readonly bid: BuyerBid
  readonly deadlineMs: bigint
}

export type HeldBid = HeldAsk | HeldBuyer

export function askBidId(askBody: Uint8Array): string {
  return toHex(sha256(encoder.encode('prover-mesh/bid/ask/v1\n'), askBody))
}

export function buyerBidId(taskId: Uint8Array, resourceClass: string): string {
  return toHex(sha256(encoder.encode('prover-mesh/bid/task/v1\n'), taskId, encoder.encode(resourceClass)))
}

/** Validates a signed Ask and returns it as a seller bid. Throws ValidationError naming the field. */
export async function heldAsk(envelope: Uint8Array): Promise<HeldAsk> {
  const ask = await validateAsk(envelope)
  if (ask.capacityUnits > MAX_ASK_UNITS) {
    throw new ValidationError('out_of_range', 'capacity_units', `must be at most ${MAX_ASK_UNITS}`)
  }
  if (ask.epoch > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ValidationError('out_of_range', 'epoch', 'must be a safe integer')
  }
  const { body } = await openEnvelope(envelope, 'Ask')
  const bidId = askBidId(body)
  return {
    side: 'seller',
    bidId,
    envelope,
    ask,
    bid: { bidId, units: Number(ask.capacityUnits), cost: ask.costPerUnit },
    peer: toHex(ask.peer),
    operator: `0x${toHex(ask.operator)}`,
  }
}

/**
 * Validates a signed TaskAnnounce at `nowMs` and returns one buyer bid per class demand (the units
 * come from the gateway's plan, planDemand(), never from the requester).
 */
export async function heldBuyers(envelope: Uint8Array, nowMs: number): Promise<HeldBuyer[]> {
  const announce = await validateTaskAnnounce(envelope, undefined, nowMs)
  const seen = new Set<string>()
  return announce.demands.map((d, i) => {
    if (seen.has(d.class)) throw new ValidationError('out_of_range', `demands[${i}].class`, 'listed twice')
    seen.add(d.class)
    const bidId = buyerBidId(announce.taskId, d.class)
    return {
      side: 'buyer',
      bidId,
      envelope,
      announce,
      resourceClass: d.class,
      bid: { bidId, units: Number(d.units), price: announce.maxPricePerUnit },
      deadlineMs: announce.deadlineMs,
    }
  })
}
