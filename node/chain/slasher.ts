// Slashing on verifiable evidence (ProverMeshSlasher → AllocationManager.slashOperator). A node signs
// a slash request only after verifying the evidence itself (node/market/evidence.ts: an invalid proof
// under the prover's signature, or two conflicting seals of one leader); the request names the
// evidence by its id (sha256 of the evidence message) and its kind, and the contract fixes the
// fraction slashed per kind. Deadline misses cannot be shown to others and are never slashed.
import { getAddress, type Address, type Hex, type LocalAccount } from 'viem'
import type { EvidenceKind } from '../../auction/evidence.ts'
import { send, type ChainWriter } from './avs.ts'
import { compileStandIns } from './compile.ts'
import { quorumDomain } from './escrow.ts'

export const SLASH_KINDS: Record<EvidenceKind, number> = { INVALID_PROOF: 1, EQUIVOCATION: 2 }

export interface SlashRequest {
  readonly operator: Address
  readonly evidenceId: Hex
  readonly kind: number
}

export const SLASH_TYPES = {
  SlashRequest: [
    { name: 'operator', type: 'address' },
    { name: 'evidenceId', type: 'bytes32' },
    { name: 'kind', type: 'uint8' },
  ],
} as const

/** What a node knows after verifying evidence (VerifiedFault of node/market/evidence.ts, in part). */
export interface VerifiedEvidence {
  /** sha256 of the evidence message, hex without 0x. */
  readonly id: string
  readonly kind: EvidenceKind
  readonly operator: string
}

/**
 * Verifies the evidence with the node's own verifier and only then signs the slash request it implies.
 * Forged evidence makes `verify` throw, and nothing is signed.
 */
export async function signSlashForEvidence(args: {
  readonly evidence: Uint8Array
  readonly verify: (bytes: Uint8Array) => Promise<VerifiedEvidence>
  readonly account: LocalAccount
  readonly chainId: number
  readonly slasher: Address
}): Promise<{ request: SlashRequest; signer: Address; signature: Hex }> {
  const fault = await args.verify(args.evidence)
  const request: SlashRequest = {
    operator: getAddress(fault.operator),
    evidenceId: `0x${fault.id}`,
    kind: SLASH_KINDS[fault.kind],
  }
  if (!args.account.signTypedData) throw new Error('account cannot sign typed data')
  const signature = await args.account.signTypedData({
    domain: quorumDomain(args.chainId, args.slasher),
    types: SLASH_TYPES,
    primaryType: 'SlashRequest',
    message: request,
  })
  return { request, signer: getAddress(args.account.address), signature }
}

export async function submitSlash(
  client: ChainWriter,
  slasher: Address,
  request: SlashRequest,
  signatures: Hex[],
) {
  const abi = (await compileStandIns()).ProverMeshSlasher.abi
  return send(client, slasher, abi, 'slash', [request, signatures])
}
