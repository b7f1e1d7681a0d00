// Binding catch-up for peers that join late. Bindings travel by gossip, which reaches only the nodes
// online at the time (and a republish within gossipsub's seen-cache window is dropped as a
// duplicate), so a new connection asks the remote for every binding it stores. Each received binding
// goes through the same stake gate as gossip (membership first, then signatures, nonce, policy):
// a peer can only hand us bindings operators signed, and a lying peer can only withhold.
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import type { Logger } from '../logger.ts'
import type { Host } from '../p2p/host.ts'
import { encodeSignedBinding } from './binding.ts'
import { GossipRefusal, type StakeGate } from './gate.ts'
import type { BindingRegistry } from './registry.ts'

export const BINDING_SYNC_PROTOCOL = '/prover-mesh/bindings/1.0.0'
/** At most this many bindings are sent or read per sync (one per operator in our set). */
export const MAX_SYNC_BINDINGS = 10_000
const MAX_BINDING_FRAME = 8192
const SYNC_TIMEOUT_MS = 10_000
const encoder = new TextEncoder()

export interface BindingSync {
  /** Runs one sync with a connected peer; resolves with what the gate made of its bindings. */
  syncFrom(peer: Connection['remotePeer']): Promise<{ stored: number; refused: number }>
  stop(): Promise<void>
}

export async function startBindingSync(deps: {
  readonly host: Host
  readonly registry: BindingRegistry
  readonly gate: StakeGate
  readonly now: () => number
  readonly logger: Logger
}): Promise<BindingSync> {
  const { host, registry, gate, now, logger } = deps

  // Server: every stored binding, one length-prefixed frame each, then an empty frame as the end.
  const serve = async (stream: Stream): Promise<void> => {
    const lp = lpStream(stream, { maxDataLength: MAX_BINDING_FRAME })
    try {
      const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS)
      for (const signed of registry.bindings().slice(0, MAX_SYNC_BINDINGS)) {
        await lp.write(encoder.encode(encodeSignedBinding(signed)), { signal })
      }
      await lp.write(new Uint8Array(0), { signal })
      await stream.close()
    } catch (error) {
      stream.abort(error as Error)
    }
  }
  await host.handle(BINDING_SYNC_PROTOCOL, serve, { maxInboundStreams: 4 })

  const syncFrom: BindingSync['syncFrom'] = async (peer) => {
    let stored = 0
    let refused = 0
    const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS)
    const stream = await host.dialProtocol(peer, BINDING_SYNC_PROTOCOL, { signal })
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_BINDING_FRAME })
      for (let i = 0; i < MAX_SYNC_BINDINGS; i++) {
        const frame = (await lp.read({ signal })).subarray()
        if (frame.byteLength === 0) break
        try {
          await gate.checkBinding(frame, now())
          stored++
        } catch (error) {
          if (!(error instanceof GossipRefusal)) throw error
          if (error.code !== 'duplicate') refused++
        }
      }
    } finally {
      if (stream.status === 'open') stream.abort(new Error('binding sync done'))
    }
    return { stored, refused }
  }

  const inFlight = new Set<string>()
  const onIdentify = (event: CustomEvent<{ peerId: Connection['remotePeer']; protocols: string[] }>) => {
    const { peerId, protocols } = event.detail
    const id = peerId.toString()
    if (!protocols.includes(BINDING_SYNC_PROTOCOL) || inFlight.has(id)) return
    inFlight.add(id)
    syncFrom(peerId)
      .then((result) => logger.debug({ peer: id, ...result }, 'binding sync done'))
      .catch((error: unknown) =>
        logger.debug({ peer: id, err: (error as Error).message }, 'binding sync failed'),
      )
      .finally(() => inFlight.delete(id))
  }
  host.addEventListener('peer:identify', onIdentify)

  return {
    syncFrom,
    async stop() {
      host.removeEventListener('peer:identify', onIdentify)
      await host.unhandle(BINDING_SYNC_PROTOCOL)
    },
  }
}
