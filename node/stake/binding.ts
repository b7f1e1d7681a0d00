// The operator ↔ peer binding (shared notes/eigenlayer.md §4.2): the operator's Ethereum key signs an
// EIP-712 PeerBinding naming the libp2p peer id, and the peer's key countersigns the same digest, so
// neither half can be claimed by someone else and the pair is safe to gossip and relay.
//
// Replay protection: the EIP-712 domain carries chainId and our AVS as verifyingContract (no replay
// across chains or AVSs), the message carries avs + operatorSetId (none across operator sets), and the
// highest nonce per operator wins (rotation and revocation without a transaction; see registry.ts).
// A binding with an empty peerId and a higher nonce revokes the operator's previous binding.
import { privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import {
  bytesToHex,
  concatBytes,
  getAddress,
  hashTypedData,
  hexToBytes,
  isAddress,
  isHex,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from 'viem'
import { BindingError } from './errors.ts'

export interface PeerBinding {
  readonly operator: Address
  /** Canonical base58btc libp2p peer id; '' revokes. */
  readonly peerId: string
  readonly avs: Address
  readonly operatorSetId: number
  readonly nonce: bigint
  /** Unix seconds. */
  readonly issuedAt: bigint
  /** Unix seconds; the binding is invalid from this second on. */
  readonly expiry: bigint
}

export interface SignedPeerBinding {
  readonly binding: PeerBinding
  /** EIP-712 signature by the operator (65-byte ECDSA for EOAs; anything ERC-1271 accepts for contracts). */
  readonly operatorSignature: Hex
  /** The peer key's signature over PEER_SIGNATURE_PREFIX || digest; '0x' for a revocation. */
  readonly peerSignature: Hex
}

/** What a node accepts: the chain and operator set it reads stake from, and lifetime bounds. */
export interface BindingPolicy {
  readonly chainId: number
  readonly avs: Address
  readonly operatorSetId: number
  /** Longest allowed expiry - issuedAt, in seconds. */
  readonly maxLifetimeSec: number
  /** Tolerated clock difference for issuedAt in the future, in seconds. */
  readonly clockSkewSec: number
}

export const DEFAULT_MAX_LIFETIME_SEC = 30 * 24 * 3600
export const DEFAULT_CLOCK_SKEW_SEC = 120

/** The policy for the chain and operator set a stake config reads, with the default lifetime bounds. */
export function bindingPolicy(config: {
  readonly chainId: number
  readonly avs: Address
  readonly operatorSetId: number
}): BindingPolicy {
  return {
    chainId: config.chainId,
    avs: config.avs,
    operatorSetId: config.operatorSetId,
    maxLifetimeSec: DEFAULT_MAX_LIFETIME_SEC,
    clockSkewSec: DEFAULT_CLOCK_SKEW_SEC,
  }
}

export const PEER_BINDING_TYPES = {
  PeerBinding: [
    { name: 'operator', type: 'address' },
    { name: 'peerId', type: 'string' },
    { name: 'avs', type: 'address' },
    { name: 'operatorSetId', type: 'uint32' },
    { name: 'nonce', type: 'uint64' },
    { name: 'issuedAt', type: 'uint64' },
    { name: 'expiry', type: 'uint64' },
  ],
} as const

/** Domain separation for the peer key's countersignature, as libp2p signed envelopes do. */
export const PEER_SIGNATURE_PREFIX = new TextEncoder().encode('prover-mesh/peer-binding/v1')

export function bindingDomain(chainId: number, avs: Address) {
  return { name: 'ProverMesh', version: '1', chainId, verifyingContract: avs } as const
}

function typedData(binding: PeerBinding, chainId: number) {
  return {
    domain: bindingDomain(chainId, binding.avs),
    types: PEER_BINDING_TYPES,
    primaryType: 'PeerBinding',
    message: { ...binding },
  } as const
}

export function bindingDigest(binding: PeerBinding, chainId: number): Hex {
  return hashTypedData(typedData(binding, chainId))
}

function peerSignedBytes(digest: Hex): Uint8Array {
  return concatBytes([PEER_SIGNATURE_PREFIX, hexToBytes(digest)])
}

export type PeerPrivateKey = Parameters<typeof privateKeyToProtobuf>[0]

/** Signs a binding with the operator account and countersigns it with the peer key. */
export async function signPeerBinding(args: {
  readonly binding: PeerBinding
  readonly chainId: number
  /** The operator's key; for a contract operator, a key its ERC-1271 isValidSignature accepts. */
  readonly operator: LocalAccount
  /** Absent only for a revocation (empty peerId). */
  readonly peerKey?: PeerPrivateKey
  /** binding.operator is a contract (ERC-1271) whose signer is `operator`, not the same address. */
  readonly contractOperator?: boolean
}): Promise<SignedPeerBinding> {
  const { binding, chainId, operator, peerKey } = args
  if (!args.contractOperator && getAddress(operator.address) !== getAddress(binding.operator)) {
    throw new BindingError('malformed', 'operator', 'is not the address of the signing operator key')
  }
  let peerSignature: Hex = '0x'
  if (binding.peerId !== '') {
    if (!peerKey) throw new BindingError('malformed', 'peerId', 'needs the peer key to countersign')
    if (peerIdFromPrivateKey(peerKey).toString() !== binding.peerId) {
      throw new BindingError('malformed', 'peerId', 'is not the peer id of the countersigning peer key')
    }
    peerSignature = bytesToHex(await peerKey.sign(peerSignedBytes(bindingDigest(binding, chainId))))
  }
  if (!operator.signTypedData)
    throw new BindingError('malformed', 'operator', 'account cannot sign typed data')
  const operatorSignature = await operator.signTypedData(typedData(binding, chainId))
  return { binding, operatorSignature, peerSignature }
}

/** Checks chain, operator set and time bounds; pure, no signatures. */
export function checkBindingPolicy(binding: PeerBinding, policy: BindingPolicy, nowMs: number): void {
  if (getAddress(binding.avs) !== getAddress(policy.avs)) {
    throw new BindingError('wrong-avs', 'avs', `is ${binding.avs}, this network's AVS is ${policy.avs}`)
  }
  if (binding.operatorSetId !== policy.operatorSetId) {
    throw new BindingError(
      'wrong-operator-set',
      'operatorSetId',
      `is ${binding.operatorSetId}, this network's operator set is ${policy.operatorSetId}`,
    )
  }
  checkBindingTimes(binding, policy, nowMs)
  if (binding.expiry - binding.issuedAt > BigInt(policy.maxLifetimeSec)) {
    throw new BindingError(
      'lifetime-too-long',
      'expiry',
      `is more than ${policy.maxLifetimeSec} s after issuedAt`,
    )
  }
}

/** Time bounds only: also re-checked at every admission, since a stored binding can expire. */
export function checkBindingTimes(binding: PeerBinding, policy: BindingPolicy, nowMs: number): void {
  const now = BigInt(Math.floor(nowMs / 1000))
  if (binding.expiry <= now)
    throw new BindingError('expired', 'expiry', `${binding.expiry} is not after now (${now})`)
  if (binding.issuedAt > now + BigInt(policy.clockSkewSec)) {
    throw new BindingError('not-yet-valid', 'issuedAt', `${binding.issuedAt} is in the future (now ${now})`)
  }
}

/** Verifies the peer's countersignature with the public key inlined in the peer id (no network). */
export async function verifyPeerSignature(signed: SignedPeerBinding, chainId: number): Promise<void> {
  const { binding } = signed
  if (binding.peerId === '') {
    if (signed.peerSignature !== '0x')
      throw new BindingError('malformed', 'peerSignature', 'must be 0x for a revocation')
    return
  }
  const publicKey = peerIdFromString(binding.peerId).publicKey
  if (!publicKey)
    throw new BindingError(
      'bad-peer-id',
      'peerId',
      'does not inline its public key (use Ed25519 or secp256k1)',
    )
  const ok = await publicKey.verify(
    peerSignedBytes(bindingDigest(binding, chainId)),
    hexToBytes(signed.peerSignature),
  )
  if (!ok)
    throw new BindingError('bad-peer-signature', 'peerSignature', 'does not verify against the peer id key')
}

/**
 * Verifies the operator's EIP-712 signature. An EOA signature is checked locally (ecrecover, no
 * network); anything else goes through the public client's verifyTypedData, which handles contract
 * operators (ERC-1271, and ERC-6492 counterfactual wallets) with one eth_call. An RPC failure there
 * is thrown as is, not as a BindingError: we could not check, which is not the sender's fault.
 */
export async function verifyOperatorSignature(
  signed: SignedPeerBinding,
  chainId: number,
  client: PublicClient,
): Promise<void> {
  const data = typedData(signed.binding, chainId)
  try {
    const recovered = await recoverTypedDataAddress({ ...data, signature: signed.operatorSignature })
    if (getAddress(recovered) === signed.binding.operator) return
  } catch {
    // Not a 65-byte ECDSA signature: may still be valid for a contract operator.
  }
  const ok = await client.verifyTypedData({
    address: signed.binding.operator,
    signature: signed.operatorSignature,
    ...data,
  })
  if (!ok) {
    throw new BindingError(
      'bad-operator-signature',
      'operatorSignature',
      `is not a valid signature by ${signed.binding.operator}`,
    )
  }
}

// ---- wire/file encoding: JSON with bigints as decimal strings ----

export function encodeSignedBinding(signed: SignedPeerBinding): string {
  const b = signed.binding
  return JSON.stringify({
    binding: {
      operator: b.operator,
      peerId: b.peerId,
      avs: b.avs,
      operatorSetId: b.operatorSetId,
      nonce: b.nonce.toString(),
      issuedAt: b.issuedAt.toString(),
      expiry: b.expiry.toString(),
    },
    operatorSignature: signed.operatorSignature,
    peerSignature: signed.peerSignature,
  })
}

const UINT64_MAX = 2n ** 64n - 1n

function uint64(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9]\d{0,19})$/.test(value) || BigInt(value) > UINT64_MAX) {
    throw new BindingError('malformed', field, 'must be a decimal uint64 string')
  }
  return BigInt(value)
}

