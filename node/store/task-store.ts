// Tasks and their states in level, so a restarted node resumes every task it knew. A gateway also
// keeps the client's signed request (needed later to serve job inputs and as evidence).
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
}

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

export interface TaskStore {
  /** Stores a new task (and its signed request, on a gateway) in one batch; a known id changes nothing. */
  putIfAbsent(record: TaskRecord, request?: Uint8Array): Promise<{ created: boolean; record: TaskRecord }>
  get(taskId: string): Promise<TaskRecord | undefined>
  getRequest(taskId: string): Promise<Uint8Array | undefined>
  setState(taskId: string, state: TaskState, atMs: number): Promise<TaskRecord>
  list(): Promise<TaskRecord[]>
  countByState(): Promise<Record<string, number>>
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

export async function openTaskStore(path: string): Promise<TaskStore> {
  const db = new Level<string, unknown>(path, { valueEncoding: 'json' })
  await db.open()
  const tasks = db.sublevel<string, TaskRecord>('tasks', { valueEncoding: 'json' })
  const requests = db.sublevel<string, Uint8Array>('requests', { valueEncoding: 'view' })
  const serial = serialQueue()

  return {
    putIfAbsent: (record, request) =>
      serial(async () => {
        const existing = await tasks.get(record.taskId)
        if (existing !== undefined) return { created: false, record: existing }
        const batch = db.batch()
        batch.put(record.taskId, record, { sublevel: tasks })
        if (request !== undefined) batch.put(record.taskId, request, { sublevel: requests })
        await batch.write()
        if (request !== undefined) passedWritePoint('task.accepted')
        return { created: true, record }
      }),
    get: async (taskId) => tasks.get(taskId),
    getRequest: async (taskId) => requests.get(taskId),
    setState: (taskId, state, atMs) =>
      serial(async () => {
        const record = await tasks.get(taskId)
        if (record === undefined) throw new Error(`unknown task ${taskId}`)
        const next = { ...record, state, history: [...record.history, { state, atMs }] }
        await tasks.put(taskId, next)
        passedWritePoint(taskStateWritePoint(state))
        return next
      }),
    list: async () => tasks.values().all(),
    countByState: async () => {
      const counts: Record<string, number> = {}
      for await (const record of tasks.values()) counts[record.state] = (counts[record.state] ?? 0) + 1
      return counts
    },
    close: () => db.close(),
  }
}
