import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import {
  HashchainInput,
  SignedEnvelope,
  SubmitTask,
  SumInput,
  ValidationError,
  buildSubmitTask,
  buildTaskAnnounce,
  decodeSubmitFrame,
  encodeSubmitFrame,
  errorFrame,
  parseTopic,
  planDemand,
  sealEnvelope,
  signedBytes,
  stringifyTopic,
  taskIdOf,
  toHex,
  topicFor,
  validateAsk,
  validateSeal,
  validateSubmitTask,
  validateTaskAnnounce,
  Ask,
  MAX_ENVELOPE_BYTES,
  MAX_DEMAND_JOBS,
  MAX_JOB_INDEX,
  JobDemand,
  buildJobDemand,
  decodeAggregateInput,
  encodeAggregateInput,
  validateJobDemand,
  type SubmitTaskParams,
} from '../../protocol/index.ts'
import { peerIdBytesOf } from '../../protocol/peer.ts'

const NOW = 1_800_000_000_000
const sumParams = (over: Partial<SubmitTaskParams> = {}): SubmitTaskParams => ({
  input: { type: 'sum', values: Array.from({ length: 20 }, (_, i) => i + 1), chunkSize: 8 },
  maxPricePerUnit: 10n,
  deadlineMs: BigInt(NOW + 60_000),
  ...over,
})

async function rejects(p: Promise<unknown>, code: string, field?: string): Promise<ValidationError> {
  try {
    await p
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    if (field !== undefined) assert.equal(error.field, field, error.message)
    return error
  }
  assert.fail(`expected a ${code} ValidationError`)
}

/** Signs an arbitrary SubmitTask body, for invalid-field cases the builder would not produce. */
async function signedRaw(key: PrivateKey, body: Partial<SubmitTask>): Promise<Uint8Array> {
  return sealEnvelope('SubmitTask', SubmitTask.encode(body), key)
}

