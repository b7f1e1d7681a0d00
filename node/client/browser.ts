// The light client SDK for browsers: gateways over WebSocket only.
import { webSockets } from '@libp2p/websockets'
import { createLightClientWith, type LightClient, type LightClientOptions } from './core.ts'

export * from './core.ts'

/**
 * `allowInsecureLocal` lets the browser dial plain `/ws` and private addresses, which the browser
 * build's default connection gater denies (notes/libp2p.md P16): for local testnets only; production
 * gateways serve `/wss`.
 */
export function createBrowserLightClient(
  options: LightClientOptions & { allowInsecureLocal?: boolean },
): Promise<LightClient> {
  const gater = options.allowInsecureLocal ? { connectionGater: { denyDialMultiaddr: () => false } } : {}
  return createLightClientWith({ transports: [webSockets()], ...gater }, options)
}
