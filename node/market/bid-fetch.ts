// /prover-mesh/bids/1.0.0: a node verifying a seal asks the leader for the bids it lacks. One
// FetchBids frame in, one BidSet frame out, both length-prefixed and size-capped before decoding.
// The reply is only a hint: every envelope in it is validated and its id recomputed by the caller.
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import {
  BIDS_PROTOCOL,
  BidSet,
  FetchBids,
  MAX_BID_SET_BYTES,
  MAX_FETCH_BIDS_BYTES,
  MAX_SEAL_BIDS,
  ValidationError,
  toHex,
} from '../../protocol/index.ts'
import type { Host } from '../p2p/host.ts'
import type { Logger } from '../logger.ts'
import { exchangeFrames } from '../p2p/exchange.ts'

export const BIDS_VERSION = 1
const READ_TIMEOUT_MS = 5_000

/** Decodes and checks a FetchBids request; throws ValidationError naming the field. */
export function decodeFetchBids(bytes: Uint8Array): string[] {
  let request: FetchBids
  try {
    request = FetchBids.decode(bytes)
  } catch (error) {
    throw new ValidationError('malformed', '', `not a FetchBids: ${(error as Error).message}`)
  }
  if (request.version !== BIDS_VERSION)
    throw new ValidationError('unsupported_version', 'version', `expected ${BIDS_VERSION}`)
  if (request.bidIds.length > MAX_SEAL_BIDS)
    throw new ValidationError('too_large', 'bid_ids', `limit ${MAX_SEAL_BIDS}`)
  return request.bidIds.map((id, i) => {
    if (id.byteLength !== 32) throw new ValidationError('out_of_range', `bid_ids[${i}]`, 'expected 32 bytes')
    return toHex(id)
  })
}

/** Serves the bids this node holds; unknown ids are left out of the reply. */
export function bidsStreamHandler(lookup: (bidId: string) => Uint8Array | undefined, logger: Logger) {
  return async (stream: Stream, connection: Connection): Promise<void> => {
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_FETCH_BIDS_BYTES })
      const request = (await lp.read({ signal: AbortSignal.timeout(READ_TIMEOUT_MS) })).subarray()
      const ids = decodeFetchBids(request)
      const envelopes = ids.map(lookup).filter((e): e is Uint8Array => e !== undefined)
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS)
      await lp.write(BidSet.encode({ version: BIDS_VERSION, envelopes }), { signal })
      // close() waits for the reply to drain; a peer that stops reading must not hold us.
      await stream.close({ signal })
    } catch (error) {
      logger.debug(
        { remote: connection.remotePeer.toString(), err: (error as Error).message },
        'bid fetch refused',
      )
      stream.abort(error as Error)
    }
  }
}

/** Asks `peer` for `bidIds`; returns the envelopes it sent (unvalidated), within `timeoutMs`. */
export async function fetchBids(
  host: Host,
  peer: PeerId,
  bidIds: readonly Uint8Array[],
  timeoutMs: number,
): Promise<Uint8Array[]> {
  const request = FetchBids.encode({ version: BIDS_VERSION, bidIds: [...bidIds] })
  const bytes = await exchangeFrames(host, peer, BIDS_PROTOCOL, request, MAX_BID_SET_BYTES, timeoutMs)
  const reply = BidSet.decode(bytes)
  if (reply.version !== BIDS_VERSION) throw new Error(`BidSet version ${reply.version}`)
  if (reply.envelopes.length > bidIds.length) throw new Error('BidSet has more envelopes than asked for')
  return reply.envelopes
}
