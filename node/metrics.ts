// Prometheus metrics of one node. A registry per node (not prom-client's global one), so several
// nodes in one test process keep separate counts.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'

export interface NodeMetrics {
  registry: Registry
  submits: Counter<'result'>
  gossipValidation: Counter<'topic' | 'verdict' | 'code'>
  peers: Gauge
  tasks: Gauge<'state'>
  meshPeers: Gauge<'topic'>
}

export interface MetricSources {
  peerCount(): number
  tasksByState(): Promise<Record<string, number>>
  meshSizes(): Record<string, number>
}

export function createMetrics(
  sources: () => MetricSources | undefined,
  withProcessMetrics: boolean,
): NodeMetrics {
  const registry = new Registry()
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: 'prover_mesh_' })
  return {
    registry,
    submits: new Counter({
      name: 'prover_mesh_submits_total',
      help: 'Submit requests handled by the gateway, by result (accepted, duplicate, rejected code)',
      labelNames: ['result'],
      registers: [registry],
    }),
    gossipValidation: new Counter({
      name: 'prover_mesh_gossip_validation_total',
      help: 'Gossip messages validated, by topic, verdict and validation error code',
      labelNames: ['topic', 'verdict', 'code'],
      registers: [registry],
    }),
    peers: new Gauge({
      name: 'prover_mesh_connected_peers',
      help: 'Peers with an open connection',
      registers: [registry],
      collect() {
        const s = sources()
        if (s) this.set(s.peerCount())
      },
    }),
    tasks: new Gauge({
      name: 'prover_mesh_tasks',
      help: 'Tasks in the task store, by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const s = sources()
        if (!s) return
        this.reset()
        for (const [state, n] of Object.entries(await s.tasksByState())) this.set({ state }, n)
      },
    }),
    meshPeers: new Gauge({
      name: 'prover_mesh_gossip_mesh_peers',
      help: 'Gossipsub mesh size per topic',
      labelNames: ['topic'],
      registers: [registry],
      collect() {
        const s = sources()
        if (!s) return
        for (const [topic, n] of Object.entries(s.meshSizes())) this.set({ topic }, n)
      },
    }),
  }
}
