// Operator registration through the real EigenLayer flow, with the libp2p peer on chain:
// registerAsOperator (sets the allocation delay) → modifyAllocations → (delay) →
// AllocationManager.registerForOperatorSets, whose callback into our registrar stores the peer id
// and the peer key's consent signature. Nodes read every operator's current peer from the registrar
// alone and keep only entries whose peer signature verifies (the EVM cannot check Ed25519).
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import {
  bytesToHex,
  concatBytes,
  decodeAbiParameters,
  encodeAbiParameters,
  getAddress,
  hexToBytes,
  keccak256,
  parseAbi,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem'
import type { PeerPrivateKey } from '../stake/binding.ts'
import { send, type ChainWriter } from './avs.ts'
import { compileStandIns } from './compile.ts'

/** EigenLayer v1.12.0 write calls an operator makes (selectors pinned in test/stake/selectors.test.ts). */
export const operatorWriteAbi = parseAbi([
  'struct OperatorSet { address avs; uint32 id; }',
  'struct AllocateParams { OperatorSet operatorSet; address[] strategies; uint64[] newMagnitudes; }',
  'struct RegisterParams { address avs; uint32[] operatorSetIds; bytes data; }',
  'struct DeregisterParams { address operator; address avs; uint32[] operatorSetIds; }',
  'function registerAsOperator(address initDelegationApprover, uint32 allocationDelay, string metadataURI)',
  'function modifyAllocations(address operator, AllocateParams[] params)',
  'function registerForOperatorSets(address operator, RegisterParams params)',
  'function deregisterFromOperatorSets(DeregisterParams params)',
  'function getAllocationDelay(address operator) view returns (bool isSet, uint32 delay)',
  'function isOperator(address operator) view returns (bool)',
])

/** Domain separation for the peer key's consent to be bound to an operator on chain. */
export const REGISTRAR_PEER_PREFIX = new TextEncoder().encode('prover-mesh/registrar-peer/v1')

function consentBytes(chainId: number, registrar: Address, operator: Address): Uint8Array {
  const inner = keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'address' }, { type: 'address' }],
      [BigInt(chainId), getAddress(registrar), getAddress(operator)],
    ),
  )
  return concatBytes([REGISTRAR_PEER_PREFIX, hexToBytes(inner)])
}

/** The registration data: abi.encode(string peerId, bytes peerSignature). */
export async function peerRegistrationData(args: {
  readonly chainId: number
  readonly registrar: Address
  readonly operator: Address
  readonly peerKey: PeerPrivateKey
}): Promise<Hex> {
  const peerId = peerIdFromPrivateKey(args.peerKey).toString()
  const signature = await args.peerKey.sign(consentBytes(args.chainId, args.registrar, args.operator))
  return encodeAbiParameters([{ type: 'string' }, { type: 'bytes' }], [peerId, bytesToHex(signature)])
}

export function decodePeerRegistrationData(data: Hex): { peerId: string; peerSignature: Hex } {
  const [peerId, peerSignature] = decodeAbiParameters([{ type: 'string' }, { type: 'bytes' }], data)
  return { peerId, peerSignature }
}

/** Whether `peerSignature` is the named peer's consent to be `operator`'s peer at this registrar. */
export async function verifyPeerConsent(
  entry: { readonly operator: Address; readonly peerId: string; readonly peerSignature: Hex },
  chainId: number,
  registrar: Address,
): Promise<boolean> {
  try {
    const peer = peerIdFromString(entry.peerId)
    if (peer.toString() !== entry.peerId || !peer.publicKey) return false
    return await peer.publicKey.verify(
      consentBytes(chainId, registrar, entry.operator),
      hexToBytes(entry.peerSignature),
    )
  } catch {
    return false
  }
}

export interface RegisterOptions {
  readonly allocationManager: Address
  readonly delegationManager: Address
  readonly registrar: Address
  readonly avs: Address
  readonly operatorSetId: number
  readonly strategies: readonly Address[]
  /** Magnitude per strategy, WAD = 100 %. */
  readonly magnitude: bigint
  readonly peerKey: PeerPrivateKey
  /** Blocks allocations wait; used only when the operator is not yet an EigenLayer operator. */
  readonly allocationDelay?: number
  /** Called while waiting for the allocation delay (a local chain mines; a real one just waits). */
  readonly waitBlocks?: (blocks: number) => Promise<void>
}

