// Deploys prover-mesh's AVS contracts (service manager, registrar, escrow, slasher) onto any chain
// with EigenLayer's AllocationManager + PermissionController, and sets the AVS up through the real
// flow: metadata URI, registrar, then our operator set with its strategies and our slasher. Used by
// `prover-mesh avs deploy` and by the local chain (deploy.ts).
import { getAddress, type Abi, type Account, type Address, type Chain, type Hex, type Transport } from 'viem'
import type { WalletClient, PublicActions } from 'viem'
import { compileStandIns, type Artifact, type ContractName } from './compile.ts'

const WAD = 10n ** 18n

export interface AvsParams {
  readonly allocationManager: Address
  readonly permissionController: Address
  /** ERC-20 the escrow holds. */
  readonly token: Address
  readonly treasury: Address
  readonly operatorSetId: number
  /** Strategies of our operator set (slashable; the stake oracle counts only these). */
  readonly strategies: readonly Address[]
  /** Share of the set's slashable stake that must sign a settlement or a slash, in basis points. */
  readonly thresholdBps: number
  /** Raw allocated shares an operator needs to register (at least 1). */
  readonly minimumAllocatedShares: bigint
  /** Fraction slashed per kind of evidence, WAD = 100 %. */
  readonly invalidProofWad: bigint
  readonly equivocationWad: bigint
  readonly metadataURI: string
}

export const DEFAULT_AVS_PARAMS = {
  thresholdBps: 6667,
  minimumAllocatedShares: 1n,
  invalidProofWad: WAD / 10n,
  equivocationWad: WAD / 2n,
  metadataURI: 'https://github.com/prover-mesh/prover-mesh#avs',
} as const

export interface AvsDeployment {
  readonly serviceManager: Address
  readonly registrar: Address
  readonly escrow: Address
  readonly slasher: Address
  readonly operatorSetId: number
  /** Gas used per setup step, for the record. */
  readonly gas: Readonly<Record<string, bigint>>
}

export type ChainWriter = WalletClient<Transport, Chain, Account> & PublicActions<Transport, Chain>

async function deployContract(
  client: ChainWriter,
  artifact: Artifact,
  args: readonly unknown[],
): Promise<{ address: Address; gas: bigint }> {
  const hash = await client.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args })
  const receipt = await client.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success' || !receipt.contractAddress)
    throw new Error('deployment failed: the receipt lacks a contract address')
  return { address: getAddress(receipt.contractAddress), gas: receipt.gasUsed }
}

/** Sends one transaction, waits for it, and throws (with the function name) if it reverted. */
export async function send(
  client: ChainWriter,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
): Promise<{ hash: Hex; gas: bigint }> {
  const { request } = await client.simulateContract({
    address,
    abi,
    functionName,
    args,
    account: client.account,
  })
  const hash = await client.writeContract(request)
  const receipt = await client.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`${functionName} reverted (${hash})`)
  return { hash, gas: receipt.gasUsed }
}

export async function avsArtifacts(): Promise<Record<ContractName, Artifact>> {
  return compileStandIns()
}

/** 4 deployments and 3 setup transactions from `client`'s account, which owns the service manager. */
export async function deployAvs(client: ChainWriter, params: AvsParams): Promise<AvsDeployment> {
  if (params.strategies.length === 0) throw new Error('strategies: our operator set needs at least one')
  const a = await avsArtifacts()
  const gas: Record<string, bigint> = {}
  const sm = await deployContract(client, a.ProverMeshServiceManager, [
    params.allocationManager,
    params.permissionController,
    client.account.address,
  ])
  const registrar = await deployContract(client, a.ProverMeshRegistrar, [
    params.allocationManager,
    sm.address,
    params.minimumAllocatedShares,
  ])
  const escrow = await deployContract(client, a.ProverMeshEscrow, [
    params.allocationManager,
    sm.address,
    params.operatorSetId,
    params.thresholdBps,
    params.token,
    params.treasury,
  ])
  const slasher = await deployContract(client, a.ProverMeshSlasher, [
    params.allocationManager,
    sm.address,
    params.operatorSetId,
    params.thresholdBps,
    params.invalidProofWad,
    params.equivocationWad,
  ])
  Object.assign(gas, {
    deployServiceManager: sm.gas,
    deployRegistrar: registrar.gas,
    deployEscrow: escrow.gas,
    deploySlasher: slasher.gas,
  })
  const abi = a.ProverMeshServiceManager.abi
  gas.updateAVSMetadataURI = (
    await send(client, sm.address, abi, 'updateAVSMetadataURI', [params.metadataURI])
  ).gas
  gas.setAVSRegistrar = (await send(client, sm.address, abi, 'setAVSRegistrar', [registrar.address])).gas
  gas.createOperatorSets = (
    await send(client, sm.address, abi, 'createOperatorSets', [
      [{ operatorSetId: params.operatorSetId, strategies: params.strategies, slasher: slasher.address }],
    ])
  ).gas
  return {
    serviceManager: sm.address,
    registrar: registrar.address,
    escrow: escrow.address,
    slasher: slasher.address,
    operatorSetId: params.operatorSetId,
    gas,
  }
}
