// Helpers for stake-gated gossip tests: signed Asks, Seals and bindings, and reading what each node's
// validators decided (the gossip validation counter) and delivered (gossipsub 'message' events).
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Message } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { hexToBytes, type Address, type LocalAccount } from 'viem'
import type { MeshNode } from '../../node/create-node.ts'
import { encodeSignedBinding, signPeerBinding } from '../../node/stake/binding.ts'
import { Ask, Seal, sealEnvelope } from '../../protocol/index.ts'

export const newPeerKey = (): Promise<PrivateKey> => generateKeyPair('Ed25519')

let epoch = 1n
/** Every message gets a fresh epoch: message ids are content hashes, so equal bytes would be deduplicated. */
const nextEpoch = (): bigint => epoch++

export async function signedAsk(key: PrivateKey, operator: Address, units: bigint): Promise<Uint8Array> {
  const body = Ask.encode({
    version: 1,
    epoch: nextEpoch(),
    class: 'sum/leaf',
    capacityUnits: units,
    costPerUnit: 3n,
    operator: hexToBytes(operator),
    peer: peerIdFromPrivateKey(key).toMultihash().bytes,
  })
  return sealEnvelope('Ask', body, key)
}

export async function signedSeal(key: PrivateKey): Promise<Uint8Array> {
  const body = Seal.encode({
    version: 1,
    epoch: nextEpoch(),
    class: 'sum/leaf',
    leader: peerIdFromPrivateKey(key).toMultihash().bytes,
    bidIds: [],
    resultHash: new Uint8Array(32).fill(7),
  })
  return sealEnvelope('Seal', body, key)
}

/** A binding of `operator` to the peer of `peerKey`, valid for an hour from now, as gossip bytes. */
export async function bindingBytes(args: {
  operator: LocalAccount
  peerKey: PrivateKey
  policy: { chainId: number; avs: Address; operatorSetId: number }
  nonce?: bigint
  /** Bind this operator address while signing with `operator` (a forgery unless it is a contract). */
  claimedOperator?: Address
}): Promise<Uint8Array> {
  const nowSec = BigInt(Math.floor(Date.now() / 1000))
  const signed = await signPeerBinding({
    binding: {
      operator: args.claimedOperator ?? args.operator.address,
      peerId: peerIdFromPrivateKey(args.peerKey).toString(),
      avs: args.policy.avs,
      operatorSetId: args.policy.operatorSetId,
      nonce: args.nonce ?? 1n,
      issuedAt: nowSec,
      expiry: nowSec + 3600n,
    },
    chainId: args.policy.chainId,
    operator: args.operator,
    peerKey: args.peerKey as Parameters<typeof signPeerBinding>[0]['peerKey'],
    contractOperator: args.claimedOperator !== undefined,
  })
  return new TextEncoder().encode(encodeSignedBinding(signed))
}

/** Validations on `topic` with error `code`, by verdict ('accept' / 'reject' / 'ignore'). */
export async function validations(
  node: MeshNode,
  topic: string,
  code: string,
): Promise<Record<string, number>> {
  const metric = await node.metrics.gossipValidation.get()
  const out: Record<string, number> = {}
  for (const v of metric.values) {
    if (v.labels.topic !== topic || v.labels.code !== code) continue
    const verdict = String(v.labels.verdict)
    out[verdict] = (out[verdict] ?? 0) + v.value
  }
  return out
}

/** Records the payloads each node's gossipsub delivered (validators said Accept), per topic. */
export class Deliveries {
  readonly #seen = new Map<MeshNode, Set<string>>()
  readonly #stops: (() => void)[] = []

  watch(node: MeshNode): void {
    const seen = new Set<string>()
    this.#seen.set(node, seen)
    const pubsub = node.host.services.pubsub
    const onMessage = (event: CustomEvent<Message>): void => {
      seen.add(key(event.detail.topic, event.detail.data))
    }
    pubsub.addEventListener('message', onMessage)
    this.#stops.push(() => pubsub.removeEventListener('message', onMessage))
  }

  has(node: MeshNode, topic: string, data: Uint8Array): boolean {
    return this.#seen.get(node)?.has(key(topic, data)) ?? false
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop()
  }
}

const key = (topic: string, data: Uint8Array): string => `${topic} ${Buffer.from(data).toString('base64')}`
