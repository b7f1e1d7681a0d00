// Counters and gauges of the stake oracle, as plain numbers the node's metrics endpoint can export.
export interface StakeMetrics {
  /** Successful full reads of the operator set. */
  refreshes: number
  /** Failed reads (full refresh or poll); each also logs one line. */
  refreshFailures: number
  /** Admission checks refused because the snapshot was older than maxStalenessMs. */
  staleRejections: number
  /** Block of the current snapshot (0 before the first). */
  snapshotBlock: number
  /** Operators in the current snapshot. */
  snapshotOperators: number
}

export function createStakeMetrics(): StakeMetrics {
  return { refreshes: 0, refreshFailures: 0, staleRejections: 0, snapshotBlock: 0, snapshotOperators: 0 }
}

/** Structured log sink; the node passes its own. Messages and fields never contain key material. */
export interface StakeLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}

export const consoleStakeLogger: StakeLogger = {
  info: (message, fields) =>
    console.log(JSON.stringify({ level: 'info', module: 'stake', message, ...fields })),
  warn: (message, fields) =>
    console.warn(JSON.stringify({ level: 'warn', module: 'stake', message, ...fields })),
}
