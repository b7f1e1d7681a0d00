// /metrics of real node processes (a real testnet: anvil, staked operators, real proofs): counts are
// typed as counters, gossipsub's own metrics are there, and the prover, market and ledger figures
// move when a task is proven.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { createLightClient, type LightClient } from '../../node/client/light-client.ts'
import { planJobs } from '../../node/dispatcher/job-plan.ts'
import { topicFor } from '../../protocol/index.ts'
import { startTestnet, type Testnet } from '../../node/testnet/testnet.ts'
import { tempDir } from './helpers.ts'
import { sumTask } from '../helpers/testnet-tasks.ts'

interface Scrape {
  types: Map<string, string>
  /** Sum of the samples of `name` whose labels include `labels`. */
  value(name: string, labels?: Record<string, string>): number
  has(name: string, labels?: Record<string, string>): boolean
}

async function scrape(http: string): Promise<Scrape> {
  const text = await (await fetch(`${http}/metrics`, { signal: AbortSignal.timeout(10_000) })).text()
  const types = new Map<string, string>()
  const samples: { name: string; labels: string; value: number }[] = []
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type) types.set(type[1]!, type[2]!)
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line)
    if (sample) samples.push({ name: sample[1]!, labels: sample[2] ?? '', value: Number(sample[3]) })
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels.includes(`${k}="${v}"`)),
    )
  return {
    types,
    value: (name, labels = {}) => matching(name, labels).reduce((a, s) => a + s.value, 0),
    has: (name, labels = {}) => matching(name, labels).length > 0,
  }
}

describe('metrics of a running testnet', function () {
  this.timeout(600_000)
  let dir = ''
  let net: Testnet | undefined
  let client: LightClient | undefined

  before(async () => {
    dir = await tempDir('pm-metrics-')
    net = await startTestnet({ nodes: 2, dir, epochMs: 1000 })
    client = await createLightClient({ gateways: net.gatewayAddrs(), maxAttempts: 40 })
  })
  after(async () => {
    await client?.close()
    await net?.stop()
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('types counts as counters and moves the prover, market and ledger figures as a task is proven', async () => {
    const nodes = net!.nodes
    const all = async () => Promise.all(nodes.map((n) => scrape(n.http)))
    const before = await all()
    const gateway = before[0]!
    const expectType = (name: string, type: string) => assert.equal(gateway.types.get(name), type, name)
    for (const name of [
      'prover_mesh_market_events_total',
      'prover_mesh_stake_refreshes_total',
      'prover_mesh_stake_refresh_failures_total',
      'prover_mesh_stake_stale_rejections_total',
      'prover_mesh_prover_jobs_total',
      'prover_mesh_market_units_traded_total',
      'prover_mesh_market_seals_total',
      'prover_mesh_ledger_units_total',
      'prover_mesh_ledger_owed_total',
      'prover_mesh_submits_total',
    ])
      expectType(name, 'counter')
    expectType('prover_mesh_market_clearing_price', 'gauge')
    expectType('prover_mesh_proving_seconds', 'histogram')
    assert.ok(gateway.value('prover_mesh_stake_refreshes_total') >= 1, 'the oracle has read the chain')
    // The gauges that were counters before are gone under their old names.
    for (const old of ['prover_mesh_market_events', 'prover_mesh_stake_refreshes'])
      assert.equal(gateway.types.get(old), undefined, old)
    // gossipsub's own metrics (the mesh sizes are taken at each scrape, for the next one: see below).
    const { network } = await nodes[0]!.status()
    const seals = topicFor(network as string, 'seals')
    assert.equal(gateway.types.get('prover_mesh_gossipsub_mesh_peer_count'), 'gauge')
    assert.equal(gateway.value('prover_mesh_gossipsub_topic_subscription_status', { topicStr: seals }), 1)

    const task = sumTask(2)
    const result = await client!.submit(task.params, { wait: true })
    assert.equal(result.status.state, 'done', `final status: ${result.status.state} ${result.status.detail}`)
    const jobs = planJobs('sum', 2).jobs
    const after = await all()
    const sum = (s: Scrape[], name: string, labels?: Record<string, string>) =>
      s.reduce((a, x) => a + x.value(name, labels), 0)
    // Every job was won, proven and delivered by one of the two provers (proving time observed per class).
    for (const event of ['won', 'proven', 'delivered'])
      assert.equal(
        sum(after, 'prover_mesh_prover_jobs_total', { event }) -
          sum(before, 'prover_mesh_prover_jobs_total', { event }),
        jobs.length,
        event,
      )
    assert.equal(
      sum(after, 'prover_mesh_proving_seconds_count') - sum(before, 'prover_mesh_proving_seconds_count'),
      jobs.length,
    )
    assert.ok(after.some((s) => s.value('prover_mesh_proving_seconds_count', { class: 'sum/leaf' }) > 0))
    assert.ok(after.some((s) => s.value('prover_mesh_proving_seconds_count', { class: 'aggregate' }) > 0))
    // By now the seals topic's mesh holds the other node.
    assert.ok(
      after[0]!.value('prover_mesh_gossipsub_mesh_peer_count', { topicStr: seals }) >= 1,
      'mesh peers',
    )
    // The gateway saw the trades: units traded, a clearing price, the ledger.
    const g = after[0]!
    assert.ok(
      g.value('prover_mesh_market_units_traded_total') -
        gateway.value('prover_mesh_market_units_traded_total') >=
        jobs.length,
    )
    assert.ok(g.value('prover_mesh_market_clearing_price', { class: 'sum/leaf', side: 'buyer' }) > 0)
    assert.ok(
      g.value('prover_mesh_market_events_total', { event: 'sealsAccepted' }) >
        gateway.value('prover_mesh_market_events_total', { event: 'sealsAccepted' }),
    )
    assert.equal(
      g.value('prover_mesh_ledger_units_total') - gateway.value('prover_mesh_ledger_units_total'),
      jobs.length,
    )
    assert.ok(g.value('prover_mesh_ledger_owed_total') > gateway.value('prover_mesh_ledger_owed_total'))
    assert.ok(
      g.value('prover_mesh_submits_total', { result: 'accepted' }) >
        gateway.value('prover_mesh_submits_total', { result: 'accepted' }),
    )
  })
})
