// The gateway's validation limits must be what the prover's circuits can prove; otherwise a
// gateway accepts tasks no operator can serve.
import assert from 'node:assert/strict'
import {
  MAX_HASHCHAIN_SEGMENT,
  MAX_HASHCHAIN_STEPS,
  MAX_SUM_CHUNK,
  MAX_SUM_VALUES,
  SUM_CHUNK_MULTIPLE,
} from '../../protocol/index.ts'
import { testProver } from '../helpers/prover.ts'

describe('protocol limits match the prover', () => {
  it('sum job sizes', () => {
    const sum = testProver()
      .info()
      .proofTypes.find((t) => t.name === 'sum')!
    assert.equal(MAX_SUM_CHUNK, sum.maxJobSize)
    assert.equal(SUM_CHUNK_MULTIPLE, sum.jobSizeMultiple)
    assert.ok(MAX_SUM_VALUES <= sum.maxTaskLength)
  })

  it('hashchain segments and steps', () => {
    const hashchain = testProver()
      .info()
      .proofTypes.find((t) => t.name === 'hashchain')!
    assert.equal(Number(MAX_HASHCHAIN_SEGMENT), hashchain.maxJobSize)
    assert.equal(MAX_HASHCHAIN_STEPS, BigInt(hashchain.maxTaskLength))
  })
})
