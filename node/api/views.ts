// Read-only views of the HTTP API for researchers: the market history (GET /market/history), the
// job trees of a gateway's tasks (GET /jobs), the connected peers with their self-reported roles
// (GET /peers), the operator set with stake, earnings and faults (GET /operators), and the dashboard
// page that draws them all (GET /dashboard). Kept apart from http.ts, which routes to it.
import type { ServerResponse } from 'node:http'
import { formatHistory, HistoryQueryError, parseHistoryQuery, type MarketHistory } from '../market/history.ts'
import { dashboardAsset, dashboardHtml } from './dashboard-assets.ts'

export interface PeerView {
  peerId: string
  /** Roles the peer reports in its identify agent version (informational: nothing trusts it). */
  roles: string[]
  agent: string
  addrs: string[]
  /** The operator the peer is bound to, when this node knows its binding. */
  operator: string | null
}

export interface JobView {
  index: number
  resourceClass: string
  children: readonly number[]
  parent: number | null
  state: string
  operator: string | null
  epoch: number | null
}

export interface TaskJobsView {
  taskId: string
  proofType: string
  startedAtMs: number
  root: number
  jobs: JobView[]
}

export interface OperatorView {
  operator: string
  peerId: string | null
  /** Stake as the oracle's snapshot holds it (decimal), null when this node reads no stake. */
  stake: string | null
}

export interface ViewDeps {
  epochMs: number
  history?: MarketHistory
  peers(): Promise<PeerView[]>
  operators(): OperatorView[]
  /** The newest tasks' job trees; [] on nodes without a task dispatcher. */
  jobs(): Promise<TaskJobsView[]>
}

export const VIEW_PATHS = ['/market/history', '/jobs', '/peers', '/operators', '/dashboard']

/** Answers `path` when it is a view; false otherwise (http.ts goes on routing). */
export async function routeView(
  deps: ViewDeps,
  path: string,
  params: URLSearchParams,
  res: ServerResponse,
): Promise<boolean> {
  const reply = (code: number, body: string, type = 'application/json') => {
    res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' })
    res.end(body)
  }
  const json = (value: unknown) => reply(200, JSON.stringify(value, null, 2))
  if (path === '/market/history') {
    if (deps.history === undefined) {
      reply(404, JSON.stringify({ error: 'this node takes no part in the market: it keeps no history' }))
      return true
    }
    try {
      const { format, fromEpoch, limit } = parseHistoryQuery(params)
      const entries = deps.history.entries({
        ...(fromEpoch !== undefined && { fromEpoch }),
        ...(limit !== undefined && { limit }),
      })
      reply(
        200,
        formatHistory(entries, format),
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      )
    } catch (error) {
      if (!(error instanceof HistoryQueryError)) throw error
      reply(400, JSON.stringify({ error: error.message, field: error.field }))
    }
    return true
  }
  if (path === '/peers') return (json(await deps.peers()), true)
  if (path === '/operators') return (json(deps.operators()), true)
  if (path === '/jobs') return (json(await deps.jobs()), true)
  if (path === '/dashboard' || path === '/dashboard/') {
    reply(200, dashboardHtml(deps.epochMs), 'text/html; charset=utf-8')
    return true
  }
  if (path === '/dashboard/app.js') {
    const asset = await dashboardAsset()
    if (asset.ok) reply(200, asset.code, 'text/javascript; charset=utf-8')
    else reply(503, asset.error, 'text/plain; charset=utf-8')
    return true
  }
  return false
}
