// Deploys the EigenLayer stand-ins on a fresh anvil and seeds operators, deterministically: the same
// deployer account and transaction order always give the addresses in node/stake/config.ts
// (LOCAL_DEPLOYMENT), and operator i is always the same account with the same stake.
import {
  createWalletClient,
  getAddress,
  http,
  keccak256,
  numberToHex,
  publicActions,
  type Abi,
  type Address,
  type Hex,
} from 'viem'
import { mnemonicToAccount, privateKeyToAccount, type HDAccount, type LocalAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { BEACON_CHAIN_ETH_STRATEGY, LOCAL_DEPLOYMENT } from '../stake/config.ts'
import type { PeerPrivateKey } from '../stake/binding.ts'
import { DEFAULT_AVS_PARAMS, deployAvs, type AvsDeployment, type ChainWriter } from './avs.ts'
import { registerOperator, type RegisterResult } from './registrar.ts'
import { compileStandIns, type Artifact, type ContractName } from './compile.ts'

/** anvil's default mnemonic: account 0 deploys and owns our AVS, accounts 1.. are operators, 9 the treasury. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk'
const WAD = 10n ** 18n
/** Stand-in LST strategy rate: 1.1 tokens per share, so share→token conversion is exercised. */
const STRATEGY_RATE = (11n * WAD) / 10n
/** Small, like the testnets' 50 blocks, so tests can step past it with anvil_mine. */
export const LOCAL_DEALLOCATION_DELAY = 50
/** Testnets' ALLOCATION_CONFIGURATION_DELAY (75 blocks). */
export const LOCAL_ALLOCATION_CONFIGURATION_DELAY = 75

export interface LocalDeployment {
  readonly strategy: Address
  readonly delegationManager: Address
  readonly allocationManager: Address
  readonly permissionController: Address
  /** The escrow's ERC-20 (StandInToken: anyone may mint on the local chain). */
  readonly token: Address
  readonly treasury: Address
  /** Our AVS: the service manager's address. */
  readonly avs: Address
  readonly operatorSetId: number
  readonly strategies: readonly Address[]
  readonly ours: AvsDeployment
  readonly abis: { readonly delegationManager: Abi; readonly allocationManager: Abi }
  readonly artifacts: Record<ContractName, Artifact>
}

export function anvilAccount(index: number): HDAccount {
  return mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index })
}

/** Deterministic operator addresses beyond anvil's funded accounts (they never send transactions). */
export function syntheticOperator(index: number): Address {
  return privateKeyToAccount(keccak256(numberToHex(index + 1, { size: 32 }))).address
}

export function deployerClient(rpcUrl: string) {
  return createWalletClient({ account: anvilAccount(0), chain: foundry, transport: http(rpcUrl) }).extend(
    publicActions,
  )
}

type DeployerClient = ReturnType<typeof deployerClient>

async function deploy(
  client: DeployerClient,
  artifact: Artifact,
  args: readonly unknown[],
): Promise<Address> {
  const hash = await client.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args })
  const receipt = await client.waitForTransactionReceipt({ hash })
  if (!receipt.contractAddress) throw new Error('deployment receipt lacks a contract address')
  return getAddress(receipt.contractAddress)
}

/**
 * Deploys the stand-ins (Strategy, DelegationManager, AllocationManager with its PermissionController,
 * a token) and our AVS contracts, and creates our operator set through the real flow (node/chain/avs.ts).
 */
