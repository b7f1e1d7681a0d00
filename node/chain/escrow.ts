// Client escrow calls and the settlement statement operators sign (ProverMeshEscrow). Trust model in
// node/chain/README.md: the contract pays only a statement signed by operators holding at least the
// threshold share of our set's slashable stake; each signer's node signs only after checking the
// statement against the seals it accepted and the root proof.
import { getAddress, parseAbi, type Address, type Hex, type LocalAccount, type PublicClient } from 'viem'
import { send, type ChainWriter } from './avs.ts'
import { compileStandIns } from './compile.ts'

export interface Settlement {
  readonly taskId: Hex
  readonly rootProofHash: Hex
  readonly operators: readonly Address[]
  readonly amounts: readonly bigint[]
  readonly treasuryAmount: bigint
  readonly refund: bigint
}

export const SETTLEMENT_TYPES = {
  Settlement: [
    { name: 'taskId', type: 'bytes32' },
    { name: 'rootProofHash', type: 'bytes32' },
    { name: 'operators', type: 'address[]' },
    { name: 'amounts', type: 'uint256[]' },
    { name: 'treasuryAmount', type: 'uint256' },
    { name: 'refund', type: 'uint256' },
  ],
} as const

/** The EIP-712 domain of a quorum contract (escrow or slasher): name ProverMesh, version 1. */
export function quorumDomain(chainId: number, verifyingContract: Address) {
  return { name: 'ProverMesh', version: '1', chainId, verifyingContract } as const
}

export async function signSettlement(
  account: LocalAccount,
  chainId: number,
  escrow: Address,
  s: Settlement,
): Promise<{ signer: Address; signature: Hex }> {
  if (!account.signTypedData) throw new Error('account cannot sign typed data')
  const signature = await account.signTypedData({
    domain: quorumDomain(chainId, escrow),
    types: SETTLEMENT_TYPES,
    primaryType: 'Settlement',
    message: { ...s, operators: [...s.operators], amounts: [...s.amounts] },
  })
  return { signer: getAddress(account.address), signature }
}

/** The contract wants distinct signers in ascending address order. */
export function orderSignatures(signed: readonly { signer: Address; signature: Hex }[]): Hex[] {
  return [...signed]
    .sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : BigInt(a.signer) > BigInt(b.signer) ? 1 : 0))
    .map((s) => s.signature)
}

const erc20Abi = parseAbi([
  'function approve(address spender, uint256 amount) returns (bool)',
  'function balanceOf(address account) view returns (uint256)',
])

async function escrowAbi() {
  return (await compileStandIns()).ProverMeshEscrow.abi
}

export async function depositToEscrow(client: ChainWriter, escrow: Address, token: Address, amount: bigint) {
  const approve = await send(client, token, erc20Abi, 'approve', [escrow, amount])
  const deposit = await send(client, escrow, await escrowAbi(), 'deposit', [amount])
  return { hash: deposit.hash, gas: approve.gas + deposit.gas }
}

export async function withdrawFromEscrow(client: ChainWriter, escrow: Address, amount: bigint) {
  return send(client, escrow, await escrowAbi(), 'withdraw', [amount])
}

export async function escrowBalance(
  client: PublicClient,
  escrow: Address,
  account: Address,
): Promise<bigint> {
  return (await client.readContract({
    address: escrow,
    abi: await escrowAbi(),
    functionName: 'balanceOf',
    args: [account],
  })) as bigint
}

export async function lockTask(
  client: ChainWriter,
  escrow: Address,
  taskId: Hex,
  amount: bigint,
  expiresAt: bigint,
) {
  return send(client, escrow, await escrowAbi(), 'lock', [taskId, amount, expiresAt])
}

/** Anyone may submit a quorum-signed settlement; `signatures` in ascending signer order. */
export async function submitSettlement(
  client: ChainWriter,
  escrow: Address,
  s: Settlement,
  signatures: Hex[],
) {
  return send(client, escrow, await escrowAbi(), 'settle', [
    { ...s, operators: [...s.operators], amounts: [...s.amounts] },
    signatures,
  ])
}

export async function refundExpired(client: ChainWriter, escrow: Address, taskId: Hex) {
  return send(client, escrow, await escrowAbi(), 'refundExpired', [taskId])
}

export interface TaskLock {
  readonly client: Address
  readonly expiresAt: bigint
  readonly state: 'none' | 'locked' | 'settled' | 'refunded'
  readonly locked: bigint
}

const STATES = ['none', 'locked', 'settled', 'refunded'] as const

export async function readTask(client: PublicClient, escrow: Address, taskId: Hex): Promise<TaskLock> {
  const [owner, expiresAt, state, locked] = (await client.readContract({
    address: escrow,
    abi: await escrowAbi(),
    functionName: 'tasks',
    args: [taskId],
  })) as [Address, bigint, number, bigint]
  return { client: owner, expiresAt, state: STATES[state] ?? 'none', locked }
}
