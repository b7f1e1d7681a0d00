// Keeps a node connected to at least `minPeers` peers. libp2p 3 has no autodialer (notes/libp2p.md
// P19): a node that bootstrapped from one peer stays with the few peers the DHT's own queries happened
// to dial, which can be fewer than gossipsub's D_lo, so its mesh never fills. Each tick, a node
// below the target walks the DHT towards a random key and dials peers it learns of.
import type { PeerId, PeerInfo } from '@libp2p/interface'
import type { Logger } from '../logger.ts'
import type { Host } from './host.ts'

export const PEER_KEEPER_INTERVAL_MS = 5_000
const QUERY_TIMEOUT_MS = 10_000
const DIAL_TIMEOUT_MS = 5_000

export interface PeerKeeper {
  stop(): void
}

export function startPeerKeeper(host: Host, minPeers: number, logger: Logger): PeerKeeper {
  let busy = false
  let stopped = false
  const controller = new AbortController()

  const tick = async () => {
    if (busy || stopped) return
    busy = true
    try {
      const connected = new Set(host.getPeers().map((p) => p.toString()))
      const need = minPeers - connected.size
      if (need <= 0) return
      const found = new Map<string, PeerInfo>()
      const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(QUERY_TIMEOUT_MS)])
      for await (const event of host.services.dht.getClosestPeers(
        crypto.getRandomValues(new Uint8Array(32)),
        { signal },
      )) {
        const infos =
          event.name === 'FINAL_PEER' ? [event.peer] : event.name === 'PEER_RESPONSE' ? event.closer : []
        for (const info of infos) found.set(info.id.toString(), info)
      }
      const candidates = [...found.values()].filter(
        (info) =>
          !info.id.equals(host.peerId) && !connected.has(info.id.toString()) && info.multiaddrs.length > 0,
      )
      const chosen = shuffle(candidates).slice(0, need)
      await Promise.allSettled(chosen.map((info) => dial(info.id, info)))
      logger.debug(
        { connected: connected.size, found: found.size, dialled: chosen.length },
        'peer keeper tick',
      )
    } catch (error) {
      if (!stopped) logger.debug({ err: (error as Error).message }, 'peer keeper tick failed')
    } finally {
      busy = false
    }
  }

  const dial = async (id: PeerId, info: PeerInfo) => {
    await host.peerStore.merge(id, { multiaddrs: info.multiaddrs })
    await host.dial(id, {
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]),
    })
  }

  const first = setTimeout(() => void tick(), 1_000)
  const timer = setInterval(() => void tick(), PEER_KEEPER_INTERVAL_MS)
  return {
    stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
      controller.abort()
    },
  }
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}
