import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { ConfigError, DEFAULT_CONFIG, envName, loadConfig } from '../../node/config.ts'
import { buildSubmitTask } from '../../protocol/index.ts'
import { readValuesFile } from '../../node/cli/values-file.ts'
import { CliError } from '../../node/cli/errors.ts'
import { Cluster, tempDir } from './helpers.ts'

describe('config', () => {
  let dir: string
  before(async () => {
    dir = await tempDir()
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('layers defaults < file < env < flags', async () => {
    const file = join(dir, 'c.json')
    await writeFile(
      file,
      JSON.stringify({
        tcpPort: 5000,
        network: 'filenet',
        roles: ['gateway', 'prover'],
        operator: '0x1111111111111111111111111111111111111111',
      }),
    )
    const config = loadConfig({
      file,
      env: { PROVER_MESH_TCP_PORT: '6000', PROVER_MESH_HTTP_PORT: 'off' },
      flags: {
        tcpPort: '7000',
        bootstrap: '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWRqU7MZB2bgQoVrVCU2G8GtciAL3xThZhofEJFo9xzKCG',
      },
    })
    assert.equal(config.tcpPort, 7000)
    assert.equal(config.network, 'filenet')
    assert.deepEqual(config.roles, ['gateway', 'prover'])
    assert.equal(config.httpPort, null)
    assert.equal(config.bootstrap.length, 1)
    assert.equal(config.dataDir, DEFAULT_CONFIG.dataDir)
    assert.equal(envName('httpPort'), 'PROVER_MESH_HTTP_PORT')
  })

  it('checks the rules that tie two keys together', () => {
    assert.throws(
      () => loadConfig({ flags: { epochMs: '1000', epochGraceMs: '1000' } }),
      /epochGraceMs.*below epochMs/,
    )
    assert.throws(() => loadConfig({ flags: { roles: 'prover' } }), /config operator .*prover role/)
    assert.throws(
      () =>
        loadConfig({
          flags: {
            stakeRpc: 'http://127.0.0.1:8545',
            operators: `0x${'11'.repeat(20)}=12D3KooWRqU7MZB2bgQoVrVCU2G8GtciAL3xThZhofEJFo9xzKCG`,
          },
        }),
      /config operators .*stakeRpc/,
    )
    assert.throws(() => loadConfig({ flags: { operators: '0x12=abc' } }), /operators.*0xADDRESS=PEERID/)
    assert.throws(() => loadConfig({ flags: { proverMode: 'fast' } }), /proverMode.*'real' or 'sim'/)
    assert.throws(() => loadConfig({ flags: { proverWorkers: '0' } }), /proverWorkers.*1\.\.64/)
    // Clock skew is fault injection: never with a real chain's preset, and bounded.
    assert.equal(loadConfig({ flags: { clockSkewMs: '-150' } }).clockSkewMs, -150)
    assert.throws(
      () => loadConfig({ flags: { clockSkewMs: '50', stakePreset: 'mainnet' } }),
      /clockSkewMs .*refused with the mainnet preset/,
    )
    assert.throws(() => loadConfig({ flags: { clockSkewMs: '70000' } }), /clockSkewMs.*-60000\.\.60000/)
  })

  it('names the key and source of a bad value', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ colour: 'blue' }))
    assert.throws(
      () => loadConfig({ file: bad }),
      (e: unknown) => e instanceof ConfigError && e.key === 'colour',
    )
    assert.throws(
      () => loadConfig({ env: { PROVER_MESH_TCP_PORT: '70000' } }),
      (e: unknown) => e instanceof ConfigError && e.key === 'tcpPort' && e.message.includes('environment'),
    )
    assert.throws(() => loadConfig({ flags: { roles: 'gateway,miner' } }), /unknown role 'miner'/)
    assert.throws(() => loadConfig({ flags: { bootstrap: '/ip4/127.0.0.1/tcp/1' } }), /no \/p2p\//)
    assert.throws(() => loadConfig({ flags: { network: 'Bad Name' } }), ConfigError)
  })

  it('reads u32 values and names a bad one', async () => {
    await writeFile(join(dir, 'v.txt'), '1 2,3\n4')
    assert.deepEqual(Array.from(await readValuesFile(join(dir, 'v.txt'))), [1, 2, 3, 4])
    await writeFile(join(dir, 'v.json'), '[5, 6]')
    assert.deepEqual(Array.from(await readValuesFile(join(dir, 'v.json'))), [5, 6])
    await writeFile(join(dir, 'bad.txt'), '1\n3 -2')
    await assert.rejects(
      readValuesFile(join(dir, 'bad.txt')),
      (e: unknown) =>
        e instanceof CliError && /bad\.txt:2: '-2' is not an unsigned 32-bit integer/.test(e.message),
    )
    await writeFile(join(dir, 'big.txt'), '4294967296')
    await assert.rejects(
      readValuesFile(join(dir, 'big.txt')),
      /'4294967296' is not an unsigned 32-bit integer/,
    )
  })
})

describe('HTTP API', () => {
  const cluster = new Cluster()
  after(() => cluster.stopAll())

  it('serves /health, /status and /metrics, and stays healthy after garbage', async () => {
    const node = await cluster.start({ httpPort: 0 })
    assert.ok(node.httpUrl)
    const health = await fetch(`${node.httpUrl}/health`)
    assert.equal(health.status, 200)
    assert.equal(((await health.json()) as { ok: boolean }).ok, true)

    const { taskId } = await node.submit(
      await buildSubmitTask(
        {
          input: { type: 'sum', values: [1], chunkSize: 8 },
          maxPricePerUnit: 1n,
          deadlineMs: BigInt(Date.now() + 60_000),
        },
        await generateKeyPair('Ed25519'),
      ),
    )
    await assert.rejects(node.submit(new Uint8Array([1, 2, 3])))
    const status = (await (await fetch(`${node.httpUrl}/status`)).json()) as {
      peerId: string
      roles: string[]
      listenAddrs: string[]
      tasksByState: Record<string, number>
      tasks: { taskId: string }[]
      meshSizes: Record<string, number>
    }
    assert.equal(status.peerId, node.peerId.toString())
    assert.deepEqual(status.roles, ['gateway'])
    assert.ok(status.listenAddrs.length > 0)
    assert.deepEqual(status.tasksByState, { announced: 1 })
    assert.deepEqual(
      status.tasks.map((t) => t.taskId),
      [taskId],
    )
    assert.ok('/prover-mesh/test/tasks/1' in status.meshSizes)

    const metrics = await (await fetch(`${node.httpUrl}/metrics`)).text()
    assert.match(metrics, /prover_mesh_tasks\{state="announced"\} 1/)
    assert.match(metrics, /prover_mesh_connected_peers 0/)
    assert.equal((await fetch(`${node.httpUrl}/health`)).status, 200)
    assert.equal((await fetch(`${node.httpUrl}/nope`)).status, 404)
  })
})
