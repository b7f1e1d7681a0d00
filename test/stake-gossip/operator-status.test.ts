// What /status tells an operator about its own standing (real anvil with the stand-ins): the stake
// oracle's freshness, membership and stake, whether the binding names this node, and what to run
// when something is missing; and the warning logged before the binding expires.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { MeshNode } from '../../node/create-node.ts'
import { loadOrCreateIdentity } from '../../node/identity.ts'
import { resolveStakeConfig } from '../../node/stake/config.ts'
import {
  bindingExpiryWarning,
  type OperatorState,
  type OracleState,
} from '../../node/stake/operator-status.ts'
import { ROLES, startLocalChain, type LocalChain } from '../stake/local-chain.ts'
import { Cluster, tempDir, waitFor } from '../network/helpers.ts'
import { bindingBytes } from './helpers.ts'

type Standing = { oracle: OracleState; operator: OperatorState }
const standing = async (node: MeshNode) => (await node.status()).stake as Standing

describe('operator standing in /status (real anvil)', function () {
  const cluster = new Cluster()
  let chain: LocalChain | undefined

  async function operatorNode(operator: string, httpPort: number | null = null) {
    const dir = await tempDir('pm-operator-status-')
    cluster.dirs.push(dir)
    const { key } = await loadOrCreateIdentity(join(dir, 'peer.key'))
    const node = await cluster.start(
      { stakeRpc: chain!.anvil.rpcUrl, stakePreset: 'local', minPeers: 0, operator, httpPort },
      { auction: null },
      dir,
    )
    await waitFor('a stake snapshot', () => node.stake?.oracle.snapshot !== undefined)
    return { node, key, dir }
  }

  before(async () => {
    chain = await startLocalChain()
  })
  after(async () => {
    try {
      await cluster.stopAll()
    } finally {
      await chain?.stop()
    }
  })

  it('a staked operator without a binding is told to bind; with one naming this node, no problem', async () => {
    const { node, key, dir } = await operatorNode(ROLES.staked.address)
    const before = await standing(node)
    assert.equal(before.oracle.state, 'fresh')
    assert.match(before.oracle.blockNumber ?? '', /^\d+$/)
    assert.equal(before.operator.membership, 'member')
    assert.equal(before.operator.meetsMinimum, true)
    assert.ok(BigInt(before.operator.stake ?? '0') > 0n)
    assert.equal(before.operator.binding, null)
    assert.match(
      before.operator.problem ?? '',
      new RegExp(
        `no peer binding .*: run prover-mesh operator bind --key-file OPERATOR_KEY --peer-key-file ${dir}/peer.key`,
      ),
    )

    const bytes = await bindingBytes({
      operator: ROLES.staked,
      peerKey: key,
      policy: resolveStakeConfig('local'),
    })
    assert.equal(await node.publishBinding(bytes), 'stored')
    const after = await standing(node)
    assert.equal(after.operator.problem, null)
    assert.equal(after.operator.binding?.thisNode, true)
    assert.equal(after.operator.binding?.peerId, node.peerId.toString())
    // The test binding lives an hour: inside the warning window, so the node says what to run.
    const warning = bindingExpiryWarning(after.operator, dir, undefined)
    assert.match(
      warning ?? '',
      /expires in 0 h .*: renew it with prover-mesh operator bind .* --out binding\.json/,
    )
  })

  it('an operator outside the set is told it is not a member', async () => {
    const { node } = await operatorNode(ROLES.unregistered.address)
    const s = await standing(node)
    assert.equal(s.operator.membership, 'not-member')
    assert.equal(s.operator.capUnits, 0)
    assert.match(s.operator.problem ?? '', /is not in our operator set at block \d+: register and allocate/)
  })

  it('a stopped chain turns the oracle stale, the standing unknown and /health degraded', async () => {
    const { node } = await operatorNode(ROLES.staked.address, 0)
    const health = async () => {
      const response = await fetch(`${node.httpUrl}/health`)
      return { code: response.status, body: (await response.json()) as Record<string, unknown> }
    }
    const fresh = await health()
    assert.equal(fresh.code, 200)
    assert.equal(fresh.body.status, undefined)
    chain!.anvil.pause()
    try {
      const limit = node.stake!.config.maxStalenessMs
      await waitFor(
        'the snapshot to go stale',
        async () => (await standing(node)).oracle.state === 'stale',
        limit + 20_000,
      )
      const s = await standing(node)
      assert.equal(s.operator.membership, 'unavailable')
      assert.match(s.operator.problem ?? '', /^stake unknown: stake snapshot is \d+ ms old/)
      const stale = await health()
      assert.equal(stale.code, 503)
      assert.equal(stale.body.status, 'degraded')
      assert.equal((stale.body.stakeOracle as OracleState).state, 'stale')
    } finally {
      chain!.anvil.resume()
    }
  })
})