function addressField(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new BindingError('malformed', field, 'must be a 20-byte hex address')
  }
  return getAddress(value)
}

function hexField(value: unknown, field: string, maxBytes: number): Hex {
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length % 2 !== 0) {
    throw new BindingError('malformed', field, 'must be 0x-prefixed hex')
  }
  if ((value.length - 2) / 2 > maxBytes)
    throw new BindingError('malformed', field, `must be at most ${maxBytes} bytes`)
  return value
}

/** Parses and validates untrusted input (a gossip message or a file), naming the first bad field. */
export function decodeSignedBinding(input: string | Uint8Array): SignedPeerBinding {
  if (input.length > 8192) throw new BindingError('malformed', 'binding', 'is larger than 8192 bytes')
  let raw: unknown
  try {
    raw = JSON.parse(
      typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input),
    )
  } catch {
    throw new BindingError('malformed', 'binding', 'is not UTF-8 JSON')
  }
  const top = raw as Record<string, unknown> | null
  if (typeof top !== 'object' || top === null)
    throw new BindingError('malformed', 'binding', 'must be an object')
  const b = top.binding as Record<string, unknown> | null
  if (typeof b !== 'object' || b === null) throw new BindingError('malformed', 'binding', 'must be an object')
  const peerId = b.peerId
  if (typeof peerId !== 'string' || peerId.length > 128) {
    throw new BindingError('malformed', 'peerId', 'must be a string of at most 128 characters')
  }
  if (peerId !== '') {
    let canonical: string
    try {
      canonical = peerIdFromString(peerId).toString()
    } catch {
      throw new BindingError('bad-peer-id', 'peerId', 'is not a libp2p peer id')
    }
    if (canonical !== peerId)
      throw new BindingError('bad-peer-id', 'peerId', 'is not in canonical base58btc form')
  }
  const operatorSetId = b.operatorSetId
  if (
    typeof operatorSetId !== 'number' ||
    !Number.isInteger(operatorSetId) ||
    operatorSetId < 0 ||
    operatorSetId > 2 ** 32 - 1
  ) {
    throw new BindingError('malformed', 'operatorSetId', 'must be a uint32 number')
  }
  return {
    binding: {
      operator: addressField(b.operator, 'operator'),
      peerId,
      avs: addressField(b.avs, 'avs'),
      operatorSetId,
      nonce: uint64(b.nonce, 'nonce'),
      issuedAt: uint64(b.issuedAt, 'issuedAt'),
      expiry: uint64(b.expiry, 'expiry'),
    },
    operatorSignature: hexField(top.operatorSignature, 'operatorSignature', 4096),
    peerSignature: hexField(top.peerSignature, 'peerSignature', 256),
  }
}
