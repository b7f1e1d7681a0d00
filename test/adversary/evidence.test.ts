// Evidence that travels, with real processes and proofs: a prover that delivers invalid proofs is
// caught by the gateway, every node verifies the evidence itself and keeps it (across a restart),
// and once every node holds it no leader counts that prover's asks, so no seal assigns it a job; an
// equivocating leader is caught by every node, with both seals as evidence. Each case has its own
// 3-node testnet: n0 gateway + prover and n1 an honest prover at the posted price, n2 the faulty one
// (a prover that corrupts every proof and asks less, so DARA never trade-reduces it away; or a
// leader that signs two seals per auction).
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { EVIDENCE_SETTLE_EPOCHS } from '../../auction/evidence.ts'
import { createLightClient, type LightClient } from '../../node/client/light-client.ts'
import type { JobFault } from '../../node/gateway/job-store.ts'
import type { EpochAllocation } from '../../node/market/epoch-driver.ts'
import type { VerifiedFault } from '../../node/market/evidence.ts'
import type { NodeConfig } from '../../node/config.ts'
import { startTestnet, type Testnet } from '../../node/testnet/testnet.ts'
import { tempDir, waitFor } from '../network/helpers.ts'
import { getJson, sumTask } from '../helpers/testnet-tasks.ts'

const COST = '5'

/** A 3-node testnet at the posted price for one describe block; `faulty` configures node 2. */
function faultyTestnet(network: string, faulty: Partial<NodeConfig>) {
  const state = {} as { dir: string; net: Testnet; client: LightClient }
  before(async function () {
    state.dir = await tempDir(`pm-${network}-net-`)
    state.net = await startTestnet({
      nodes: 3,
      dir: state.dir,
      network,
      epochMs: 1000,
      jobTimeoutMs: 20_000,
      nodeConfig: (i) => ({
        buyerFloor: COST,
        sellerCeiling: COST,
        proverCost: COST,
        ...(i === 2 ? faulty : {}),
      }),
    })
    state.client = await createLightClient({ gateways: state.net.gatewayAddrs(), maxAttempts: 40 })
  })
  after(async function () {
    await state.client?.close()
    await state.net?.stop()
    if (state.dir && process.env.PM_KEEP_TESTNET === undefined)
      await rm(state.dir, { recursive: true, force: true })
  })
  return state
}

interface Status {
  auction?: { allocations: EpochAllocation[] }
  lifecycle?: { evidence: VerifiedFault[] }
}

describe('evidence that travels (real processes, real proofs)', function () {
  this.timeout(600_000)
  const t = faultyTestnet('evidence', { proverCost: '3', proverFault: 'corrupt-proofs' })

  const evidenceOf = async (i: number, operator: string) =>
    ((await t.net.node(i).status()) as Status).lifecycle?.evidence.filter((f) => f.operator === operator) ??
    []

  it('gossips invalid-proof evidence that every node verifies and keeps; no later seal assigns the prover a job', async function () {
    const cheater = t.net.node(2).operator.toLowerCase()
    // Tasks until the cheater has won and failed a job (DARA shares units at the posted price).
    let faulted: JobFault | undefined
    for (let attempt = 0; attempt < 5 && faulted === undefined; attempt++) {
      const result = await t.client.submit(sumTask(3).params, { wait: true })
      assert.equal(result.status.state, 'done', result.status.detail)
      const faults = await getJson<JobFault[]>(`${t.net.node(0).http}/faults`)
      faulted = faults.find((f) => f.code === 'INVALID_PROOF' && f.operator.toLowerCase() === cheater)
    }
    assert.ok(faulted, 'the cheating prover won and failed a job in 5 tasks')
    assert.ok(faulted.epoch !== null)

    await waitFor(
      'every node to hold verified evidence against the cheater',
      async () =>
        (await Promise.all([0, 1, 2].map((i) => evidenceOf(i, cheater)))).every((e) => e.length > 0),
      30_000,
    )
    const held = await evidenceOf(1, cheater)
    assert.ok(held.every((f) => f.kind === 'INVALID_PROOF'))
    assert.ok(
      held.some((f) => f.epoch === faulted!.epoch),
      'the evidence names the fault epoch the prover signed',
    )

    // Every node holds it now: from the next epoch on (and from two epochs after the fault), every
    // leader counts none of the cheater's asks, so no seal assigns it a job.
    const heldEverywhere = Math.floor((Date.now() - t.net.genesisMs) / 1000)
    const excludedFrom = Math.max(
      heldEverywhere + 1,
      Math.min(...held.map((f) => f.epoch)) + EVIDENCE_SETTLE_EPOCHS,
    )
    await waitFor(
      'the exclusion to take effect',
      () => Date.now() > t.net.genesisMs + (excludedFrom + 1) * 1000,
      30_000,
    )
    const after = await t.client.submit(sumTask(3).params, { wait: true })
    assert.equal(after.status.state, 'done', after.status.detail)
    for (const i of [0, 1]) {
      const allocations = ((await t.net.node(i).status()) as Status).auction?.allocations ?? []
      const later = allocations.filter((a) => a.epoch >= excludedFrom && a.trade)
      assert.ok(later.length > 0, `node ${i} accepted seals after the exclusion`)
      for (const a of later)
        assert.ok(
          a.assignment.every((piece) => piece.operator.toLowerCase() !== cheater),
          `node ${i}, epoch ${a.epoch}: the excluded prover was assigned a job`,
        )
    }
    const faults = await getJson<JobFault[]>(`${t.net.node(0).http}/faults`)
    assert.deepEqual(
      faults.filter((f) => f.taskId === after.taskId),
      [],
      'the task after the exclusion met no invalid proof',
    )

    // Kept across a restart: the node that restarts still excludes the cheater.
    await t.net.node(1).restart()
    assert.ok((await evidenceOf(1, cheater)).length > 0, 'the evidence survived the restart')
  })
})

describe('an equivocating leader (real processes, real proofs)', function () {
  this.timeout(600_000)
  const t = faultyTestnet('equivocation', { sealFault: 'equivocate' })

  it('is caught by every honest node with both seals as evidence, which every node verifies and keeps', async function () {
    const leader = t.net.node(2)
    const equivocations = async (i: number) =>
      (
        ((await t.net.node(i).status()) as { auction?: { faults: { code: string; signer: string }[] } })
          .auction?.faults ?? []
      ).filter((f) => f.code === 'EQUIVOCATION' && f.signer === leader.peerId)
    // Tasks until the equivocating node has led an epoch with bids in it.
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await t.client.submit(sumTask(3).params, { wait: true })
      assert.equal(result.status.state, 'done', result.status.detail)
      if ((await equivocations(0)).length > 0) break
    }
    await waitFor(
      'both honest nodes to catch the equivocation',
      async () => (await equivocations(0)).length > 0 && (await equivocations(1)).length > 0,
      30_000,
    )
    const operator = leader.operator.toLowerCase()
    await waitFor(
      'every node to hold verified equivocation evidence',
      async () =>
        (
          await Promise.all(
            [0, 1, 2].map(async (i) =>
              (((await t.net.node(i).status()) as Status).lifecycle?.evidence ?? []).some(
                (f) => f.kind === 'EQUIVOCATION' && f.operator === operator,
              ),
            ),
          )
        ).every(Boolean),
      30_000,
    )
  })
})
