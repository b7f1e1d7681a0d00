import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { openTaskStore, type TaskRecord } from '../../node/store/task-store.ts'
import { tempDir } from './helpers.ts'

const record = (taskId: string): TaskRecord => ({
  taskId,
  proofType: 'sum',
  state: 'accepted',
  origin: 'submitted',
  gateway: '12D3KooWRqU7MZB2bgQoVrVCU2G8GtciAL3xThZhofEJFo9xzKCG',
  maxPricePerUnit: '1',
  deadlineMs: '2000000000000',
  demands: [{ class: 'sum/leaf', units: '1' }],
  inputCommitment: '00'.repeat(32),
  inputSize: 4,
  createdAtMs: 1000,
  history: [{ state: 'accepted', atMs: 1000 }],
})

describe('task store (level)', () => {
  let dir: string
  before(async () => {
    dir = await tempDir()
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('stores a task once under concurrent duplicate puts, and keeps it across reopen', async () => {
    const path = join(dir, 'tasks')
    const store = await openTaskStore(path)
    const request = new Uint8Array([1, 2, 3])
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.putIfAbsent(record('aa'), request)),
    )
    assert.equal(results.filter((r) => r.created).length, 1)
    await store.setState('aa', 'announced', 2000)
    await store.putIfAbsent(record('bb'))
    await store.close()

    const reopened = await openTaskStore(path)
    try {
      const aa = await reopened.get('aa')
      assert.equal(aa?.state, 'announced')
      assert.deepEqual(
        aa?.history.map((h) => h.state),
        ['accepted', 'announced'],
      )
      assert.deepEqual([...((await reopened.getRequest('aa')) ?? [])], [1, 2, 3])
      assert.equal(await reopened.getRequest('bb'), undefined)
      assert.deepEqual(await reopened.countByState(), { announced: 1, accepted: 1 })
      await assert.rejects(reopened.setState('cc', 'done', 3000), /unknown task cc/)
    } finally {
      await reopened.close()
    }
  })
})
