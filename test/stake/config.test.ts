// Pure rules: the capacity rule and configuration validation (errors name the field at fault).
import assert from 'node:assert/strict'
import { parseEther } from 'viem'
import { capacityUnits } from '../../node/stake/capacity.ts'
import { LOCAL_DEPLOYMENT, resolveStakeConfig } from '../../node/stake/config.ts'
import { StakeConfigError } from '../../node/stake/errors.ts'

const rule = { minimumStake: parseEther('32'), stakePerUnit: parseEther('1'), maxUnitsPerOperator: 100 }

function failsOn(field: string, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof StakeConfigError && e.field === field)
}

describe('capacity rule', function () {
  it('gives nothing under the minimum, floor(stake / stakePerUnit) above it, capped per operator', function () {
    assert.equal(capacityUnits(parseEther('31.999'), rule), 0)
    assert.equal(capacityUnits(parseEther('32'), rule), 32)
    assert.equal(capacityUnits(parseEther('84.9'), rule), 84)
    assert.equal(capacityUnits(parseEther('1000000'), rule), 100)
  })
})

describe('stake config', function () {
  it('the local preset resolves to the deterministic anvil deployment', function () {
    const c = resolveStakeConfig('local')
    assert.equal(c.allocationManager, LOCAL_DEPLOYMENT.allocationManager)
    assert.equal(c.chainId, 31337)
  })

  it('public presets demand our AVS address, and accept it as an override', function () {
    failsOn('avs', () => resolveStakeConfig('mainnet'))
    failsOn('avs', () => resolveStakeConfig('hoodi'))
    const c = resolveStakeConfig('hoodi', {
      avs: '0x00000000000000000000000000000000000000aa',
      operatorSetId: 3,
    })
    assert.equal(c.delegationManager, '0x867837a9722C512e0862d8c2E15b8bE220E8b87d')
    assert.equal(c.operatorSetId, 3)
    assert.ok(c.lookaheadBlocks < 50, 'lookahead must stay under the testnet DEALLOCATION_DELAY')
  })

  it('names the invalid field', function () {
    failsOn('stakePerUnit', () => resolveStakeConfig('local', { stakePerUnit: 0n }))
    failsOn('operatorSetId', () => resolveStakeConfig('local', { operatorSetId: 2 ** 32 }))
    failsOn('strategies[0].address', () =>
      resolveStakeConfig('local', { strategies: [{ address: '0x1234' as `0x${string}`, multiplierBps: 1 }] }),
    )
    failsOn('strategies', () => resolveStakeConfig('local', { strategies: [] }))
  })
})
