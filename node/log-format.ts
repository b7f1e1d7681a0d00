// The human-readable form of the node's JSON log lines (`logFormat: pretty`, `prover-mesh logs`):
// `12:00:01.234 INFO  gateway: task accepted taskId=ab12… created=true`. JSON stays the default:
// it is what log shippers and `jq` read; this is for a person watching a terminal.

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
}

/** Fields every line has, shown in fixed places or not at all. */
const FIXED = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'component', 'peerId'])

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v
  return JSON.stringify(v)
}

/** One JSON log line as one readable line; a line that is not a JSON object passes unchanged. */
export function prettyLogLine(line: string): string {
  let record: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(line)
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line
    record = parsed as Record<string, unknown>
  } catch {
    return line
  }
  const time =
    typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '--:--:--.---'
  const level =
    LEVEL_NAMES[record.level as number] ??
    String(record.level ?? '?')
      .toUpperCase()
      .padEnd(5)
  const component = typeof record.component === 'string' ? `${record.component}: ` : ''
  // The peer id is the same on every line of one node; its tail is enough to tell nodes apart.
  const peer = typeof record.peerId === 'string' ? `[…${record.peerId.slice(-6)}] ` : ''
  const fields = Object.entries(record)
    .filter(([k]) => !FIXED.has(k))
    .map(([k, v]) => `${k}=${value(v)}`)
  return [`${time} ${level} ${peer}${component}${String(record.msg ?? '')}`, ...fields].join(' ')
}

/** A pino destination that writes each record in the pretty form to `out`. */
export function prettyDestination(out: { write(s: string): unknown } = process.stderr) {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') out.write(`${prettyLogLine(line)}\n`)
    },
  }
}
