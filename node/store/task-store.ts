// Tasks and their states in level, so a restarted node resumes every task it knew. A gateway also
// keeps the client's signed request (needed later to serve job inputs and as evidence).
//
// What it costs to ask: counts by state are kept in memory, updated with every write and rebuilt by
// one scan at open, so /status and every Prometheus scrape are O(1). Three time indexes (created,
// deadline, ended/fetched) let /status list the newest tasks and the retention pass find what is due
// without reading every record.
import { Level } from 'level'
import type { TaskAnnounce, TaskState } from '../../protocol/index.ts'
import { toHex } from '../../protocol/index.ts'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { passedWritePoint, taskStateWritePoint } from '../write-points.ts'

export interface TaskRecord {
  /** Hex sha256 content id. */
  taskId: string
  proofType: string
  state: TaskState
  /** 'submitted' on the gateway that accepted it, 'announced' on nodes that learnt it by gossip. */
  origin: 'submitted' | 'announced'
  /** Peer id (string) of the gateway holding the input. */
  gateway: string
  maxPricePerUnit: string
  deadlineMs: string
  demands: { class: string; units: string }[]
  inputCommitment: string
  inputSize: number
  createdAtMs: number
  history: { state: TaskState; atMs: number }[]
  /** The detail of the final state (why it failed; what was proven), for a client that comes back. */
  finalDetail?: string
  /** When a client first received the root proof on its status stream. */
  proofFetchedAtMs?: number
}

export const FINAL_TASK_STATES: readonly TaskState[] = ['done', 'failed']

export function recordFromAnnounce(
  a: TaskAnnounce,
  origin: TaskRecord['origin'],
  state: TaskState,
  atMs: number,
): TaskRecord {
  return {
    taskId: toHex(a.taskId),
    proofType: a.proofType,
    state,
    origin,
    gateway: peerIdFromMultihash(Digest.decode(a.gateway)).toString(),
    maxPricePerUnit: a.maxPricePerUnit.toString(),
    deadlineMs: a.deadlineMs.toString(),
    demands: a.demands.map((d) => ({ class: d.class, units: d.units.toString() })),
    inputCommitment: toHex(a.inputCommitment),
    inputSize: a.inputSize,
    createdAtMs: atMs,
    history: [{ state, atMs }],
  }
}

/** A task found through a time index: its id and the indexed time. */
export interface DueTask {
  taskId: string
  atMs: number
}

export interface TaskStore {
  /** Stores a new task (and its signed request, on a gateway) in one batch; a known id changes nothing. */
  putIfAbsent(record: TaskRecord, request?: Uint8Array): Promise<{ created: boolean; record: TaskRecord }>
  get(taskId: string): Promise<TaskRecord | undefined>
  getRequest(taskId: string): Promise<Uint8Array | undefined>
  /** A new state; `detail` is kept with a final state. */
  setState(taskId: string, state: TaskState, atMs: number, detail?: string): Promise<TaskRecord>
  /** Records the first delivery of a done task's root proof to a client (later ones change nothing). */
  markProofFetched(taskId: string, atMs: number): Promise<void>
  /** Every record: for start-up passes only (O(n)); /status uses `recent`. */
  list(): Promise<TaskRecord[]>
  /** The `limit` most recently created tasks, newest first. */
  recent(limit: number): Promise<TaskRecord[]>
  /** Tasks by state, kept on every write: O(1). */
  countByState(): Promise<Record<string, number>>
  /** Total tasks stored: O(1). */
  size(): number
  /** Up to `limit` tasks whose deadline is before `beforeMs`, oldest first. */
  deadlinesBefore(beforeMs: number, limit: number): Promise<DueTask[]>
  /** Up to `limit` tasks that ended (final state) before `beforeMs`, oldest first. */
  endedBefore(beforeMs: number, limit: number): Promise<DueTask[]>
  /** Up to `limit` tasks whose root proof a client first received before `beforeMs`, oldest first. */
  fetchedBefore(beforeMs: number, limit: number): Promise<DueTask[]>
  /** Removes index entries the retention pass has dealt with (that task's proofs are gone). */
  forget(index: 'ended' | 'fetched', entries: readonly DueTask[]): Promise<void>
  /** Deletes tasks with their requests and index entries, in one batch. */
  delete(taskIds: readonly string[]): Promise<number>
  close(): Promise<void>
}

