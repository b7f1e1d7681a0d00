// The health of a node's background loops (deadline sweep, seal applications, epoch ticks, asks).
// A loop that fails logs, counts and tries again on its next beat: one bad write or one bad message
// never kills the node. A loop that keeps failing makes /health say `degraded`, naming the loop and
// its last error, until it succeeds again.
import { Counter, type Registry } from 'prom-client'
import type { Logger } from './logger.ts'

/** Consecutive failures after which a loop counts as failing (/health: degraded). */
export const DEGRADED_AFTER_FAILURES = 3

/** What a background loop reports after each beat. */
export interface LoopMonitor {
  succeeded(loop: string): void
  failed(loop: string, error: unknown): void
}

export interface FailingLoop {
  loop: string
  consecutiveFailures: number
  lastError: string
  lastFailureAtMs: number
}

export class LoopHealth implements LoopMonitor {
  readonly #logger: Logger
  readonly #now: () => number
  readonly #failures: Counter<'loop'>
  readonly #unhandled: Counter<'kind'>
  readonly #state = new Map<string, FailingLoop>()

  constructor(registry: Registry, logger: Logger, now: () => number) {
    this.#logger = logger
    this.#now = now
    this.#failures = new Counter({
      name: 'prover_mesh_background_failures_total',
      help: 'Failed beats of background loops (the loop logs, continues and retries), by loop',
      labelNames: ['loop'],
      registers: [registry],
    })
    this.#unhandled = new Counter({
      name: 'prover_mesh_unhandled_errors_total',
      help: 'Errors that reached the process handlers (unhandledRejection, uncaughtException), by kind',
      labelNames: ['kind'],
      registers: [registry],
    })
  }

  succeeded(loop: string): void {
    this.#state.delete(loop)
  }

  failed(loop: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error)
    const before = this.#state.get(loop)?.consecutiveFailures ?? 0
    this.#state.set(loop, {
      loop,
      consecutiveFailures: before + 1,
      lastError: message,
      lastFailureAtMs: this.#now(),
    })
    this.#failures.inc({ loop })
    this.#logger.warn({ loop, consecutiveFailures: before + 1, err: message }, 'background loop failed')
  }

  /** An error no code path handled, seen by the process handlers (node entry). */
  unhandled(kind: 'unhandledRejection' | 'uncaughtException', error: unknown): void {
    this.#unhandled.inc({ kind })
    const err =
      error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) }
    this.#logger.error(
      { kind, err },
      `${kind}: a bug; the node ${kind === 'uncaughtException' ? 'exits' : 'keeps running'}`,
    )
  }

  /** The loops failing now (at least DEGRADED_AFTER_FAILURES times in a row). */
  failing(): FailingLoop[] {
    return [...this.#state.values()].filter((s) => s.consecutiveFailures >= DEGRADED_AFTER_FAILURES)
  }
}
