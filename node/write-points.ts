// Every durable write of a gateway's task lifecycle, by a stable name, and the test-only crash hook
// that exits the process right after one of them (PROVER_MESH_CRASH_AT). Each write point is one
// atomic write (one level batch or put): a crash can fall between two of them, never inside one, so
// the crash-point tests (test/lifecycle/crash-points.test.ts) kill a gateway at each in turn and
// check that the restarted one loses and duplicates nothing.

/** The write points, in lifecycle order, with what each one writes. */
export const WRITE_POINTS = {
  'task.accepted': 'a submitted task and its signed request (task store)',
  'task.announced': 'the task marked announced after its announce was gossiped (task store)',
  'demands.offered': 'new demand rounds and the run with the jobs now open in them (job store)',
  'run.resumed': "a restarted gateway's open jobs marked unconfirmed (job store)",
  'jobs.assigned': 'the jobs an accepted seal assigned, with their prover and deadline (job store)',
  'task.progress': 'the task moved to proving or aggregating (task store)',
  'job.proven':
    "an accepted proof, its ledger entry, the run, and the parent's demand when ready (job store)",
  'job.invalid': 'an INVALID_PROOF fault and the job re-offered in a new round (job store)',
  'job.late': 'DEADLINE_MISSED faults and the jobs re-offered in a new round (job store)',
  'task.done': 'the task marked done once its root proof verified (task store)',
  'task.failed': 'the task marked failed: expired, or a root proof that does not verify (task store)',
} as const

export type WritePoint = keyof typeof WRITE_POINTS

/** The write point of a task-store state change. */
export function taskStateWritePoint(state: string): WritePoint {
  if (state === 'accepted') return 'task.accepted'
  if (state === 'announced') return 'task.announced'
  if (state === 'done') return 'task.done'
  if (state === 'failed') return 'task.failed'
  return 'task.progress'
}

export const CRASH_AT_ENV = 'PROVER_MESH_CRASH_AT'

/** A bad PROVER_MESH_CRASH_AT, or the hook set where it is not allowed; the message names it. */
export class CrashHookError extends Error {
  constructor(message: string) {
    super(`${CRASH_AT_ENV}: ${message}`)
    this.name = 'CrashHookError'
  }
}

export interface CrashAt {
  point: WritePoint
  /** Crash after this many passes of the point (1: the first). */
  occurrence: number
}

/** Parses `<write point>[:<occurrence>]`; throws CrashHookError naming what is wrong. */
export function parseCrashAt(value: string): CrashAt {
  const [name = '', count, ...rest] = value.split(':')
  if (!(name in WRITE_POINTS))
    throw new CrashHookError(`unknown write point '${name}'; known: ${Object.keys(WRITE_POINTS).join(', ')}`)
  if (rest.length > 0 || (count !== undefined && !/^[1-9]\d{0,5}$/.test(count)))
    throw new CrashHookError(`occurrence must be an integer 1..999999, got '${value.slice(name.length + 1)}'`)
  return { point: name as WritePoint, occurrence: count === undefined ? 1 : Number(count) }
}

let armed: (CrashAt & { passes: number; onCrash: (point: string) => void }) | undefined

/**
 * Arms the hook for this process (the node entry does, when the environment sets it). `onCrash`
 * runs instead of exiting, for the hook's own unit test; by default the process exits at once, with
 * no cleanup at all, as a SIGKILL would leave it.
 */
export function armCrashHook(at: CrashAt, onCrash?: (point: string) => void): void {
  armed = {
    ...at,
    passes: 0,
    onCrash:
      onCrash ??
      ((point) => {
        process.stderr.write(`${JSON.stringify({ level: 60, msg: 'crash hook: exiting', point })}\n`)
        process.kill(process.pid, 'SIGKILL')
      }),
  }
}

export function disarmCrashHook(): void {
  armed = undefined
}

/** Called right after each durable write completes. */
export function passedWritePoint(point: WritePoint): void {
  if (armed === undefined || armed.point !== point) return
  armed.passes++
  if (armed.passes === armed.occurrence) armed.onCrash(`${point}:${armed.occurrence}`)
}
