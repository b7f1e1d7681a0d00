// Which bids an honest leader counts in one (epoch, class) auction, from the bids it holds as
// countable there. Every node applies the same rule to its own book (to seal, and to tell what a
// seal omitted), so it is a pure function of the candidates: no clock, no arrival order.
//
//  1. One ask per seller peer: the one with the smallest bid id.
//  2. At most `limit` bids in all, asks first (there is at most one per operator).
//  3. The rest of the room is shared among buyer sources (gateways) in turns: each source's bids in
//     bid-id order, one bid per source per turn, sources in id order. A source with more demand than
//     its share cannot displace another source's bids; what is not counted rolls into a later epoch.
import { compareIds } from './order.ts'

export interface CountCandidate {
  readonly bidId: string
  /** Who is accountable for the bid: the gateway of a buyer, the peer of an ask. */
  readonly source: string
}

export interface Counted<B, S> {
  readonly buyers: B[]
  readonly sellers: S[]
}

export function chooseCounted<B extends CountCandidate, S extends CountCandidate>(
  buyers: readonly B[],
  sellers: readonly S[],
  limit: number,
): Counted<B, S> {
  const bestAsk = new Map<string, S>()
  for (const ask of sellers) {
    const held = bestAsk.get(ask.source)
    if (held === undefined || compareIds(ask.bidId, held.bidId) < 0) bestAsk.set(ask.source, ask)
  }
  const counted: S[] = [...bestAsk.values()].sort(byBidId).slice(0, limit)

  const bySource = new Map<string, B[]>()
  for (const bid of buyers) {
    const list = bySource.get(bid.source)
    if (list === undefined) bySource.set(bid.source, [bid])
    else list.push(bid)
  }
  const queues = [...bySource.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([, list]) => list.sort(byBidId))
  const chosen: B[] = []
  const room = limit - counted.length
  for (let turn = 0; chosen.length < room; turn++) {
    let any = false
    for (const queue of queues) {
      if (turn >= queue.length) continue
      any = true
      chosen.push(queue[turn]!)
      if (chosen.length >= room) break
    }
    if (!any) break
  }
  return { buyers: chosen.sort(byBidId), sellers: counted }
}

function byBidId(a: CountCandidate, b: CountCandidate): number {
  return compareIds(a.bidId, b.bidId)
}
