// Frames on the submit stream (gateway -> client). Each frame is one SubmitResponse with exactly one
// of accepted / status / error set; the client rejects anything else.
import { ValidationError } from './errors.ts'
import { SubmitResponse, type SubmitError, type TaskAccepted, type TaskStatus } from './generated/messages.js'
import { MAX_SUBMIT_RESPONSE_BYTES } from './limits.ts'

export const SUBMIT_RESPONSE_VERSION = 1

export const TASK_STATES = [
  'accepted',
  'announced',
  'planned',
  'proving',
  'aggregating',
  'done',
  'failed',
] as const
export type TaskState = (typeof TASK_STATES)[number]

export type SubmitFrame =
  | { type: 'accepted'; accepted: TaskAccepted }
  | { type: 'status'; status: TaskStatus }
  | { type: 'error'; error: SubmitError }

export function encodeSubmitFrame(frame: SubmitFrame): Uint8Array {
  const base = { version: SUBMIT_RESPONSE_VERSION }
  if (frame.type === 'accepted') return SubmitResponse.encode({ ...base, accepted: frame.accepted })
  if (frame.type === 'status') return SubmitResponse.encode({ ...base, status: frame.status })
  return SubmitResponse.encode({ ...base, error: frame.error })
}

export function decodeSubmitFrame(bytes: Uint8Array): SubmitFrame {
  if (bytes.byteLength > MAX_SUBMIT_RESPONSE_BYTES)
    throw new ValidationError('too_large', '', 'submit frame too large')
  let r: SubmitResponse
  try {
    r = SubmitResponse.decode(bytes)
  } catch (error) {
    throw new ValidationError('malformed', '', `not a SubmitResponse: ${(error as Error).message}`)
  }
  if (r.version !== SUBMIT_RESPONSE_VERSION) {
    throw new ValidationError(
      'unsupported_version',
      'version',
      `expected ${SUBMIT_RESPONSE_VERSION}, got ${r.version}`,
    )
  }
  const set = [r.accepted, r.status, r.error].filter((x) => x !== undefined).length
  if (set !== 1)
    throw new ValidationError(
      'malformed',
      '',
      `a frame sets exactly one of accepted/status/error, got ${set}`,
    )
  if (r.accepted !== undefined) return { type: 'accepted', accepted: r.accepted }
  if (r.status !== undefined) return { type: 'status', status: r.status }
  return { type: 'error', error: r.error as SubmitError }
}

export function errorFrame(code: string, field: string, message: string): SubmitFrame {
  return { type: 'error', error: { version: SUBMIT_RESPONSE_VERSION, code, field, message } }
}
