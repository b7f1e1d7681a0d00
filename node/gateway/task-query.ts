// The task protocol (`/prover-mesh/task/1.0.0`): a client sends a 32-byte task id and gets one
// SubmitResponse frame back: the task's current status (with the root proof once done), or an error
// frame. It lets a client fetch a result later, from any process, without the signed request.
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import {
  encodeSubmitFrame,
  errorFrame,
  fromHex,
  toHex,
  type SubmitFrame,
  type TaskStatus,
} from '../../protocol/index.ts'
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { TaskStore } from '../store/task-store.ts'
import { statusOf } from './submit-handler.ts'

export const TASK_ID_BYTES = 32
const QUERY_READ_TIMEOUT_MS = 10_000

export interface TaskQueryDeps {
  store: TaskStore
  logger: Logger
  /** The latest detail (and, once done, the root proof) of a task. */
  latest?(taskId: string): Promise<{ detail: string; proof?: Uint8Array }>
  /** With a clock, a root proof handed over is recorded (it starts the proof's retention clock). */
  clock?: Clock
}

/** The status a client would see on the submit stream now; undefined for a task this node lacks. */
export async function currentStatus(deps: TaskQueryDeps, taskId: string): Promise<TaskStatus | undefined> {
  const record = await deps.store.get(taskId)
  if (record === undefined) return undefined
  const status = statusOf(record, fromHex(taskId))
  const latest = await deps.latest?.(taskId)
  if (latest !== undefined) {
    status.detail = latest.detail
    if (status.state === 'done' && latest.proof !== undefined) status.proof = latest.proof
  }
  return status
}

export function taskQueryHandler(deps: TaskQueryDeps) {
  return async (stream: Stream, connection: Connection): Promise<void> => {
    // A request is 32 bytes; a larger frame is refused by the reader before it is buffered.
    const lp = lpStream(stream, { maxDataLength: TASK_ID_BYTES })
    const reply = async (frame: SubmitFrame) => {
      await lp.write(encodeSubmitFrame(frame))
      await stream.close()
    }
    try {
      let id: Uint8Array
      try {
        id = (await lp.read({ signal: AbortSignal.timeout(QUERY_READ_TIMEOUT_MS) })).subarray()
      } catch (error) {
        return await reply(
          errorFrame('malformed', 'task_id', `cannot read a task id: ${(error as Error).message}`),
        )
      }
      if (id.byteLength !== TASK_ID_BYTES)
        return await reply(
          errorFrame('malformed', 'task_id', `expected ${TASK_ID_BYTES} bytes, got ${id.byteLength}`),
        )
      const status = await currentStatus(deps, toHex(id))
      if (status === undefined)
        return await reply(errorFrame('not_found', 'task_id', `this gateway holds no task ${toHex(id)}`))
      await reply({ type: 'status', status })
      if (deps.clock !== undefined && status.state === 'done' && status.proof.byteLength > 0)
        await deps.store.markProofFetched(toHex(id), deps.clock.now())
    } catch (error) {
      deps.logger.warn(
        { remote: connection.remotePeer.toString(), err: (error as Error).message },
        'task query failed',
      )
      stream.abort(error as Error)
    }
  }
}
