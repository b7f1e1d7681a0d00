// The node's stake config keys: layered like every other key, validated, and an RPC URL (which may
// carry an API key) is never echoed in an error.
import assert from 'node:assert/strict'
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../../node/config.ts'

describe('node stake config', function () {
  it('defaults to no oracle and a closed market', function () {
    assert.equal(DEFAULT_CONFIG.stakeRpc, null)
    assert.equal(DEFAULT_CONFIG.unstakedMarket, 'closed')
  })

  it('reads the stake keys from the environment and flags', function () {
    const config = loadConfig({
      env: {
        PROVER_MESH_STAKE_RPC: 'http://127.0.0.1:8545',
        PROVER_MESH_STAKE_PRESET: 'hoodi',
        PROVER_MESH_STAKE_AVS: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
      },
      flags: { stakeOperatorSet: '3', unstakedMarket: 'dev-open' },
    })
    assert.equal(config.stakeRpc, 'http://127.0.0.1:8545')
    assert.equal(config.stakePreset, 'hoodi')
    assert.equal(config.stakeAvs, '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720')
    assert.equal(config.stakeOperatorSet, 3)
    assert.equal(config.unstakedMarket, 'dev-open')
  })

  it('names the bad key, and never echoes an RPC URL', function () {
    const secret = 'ftp://rpc.example/v2/SECRET-API-KEY'
    assert.throws(
      () => loadConfig({ env: { PROVER_MESH_STAKE_RPC: secret } }),
      (e: unknown) => e instanceof ConfigError && e.key === 'stakeRpc' && !e.message.includes('SECRET'),
    )
    for (const [key, value] of [
      ['stakePreset', 'goerli'],
      ['stakeAvs', '0x1234'],
      ['stakeOperatorSet', '-1'],
      ['unstakedMarket', 'open'],
    ] as const) {
      assert.throws(
        () => loadConfig({ flags: { [key]: value } }),
        (e: unknown) => e instanceof ConfigError && e.key === key,
        key,
      )
    }
  })
})
