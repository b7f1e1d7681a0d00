// Bounded resources of a long-running node, on real level stores: task counts kept on every write
// (right across transitions, deletes and a reopen, without scanning), the newest-tasks listing, and
// retention: tasks, proofs, job states, demands and faults past their time are deleted, fresh ones kept.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import pino from 'pino'
import { openJobStore, type JobStore } from '../../node/gateway/job-store.ts'
import { Registry } from 'prom-client'
import { LoopHealth } from '../../node/loop-health.ts'
import { prunePass, PROOF_AFTER_FETCH_MS, startRetention } from '../../node/store/retention.ts'
import { openTaskStore, type TaskRecord, type TaskStore } from '../../node/store/task-store.ts'
import { tempDir, waitFor } from './helpers.ts'

const DAY = 86_400_000
const logger = pino({ level: 'silent' })

const record = (taskId: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId,
  proofType: 'sum',
  state: 'accepted',
  origin: 'submitted',
  gateway: '12D3KooWRqU7MZB2bgQoVrVCU2G8GtciAL3xThZhofEJFo9xzKCG',
  maxPricePerUnit: '1',
  deadlineMs: String(10 * DAY),
  demands: [{ class: 'sum/leaf', units: '1' }],
  inputCommitment: '00'.repeat(32),
  inputSize: 4,
  createdAtMs: 1000,
  history: [{ state: 'accepted', atMs: 1000 }],
  ...over,
})

async function putJobData(jobs: JobStore, taskId: string): Promise<void> {
  const batch = jobs
    .batch('demands.offered')
    .putRun({ taskId, proofType: 'sum', leafCount: 2, round: 1, jobs: [], startedAtMs: 0 })
    .putDemand(taskId, 1, new Uint8Array([1]))
  for (const i of [0, 1, 2]) batch.putProof(taskId, i, new Uint8Array(1000).fill(i))
  await batch.write()
}

async function jobDataOf(jobs: JobStore, taskId: string) {
  return {
    run: (await jobs.getRun(taskId)) !== undefined,
    proofs: (await Promise.all([0, 1, 2].map((i) => jobs.getProof(taskId, i)))).filter(Boolean).length,
    demand: (await jobs.getDemand(taskId, 1)) !== undefined,
  }
}

