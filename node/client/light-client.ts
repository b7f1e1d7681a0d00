// The light client SDK for Node: gateways over TCP or WebSocket.
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLightClientWith, type LightClient, type LightClientOptions } from './core.ts'

export * from './core.ts'
export { ProofVerificationError, verifyTaskProof, type VerifiedProof } from './verify.ts'

export function createLightClient(options: LightClientOptions): Promise<LightClient> {
  return createLightClientWith({ transports: [tcp(), webSockets()] }, options)
}
