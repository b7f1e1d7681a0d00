// The chaos soak's pure parts: a seed fixes the fault schedule; Prometheus text is read as nodes write it.
import assert from 'node:assert/strict'
import { parsePrometheus, sumBy, valueOf } from '../../scripts/soak/prometheus.ts'
import { faultSchedule, prng, randomSeed } from '../../scripts/soak/schedule.ts'

const OPTIONS = {
  nodes: 4,
  graceMs: 200,
  gapMs: [10_000, 25_000] as [number, number],
  outageMs: [1000, 6000] as [number, number],
}

function first(seed: number, n: number) {
  const out = []
  const schedule = faultSchedule(prng(seed), OPTIONS)
  for (let i = 0; i < n; i++) out.push(schedule.next().value!)
  return out
}

describe('soak fault schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(first(7, 50), first(7, 50))
    assert.notDeepEqual(first(7, 50), first(8, 50))
  })

  it('keeps every fault within its bounds and skews only one node, within half the grace', () => {
    const faults = first(3, 500)
    const kinds = new Set(faults.map((f) => f.kind))
    assert.deepEqual([...kinds].sort(), ['kill', 'pause', 'skew'])
    assert.ok(
      new Set(faults.filter((f) => f.kind !== 'skew').map((f) => f.node)).size === 4,
      'any node, the gateway too',
    )
    assert.equal(new Set(faults.filter((f) => f.kind === 'skew').map((f) => f.node)).size, 1)
    for (const f of faults) {
      assert.ok(f.gapMs >= 10_000 && f.gapMs <= 25_000, `gap ${f.gapMs}`)
      assert.ok(f.node >= 0 && f.node < 4)
      if (f.kind === 'skew') assert.ok(Math.abs(f.skewMs) <= 100, `skew ${f.skewMs}`)
      else assert.ok(f.durationMs >= 1000 && f.durationMs <= 6000, `outage ${f.durationMs}`)
    }
  })

  it('makes canonical hashchain seeds (every limb below the Goldilocks order)', () => {
    const random = prng(1)
    for (let i = 0; i < 200; i++) {
      const view = new DataView(randomSeed(random).buffer)
      for (let limb = 0; limb < 4; limb++) assert.ok(view.getBigUint64(limb * 8, true) < 0xffffffff00000001n)
    }
  })
})

describe('soak metrics reading', () => {
  const text = [
    '# HELP prover_mesh_gossip_validation_total Gossip messages validated',
    '# TYPE prover_mesh_gossip_validation_total counter',
    'prover_mesh_gossip_validation_total{topic="seals",verdict="reject",code="WRONG_RESULT"} 2',
    'prover_mesh_gossip_validation_total{topic="seals",verdict="reject",code="NOT_LEADER"} 1',
    'prover_mesh_gossip_validation_total{topic="seals",verdict="accept",code=""} 40',
    'prover_mesh_gossip_validation_total{topic="asks",verdict="reject",code="WRONG_RESULT"} 5',
    'prover_mesh_process_resident_memory_bytes 123456789',
    'prover_mesh_note{text="a \\"quoted\\" value"} 1 1700000000000',
    'garbage line without a value',
  ].join('\n')

  it('reads counters by label and single values, skipping comments and garbage', () => {
    const samples = parsePrometheus(text)
    assert.equal(samples.length, 6)
    assert.deepEqual(
      sumBy(samples, 'prover_mesh_gossip_validation_total', 'code', { topic: 'seals', verdict: 'reject' }),
      {
        WRONG_RESULT: 2,
        NOT_LEADER: 1,
      },
    )
    assert.equal(valueOf(samples, 'prover_mesh_process_resident_memory_bytes'), 123456789)
    assert.equal(valueOf(samples, 'prover_mesh_note', { text: 'a "quoted" value' }), 1)
    assert.equal(valueOf(samples, 'prover_mesh_absent'), undefined)
  })
})
