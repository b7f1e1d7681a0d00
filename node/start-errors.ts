// Why a node could not start, in one line an operator can act on: which setting is at fault and what
// to do about it, instead of a stack trace or libp2p's transport-manager advice.
import { envName, type NodeConfig } from './config.ts'

/** A start failure the operator can fix in the config: `field` names the setting at fault. */
export class NodeStartError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(message)
    this.name = 'NodeStartError'
    this.field = field
  }
}

type PortKey = 'tcpPort' | 'wsPort' | 'httpPort'

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

function portAdvice(key: PortKey): string {
  return `choose another with ${flagOf(key)} or ${envName(key)} (0 picks a free port), or stop the process holding it`
}

/** The system's reason in a few words: 'address already in use' for EADDRINUSE. */
function reasonOf(text: string): string {
  if (/EADDRINUSE/.test(text)) return 'address already in use'
  if (/EACCES/.test(text)) return 'permission denied (ports below 1024 need privileges)'
  if (/EADDRNOTAVAIL/.test(text)) return 'address not available on this machine'
  return text.split('\n')[0]!.trim()
}

/**
 * libp2p reports failed listen addresses as one UnsupportedListenAddressesError whose message lists
 * `  /ip4/…/tcp/P[/ws]: Error: …` per address. The first failed address decides the setting named.
 */
export function listenStartError(error: unknown): NodeStartError | undefined {
  if (!(error instanceof Error) || error.name !== 'UnsupportedListenAddressesError') return undefined
  const line = error.message.split('\n').find((l) => /^\s*\/\S+: /.test(l))
  if (line === undefined) return undefined
  const [, addr = '', reason = ''] = /^\s*(\/\S+): (.*)$/.exec(line) ?? []
  const key: PortKey = /\/ws(\/|$)/.test(addr) ? 'wsPort' : 'tcpPort'
  return new NodeStartError(key, `cannot listen on ${addr} (${key}): ${reasonOf(reason)}; ${portAdvice(key)}`)
}

/** The HTTP API's listen failure (Node's own `listen` error) as one line naming httpPort. */
export function httpStartError(error: unknown, config: Pick<NodeConfig, 'httpHost' | 'httpPort'>) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined || !/^E[A-Z]+$/.test(code)) return undefined
  return new NodeStartError(
    'httpPort',
    `cannot listen on http://${config.httpHost}:${config.httpPort} (httpPort): ${reasonOf(code)}; ${portAdvice('httpPort')}`,
  )
}
