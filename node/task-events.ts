// In-process notifications of task state changes, so open submit streams can forward them to clients.
import { EventEmitter } from 'node:events'
import type { TaskStatus } from '../protocol/index.ts'

export interface TaskEvents {
  emit(taskIdHex: string, status: TaskStatus): void
  /** Calls `listener` for each status of the task until the returned function is called. */
  subscribe(taskIdHex: string, listener: (status: TaskStatus) => void): () => void
}

export function createTaskEvents(): TaskEvents {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    emit: (id, status) => emitter.emit(id, status),
    subscribe(id, listener) {
      emitter.on(id, listener)
      return () => emitter.off(id, listener)
    },
  }
}
