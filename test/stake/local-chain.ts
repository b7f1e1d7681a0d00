// Test fixture: a real anvil with the stand-ins deployed and a known population of operators.
import { createPublicClient, parseEther, type Address, type PublicClient } from 'viem'
import { foundry } from 'viem/chains'
import { startAnvil, type Anvil } from '../../node/chain/anvil.ts'
import { countingHttp, createRpcCounter, type RpcCounter } from '../../node/chain/counting-transport.ts'
import {
  anvilAccount,
  deployerClient,
  deployStandIns,
  seedOperators,
  write,
  type LocalDeployment,
} from '../../node/chain/deploy.ts'

export interface LocalChain {
  readonly anvil: Anvil
  readonly deployment: LocalDeployment
  readonly client: PublicClient
  readonly counter: RpcCounter
  /** Sends a stand-in control transaction (mockSlash, mockAllocate, …) and waits for it. */
  control(functionName: string, args: readonly unknown[]): Promise<void>
  mine(blocks: number): Promise<void>
  stop(): Promise<void>
}

/** Operators by role, all anvil accounts so their keys can sign bindings. */
export const ROLES = {
  staked: anvilAccount(1),
  staked2: anvilAccount(2),
  underMinimum: anvilAccount(3),
  otherSetOnly: anvilAccount(4),
  registeredNotInSet: anvilAccount(5),
  unregistered: anvilAccount(6),
  contractLikeSpare: anvilAccount(7),
}

export const OTHER_SET_ID = 2

export async function startLocalChain(options: { rpcTimeoutMs?: number } = {}): Promise<LocalChain> {
  const anvil = await startAnvil()
  try {
    const deployment = await deployStandIns(anvil.rpcUrl)
    const wallet = deployerClient(anvil.rpcUrl)
    const control = async (functionName: string, args: readonly unknown[]): Promise<void> => {
      await write(wallet, deployment, functionName, args)
    }
    // 40 ether per strategy → 40 + 44 = 84 ether weighted stake; 10 ether → 21 ether, under the 32 minimum.
    await seedOperators(anvil.rpcUrl, deployment, [ROLES.staked.address, ROLES.staked2.address])
    await seedOperators(anvil.rpcUrl, deployment, [ROLES.underMinimum.address], {
      shares: [parseEther('10')],
    })
    await control('mockCreateOperatorSet', [{ avs: deployment.avs, id: OTHER_SET_ID }, deployment.strategies])
    await seedOperators(anvil.rpcUrl, deployment, [ROLES.otherSetOnly.address], {
      operatorSetId: OTHER_SET_ID,
    })
    await control('mockRegisterOperator', [ROLES.registeredNotInSet.address])
    await control('mockSetShares', [
      ROLES.registeredNotInSet.address,
      deployment.strategies[0],
      parseEther('100'),
    ])
    const counter = createRpcCounter()
    const client = createPublicClient({
      chain: foundry,
      transport: countingHttp(anvil.rpcUrl, counter, options.rpcTimeoutMs ?? 10_000),
    })
    return {
      anvil,
      deployment,
      client,
      counter,
      control,
      mine: async (blocks) => {
        await wallet.request({ method: 'anvil_mine', params: [`0x${blocks.toString(16)}`, '0x0'] } as never)
      },
      stop: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

export function addressOf(role: keyof typeof ROLES): Address {
  return ROLES[role].address
}
