// The gateway side of SUBMIT_PROTOCOL. One request frame (a SignedEnvelope of SubmitTask), then
// reply frames: accepted, status... until the task ends, the client goes away or the deadline passes.
// Nothing is stored before the request has passed every check; a bad request gets one error frame.
import type { Connection, PrivateKey, Stream } from '@libp2p/interface'
import { InvalidDataLengthError, lpStream } from '@libp2p/utils'
import {
  buildTaskAnnounce,
  encodeSubmitFrame,
  errorFrame,
  MAX_ENVELOPE_BYTES,
  SUBMIT_RESPONSE_VERSION,
  validateSubmitTask,
  ValidationError,
  type SubmitFrame,
  type TaskState,
  type TaskStatus,
  type ValidSubmitTask,
} from '../../protocol/index.ts'
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { NodeMetrics } from '../metrics.ts'
import { recordFromAnnounce, type TaskRecord, type TaskStore } from '../store/task-store.ts'
import type { TaskEvents } from '../task-events.ts'

/** How long a client may take to send its request frame. */
export const REQUEST_READ_TIMEOUT_MS = 10_000
const FINAL_STATES: readonly TaskState[] = ['done', 'failed']
const STATUS_GRACE_MS = 2_000
/**
 * Open status streams (each holds a listener until its task ends, up to its deadline: days): at most
 * this many per client peer and in all. Beyond that a submit is refused with the retryable code
 * `busy` before anything is stored; the light client retries it with its backoff.
 */
export const MAX_STATUS_STREAMS_PER_PEER = 32
export const MAX_STATUS_STREAMS = 1024

/** Counts open status streams per peer and in total, against the two bounds. */
export class StatusStreamLimit {
  readonly perPeer: number
  readonly total: number
  readonly #open = new Map<string, number>()
  #count = 0
  constructor(perPeer = MAX_STATUS_STREAMS_PER_PEER, total = MAX_STATUS_STREAMS) {
    this.perPeer = perPeer
    this.total = total
  }
  /** The reason a new stream from `peer` is refused, or undefined (then the slot is taken). */
  acquire(peer: string): string | undefined {
    const mine = this.#open.get(peer) ?? 0
    if (mine >= this.perPeer) return `this peer has ${mine} open status streams (at most ${this.perPeer})`
    if (this.#count >= this.total)
      return `the gateway has ${this.#count} open status streams (at most ${this.total})`
    this.#open.set(peer, mine + 1)
    this.#count++
    return undefined
  }
  release(peer: string): void {
    const mine = this.#open.get(peer) ?? 0
    if (mine <= 1) this.#open.delete(peer)
    else this.#open.set(peer, mine - 1)
    this.#count = Math.max(0, this.#count - 1)
  }
  get open(): number {
    return this.#count
  }
}

export interface SubmitHandlerDeps {
  peerKey: PrivateKey
  store: TaskStore
  events: TaskEvents
  clock: Clock
  logger: Logger
  metrics: NodeMetrics
  /** Gossips the signed announce; resolves when handed to gossipsub. */
  announce(envelope: Uint8Array): Promise<unknown>
  /** Called once a task is announced: the dispatcher plans it and offers its jobs. */
  onAnnounced?(taskId: string): void
  /** The latest detail (and, once done, the root proof) of a task, for a client that (re)connects. */
  latest?(taskId: string): Promise<{ detail: string; proof?: Uint8Array }>
  /** Bounds on open status streams; default MAX_STATUS_STREAMS_PER_PEER / MAX_STATUS_STREAMS. */
  streams?: StatusStreamLimit
}

export function statusOf(record: TaskRecord, taskId: Uint8Array, detail = ''): TaskStatus {
  const last = record.history.at(-1)
  return {
    version: SUBMIT_RESPONSE_VERSION,
    taskId,
    state: record.state,
    detail,
    atMs: BigInt(last?.atMs ?? record.createdAtMs),
    final: FINAL_STATES.includes(record.state),
    proof: new Uint8Array(),
  }
}

export interface StoredSubmit {
  task: ValidSubmitTask
  record: TaskRecord
  /** False for a duplicate: the task was already known and nothing was written. */
  created: boolean
  /** The signed announce to gossip (only needed when created). */
  announce: Uint8Array
}

/** Validates and stores a request; throws ValidationError before writing anything. */
export async function storeSubmit(deps: SubmitHandlerDeps, bytes: Uint8Array): Promise<StoredSubmit> {
  const now = deps.clock.now()
  const task = await validateSubmitTask(bytes, now)
  const { announce, bytes: announceEnvelope } = await buildTaskAnnounce(task, deps.peerKey, now)
  const { created, record } = await deps.store.putIfAbsent(
    recordFromAnnounce(announce, 'submitted', 'accepted', now),
    bytes,
  )
  return { task, record, created, announce: announceEnvelope }
}

/** Gossips a newly stored task and marks it announced; on failure it stays 'accepted' for the next start. */
export async function announceStored(deps: SubmitHandlerDeps, stored: StoredSubmit): Promise<TaskRecord> {
  if (!stored.created) return stored.record
  try {
    await deps.announce(stored.announce)
    const record = await deps.store.setState(stored.record.taskId, 'announced', deps.clock.now())
    deps.events.emit(record.taskId, statusOf(record, stored.task.taskId))
    deps.onAnnounced?.(record.taskId)
    return record
  } catch (error) {
    deps.logger.warn({ taskId: stored.record.taskId, err: (error as Error).message }, 'announce failed')
    return stored.record
  }
}

/**
 * What a gateway answers on its client protocols while it is still starting (its stores open, gossip
 * and dispatcher not yet): one retryable `busy` frame. Without a handler a client would be told the
 * protocol is unsupported, which the light client rightly takes as final (a wrong address).
 */
export async function refuseWhileStarting(stream: Stream): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES.SubmitTask })
  try {
    await lp.write(encodeSubmitFrame(errorFrame('busy', '', 'the gateway is starting; retry shortly')))
    await stream.close()
  } catch (error) {
    stream.abort(error as Error)
  }
}

