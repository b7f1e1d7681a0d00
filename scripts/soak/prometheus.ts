// Reading a node's /metrics (Prometheus text format) for the chaos soak: samples by name and labels.
// A restarted node starts its counters from zero, so the soak keeps the last scrape of every process
// (node, pid) and sums counters over a node's processes.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** Parses the text format; comments and lines that are not samples are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line.trim())
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL))
      labels[k!] = v!.replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\')
    const value = Number(m[3])
    if (Number.isNaN(value) && m[3] !== 'NaN') continue
    out.push({ name: m[1]!, labels, value })
  }
  return out
}

/** The value of the one sample named `name` whose labels include `match`; undefined if none. */
export function valueOf(
  samples: Sample[],
  name: string,
  match: Record<string, string> = {},
): number | undefined {
  const found = samples.find(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  )
  return found?.value
}

/** Σ of the samples named `name` whose labels include `match`, grouped by the label `by`. */
export function sumBy(
  samples: Sample[],
  name: string,
  by: string,
  match: Record<string, string> = {},
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of samples) {
    if (s.name !== name || !Object.entries(match).every(([k, v]) => s.labels[k] === v)) continue
    const key = s.labels[by] ?? ''
    out[key] = (out[key] ?? 0) + s.value
  }
  return out
}
