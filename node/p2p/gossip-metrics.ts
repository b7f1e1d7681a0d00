// gossipsub's own metrics (mesh churn, message deliveries, peer scores, IWANT/IHAVE traffic, RPC
// sizes) on the node's prom-client registry. @libp2p/gossipsub defines them itself but records them
// only when it is given a MetricsRegister (their factory) and a label for each topic; libp2p's
// prometheus-metrics module does not hand it one. Topic labels are the short topic names (tasks,
// demands, …), so dashboards are the same on every network.
import type { MetricsRegister, TopicStrToLabel } from '@libp2p/gossipsub/metrics'
import { Gauge, Histogram, type Registry } from 'prom-client'
import { TOPIC_NAMES, topicFor } from '../../protocol/index.ts'

type Labels = Record<string, string | number>
type Collect = (metric: never) => void

export function gossipTopicLabels(network: string): TopicStrToLabel {
  return new Map(TOPIC_NAMES.map((name) => [topicFor(network, name), name]))
}

/** gossipsub's metric names as it chose them, prefixed so they sort with the node's own. */
const PREFIX = 'prover_mesh_'

export function gossipsubMetricsRegister(registry: Registry): MetricsRegister {
  const gauge = (config: { name: string; help: string; labelNames?: string[] }) => {
    const collects: Collect[] = []
    const metric: {
      inc(a?: Labels | number, b?: number): void
      set(a: Labels | number, b?: number): void
      addCollect(fn: Collect): void
    } = {
      inc: (a, b) => (typeof a === 'object' ? g.inc(a, b ?? 1) : g.inc(a ?? 1)),
      set: (a, b) => (typeof a === 'object' ? g.set(a, b ?? 0) : g.set(a)),
      addCollect: (fn) => void collects.push(fn),
    }
    const g: Gauge = new Gauge({
      name: PREFIX + config.name,
      help: config.help,
      labelNames: config.labelNames ?? [],
      registers: [registry],
      collect() {
        for (const fn of collects) fn(metric as never)
      },
    })
    return metric
  }
  return {
    gauge: gauge as unknown as MetricsRegister['gauge'],
    histogram: ((config: { name: string; help: string; labelNames?: string[]; buckets?: number[] }) => {
      const h = new Histogram({
        name: PREFIX + config.name,
        help: config.help,
        labelNames: config.labelNames ?? [],
        ...(config.buckets !== undefined && { buckets: config.buckets }),
        registers: [registry],
      })
      return {
        startTimer: () => h.startTimer(),
        observe: (a: Labels | number, b?: number) =>
          typeof a === 'object' ? h.observe(a, b ?? 0) : h.observe(a),
        reset: () => h.reset(),
      }
    }) as unknown as MetricsRegister['histogram'],
    // avg/min/max of a set of values (e.g. peer scores): one gauge with a `stat` label.
    avgMinMax: ((config: { name: string; help: string; labelNames?: string[] }) => {
      const g = new Gauge({
        name: PREFIX + config.name,
        help: `${config.help} (stat: avg, min, max)`,
        labelNames: [...(config.labelNames ?? []), 'stat'],
        registers: [registry],
      })
      const set = (labels: Labels, values: number[]) => {
        if (values.length === 0) return
        let sum = 0
        let min = Infinity
        let max = -Infinity
        for (const v of values) {
          sum += v
          if (v < min) min = v
          if (v > max) max = v
        }
        g.set({ ...labels, stat: 'avg' }, sum / values.length)
        g.set({ ...labels, stat: 'min' }, min)
        g.set({ ...labels, stat: 'max' }, max)
      }
      return {
        set: (a: Labels | number[], b?: number[]) => (Array.isArray(a) ? set({}, a) : set(a, b ?? [])),
      }
    }) as unknown as MetricsRegister['avgMinMax'],
  }
}
