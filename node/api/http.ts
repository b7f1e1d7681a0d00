// The node's HTTP API (node:http, no framework): /health, /status, /metrics. Read-only; it binds
// to httpHost (loopback by default) because /status reveals the node's peers.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export interface StatusReport {
  peerId: string
  network: string
  roles: string[]
  listenAddrs: string[]
  connectedPeers: string[]
  tasksByState: Record<string, number>
  tasks: { taskId: string; state: string; proofType: string; origin: string; gateway: string }[]
  meshSizes: Record<string, number>
  /** The epoch protocol's allocations, faults and counters, when the node runs an auction engine. */
  auction?: unknown
}

export interface HttpApiDeps {
  status(): Promise<StatusReport>
  health(): { ok: boolean; peerId: string; running: boolean }
  registry: Registry
}

export interface HttpApi {
  /** `http://host:port` the API answers on. */
  url: string
  close(): Promise<void>
}

export async function startHttpApi(deps: HttpApiDeps, host: string, port: number): Promise<HttpApi> {
  const server: Server = createServer((req, res) => {
    const reply = (code: number, body: string, type = 'application/json') => {
      res.writeHead(code, { 'content-type': type })
      res.end(body)
    }
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET') return reply(405, JSON.stringify({ error: 'only GET' }))
    const route = async () => {
      if (path === '/health') {
        const h = deps.health()
        return reply(h.ok ? 200 : 503, JSON.stringify(h))
      }
      if (path === '/status') return reply(200, JSON.stringify(await deps.status(), null, 2))
      if (path === '/metrics') return reply(200, await deps.registry.metrics(), deps.registry.contentType)
      return reply(404, JSON.stringify({ error: `no route ${path}; try /health, /status, /metrics` }))
    }
    route().catch((error: unknown) => reply(500, JSON.stringify({ error: (error as Error).message })))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
