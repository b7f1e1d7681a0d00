// Evidence that travels, with real processes and proofs: a prover that delivers invalid proofs is
// caught by the gateway, every node verifies the evidence itself and keeps it (across a restart),
// and from two epochs after the fault no seal on any node assigns that prover a job.
// n0 gateway + prover, n1 honest prover (both at the posted price), n2 a prover that corrupts every
// proof and asks less, so DARA never trade-reduces it away.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { EVIDENCE_SETTLE_EPOCHS } from '../../auction/evidence.ts'
import { createLightClient, type LightClient } from '../../node/client/light-client.ts'
import type { JobFault } from '../../node/gateway/job-store.ts'
import type { EpochAllocation } from '../../node/market/epoch-driver.ts'
import type { VerifiedFault } from '../../node/market/evidence.ts'
import { startTestnet, type Testnet } from '../../node/testnet/testnet.ts'
import { tempDir, waitFor } from '../network/helpers.ts'

const COST = '5'

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return (await response.json()) as T
}

let salt = 0
function sumTask(leaves: number) {
  salt++
  const values = Array.from({ length: 8 * leaves }, (_, i) => (i * 7919 + salt * 104729) % 100_000)
  return {
    input: { type: 'sum' as const, values, chunkSize: 8 },
    maxPricePerUnit: 10n,
    deadlineMs: BigInt(Date.now() + 180_000),
  }
}

interface Status {
  auction?: { allocations: EpochAllocation[] }
  lifecycle?: { evidence: VerifiedFault[] }
}

describe('evidence that travels (real processes, real proofs)', function () {
  this.timeout(600_000)
  let dir: string
  let net: Testnet
  let client: LightClient

  before(async function () {
    dir = await tempDir('pm-evidence-net-')
    net = await startTestnet({
      nodes: 3,
      dir,
      network: 'evidence',
      epochMs: 1000,
      jobTimeoutMs: 20_000,
      nodeConfig: (i) => ({
        buyerFloor: COST,
        sellerCeiling: COST,
        ...(i === 2 ? { proverCost: '3', proverFault: 'corrupt-proofs' as const } : { proverCost: COST }),
      }),
    })
    client = await createLightClient({ gateways: net.gatewayAddrs(), maxAttempts: 40 })
  })

  after(async function () {
    await client?.close()
    await net?.stop()
    if (dir && process.env.PM_KEEP_TESTNET === undefined) await rm(dir, { recursive: true, force: true })
  })

  const evidenceOf = async (i: number, operator: string) =>
    ((await net.node(i).status()) as Status).lifecycle?.evidence.filter((f) => f.operator === operator) ?? []

  it('gossips invalid-proof evidence that every node verifies and keeps, and excludes the prover from later seals', async function () {
    const cheater = net.node(2).operator.toLowerCase()
    // Tasks until the cheater has won and failed a job (DARA shares units at the posted price).
    let faulted: JobFault | undefined
    for (let attempt = 0; attempt < 5 && faulted === undefined; attempt++) {
      const result = await client.submit(sumTask(3), { wait: true })
      assert.equal(result.status.state, 'done', result.status.detail)
      const faults = await getJson<JobFault[]>(`${net.node(0).http}/faults`)
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
    const [evidence] = await evidenceOf(1, cheater)
    assert.equal(evidence!.kind, 'INVALID_PROOF')
    assert.equal(evidence!.epoch, faulted.epoch, 'the fault epoch the prover signed')

    // After the settle epochs, the cheater is in no node's operator set: no seal assigns it a job.
    const excludedFrom = evidence!.epoch + EVIDENCE_SETTLE_EPOCHS
    await waitFor(
      'the exclusion to take effect',
      () => Date.now() > net.genesisMs + (excludedFrom + 1) * 1000,
      30_000,
    )
    const after = await client.submit(sumTask(3), { wait: true })
    assert.equal(after.status.state, 'done', after.status.detail)
    for (const i of [0, 1]) {
      const allocations = ((await net.node(i).status()) as Status).auction?.allocations ?? []
      const later = allocations.filter((a) => a.epoch >= excludedFrom && a.trade)
      assert.ok(later.length > 0, `node ${i} accepted seals after the exclusion`)
      for (const a of later)
        assert.ok(
          a.assignment.every((piece) => piece.operator.toLowerCase() !== cheater),
          `node ${i}, epoch ${a.epoch}: the excluded prover was assigned a job`,
        )
    }
    const faults = await getJson<JobFault[]>(`${net.node(0).http}/faults`)
    assert.deepEqual(
      faults.filter((f) => f.taskId === after.taskId),
      [],
      'the task after the exclusion met no invalid proof',
    )

    // Kept across a restart: the node that restarts still excludes the cheater.
    await net.node(1).restart()
    assert.ok((await evidenceOf(1, cheater)).length > 0, 'the evidence survived the restart')
  })
})

describe('an equivocating leader (real processes, real proofs)', function () {
  this.timeout(600_000)
  let dir: string
  let net: Testnet
  let client: LightClient

  before(async function () {
    dir = await tempDir('pm-equivocation-net-')
    net = await startTestnet({
      nodes: 3,
      dir,
      network: 'equivocation',
      epochMs: 1000,
      jobTimeoutMs: 20_000,
      nodeConfig: (i) => ({
        buyerFloor: COST,
        sellerCeiling: COST,
        proverCost: COST,
        ...(i === 2 ? { sealFault: 'equivocate' as const } : {}),
      }),
    })
    client = await createLightClient({ gateways: net.gatewayAddrs(), maxAttempts: 40 })
  })

  after(async function () {
    await client?.close()
    await net?.stop()
    if (dir && process.env.PM_KEEP_TESTNET === undefined) await rm(dir, { recursive: true, force: true })
  })

  it('is caught by every honest node with both seals as evidence, which every node verifies and keeps', async function () {
    const leader = net.node(2)
    const equivocations = async (i: number) =>
      (
        ((await net.node(i).status()) as { auction?: { faults: { code: string; signer: string }[] } }).auction
          ?.faults ?? []
      ).filter((f) => f.code === 'EQUIVOCATION' && f.signer === leader.peerId)
    // Tasks until the equivocating node has led an epoch with bids in it.
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await client.submit(sumTask(3), { wait: true })
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
              (((await net.node(i).status()) as Status).lifecycle?.evidence ?? []).some(
                (f) => f.kind === 'EQUIVOCATION' && f.operator === operator,
              ),
            ),
          )
        ).every(Boolean),
      30_000,
    )
  })
})
