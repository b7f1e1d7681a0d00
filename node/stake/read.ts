// One consistent read of the operator set's stake at a pinned block. Three round trips whatever the
// number of operators: the block number; the members and strategy rates; the stake matrix and the
// allocations. The calls of one round trip are issued together, so an HTTP transport created with
// `batch: true` sends each round trip as a single JSON-RPC batch request. Every read names the same
// blockNumber, so the snapshot is consistent even if blocks arrive meanwhile.
import { getAddress, type Address, type ContractFunctionParameters, type PublicClient } from 'viem'
import { allocationManagerAbi, strategyAbi } from './abi.ts'
import { capacityUnits } from './capacity.ts'
import { BEACON_CHAIN_ETH_STRATEGY, type StakeConfig } from './config.ts'

const WAD = 10n ** 18n

export interface OperatorStake {
  readonly operator: Address
  /** Minimum slashable shares per configured strategy (same order as config.strategies). */
  readonly slashableShares: readonly bigint[]
  /** Σ shares × tokens-per-share × multiplier: weighted underlying-token wei, compared to minimumStake. */
  readonly stake: bigint
  readonly meetsMinimum: boolean
  /** Units this operator may offer per epoch under the capacity rule (0 below the minimum). */
  readonly capUnits: number
}

export interface StakeSnapshot {
  readonly blockNumber: bigint
  /** The futureBlock the minimum slashable stake was computed for. */
  readonly futureBlock: number
  /** Members of our operator set at blockNumber, by checksummed address. */
  readonly operators: ReadonlyMap<Address, OperatorStake>
  /** Earliest block after blockNumber at which a known pending allocation changes the figures; none if undefined. */
  readonly nextChangeBlock: bigint | undefined
}

function multicallOptions(config: StakeConfig) {
  return {
    allowFailure: false as const,
    batchSize: config.multicallBytes,
    ...('address' in config.multicall
      ? { multicallAddress: config.multicall.address }
      : { deployless: true }),
  }
}

/** Underlying-token wei per 1e18 shares of each strategy; beacon ETH has no contract and is 1:1. */
function rateCalls(config: StakeConfig) {
  const withCode = config.strategies.filter((s) => s.address !== BEACON_CHAIN_ETH_STRATEGY)
  return withCode.map(
    (s) =>
      ({
        address: s.address,
        abi: strategyAbi,
        functionName: 'sharesToUnderlyingView',
        args: [WAD],
      }) as const,
  )
}

/** The block `confirmations` behind the head (block 0 on a chain shorter than that). */
export function behindHead(head: bigint, confirmations: number): bigint {
  const block = head - BigInt(confirmations)
  return block > 0n ? block : 0n
}

export async function readStakeSnapshot(
  client: PublicClient,
  config: StakeConfig,
  pinned?: bigint,
): Promise<StakeSnapshot> {
  const blockNumber =
    pinned ?? behindHead(await client.getBlockNumber({ cacheTime: 0 }), config.confirmations)
  const operatorSet = { avs: config.avs, id: config.operatorSetId }
  const strategies = config.strategies.map((s) => s.address)

  const readAt = <T>(call: ContractFunctionParameters): Promise<T> =>
    client.readContract({ ...call, blockNumber } as Parameters<PublicClient['readContract']>[0]) as Promise<T>

  // Round trip 2: members and token rates, as plain eth_calls sent together (one JSON-RPC batch over
  // HTTP). Not a multicall: a deployless multicall returns its results as contract code, which
  // EIP-170 caps at 24 KiB, and 1000 members are already 32 KiB of addresses.
  const rateReads = rateCalls(config)
  const [members, ...rateResults] = await Promise.all([
    readAt<readonly Address[]>({
      address: config.allocationManager,
      abi: allocationManagerAbi,
      functionName: 'getMembers',
      args: [operatorSet],
    }),
    ...rateReads.map((call) => readAt<bigint>(call)),
  ])
  const rates = new Map<Address, bigint>(rateReads.map((c, i) => [c.address, rateResults[i] ?? 0n]))
  const rateOf = (s: Address): bigint => (s === BEACON_CHAIN_ETH_STRATEGY ? WAD : (rates.get(s) ?? 0n))

  // Round trip 3: the stake matrix through EigenLayer's own array view (one eth_call per chunk of
  // operators, bounding each call's gas on public RPCs), and every allocation through multicall (for
  // the blocks at which pending changes take effect), all sent together.
  const futureBlock = Number(blockNumber) + config.lookaheadBlocks
  const chunk = 100
  const stakeReads: Promise<readonly (readonly bigint[])[]>[] = []
  for (let i = 0; i < members.length; i += chunk) {
    stakeReads.push(
      readAt({
        address: config.allocationManager,
        abi: allocationManagerAbi,
        functionName: 'getMinimumSlashableStake',
        args: [operatorSet, members.slice(i, i + chunk), strategies, futureBlock],
      }),
    )
  }
  const allocationCalls: ContractFunctionParameters[] = members.flatMap((operator) =>
    strategies.map((strategy) => ({
      address: config.allocationManager,
      abi: allocationManagerAbi,
      functionName: 'getAllocation',
      args: [operator, operatorSet, strategy],
    })),
  )
  const [stakeChunks, allocations] = await Promise.all([
    Promise.all(stakeReads),
    allocationCalls.length === 0
      ? Promise.resolve([])
      : (client.multicall({
          ...multicallOptions(config),
          blockNumber,
          contracts: allocationCalls,
        }) as Promise<{ currentMagnitude: bigint; pendingDiff: bigint; effectBlock: number }[]>),
  ])
  const stakeRows = stakeChunks.flat()

  const operators = new Map<Address, OperatorStake>()
  members.forEach((member, i) => {
    const slashableShares = stakeRows[i] ?? []
    let stake = 0n
    config.strategies.forEach((s, j) => {
      stake += ((slashableShares[j] ?? 0n) * rateOf(s.address) * BigInt(s.multiplierBps)) / (WAD * 10_000n)
    })
    const operator = getAddress(member)
    operators.set(operator, {
      operator,
      slashableShares,
      stake,
      meetsMinimum: stake >= config.minimumStake,
      capUnits: capacityUnits(stake, config),
    })
  })

  // Pending allocations change the figures with no event: an increase counts from its effectBlock, a
  // decrease already counts once effectBlock <= futureBlock, i.e. from effectBlock - lookahead.
  let nextChangeBlock: bigint | undefined
  for (const a of allocations) {
    if (a.pendingDiff === 0n) continue
    const at = BigInt(a.pendingDiff > 0n ? a.effectBlock : a.effectBlock - config.lookaheadBlocks)
    if (at > blockNumber && (nextChangeBlock === undefined || at < nextChangeBlock)) nextChangeBlock = at
  }
  return { blockNumber, futureBlock, operators, nextChangeBlock }
}