describe('task counts and retention (level)', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('keeps counts by state right across transitions, deletes and a reopen, and lists the newest tasks', async () => {
    const path = join(dir, 'tasks')
    let store: TaskStore = await openTaskStore(path)
    for (let i = 0; i < 5; i++) await store.putIfAbsent(record(`t${i}`, { createdAtMs: 1000 + i }))
    await store.putIfAbsent(record('t0')) // a duplicate changes nothing
    await store.setState('t0', 'announced', 2000)
    await store.setState('t0', 'proving', 2100)
    await store.setState('t1', 'announced', 2000)
    await store.setState('t1', 'done', 3000, 'verified root proof of 3 jobs')
    await store.setState('t2', 'failed', 3000, 'expired')
    assert.deepEqual(await store.countByState(), { accepted: 2, proving: 1, done: 1, failed: 1 })
    assert.equal(store.size(), 5)
    assert.deepEqual(
      (await store.recent(3)).map((t) => t.taskId),
      ['t4', 't3', 't2'],
    )
    assert.equal((await store.get('t1'))?.finalDetail, 'verified root proof of 3 jobs')
    assert.equal(await store.delete(['t3', 'missing']), 1)
    await store.close()

    store = await openTaskStore(path)
    try {
      assert.deepEqual(await store.countByState(), { accepted: 1, proving: 1, done: 1, failed: 1 })
      assert.equal(store.size(), 4)
      await store.setState('t0', 'done', 4000)
      assert.deepEqual(await store.countByState(), { accepted: 1, done: 2, failed: 1 })
      assert.deepEqual(
        (await store.recent(10)).map((t) => t.taskId),
        ['t4', 't2', 't1', 't0'],
      )
    } finally {
      await store.close()
    }
  })

  it('indexes a store written before the indexes existed, once, at open', async () => {
    const path = join(dir, 'tasks')
    // What the previous version wrote: records only.
    const db = new Level<string, unknown>(path, { valueEncoding: 'json' })
    const tasks = db.sublevel<string, TaskRecord>('tasks', { valueEncoding: 'json' })
    await tasks.put('old', record('old', { state: 'done', history: [{ state: 'done', atMs: 2000 }] }))
    await db.close()
    const store = await openTaskStore(path)
    try {
      assert.deepEqual(await store.countByState(), { done: 1 })
      assert.deepEqual(
        (await store.recent(5)).map((t) => t.taskId),
        ['old'],
      )
      assert.deepEqual(
        (await store.endedBefore(3000, 10)).map((d) => d.taskId),
        ['old'],
      )
      assert.deepEqual(
        (await store.deadlinesBefore(11 * DAY, 10)).map((d) => d.taskId),
        ['old'],
      )
    } finally {
      await store.close()
    }
  })

  it('deletes tasks, proofs, job states, demands and faults past retention, and keeps fresh ones', async () => {
    const tasks = await openTaskStore(join(dir, 'tasks'))
    const jobs = await openJobStore(join(dir, 'jobs'))
    try {
      // old: deadline day 10, done day 1 — due for deletion at day 10 + 30.
      // fetched: done day 20, its proof handed to a client at day 20 — its proofs go an hour later.
      // ended: done day 20, never fetched — its proofs go at day 20 + 7.
      // fresh: done day 49, deadline day 60 — everything kept.
      // running: proving, deadline day 60 — kept.
      // gossiped: learnt by gossip, deadline day 5 — deleted at day 35.
      await tasks.putIfAbsent(record('old'))
      await tasks.setState('old', 'done', 1 * DAY)
      for (const id of ['fetched', 'ended']) {
        await tasks.putIfAbsent(record(id, { deadlineMs: String(25 * DAY) }))
        await tasks.setState(id, 'done', 20 * DAY)
      }
      await tasks.markProofFetched('fetched', 20 * DAY)
      await tasks.markProofFetched('fetched', 21 * DAY) // only the first delivery counts
      await tasks.putIfAbsent(record('fresh', { deadlineMs: String(60 * DAY) }))
      await tasks.setState('fresh', 'done', 49 * DAY)
      await tasks.putIfAbsent(record('running', { deadlineMs: String(60 * DAY) }))
      await tasks.setState('running', 'proving', 49 * DAY)
      await tasks.putIfAbsent(
        record('gossiped', { origin: 'announced', state: 'announced', deadlineMs: String(5 * DAY) }),
      )
      for (const id of ['old', 'fetched', 'ended', 'fresh', 'running']) await putJobData(jobs, id)
      const fault = (atMs: number) => ({
        code: 'DEADLINE_MISSED' as const,
        taskId: 'old',
        jobIndex: 0,
        operator: '0x',
        peer: 'p',
        epoch: 1,
        atMs,
        reason: 'late',
      })
      await jobs
        .batch('job.late')
        .addFault(fault(2 * DAY))
        .addFault(fault(45 * DAY))
        .write()

      const pass = (nowMs: number) =>
        prunePass({
          tasks,
          jobs,
          clock: { now: () => nowMs },
          logger,
          retainTasksMs: 30 * DAY,
          retainProofsMs: 7 * DAY,
          chunk: 2, // several chunks per pass
        })

      // Day 20, 59 minutes after the fetch: only the old task's proofs are due (it ended on day 1).
      const early = await pass(20 * DAY + PROOF_AFTER_FETCH_MS - 60_000)
      assert.deepEqual(early, { tasks: 0, proofs: 1, faults: 0 })
      assert.deepEqual(await jobDataOf(jobs, 'old'), { run: false, proofs: 0, demand: false })
      assert.deepEqual(await jobDataOf(jobs, 'fetched'), { run: true, proofs: 3, demand: true })
      // An hour after the fetch: that task's proofs go.
      const late = await pass(20 * DAY + PROOF_AFTER_FETCH_MS + 1)
      assert.deepEqual(late, { tasks: 0, proofs: 1, faults: 0 })
      assert.deepEqual(await jobDataOf(jobs, 'fetched'), { run: false, proofs: 0, demand: false })
      assert.deepEqual(await jobDataOf(jobs, 'ended'), { run: true, proofs: 3, demand: true })
      assert.equal((await tasks.get('fetched'))?.state, 'done', 'the record itself stays')
      // Day 27 + : the unfetched task's proofs go (7 days after it ended).
      await pass(27 * DAY + 1)
      assert.deepEqual(await jobDataOf(jobs, 'ended'), { run: false, proofs: 0, demand: false })
      // Day 50: tasks 30 days past their deadline go (old: day 10; gossiped: day 5), with the faults
      // recorded before day 20; the others stay.
      const day50 = await pass(50 * DAY)
      assert.deepEqual(day50, { tasks: 2, proofs: 0, faults: 1 })
      assert.equal(await tasks.get('old'), undefined)
      assert.equal(await tasks.getRequest('old'), undefined)
      assert.equal(await tasks.get('gossiped'), undefined)
      assert.deepEqual((await tasks.recent(10)).map((t) => t.taskId).sort(), [
        'ended',
        'fetched',
        'fresh',
        'running',
      ])
      assert.deepEqual(await jobDataOf(jobs, 'fresh'), { run: true, proofs: 3, demand: true })
      assert.deepEqual(await jobDataOf(jobs, 'running'), { run: true, proofs: 3, demand: true })
      assert.deepEqual(
        (await jobs.faults()).map((f) => f.atMs),
        [45 * DAY],
      )
      assert.deepEqual(await tasks.countByState(), { done: 3, proving: 1 })
      // A second pass at the same time finds nothing left to do.
      assert.deepEqual(await pass(50 * DAY), { tasks: 0, proofs: 0, faults: 0 })
    } finally {
      await jobs.close()
      await tasks.close()
    }
  })

  it('a retention pass that keeps failing is logged and marks the loop failing, and the loop goes on', async () => {
    const tasks = await openTaskStore(join(dir, 'tasks'))
    await tasks.close() // every read now fails
    const health = new LoopHealth(new Registry(), logger, () => 0)
    const retention = startRetention({
      tasks,
      clock: { now: () => 50 * DAY },
      logger,
      retainTasksMs: DAY,
      retainProofsMs: DAY,
      intervalMs: 20,
      monitor: health,
    })
    try {
      await waitFor('retention counted as failing', () =>
        health.failing().some((f) => f.loop === 'retention' && /not open/i.test(f.lastError)),
      )
    } finally {
      await retention.stop()
    }
  })
})
