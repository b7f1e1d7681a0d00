// The stake oracle against a real anvil: pinned reads in constant round trips, refresh on events and
// at allocation effect blocks, the resync timer, and the RPC outage policy (stale for a bound, then
// fail closed). The clock is injected, so staleness is decided by `now`, not by wall time.
import assert from 'node:assert/strict'
import { createPublicClient, http, parseEther, type Address } from 'viem'
import { resolveStakeConfig, type StakeConfig } from '../../node/stake/config.ts'
import { createStakeMetrics } from '../../node/stake/metrics.ts'
import { StakeOracle } from '../../node/stake/oracle.ts'
import { seedOperators, syntheticOperator } from '../../node/chain/deploy.ts'
import { ROLES, startLocalChain, type LocalChain } from './local-chain.ts'

const WAD = 10n ** 18n

interface LogLine {
  level: 'info' | 'warn'
  message: string
  fields?: Record<string, unknown>
}

describe('stake oracle (real anvil)', function () {
  let chain: LocalChain
  let config: StakeConfig
  let now = 1_000_000
  let logs: LogLine[]
  let oracle: StakeOracle

  const logger = {
    info: (message: string, fields?: Record<string, unknown>) =>
      logs.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: Record<string, unknown>) =>
      logs.push({ level: 'warn', message, fields }),
  }
  const stakeOf = (operator: Address) => {
    const lookup = oracle.lookup(operator, now)
    return lookup.status === 'member' ? lookup.stake : undefined
  }
  const set = () => ({ avs: chain.deployment.avs, id: chain.deployment.operatorSetId })

  beforeEach(async function () {
    chain = await startLocalChain({ rpcTimeoutMs: 500 })
    config = resolveStakeConfig('local')
    logs = []
    oracle = new StakeOracle({ client: chain.client, config, now: () => now, logger })
    await oracle.refresh()
  })

  afterEach(async function () {
    oracle.stop()
    await chain.stop()
  })

  it('reads members and minimum slashable stake at one pinned block', function () {
    const snapshot = oracle.snapshot!
    assert.deepEqual(
      [...snapshot.operators.keys()].sort(),
      [ROLES.staked.address, ROLES.staked2.address, ROLES.underMinimum.address].sort(),
    )
    assert.equal(stakeOf(ROLES.staked.address)?.stake, parseEther('84'))
    assert.equal(stakeOf(ROLES.underMinimum.address)?.meetsMinimum, false)
    assert.equal(oracle.lookup(ROLES.otherSetOnly.address, now).status, 'not-member')
  })

  it('uses the same number of round trips for 3 and for 153 operators', async function () {
    chain.counter.reset()
    await oracle.refresh()
    const small = chain.counter.httpRequests
    await seedOperators(
      chain.anvil.rpcUrl,
      chain.deployment,
      Array.from({ length: 150 }, (_, i) => syntheticOperator(i)),
    )
    chain.counter.reset()
    const snapshot = await oracle.refresh()
    assert.equal(snapshot.operators.size, 153)
    assert.equal(small, 3)
    assert.equal(chain.counter.httpRequests, small)
  })

  it('a poll with no new block or event only confirms the snapshot', async function () {
    const before = oracle.metrics.refreshes
    now += 5000
    await oracle.poll()
    assert.equal(oracle.metrics.refreshes, before)
    assert.equal(oracle.age(now), 0)
  })

  it('excludes an operator slashed below the minimum on the next poll', async function () {
    assert.equal(stakeOf(ROLES.staked.address)?.meetsMinimum, true)
    // 70 % of the allocated magnitude in both strategies: 84 → 25.2 ether, under the 32 ether minimum.
    await chain.control('mockSlash', [
      ROLES.staked.address,
      set(),
      chain.deployment.strategies,
      [7n * (WAD / 10n), 7n * (WAD / 10n)],
      'test',
    ])
    assert.equal(stakeOf(ROLES.staked.address)?.meetsMinimum, true) // not yet: no poll
    await oracle.poll()
    const stake = stakeOf(ROLES.staked.address)
    assert.equal(stake?.stake, parseEther('25.2'))
    assert.equal(stake?.meetsMinimum, false)
    assert.equal(stake?.capUnits, 0)
    assert.match(
      String(logs.find((l) => l.message === 'stake snapshot refreshed')?.fields?.reason),
      /Slashed/,
    )
  })

  it('drops an operator removed from the set, and sees share decreases of members', async function () {
    await chain.control('mockRemoveFromSet', [ROLES.staked.address, set()])
    await chain.control('mockSetShares', [
      ROLES.staked2.address,
      chain.deployment.strategies[0],
      parseEther('1'),
    ])
    await oracle.poll()
    assert.equal(oracle.lookup(ROLES.staked.address, now).status, 'not-member')
    assert.equal(stakeOf(ROLES.staked2.address)?.stake, parseEther('45')) // 1 + 40 × 1.1
  })

  it('ignores events of other operator sets and non-members', async function () {
    const before = oracle.metrics.refreshes
    await chain.control('mockSetShares', [
      ROLES.otherSetOnly.address,
      chain.deployment.strategies[0],
      parseEther('1'),
    ])
    await chain.control('mockAllocate', [
      ROLES.otherSetOnly.address,
      { avs: chain.deployment.avs, id: 2 },
      chain.deployment.strategies[0],
      WAD / 2n,
      0,
    ])
    await oracle.poll()
    assert.equal(oracle.metrics.refreshes, before)
  })

  it('re-reads when a pending deallocation enters the lookahead window, with no event then', async function () {
    const head = await chain.client.getBlockNumber({ cacheTime: 0 })
    const effectBlock = Number(head) + 40
    for (const strategy of chain.deployment.strategies) {
      await chain.control('mockAllocate', [ROLES.staked2.address, set(), strategy, WAD / 10n, effectBlock])
    }
    await oracle.poll() // AllocationUpdated: refresh, but the decrease is still beyond futureBlock
    assert.equal(stakeOf(ROLES.staked2.address)?.stake, parseEther('84'))
    assert.equal(oracle.snapshot?.nextChangeBlock, BigInt(effectBlock - config.lookaheadBlocks))
    await chain.mine(25) // still before effectBlock - lookahead
    await oracle.poll()
    assert.equal(stakeOf(ROLES.staked2.address)?.stake, parseEther('84'))
    await chain.mine(10)
    const refreshes = oracle.metrics.refreshes
    await oracle.poll()
    assert.equal(oracle.metrics.refreshes, refreshes + 1)
    assert.equal(stakeOf(ROLES.staked2.address)?.stake, parseEther('8.4'))
    assert.match(String(logs.at(-1)?.fields?.reason), /pending allocation/)
  })

  it('re-reads on the resync timer even with no event', async function () {
    const before = oracle.metrics.refreshes
    now += config.resyncIntervalMs
    await oracle.poll()
    assert.equal(oracle.metrics.refreshes, before + 1)
    assert.equal(logs.at(-1)?.fields?.reason, 'resync timer')
  })

  it('keeps the last snapshot through an outage for maxStalenessMs, then fails closed, then recovers', async function () {
    const verifiedAt = now
    chain.anvil.pause() // the socket accepts but never answers: requests time out
    try {
      now += 1000
      await oracle.poll()
      assert.equal(oracle.metrics.refreshFailures, 1)
      const warn = logs.find((l) => l.level === 'warn')
      assert.equal(warn?.message, 'stake poll failed')
      assert.equal(warn?.fields?.failClosedAfterMs, config.maxStalenessMs)
      assert.equal(oracle.lookup(ROLES.staked.address, now).status, 'member') // stale but within bound
      now = verifiedAt + config.maxStalenessMs
      assert.equal(oracle.lookup(ROLES.staked.address, now).status, 'member')
      now += 1
      const lookup = oracle.lookup(ROLES.staked.address, now)
      assert.equal(lookup.status, 'unavailable')
      assert.equal(oracle.metrics.staleRejections, 1)
    } finally {
      chain.anvil.resume()
    }
    await oracle.poll()
    assert.equal(oracle.lookup(ROLES.staked.address, now).status, 'member')
  })

  it('does not lose an event whose refresh failed: the next successful poll still re-reads', async function () {
    // Fault injection on a real chain: eth_blockNumber and eth_getLogs succeed, eth_call fails, so
    // the poll sees the event but cannot re-read; the event must still count on the next poll.
    let failCalls = false
    const flaky = new StakeOracle({
      client: createPublicClient({
        transport: http(chain.anvil.rpcUrl, {
          retryCount: 0,
          onFetchRequest: async (request) => {
            if (failCalls && (await request.clone().text()).includes('eth_call'))
              throw new Error('injected eth_call failure')
          },
        }),
      }),
      config,
      now: () => now,
      logger,
    })
    await flaky.refresh()
    await chain.control('mockRemoveFromSet', [ROLES.staked.address, set()])
    failCalls = true
    await flaky.poll()
    assert.equal(flaky.metrics.refreshFailures, 1)
    assert.equal(flaky.lookup(ROLES.staked.address, now).status, 'member') // stale, within the bound
    failCalls = false
    await flaky.poll()
    assert.equal(flaky.lookup(ROLES.staked.address, now).status, 'not-member')
  })

  it('fails closed from the start when the RPC endpoint is dead', async function () {
    const metrics = createStakeMetrics()
    const dead = new StakeOracle({
      client: createPublicClient({ transport: http('http://127.0.0.1:1', { retryCount: 0, timeout: 500 }) }),
      config,
      now: () => now,
      logger,
      metrics,
    })
    await assert.rejects(dead.refresh())
    await dead.poll()
    assert.equal(metrics.refreshFailures, 2)
    assert.equal(dead.lookup(ROLES.staked.address, now).status, 'unavailable')
  })

  it('start() polls on its own timer and picks up events', async function () {
    const fast = new StakeOracle({
      client: chain.client,
      config: { ...config, pollIntervalMs: 50 },
      now: () => now,
      logger,
    })
    fast.start()
    try {
      const deadline = Date.now() + 5000
      while (!fast.snapshot && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      await chain.control('mockRemoveFromSet', [ROLES.staked2.address, set()])
      while (fast.lookup(ROLES.staked2.address, now).status === 'member' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
      assert.equal(fast.lookup(ROLES.staked2.address, now).status, 'not-member')
    } finally {
      fast.stop()
    }
  })
})