describe('protocol', () => {
  let client: PrivateKey
  let gateway: PrivateKey
  before(async () => {
    client = await generateKeyPair('Ed25519')
    gateway = await generateKeyPair('Ed25519')
  })

  describe('topics and ids', () => {
    it('builds and parses topics symmetrically', () => {
      const t = topicFor('devnet', 'tasks')
      assert.equal(t, '/prover-mesh/devnet/tasks/1')
      assert.deepEqual(parseTopic(t), { network: 'devnet', name: 'tasks', version: 1 })
      assert.equal(stringifyTopic(parseTopic('/prover-mesh/x/asks/2')), '/prover-mesh/x/asks/2')
    })
    it('rejects foreign or malformed topics', () => {
      for (const bad of [
        '/eth2/x/tasks/1',
        '/prover-mesh/x/unknown/1',
        '/prover-mesh/X!/tasks/1',
        '/prover-mesh/x/tasks/v1',
        'x',
      ]) {
        assert.throws(() => parseTopic(bad), TypeError, bad)
      }
    })
  })

  describe('SubmitTask', () => {
    it('accepts a valid signed request and derives the id from the signed bytes', async () => {
      const bytes = await buildSubmitTask(sumParams(), client)
      const valid = await validateSubmitTask(bytes, NOW)
      const env = SignedEnvelope.decode(bytes)
      assert.equal(toHex(valid.taskId), toHex(taskIdOf(env.body)))
      assert.equal(valid.input.type, 'sum')
      assert.deepEqual(valid.clientKey, client.publicKey.raw)
      // Same signed request -> same id (idempotent); a different nonce -> a different task.
      assert.equal(toHex((await validateSubmitTask(bytes, NOW)).taskId), toHex(valid.taskId))
      const other = await validateSubmitTask(await buildSubmitTask(sumParams({ nonce: 1n }), client), NOW)
      assert.notEqual(toHex(other.taskId), toHex(valid.taskId))
    })

    it('accepts a hashchain request', async () => {
      const params = sumParams({
        input: { type: 'hashchain', seed: new Uint8Array(32).fill(7), steps: 100n, segment: 30n },
      })
      const valid = await validateSubmitTask(await buildSubmitTask(params, client), NOW)
      assert.deepEqual(planDemand(valid.input), [
        { class: 'hashchain/leaf', units: 4n },
        { class: 'aggregate', units: 3n },
      ])
    })

    it('rejects a tampered body (bad signature)', async () => {
      const env = SignedEnvelope.decode(await buildSubmitTask(sumParams(), client))
      const body = SubmitTask.decode(env.body)
      const tampered = SignedEnvelope.encode({
        ...env,
        body: SubmitTask.encode({ ...body, maxPricePerUnit: 999n }),
      })
      await rejects(validateSubmitTask(tampered, NOW), 'bad_signature', 'envelope.signature')
    })

    it('rejects a signature from another key', async () => {
      const env = SignedEnvelope.decode(await buildSubmitTask(sumParams(), client))
      const swapped = SignedEnvelope.encode({ ...env, publicKey: gateway.publicKey.raw })
      await rejects(validateSubmitTask(swapped, NOW), 'bad_signature', 'envelope.signature')
    })

    it('rejects a signature made for another message kind', async () => {
      const body = SubmitTask.decode(SignedEnvelope.decode(await buildSubmitTask(sumParams(), client)).body)
      const asAnnounce = SignedEnvelope.decode(
        await sealEnvelope('TaskAnnounce', SubmitTask.encode(body), client),
      )
      const relabelled = SignedEnvelope.encode({ ...asAnnounce, kind: 'SubmitTask' })
      await rejects(validateSubmitTask(relabelled, NOW), 'bad_signature')
    })

    it('never re-encodes: verification uses the received body bytes', async () => {
      // Unknown field 15 appended to the body: a re-encoding verifier would drop it and fail.
      const body = new Uint8Array([
        ...SubmitTask.encode({
          version: 1,
          proofType: 'sum',
          input: SumInput.encode({ values: [1], chunkSize: 8 }),
          maxPricePerUnit: 1n,
          deadlineMs: BigInt(NOW + 1000),
        }),
        0x78,
        0x01,
      ])
      const valid = await validateSubmitTask(await sealEnvelope('SubmitTask', body, client), NOW)
      assert.equal(toHex(valid.taskId), toHex(taskIdOf(body)))
      assert.notDeepEqual(
        signedBytes('SubmitTask', SubmitTask.encode(valid.request)),
        signedBytes('SubmitTask', body),
      )
    })

    it('rejects malformed bytes', async () => {
      await rejects(validateSubmitTask(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), NOW), 'malformed')
      const env = await sealEnvelope('SubmitTask', new Uint8Array([0x0a, 0xff]), client)
      await rejects(validateSubmitTask(env, NOW), 'malformed', 'body')
    })

    it('rejects an oversized envelope before decoding', async () => {
      const huge = new Uint8Array(MAX_ENVELOPE_BYTES.SubmitTask + 1)
      await rejects(validateSubmitTask(huge, NOW), 'too_large')
    })

    it('names each invalid field', async () => {
      const input = SumInput.encode({ values: [1, 2], chunkSize: 8 })
      const ok = { version: 1, proofType: 'sum', input, maxPricePerUnit: 5n, deadlineMs: BigInt(NOW + 1000) }
      const cases: [Partial<SubmitTask>, string, string][] = [
        [{ ...ok, version: 0 }, 'missing', 'version'],
        [{ ...ok, version: 2 }, 'unsupported_version', 'version'],
        [{ ...ok, proofType: '' }, 'missing', 'proof_type'],
        [{ ...ok, proofType: 'fibonacci' }, 'unknown_proof_type', 'proof_type'],
        [{ ...ok, input: new Uint8Array() }, 'missing', 'input'],
        [{ ...ok, input: SumInput.encode({ values: [], chunkSize: 1 }) }, 'missing', 'input.values'],
        // A hashchain too long for MAX_LEAF_JOBS jobs of 256 steps, sized by the dispatcher.
        [
          {
            ...ok,
            proofType: 'hashchain',
            input: HashchainInput.encode({ seed: new Uint8Array(32), steps: 4096n * 256n + 1n }),
          },
          'too_large',
          'input.steps',
        ],
        [
          { ...ok, input: SumInput.encode({ values: new Array(100_001).fill(1), chunkSize: 65536 }) },
          'too_large',
          'input.values',
        ],
        [
          { ...ok, input: SumInput.encode({ values: new Array(5000).fill(1), chunkSize: 1 }) },
          'out_of_range',
          'input.chunk_size',
        ],
        [
          {
            ...ok,
            proofType: 'hashchain',
            input: HashchainInput.encode({ seed: new Uint8Array(31), steps: 10n, segment: 5n }),
          },
          'out_of_range',
          'input.seed',
        ],
        // Job sizes the prover's circuits cannot prove: not a multiple of 8, over 1024 values or
        // 256 steps, and a seed limb that is not a canonical field element.
        [
          { ...ok, input: SumInput.encode({ values: [1, 2], chunkSize: 12 }) },
          'out_of_range',
          'input.chunk_size',
        ],
        [
          { ...ok, input: SumInput.encode({ values: [1, 2], chunkSize: 1032 }) },
          'out_of_range',
          'input.chunk_size',
        ],
        [
          {
            ...ok,
            proofType: 'hashchain',
            input: HashchainInput.encode({ seed: new Uint8Array(32), steps: 1000n, segment: 300n }),
          },
          'out_of_range',
          'input.segment',
        ],
        [
          {
            ...ok,
            proofType: 'hashchain',
            input: HashchainInput.encode({ seed: new Uint8Array(32).fill(0xff), steps: 10n, segment: 5n }),
          },
          'out_of_range',
          'input.seed',
        ],
        [
          {
            ...ok,
            proofType: 'hashchain',
            input: HashchainInput.encode({ seed: new Uint8Array(32), steps: 0n, segment: 5n }),
          },
          'out_of_range',
          'input.steps',
        ],
        [
          {
            ...ok,
            proofType: 'hashchain',
            input: HashchainInput.encode({ seed: new Uint8Array(32), steps: 10n, segment: 11n }),
          },
          'out_of_range',
          'input.segment',
        ],
        [{ ...ok, maxPricePerUnit: 0n }, 'zero_budget', 'max_price_per_unit'],
        [{ ...ok, deadlineMs: 0n }, 'missing', 'deadline_ms'],
        [{ ...ok, deadlineMs: BigInt(NOW) }, 'deadline_past', 'deadline_ms'],
        [{ ...ok, deadlineMs: BigInt(NOW + 8 * 24 * 3600 * 1000) }, 'out_of_range', 'deadline_ms'],
      ]
      for (const [body, code, field] of cases)
        await rejects(validateSubmitTask(await signedRaw(client, body), NOW), code, field)
    })

    it('rejects an envelope of the wrong kind or version', async () => {
      const env = SignedEnvelope.decode(await buildSubmitTask(sumParams(), client))
      await rejects(
        validateSubmitTask(SignedEnvelope.encode({ ...env, version: 9 }), NOW),
        'unsupported_version',
        'envelope.version',
      )
      await rejects(
        validateSubmitTask(SignedEnvelope.encode({ ...env, kind: 'Ask' }), NOW),
        'wrong_kind',
        'envelope.kind',
      )
      await rejects(
        validateSubmitTask(SignedEnvelope.encode({ ...env, signature: new Uint8Array() }), NOW),
        'missing',
        'envelope.signature',
      )
    })
  })

  describe('TaskAnnounce', () => {
    it('round-trips and binds the gateway to the signer', async () => {
      const task = await validateSubmitTask(await buildSubmitTask(sumParams(), client), NOW)
      const { bytes } = await buildTaskAnnounce(task, gateway, NOW)
      const a = await validateTaskAnnounce(bytes, gateway.publicKey.raw, NOW)
      assert.equal(toHex(a.taskId), toHex(task.taskId))
      assert.deepEqual(a.demands, [
        { class: 'sum/leaf', units: 3n },
        { class: 'aggregate', units: 3n },
      ])
      assert.deepEqual(a.gateway, peerIdBytesOf(gateway.publicKey.raw))
    })

    it('rejects an announce not signed by the gossip publisher', async () => {
      const task = await validateSubmitTask(await buildSubmitTask(sumParams(), client), NOW)
      const { bytes } = await buildTaskAnnounce(task, gateway, NOW)
      await rejects(
        validateTaskAnnounce(bytes, client.publicKey.raw, NOW),
        'bad_signature',
        'envelope.public_key',
      )
    })

    it('rejects an announce naming another gateway', async () => {
      const task = await validateSubmitTask(await buildSubmitTask(sumParams(), client), NOW)
      const { announce } = await buildTaskAnnounce(task, gateway, NOW)
      const { TaskAnnounce } = await import('../../protocol/generated/messages.js')
      const forged = await sealEnvelope(
        'TaskAnnounce',
        TaskAnnounce.encode({ ...announce, gateway: peerIdBytesOf(client.publicKey.raw) }),
        gateway,
      )
      await rejects(validateTaskAnnounce(forged, undefined, NOW), 'bad_signature', 'gateway')
    })

    it('rejects an expired announce', async () => {
      const task = await validateSubmitTask(await buildSubmitTask(sumParams(), client), NOW)
      const { bytes } = await buildTaskAnnounce(task, gateway, NOW)
      await rejects(validateTaskAnnounce(bytes, undefined, NOW + 120_000), 'deadline_past', 'deadline_ms')
    })
  })

  describe('Ask and Seal', () => {
    it('accepts an ask signed by its peer and rejects one naming another peer', async () => {
      const body = {
        version: 1,
        epoch: 3n,
        class: 'sum/leaf',
        capacityUnits: 4n,
        costPerUnit: 2n,
        operator: new Uint8Array(20).fill(1),
      }
      const good = await sealEnvelope(
        'Ask',
        Ask.encode({ ...body, peer: peerIdBytesOf(gateway.publicKey.raw) }),
        gateway,
      )
      assert.equal((await validateAsk(good)).capacityUnits, 4n)
      const bad = await sealEnvelope(
        'Ask',
        Ask.encode({ ...body, peer: peerIdBytesOf(client.publicKey.raw) }),
        gateway,
      )
      await rejects(validateAsk(bad), 'bad_signature', 'peer')
      const noOperator = await sealEnvelope(
        'Ask',
        Ask.encode({ ...body, operator: new Uint8Array(), peer: peerIdBytesOf(gateway.publicKey.raw) }),
        gateway,
      )
      await rejects(validateAsk(noOperator), 'missing', 'operator')
    })

    it('rejects a seal whose bid ids are not sorted', async () => {
      const { Seal } = await import('../../protocol/generated/messages.js')
      const ids = [new Uint8Array(32).fill(2), new Uint8Array(32).fill(1)]
      const bytes = await sealEnvelope(
        'Seal',
        Seal.encode({
          version: 1,
          epoch: 1n,
          class: 'aggregate',
          leader: peerIdBytesOf(gateway.publicKey.raw),
          bidIds: ids,
          resultHash: new Uint8Array(32),
        }),
        gateway,
      )
      await rejects(validateSeal(bytes), 'out_of_range', 'bid_ids[1]')
    })
  })

  describe('submit frames', () => {
    it('round-trips frames and rejects a frame setting two variants', async () => {
      const frame = errorFrame('bad_signature', 'envelope.signature', 'nope')
      assert.deepEqual(decodeSubmitFrame(encodeSubmitFrame(frame)), frame)
      const { SubmitResponse } = await import('../../protocol/generated/messages.js')
      const both = SubmitResponse.encode({
        version: 1,
        accepted: { version: 1, taskId: new Uint8Array(32), acceptedAtMs: 1n },
        error: { version: 1, code: 'x', field: '', message: '' },
      })
      assert.throws(() => decodeSubmitFrame(both), ValidationError)
    })
  })

  describe('JobDemand', () => {
    const demand = (over: Partial<JobDemand> = {}) => ({
      taskId: new Uint8Array(32).fill(4),
      proofType: 'sum',
      class: 'sum/leaf',
      jobIndexes: [0, 1, 2],
      round: 1,
      maxPricePerUnit: 5n,
      deadlineMs: BigInt(NOW + 60_000),
      ...over,
    })

    it('round-trips and binds the gateway to the signer and the gossip publisher', async () => {
      const bytes = await buildJobDemand(demand(), gateway)
      const d = await validateJobDemand(bytes, gateway.publicKey.raw, NOW)
      assert.deepEqual(d.jobIndexes, [0, 1, 2])
      assert.deepEqual(d.gateway, peerIdBytesOf(gateway.publicKey.raw))
      await assert.rejects(validateJobDemand(bytes, client.publicKey.raw, NOW), /gossip publisher/)
    })

    it('rejects bad fields, naming each', async () => {
      const cases: [Partial<JobDemand>, string, string][] = [
        [{ jobIndexes: [] }, 'missing', 'job_indexes'],
        [{ jobIndexes: [2, 1] }, 'out_of_range', 'job_indexes[1]'],
        [{ jobIndexes: [0, 0] }, 'out_of_range', 'job_indexes[1]'],
        [{ jobIndexes: [MAX_JOB_INDEX] }, 'out_of_range', 'job_indexes[0]'],
        [
          { jobIndexes: Array.from({ length: MAX_DEMAND_JOBS + 1 }, (_, i) => i) },
          'too_large',
          'job_indexes',
        ],
        [{ round: 0 }, 'missing', 'round'],
        [{ maxPricePerUnit: 0n }, 'zero_budget', 'max_price_per_unit'],
        [{ deadlineMs: BigInt(NOW - 1) }, 'deadline_past', 'deadline_ms'],
        [{ proofType: 'fib' }, 'unknown_proof_type', 'proof_type'],
        [{ taskId: new Uint8Array(31) }, 'out_of_range', 'task_id'],
      ]
      for (const [over, code, field] of cases) {
        const bytes = await buildJobDemand(demand(over), gateway)
        await assert.rejects(
          validateJobDemand(bytes, undefined, NOW),
          (e: unknown) => e instanceof ValidationError && e.code === code && e.field === field,
          `${JSON.stringify(Object.keys(over))} → ${code} ${field}`,
        )
      }
    })

    it('rejects a demand naming another gateway than its signer', async () => {
      const body = JobDemand.encode({ ...demand(), version: 1, gateway: peerIdBytesOf(client.publicKey.raw) })
      const bytes = await sealEnvelope('JobDemand', body, gateway)
      await assert.rejects(validateJobDemand(bytes, undefined, NOW), /gateway is not the signing peer/)
    })

    it('decodes aggregation inputs of one or two proofs only', () => {
      const one = new Uint8Array([1])
      assert.deepEqual(decodeAggregateInput(encodeAggregateInput([one, one])), [one, one])
      assert.throws(() => decodeAggregateInput(encodeAggregateInput([])), /input.children/)
      assert.throws(() => decodeAggregateInput(encodeAggregateInput([one, one, one])), /input.children/)
      assert.throws(() => decodeAggregateInput(new Uint8Array([0xff, 0xff])), ValidationError)
    })
  })
})