export interface RegisterResult {
  readonly peerId: string
  readonly gas: { readonly registerAsOperator?: bigint; readonly allocate: bigint; readonly register: bigint }
  readonly registerTx: Hex
}

/** Runs the whole flow for the wallet's account as operator. */
export async function registerOperator(client: ChainWriter, o: RegisterOptions): Promise<RegisterResult> {
  const operator = client.account.address
  const gas: { registerAsOperator?: bigint; allocate: bigint; register: bigint } = {
    allocate: 0n,
    register: 0n,
  }
  const isOperator = await client.readContract({
    address: o.delegationManager,
    abi: operatorWriteAbi,
    functionName: 'isOperator',
    args: [operator],
  })
  if (!isOperator) {
    gas.registerAsOperator = (
      await send(client, o.delegationManager, operatorWriteAbi, 'registerAsOperator', [
        '0x0000000000000000000000000000000000000000',
        o.allocationDelay ?? 0,
        '',
      ])
    ).gas
  }
  const [isSet, delay] = await client.readContract({
    address: o.allocationManager,
    abi: operatorWriteAbi,
    functionName: 'getAllocationDelay',
    args: [operator],
  })
  if (!isSet) throw new Error(`operator ${operator}: its allocation delay is not in effect yet`)
  const set = { avs: o.avs, id: o.operatorSetId }
  gas.allocate = (
    await send(client, o.allocationManager, operatorWriteAbi, 'modifyAllocations', [
      operator,
      [{ operatorSet: set, strategies: o.strategies, newMagnitudes: o.strategies.map(() => o.magnitude) }],
    ])
  ).gas
  if (delay > 0) {
    if (!o.waitBlocks) throw new Error(`allocation takes effect in ${delay} blocks: pass waitBlocks`)
    await o.waitBlocks(delay)
  }
  const chainId = await client.getChainId()
  const data = await peerRegistrationData({ chainId, registrar: o.registrar, operator, peerKey: o.peerKey })
  const registered = await send(client, o.allocationManager, operatorWriteAbi, 'registerForOperatorSets', [
    operator,
    { avs: o.avs, operatorSetIds: [o.operatorSetId], data },
  ])
  gas.register = registered.gas
  return { peerId: peerIdFromPrivateKey(o.peerKey).toString(), gas, registerTx: registered.hash }
}

async function registrarAbi() {
  return (await compileStandIns()).ProverMeshRegistrar.abi
}

/** Rotation: the registered operator names a new peer. */
export async function rotatePeer(
  client: ChainWriter,
  registrar: Address,
  peerKey: PeerPrivateKey,
): Promise<{ hash: Hex; gas: bigint }> {
  const data = await peerRegistrationData({
    chainId: await client.getChainId(),
    registrar,
    operator: client.account.address,
    peerKey,
  })
  return send(client, registrar, await registrarAbi(), 'updatePeer', [data])
}

export interface OperatorPeer {
  readonly operator: Address
  readonly peerId: string
  readonly peerSignature: Hex
}

/**
 * Every registered operator's current peer, read at `blockNumber` (the epoch's pinned block when
 * given); entries whose peer signature does not verify are dropped and counted.
 */
export async function readOperatorPeers(
  client: PublicClient,
  registrar: Address,
  blockNumber?: bigint,
): Promise<{ peers: OperatorPeer[]; rejected: number }> {
  const [operators, peerIds, peerSignatures] = (await client.readContract({
    address: registrar,
    abi: await registrarAbi(),
    functionName: 'operatorPeers',
    ...(blockNumber === undefined ? {} : { blockNumber }),
  })) as [Address[], string[], Hex[]]
  const chainId = await client.getChainId()
  const peers: OperatorPeer[] = []
  let rejected = 0
  for (let i = 0; i < operators.length; i++) {
    const entry = {
      operator: getAddress(operators[i]!),
      peerId: peerIds[i]!,
      peerSignature: peerSignatures[i]!,
    }
    if (await verifyPeerConsent(entry, chainId, registrar)) peers.push(entry)
    else rejected++
  }
  peers.sort((a, b) => (a.operator.toLowerCase() < b.operator.toLowerCase() ? -1 : 1))
  return { peers, rejected }
}
