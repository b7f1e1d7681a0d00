// Bids as the epoch protocol handles them: a seller bid is a signed Ask, a buyer bid is one job of a
// signed JobDemand (one unit: all-or-nothing is then trivially met, and the clearing's assignment
// maps each job to one seller). Their ids are auction/bid-ids.ts.
import {
  Ask,
  openEnvelope,
  toHex,
  validateAsk,
  validateJobDemand,
  ValidationError,
  type JobDemand,
} from '../../protocol/index.ts'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { askBidId, buyerBidId } from '../../auction/bid-ids.ts'
import type { BuyerBid, SellerAsk } from '../../auction/seal.ts'

export { askBidId, buyerBidId }

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
  readonly demand: JobDemand
  /** Hex task id. */
  readonly taskId: string
  readonly jobIndex: number
  /** Peer id (string) of the gateway that published the demand. */
  readonly gateway: string
  readonly resourceClass: string
  readonly bid: BuyerBid
  readonly deadlineMs: bigint
}

export type HeldBid = HeldAsk | HeldBuyer

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
 * Validates a signed JobDemand at `nowMs` and returns one buyer bid of one unit per listed job, at
 * the task's price per unit. Which jobs exist comes from the gateway's plan, never from the client.
 */
export async function heldBuyers(envelope: Uint8Array, nowMs: number): Promise<HeldBuyer[]> {
  return buyersOfDemand(await validateJobDemand(envelope, undefined, nowMs), envelope)
}

/** The buyer bids of a JobDemand already validated (gossip validation did it) from `envelope`. */
export function buyersOfDemand(demand: JobDemand, envelope: Uint8Array): HeldBuyer[] {
  const taskId = toHex(demand.taskId)
  const gateway = peerIdFromMultihash(Digest.decode(demand.gateway)).toString()
  return demand.jobIndexes.map((jobIndex) => {
    const bidId = buyerBidId(demand.taskId, jobIndex, demand.round)
    return {
      side: 'buyer',
      bidId,
      envelope,
      demand,
      taskId,
      jobIndex,
      gateway,
      resourceClass: demand.class,
      bid: { bidId, units: 1, price: demand.maxPricePerUnit },
      deadlineMs: demand.deadlineMs,
    }
  })
}