export function submitStreamHandler(deps: SubmitHandlerDeps) {
  const limit = deps.streams ?? new StatusStreamLimit()
  return async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer.toString()
    const log = deps.logger.child({ remote: peer })
    const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES.SubmitTask })
    const send = (frame: SubmitFrame) => lp.write(encodeSubmitFrame(frame))
    const refused = limit.acquire(peer)
    if (refused !== undefined) {
      deps.metrics.submits.inc({ result: 'busy' })
      log.info({ reason: refused }, 'submit refused: too many open status streams')
      try {
        await send(errorFrame('busy', '', `${refused}; retry later`))
        await stream.close()
      } catch (error) {
        stream.abort(error as Error)
      }
      return
    }
    try {
      let bytes: Uint8Array
      try {
        bytes = (await lp.read({ signal: AbortSignal.timeout(REQUEST_READ_TIMEOUT_MS) })).subarray()
      } catch (error) {
        const tooLarge = error instanceof InvalidDataLengthError
        deps.metrics.submits.inc({ result: tooLarge ? 'too_large' : 'malformed' })
        await send(
          tooLarge
            ? errorFrame('too_large', '', `request frame exceeds ${MAX_ENVELOPE_BYTES.SubmitTask} bytes`)
            : errorFrame('malformed', '', `cannot read a request frame: ${(error as Error).message}`),
        )
        await stream.close()
        return
      }

      let stored: StoredSubmit
      try {
        stored = await storeSubmit(deps, bytes)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        deps.metrics.submits.inc({ result: error.code })
        log.info({ code: error.code, field: error.field }, 'submit rejected')
        await send(errorFrame(error.code, error.field, error.message))
        await stream.close()
        return
      }
      deps.metrics.submits.inc({ result: stored.created ? 'accepted' : 'duplicate' })
      log.info({ taskId: stored.record.taskId, created: stored.created }, 'task accepted')
      await streamStatuses(deps, stream, send, stored)
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'submit stream failed')
      stream.abort(error as Error)
    } finally {
      limit.release(peer)
    }
  }
}

/** Sends a status frame; a root proof handed over is recorded (it starts the proof's retention clock). */
async function sendStatus(
  deps: SubmitHandlerDeps,
  send: (frame: SubmitFrame) => Promise<void>,
  taskId: string,
  status: TaskStatus,
): Promise<void> {
  await send({ type: 'status', status })
  if (status.state === 'done' && status.proof.byteLength > 0)
    await deps.store
      .markProofFetched(taskId, deps.clock.now())
      .catch((error: unknown) =>
        deps.logger.warn({ taskId, err: (error as Error).message }, 'recording the proof fetch failed'),
      )
}

/**
 * Sends `accepted` as soon as the task is stored, then announces it (a new task), then the current
 * status and every state change until a final state, the client hanging up, or the deadline.
 */
async function streamStatuses(
  deps: SubmitHandlerDeps,
  stream: Stream,
  send: (frame: SubmitFrame) => Promise<void>,
  stored: StoredSubmit,
): Promise<void> {
  const { task, record } = stored
  const id = record.taskId
  const queue: TaskStatus[] = []
  let wake: (() => void) | undefined
  const unsubscribe = deps.events.subscribe(id, (status) => {
    queue.push(status)
    wake?.()
  })
  let ended = false
  const end = () => {
    ended = true
    wake?.()
  }
  // The client half-closes after its request; a full close or reset means it has gone.
  stream.addEventListener('close', end)
  if (stream.status !== 'open') end()
  // A little past the deadline, so the dispatcher's final 'failed: expired' frame still goes out.
  const untilDeadline = Math.max(0, Number(task.request.deadlineMs) + STATUS_GRACE_MS - deps.clock.now())
  const timer = setTimeout(end, Math.min(untilDeadline, 2 ** 31 - 1))
  try {
    await send({
      type: 'accepted',
      accepted: {
        version: SUBMIT_RESPONSE_VERSION,
        taskId: task.taskId,
        acceptedAtMs: BigInt(record.createdAtMs),
      },
    })
    await announceStored(deps, stored)
    // Events so far are covered by re-reading the state; the state may also have moved on meanwhile.
    queue.length = 0
    let current = statusOf((await deps.store.get(id)) ?? record, task.taskId)
    const latest = await deps.latest?.(id)
    if (latest !== undefined) {
      current.detail = latest.detail
      if (current.state === 'done' && latest.proof !== undefined) current.proof = latest.proof
    }
    await sendStatus(deps, send, id, current)
    while (!current.final && !ended) {
      const next = queue.shift()
      if (next === undefined) {
        await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
        continue
      }
      // Skip a change already covered by the re-read above (progress details share their state).
      const same = next.state === current.state && next.detail === current.detail
      if (next.atMs < current.atMs || (next.atMs === current.atMs && same)) continue
      current = next
      await sendStatus(deps, send, id, current)
    }
    if (stream.status === 'open') await stream.close()
  } finally {
    clearTimeout(timer)
    unsubscribe()
    stream.removeEventListener('close', end)
  }
}
