// One request frame out, one reply frame in, over a fresh stream: the shape of the job protocol and
// the market's fetch protocols (bids, seals). The whole exchange is bounded by `timeoutMs`, also if
// some step does not honour its abort signal: a seal judgement or a catch-up waits on this and must
// always end.
import type { PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import type { Host } from './host.ts'

export async function exchangeFrames(
  host: Host,
  peer: PeerId,
  protocol: string,
  request: Uint8Array,
  maxReplyBytes: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs)
  let stream: Stream | undefined
  const exchange = async () => {
    stream = await host.dialProtocol(peer, protocol, { signal })
    const lp = lpStream(stream, { maxDataLength: maxReplyBytes })
    await lp.write(request, { signal })
    const reply = (await lp.read({ signal })).subarray()
    // The reply is in: a close that fails (the peer already went) does not undo the exchange.
    await stream.close({ signal }).catch(() => undefined)
    return reply
  }
  const timedOut = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`)), {
      once: true,
    })
  })
  try {
    return await Promise.race([exchange(), timedOut])
  } finally {
    if (stream?.status === 'open') stream.abort(new Error('exchange done'))
  }
}
