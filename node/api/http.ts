// The node's HTTP API (node:http, no framework): /health, /status, /metrics, /ledger, /faults,
// /tasks/ID, the views and dashboard of views.ts, and POST /bindings (an operator publishing its
// signed peer binding). It binds to httpHost (loopback by default) because /status reveals the node's
// peers. POST /bindings needs no auth: a binding is self-authenticating (operator and peer
// signatures), so whoever posts it can only publish what the operator signed.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Registry } from 'prom-client'
import { toHex, type TaskStatus } from '../../protocol/index.ts'
import { listenHttp } from './listen.ts'
import { routeView, VIEW_PATHS, type ViewDeps } from './views.ts'

const TASK_ROUTE = /^\/tasks\/([^/]*)(\/proof)?$/

export interface StatusReport {
  peerId: string
  network: string
  roles: string[]
  listenAddrs: string[]
  connectedPeers: string[]
  tasksByState: Record<string, number>
  /** Tasks stored; `tasks` lists the newest STATUS_TASKS of them. */
  tasksTotal: number
  tasks: { taskId: string; state: string; proofType: string; origin: string; gateway: string }[]
  meshSizes: Record<string, number>
  /** The epoch protocol's allocations, faults and counters, when the node runs an auction engine. */
  auction?: unknown
  /** The stake oracle's state and, with an operator, its membership, stake and binding (node/stake/operator-status.ts). */
  stake?: unknown
  /** Every operator's current peer binding this node holds (with stakeRpc; peerId '' = revoked). */
  bindings?: { operator: string; peerId: string }[]
}

export interface HttpApiDeps {
  status(): Promise<StatusReport>
  /** `status: 'degraded'` (ok false) while a background loop keeps failing, with each such loop. */
  health(): {
    ok: boolean
    peerId: string
    running: boolean
    status?: 'degraded'
    failing?: unknown[]
    /** The stake oracle's state when it has no fresh snapshot (the node then fails closed). */
    stakeOracle?: unknown
  }
  registry: Registry
  /**
   * The gateway's ledger (GET /ledger: totals; GET /ledger?task=ID: that task's entries and totals)
   * and prover faults (GET /faults); absent on nodes that run no task dispatcher: 404.
   */
  ledger?(taskId: string | undefined): Promise<unknown>
  faults?(): Promise<unknown>
  /**
   * A task's current status, with the root proof once done (GET /tasks/ID as JSON, GET
   * /tasks/ID/proof as bytes); undefined for a task this node does not hold: 404.
   */
  task?(taskId: string): Promise<TaskStatus | undefined>
  /** Validates, stores and gossips a signed binding; absent: POST /bindings is 404. */
  publishBinding?(bytes: Uint8Array): Promise<string>
  /** The read-only views and the dashboard (node/api/views.ts); absent: those routes are 404. */
  views?: ViewDeps
}

/** Largest POST /bindings body (the binding decoder's own bound). */
const MAX_BINDING_BODY = 8192

async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
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
    const url = new URL(req.url ?? '/', 'http://node')
    const path = url.pathname
    const publishBinding = deps.publishBinding
    if (req.method === 'POST' && path === '/bindings' && publishBinding) {
      const post = async () => {
        const body = await readBody(req, MAX_BINDING_BODY)
        if (body === undefined)
          return reply(413, JSON.stringify({ error: `body over ${MAX_BINDING_BODY} bytes` }))
        try {
          return reply(200, JSON.stringify({ result: await publishBinding(body) }))
        } catch (error) {
          // Typed refusals (GossipRefusal, ValidationError) carry code and field; they never hold keys.
          const e = error as Error & { code?: unknown; field?: unknown; action?: unknown }
          if (typeof e.code !== 'string') throw error
          const unavailable = e.code === 'stake-unavailable' || e.code === 'no-stake-oracle'
          return reply(
            unavailable ? 503 : 400,
            JSON.stringify({ error: e.message, code: e.code, field: e.field ?? '' }),
          )
        }
      }
      post().catch((error: unknown) => reply(500, JSON.stringify({ error: (error as Error).message })))
      return
    }
    if (req.method !== 'GET') return reply(405, JSON.stringify({ error: 'only GET (and POST /bindings)' }))
    const route = async () => {
      if (path === '/health') {
        const h = deps.health()
        return reply(h.ok ? 200 : 503, JSON.stringify(h))
      }
      if (path === '/status') return reply(200, JSON.stringify(await deps.status(), null, 2))
      if (path === '/metrics') return reply(200, await deps.registry.metrics(), deps.registry.contentType)
      if (path === '/ledger' && deps.ledger) {
        const task = url.searchParams.get('task') ?? undefined
        if (task !== undefined && !/^[0-9a-f]{64}$/.test(task))
          return reply(
            400,
            JSON.stringify({ error: 'task: expected a 64-digit lowercase hex task id', field: 'task' }),
          )
        return reply(200, JSON.stringify(await deps.ledger(task), null, 2))
      }
      if (path === '/faults' && deps.faults) return reply(200, JSON.stringify(await deps.faults(), null, 2))
      const taskRoute = TASK_ROUTE.exec(path)
      if (taskRoute !== null && deps.task) {
        const [, taskId = '', proofOnly] = taskRoute
        if (!/^[0-9a-f]{64}$/.test(taskId))
          return reply(
            400,
            JSON.stringify({ error: 'task: expected a 64-digit lowercase hex task id', field: 'task' }),
          )
        const status = await deps.task(taskId)
        if (status === undefined)
          return reply(404, JSON.stringify({ error: `no task ${taskId} on this node` }))
        if (proofOnly !== undefined) {
          if (status.proof.byteLength === 0)
            return reply(
              404,
              JSON.stringify({ error: `task ${taskId} has no proof yet (state ${status.state})` }),
            )
          res.writeHead(200, { 'content-type': 'application/octet-stream' })
          return res.end(status.proof)
        }
        return reply(200, JSON.stringify(taskJson(status), null, 2))
      }
      if (deps.views && (await routeView(deps.views, path, url.searchParams, res))) return
      const routes = ['/health', '/status', '/metrics', '/ledger', '/faults', '/tasks/ID', ...VIEW_PATHS]
      return reply(404, JSON.stringify({ error: `no route ${path}; try ${routes.join(', ')}` }))
    }
    route().catch((error: unknown) => reply(500, JSON.stringify({ error: (error as Error).message })))
  })
  return listenHttp(server, host, port)
}

/** A task's status as JSON: the proof's size and where to fetch it, not its bytes. */
function taskJson(status: TaskStatus) {
  const taskId = toHex(status.taskId)
  return {
    taskId,
    state: status.state,
    detail: status.detail,
    atMs: Number(status.atMs),
    final: status.final,
    proofBytes: status.proof.byteLength,
    ...(status.proof.byteLength > 0 && { proof: `/tasks/${taskId}/proof` }),
  }
}
