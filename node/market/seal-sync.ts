// /prover-mesh/seals/1.0.0, seal catch-up: a node that was down (a restarted gateway, a restarted
// leader) asks peers for the seals they accepted since an epoch, and judges each one as gossip
// validation does (timing aside: these are old by design). One FetchSeals frame in, one SealSet
// frame out, both size-capped before decoding. The reply is only a hint: every seal is verified.
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import {
  FetchSeals,
  MAX_CATCHUP_SEALS,
  MAX_SEAL_SET_BYTES,
  SEALS_PROTOCOL,
  SealSet,
  ValidationError,
} from '../../protocol/index.ts'
import type { Logger } from '../logger.ts'
import type { Host } from '../p2p/host.ts'
import { exchangeFrames } from '../p2p/exchange.ts'

export const SEALS_VERSION = 1
const MAX_FETCH_SEALS_BYTES = 64
const READ_TIMEOUT_MS = 5_000

/** Decodes and checks a FetchSeals request; throws ValidationError naming the field. */
export function decodeFetchSeals(bytes: Uint8Array): number {
  let request: FetchSeals
  try {
    request = FetchSeals.decode(bytes)
  } catch (error) {
    throw new ValidationError('malformed', '', `not a FetchSeals: ${(error as Error).message}`)
  }
  if (request.version !== SEALS_VERSION)
    throw new ValidationError('unsupported_version', 'version', `expected ${SEALS_VERSION}`)
  if (request.fromEpoch > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ValidationError('out_of_range', 'from_epoch', 'must be a safe integer')
  return Number(request.fromEpoch)
}

/** Serves the accepted seals from an epoch on: `accepted(from)` lists them oldest first. */
export function sealsStreamHandler(accepted: (fromEpoch: number) => Uint8Array[], logger: Logger) {
  return async (stream: Stream, connection: Connection): Promise<void> => {
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_FETCH_SEALS_BYTES })
      const fromEpoch = decodeFetchSeals(
        (await lp.read({ signal: AbortSignal.timeout(READ_TIMEOUT_MS) })).subarray(),
      )
      const envelopes = accepted(fromEpoch).slice(0, MAX_CATCHUP_SEALS)
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS)
      await lp.write(SealSet.encode({ version: SEALS_VERSION, envelopes }), { signal })
      await stream.close({ signal })
    } catch (error) {
      logger.debug(
        { remote: connection.remotePeer.toString(), err: (error as Error).message },
        'seal fetch refused',
      )
      stream.abort(error as Error)
    }
  }
}

/** Asks `peer` for the seals it accepted from `fromEpoch` on (unverified), within `timeoutMs`. */
export async function fetchSeals(
  host: Host,
  peer: PeerId,
  fromEpoch: number,
  timeoutMs: number,
): Promise<Uint8Array[]> {
  const request = FetchSeals.encode({ version: SEALS_VERSION, fromEpoch: BigInt(fromEpoch) })
  const bytes = await exchangeFrames(host, peer, SEALS_PROTOCOL, request, MAX_SEAL_SET_BYTES, timeoutMs)
  const reply = SealSet.decode(bytes)
  if (reply.version !== SEALS_VERSION) throw new Error(`SealSet version ${reply.version}`)
  if (reply.envelopes.length > MAX_CATCHUP_SEALS) throw new Error('SealSet has more seals than a page')
  return reply.envelopes
}