/** Serialises writes: level has no compare-and-set, and put-if-absent must not race with itself. */
function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return run
  }
}

/** Index key: time (zero-padded, so keys sort by time) then task id. */
const timeKey = (atMs: number, taskId: string) => `${String(Math.max(0, atMs)).padStart(16, '0')}/${taskId}`
const parseTimeKey = (key: string): DueTask => {
  const [at, taskId] = key.split('/') as [string, string]
  return { taskId, atMs: Number(at) }
}
/** A deadline as a key time (a bigint in the record; capped to keep the key's width). */
const deadlineOf = (record: TaskRecord) => Math.min(Number(record.deadlineMs), 9e15)
const endedAt = (record: TaskRecord) =>
  FINAL_TASK_STATES.includes(record.state) ? (record.history.at(-1)?.atMs ?? record.createdAtMs) : undefined

/** Marks a store whose indexes are complete (stores written before they existed are indexed once). */
const INDEX_VERSION_KEY = 'indexes'
const INDEX_VERSION = 1
const BACKFILL_BATCH = 500

export async function openTaskStore(path: string): Promise<TaskStore> {
  const db = new Level<string, unknown>(path, { valueEncoding: 'json' })
  await db.open()
  const tasks = db.sublevel<string, TaskRecord>('tasks', { valueEncoding: 'json' })
  const requests = db.sublevel<string, Uint8Array>('requests', { valueEncoding: 'view' })
  const byCreated = db.sublevel<string, string>('by-created', { valueEncoding: 'utf8' })
  const byDeadline = db.sublevel<string, string>('by-deadline', { valueEncoding: 'utf8' })
  const byEnded = db.sublevel<string, string>('by-ended', { valueEncoding: 'utf8' })
  const byFetched = db.sublevel<string, string>('by-fetched', { valueEncoding: 'utf8' })
  const meta = db.sublevel<string, number>('meta', { valueEncoding: 'json' })
  const serial = serialQueue()

  // One scan at open: the counts, and the indexes of a store written before they existed.
  const counts = new Map<string, number>()
  let total = 0
  const bump = (state: string, by: number) => {
    const n = (counts.get(state) ?? 0) + by
    if (n > 0) counts.set(state, n)
    else counts.delete(state)
  }
  const backfill = (await meta.get(INDEX_VERSION_KEY)) !== INDEX_VERSION
  let pending = db.batch()
  for await (const record of tasks.values()) {
    bump(record.state, 1)
    total++
    if (!backfill) continue
    indexPuts(pending, record)
    if (pending.length >= BACKFILL_BATCH) {
      await pending.write()
      pending = db.batch()
    }
  }
  if (backfill) pending.put(INDEX_VERSION_KEY, INDEX_VERSION, { sublevel: meta })
  if (pending.length > 0) await pending.write()
  else await pending.close()

  function indexPuts(batch: ReturnType<typeof db.batch>, record: TaskRecord) {
    batch.put(timeKey(record.createdAtMs, record.taskId), '', { sublevel: byCreated })
    batch.put(timeKey(deadlineOf(record), record.taskId), '', { sublevel: byDeadline })
    const ended = endedAt(record)
    if (ended !== undefined) batch.put(timeKey(ended, record.taskId), '', { sublevel: byEnded })
    if (record.proofFetchedAtMs !== undefined)
      batch.put(timeKey(record.proofFetchedAtMs, record.taskId), '', { sublevel: byFetched })
  }

  const keysBefore = async (index: typeof byDeadline, beforeMs: number, limit: number) =>
    (await index.keys({ lt: timeKey(beforeMs, ''), limit }).all()).map(parseTimeKey)

  return {
    putIfAbsent: (record, request) =>
      serial(async () => {
        const existing = await tasks.get(record.taskId)
        if (existing !== undefined) return { created: false, record: existing }
        const batch = db.batch()
        batch.put(record.taskId, record, { sublevel: tasks })
        if (request !== undefined) batch.put(record.taskId, request, { sublevel: requests })
        indexPuts(batch, record)
        await batch.write()
        bump(record.state, 1)
        total++
        if (request !== undefined) passedWritePoint('task.accepted')
        return { created: true, record }
      }),
    get: async (taskId) => tasks.get(taskId),
    getRequest: async (taskId) => requests.get(taskId),
    setState: (taskId, state, atMs, detail) =>
      serial(async () => {
        const record = await tasks.get(taskId)
        if (record === undefined) throw new Error(`unknown task ${taskId}`)
        const final = FINAL_TASK_STATES.includes(state)
        const next: TaskRecord = {
          ...record,
          state,
          history: [...record.history, { state, atMs }],
          ...(final && detail !== undefined ? { finalDetail: detail } : {}),
        }
        const batch = db.batch()
        batch.put(taskId, next, { sublevel: tasks })
        // One ended entry per task, at its latest final state.
        const ended = endedAt(record)
        if (ended !== undefined) batch.del(timeKey(ended, taskId), { sublevel: byEnded })
        if (final) batch.put(timeKey(atMs, taskId), '', { sublevel: byEnded })
        await batch.write()
        bump(record.state, -1)
        bump(state, 1)
        passedWritePoint(taskStateWritePoint(state))
        return next
      }),
    markProofFetched: (taskId, atMs) =>
      serial(async () => {
        const record = await tasks.get(taskId)
        if (record === undefined || record.proofFetchedAtMs !== undefined) return
        const batch = db.batch()
        batch.put(taskId, { ...record, proofFetchedAtMs: atMs }, { sublevel: tasks })
        batch.put(timeKey(atMs, taskId), '', { sublevel: byFetched })
        await batch.write()
      }),
    list: async () => tasks.values().all(),
    recent: async (limit) => {
      const ids = (await byCreated.keys({ reverse: true, limit }).all()).map((k) => parseTimeKey(k).taskId)
      const records = await tasks.getMany(ids)
      return records.filter((r): r is TaskRecord => r !== undefined)
    },
    countByState: async () => Object.fromEntries(counts),
    size: () => total,
    deadlinesBefore: (beforeMs, limit) => keysBefore(byDeadline, beforeMs, limit),
    endedBefore: (beforeMs, limit) => keysBefore(byEnded, beforeMs, limit),
    fetchedBefore: (beforeMs, limit) => keysBefore(byFetched, beforeMs, limit),
    forget: async (index, entries) => {
      const sublevel = index === 'ended' ? byEnded : byFetched
      await db.batch(entries.map((e) => ({ type: 'del' as const, key: timeKey(e.atMs, e.taskId), sublevel })))
    },
    delete: (taskIds) =>
      serial(async () => {
        const records = await tasks.getMany([...taskIds])
        const batch = db.batch()
        const gone: TaskRecord[] = []
        for (const record of records) {
          if (record === undefined) continue
          gone.push(record)
          batch.del(record.taskId, { sublevel: tasks })
          batch.del(record.taskId, { sublevel: requests })
          batch.del(timeKey(record.createdAtMs, record.taskId), { sublevel: byCreated })
          batch.del(timeKey(deadlineOf(record), record.taskId), { sublevel: byDeadline })
          const ended = endedAt(record)
          if (ended !== undefined) batch.del(timeKey(ended, record.taskId), { sublevel: byEnded })
          if (record.proofFetchedAtMs !== undefined)
            batch.del(timeKey(record.proofFetchedAtMs, record.taskId), { sublevel: byFetched })
        }
        if (gone.length === 0) {
          await batch.close()
          return 0
        }
        await batch.write()
        for (const record of gone) bump(record.state, -1)
        total -= gone.length
        return gone.length
      }),
    close: () => db.close(),
  }
}
