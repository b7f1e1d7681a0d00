// Fault-injection control endpoint of a running testnet (loopback only: it can kill processes).
//   GET  /nodes                  every node: index, peerId, operator, http, pid, running, paused
//   POST /nodes/<i>/kill         SIGKILL (a crash); ?signal=SIGTERM for a graceful stop
//   POST /nodes/<i>/restart      same data dir (PeerId) and ports; resolves once it has started
//   POST /nodes/<i>/pause        SIGSTOP: the node hangs, sockets stay open
//   POST /nodes/<i>/resume       SIGCONT
//   POST /nodes/<i>/skew?ms=N    restarts it with its clock N ms ahead (negative: behind; 0 undoes it)
// Errors are JSON `{ error, field }`; a bad index is a 400 naming it.
import { createServer } from 'node:http'
import type { Testnet, TestnetNode } from './testnet.ts'
import { listenHttp } from '../api/listen.ts'

export const CONTROL_ACTIONS = ['kill', 'restart', 'pause', 'resume', 'skew'] as const
/** The largest clock skew the control endpoint sets (the node's own config bound). */
export const MAX_SKEW_MS = 60_000
export type ControlAction = (typeof CONTROL_ACTIONS)[number]

const KILL_SIGNALS = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP'])

export interface ControlServer {
  url: string
  close(): Promise<void>
}

export function describeNode(n: TestnetNode) {
  return {
    index: n.index,
    peerId: n.peerId,
    operator: n.operator,
    roles: n.roles,
    http: n.running ? n.http : null,
    addr: n.running ? n.addr : null,
    pid: n.running ? (n.pid ?? null) : null,
    running: n.running,
    paused: n.paused,
    log: n.logPath,
  }
}

class HttpError extends Error {
  readonly status: number
  readonly field: string
  constructor(status: number, field: string, message: string) {
    super(message)
    this.status = status
    this.field = field
  }
}

async function act(net: Testnet, action: ControlAction, node: TestnetNode, query: URLSearchParams) {
  if (action === 'kill') {
    const signal = query.get('signal') ?? 'SIGKILL'
    if (!KILL_SIGNALS.has(signal))
      throw new HttpError(
        400,
        'signal',
        `signal must be one of ${[...KILL_SIGNALS].join(', ')}, got '${signal}'`,
      )
    await node.kill(signal as NodeJS.Signals)
  } else if (action === 'restart') {
    await node.restart()
  } else if (action === 'skew') {
    const raw = query.get('ms') ?? ''
    const ms = /^-?\d+$/.test(raw) ? Number(raw) : NaN
    if (!(Math.abs(ms) <= MAX_SKEW_MS))
      throw new HttpError(400, 'ms', `ms must be an integer -${MAX_SKEW_MS}..${MAX_SKEW_MS}, got '${raw}'`)
    await node.skewClock(ms)
  } else {
    if (!node.running) throw new HttpError(409, 'index', `node ${node.index} is not running`)
    if (action === 'pause') node.pause()
    else node.resume()
  }
  return describeNode(net.node(node.index))
}

export async function startControlServer(net: Testnet, port = 0, host = '127.0.0.1'): Promise<ControlServer> {
  const server = createServer((req, res) => {
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' })
      res.end(`${JSON.stringify(body, null, 2)}\n`)
    }
    const url = new URL(req.url ?? '/', 'http://control')
    const route = async () => {
      if (url.pathname === '/nodes' || url.pathname === '/nodes/') {
        if (req.method !== 'GET') throw new HttpError(405, 'method', 'GET /nodes')
        return reply(200, net.nodes.map(describeNode))
      }
      const m = /^\/nodes\/([^/]+)\/([^/]+)$/.exec(url.pathname)
      if (!m)
        throw new HttpError(404, 'path', `no route ${url.pathname}; try GET /nodes, POST /nodes/<i>/<action>`)
      const [, rawIndex, action] = m as unknown as [string, string, string]
      if (!(CONTROL_ACTIONS as readonly string[]).includes(action))
        throw new HttpError(
          404,
          'action',
          `unknown action '${action}' (known: ${CONTROL_ACTIONS.join(', ')})`,
        )
      if (req.method !== 'POST') throw new HttpError(405, 'method', `POST /nodes/<i>/${action}`)
      const index = /^\d+$/.test(rawIndex) ? Number(rawIndex) : NaN
      if (!(index < net.nodes.length))
        throw new HttpError(
          400,
          'index',
          `no node index ${decodeURIComponent(rawIndex)} (this testnet has nodes 0..${net.nodes.length - 1})`,
        )
      return reply(200, await act(net, action as ControlAction, net.node(index), url.searchParams))
    }
    route().catch((error: unknown) => {
      if (error instanceof HttpError) reply(error.status, { error: error.message, field: error.field })
      else reply(500, { error: (error as Error).message })
    })
  })
  return listenHttp(server, host, port)
}