export async function deployStandIns(rpcUrl: string): Promise<LocalDeployment> {
  const artifacts = await compileStandIns()
  const client = deployerClient(rpcUrl)
  const strategy = await deploy(client, artifacts.StandInStrategy, [BEACON_CHAIN_ETH_STRATEGY, STRATEGY_RATE])
  const delegationManager = await deploy(client, artifacts.StandInDelegationManager, [])
  const allocationManager = await deploy(client, artifacts.StandInAllocationManager, [
    delegationManager,
    LOCAL_DEALLOCATION_DELAY,
    LOCAL_ALLOCATION_CONFIGURATION_DELAY,
  ])
  const token = await deploy(client, artifacts.StandInToken, [])
  const permissionController = getAddress(
    (await client.readContract({
      address: allocationManager,
      abi: artifacts.StandInAllocationManager.abi,
      functionName: 'permissionController',
    })) as Address,
  )
  const strategies = [BEACON_CHAIN_ETH_STRATEGY, strategy]
  const treasury = anvilAccount(9).address
  const ours = await deployAvs(client, {
    ...DEFAULT_AVS_PARAMS,
    allocationManager,
    permissionController,
    token,
    treasury,
    operatorSetId: LOCAL_DEPLOYMENT.operatorSetId,
    strategies,
  })
  return {
    strategy,
    delegationManager,
    allocationManager,
    permissionController,
    token,
    treasury,
    avs: ours.serviceManager,
    operatorSetId: ours.operatorSetId,
    strategies,
    ours,
    abis: {
      delegationManager: artifacts.StandInDelegationManager.abi,
      allocationManager: artifacts.StandInAllocationManager.abi,
    },
    artifacts,
  }
}

/** Sends one stand-in control transaction and waits until it is mined; reverts surface as errors. */
export async function write(
  client: DeployerClient,
  deployment: LocalDeployment,
  functionName: string,
  args: readonly unknown[],
): Promise<Hex> {
  const onDelegation = functionName === 'mockRegisterOperator' || functionName === 'mockSetShares'
  const hash = await client.writeContract({
    address: onDelegation ? deployment.delegationManager : deployment.allocationManager,
    abi: onDelegation ? deployment.abis.delegationManager : deployment.abis.allocationManager,
    functionName,
    args,
  })
  const receipt = await client.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`${functionName} reverted`)
  return hash
}

export interface SeedOptions {
  /** Shares per strategy for each operator (same order as `operators`); default 40 ether each. */
  readonly shares?: readonly bigint[]
  /** Magnitude allocated to our set, WAD = 100 % (default). */
  readonly magnitude?: bigint
  /** Operators per transaction. */
  readonly batch?: number
  /** Operator set to join; ours by default. */
  readonly operatorSetId?: number
}

/** Registers operators, gives them shares in every strategy, allocates and adds them to the set. */
export async function seedOperators(
  rpcUrl: string,
  deployment: LocalDeployment,
  operators: readonly Address[],
  options: SeedOptions = {},
): Promise<void> {
  const client = deployerClient(rpcUrl)
  const batch = options.batch ?? 100
  for (let i = 0; i < operators.length; i += batch) {
    const chunk = operators.slice(i, i + batch)
    const shares = chunk.map((_, j) => options.shares?.[i + j] ?? 40n * WAD)
    await write(client, deployment, 'mockSeedOperators', [
      { avs: deployment.avs, id: options.operatorSetId ?? deployment.operatorSetId },
      chunk,
      deployment.strategies,
      shares,
      options.magnitude ?? WAD,
    ])
  }
}

/** The default local operators: anvil accounts 1..n (their keys are known, so they can sign bindings). */
export function localOperators(n: number): Address[] {
  return Array.from({ length: n }, (_, i) => anvilAccount(i + 1).address)
}

/**
 * An operator joins our set through the real flow (registerAsOperator, modifyAllocations,
 * registerForOperatorSets → our registrar, with its peer id); only its delegated shares come from the
 * seeding shortcut, since the local chain has no stakers. Funds the account with gas money first.
 */
export async function registerLocalOperator(
  rpcUrl: string,
  deployment: LocalDeployment,
  account: LocalAccount,
  peerKey: PeerPrivateKey,
  shares: bigint = 40n * WAD,
): Promise<RegisterResult> {
  const deployer = deployerClient(rpcUrl)
  await deployer.request({
    method: 'anvil_setBalance',
    params: [account.address, numberToHex(10n ** 20n)],
  } as never)
  for (const strategy of deployment.strategies)
    await write(deployer, deployment, 'mockSetShares', [account.address, strategy, shares])
  const wallet = createWalletClient({ account, chain: foundry, transport: http(rpcUrl) }).extend(
    publicActions,
  )
  return registerOperator(wallet as ChainWriter, {
    allocationManager: deployment.allocationManager,
    delegationManager: deployment.delegationManager,
    registrar: deployment.ours.registrar,
    avs: deployment.avs,
    operatorSetId: deployment.operatorSetId,
    strategies: deployment.strategies,
    magnitude: WAD,
    peerKey,
  })
}
