// `prover-mesh escrow deposit|balance|withdraw`: a client's (or an operator's) balance in our escrow.
// Amounts are integers in the token's smallest unit. Addresses default to the local preset's.
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  isAddress,
  publicActions,
  type Address,
  type PublicClient,
  BaseError,
  ContractFunctionRevertedError,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import type { ChainWriter } from '../chain/avs.ts'
import { depositToEscrow, escrowBalance, withdrawFromEscrow } from '../chain/escrow.ts'
import { LOCAL_DEPLOYMENT } from '../stake/config.ts'
import { parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'
import { operatorKey } from './operator.ts'

const COMMON = {
  rpc: { type: 'string' },
  'key-file': { type: 'string' },
  escrow: { type: 'string' },
  token: { type: 'string' },
  amount: { type: 'string' },
  account: { type: 'string' },
} as const

function addressFlag(value: string | undefined, flag: string, fallback: string): Address {
  const v = value ?? fallback
  if (!isAddress(v, { strict: false }))
    throw new UsageError(`--${flag} must be a 20-byte hex address, got '${v}'`)
  return getAddress(v)
}

function amountFlag(value: string | undefined, usage: string): bigint {
  const v = requireFlag(value, 'amount', usage)
  if (!/^[1-9]\d{0,77}$/.test(v))
    throw new UsageError(`--amount must be a positive integer (smallest unit), got '${v}'`)
  return BigInt(v)
}

async function writer(rpc: string, keyFile: string | undefined): Promise<ChainWriter> {
  const account = privateKeyToAccount(await operatorKey(keyFile))
  const chainId = await createPublicClient({ transport: http(rpc) }).getChainId()
  return createWalletClient({ account, chain: { ...foundry, id: chainId }, transport: http(rpc) }).extend(
    publicActions,
  ) as ChainWriter
}

/** A revert as one line naming the contract's error (InsufficientBalance, …), not viem's whole report. */
function chainError(error: unknown): never {
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError)
    const name = revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : undefined
    throw new CliError(name ? `the escrow refused: ${name}` : error.shortMessage)
  }
  throw error
}

function command(action: 'deposit' | 'balance' | 'withdraw'): Command {
  const usage =
    action === 'balance'
      ? 'prover-mesh escrow balance --rpc URL (--account ADDR | --key-file F) [--escrow ADDR]'
      : `prover-mesh escrow ${action} --rpc URL --key-file F --amount N [--escrow ADDR]${action === 'deposit' ? ' [--token ADDR]' : ''}`
  return {
    path: ['escrow', action],
    summary:
      action === 'deposit'
        ? 'approve and deposit tokens into the escrow'
        : action === 'balance'
          ? "print an account's escrow balance"
          : 'withdraw tokens from the escrow',
    usage,
    async run(argv) {
      const { values } = parseFlags(argv, COMMON, usage)
      const rpc = requireFlag(values.rpc, 'rpc', usage)
      const escrow = addressFlag(values.escrow, 'escrow', LOCAL_DEPLOYMENT.escrow)
      if (action === 'balance') {
        const account =
          values.account !== undefined
            ? addressFlag(values.account, 'account', '')
            : privateKeyToAccount(await operatorKey(values['key-file'])).address
        const client = createPublicClient({ transport: http(rpc) })
        console.log(`${account} ${await escrowBalance(client, escrow, account)}`)
        return 0
      }
      const amount = amountFlag(values.amount, usage)
      const client = await writer(rpc, values['key-file'])
      const tx = await (
        action === 'deposit'
          ? depositToEscrow(
              client,
              escrow,
              addressFlag(values.token, 'token', LOCAL_DEPLOYMENT.token),
              amount,
            )
          : withdrawFromEscrow(client, escrow, amount)
      ).catch(chainError)
      const balance = await escrowBalance(client as unknown as PublicClient, escrow, client.account.address)
      console.log(`${action} ${amount}: tx ${tx.hash}; balance ${balance}`)
      return 0
    },
  }
}

export const escrowCommands: readonly Command[] = [
  command('deposit'),
  command('balance'),
  command('withdraw'),
]
