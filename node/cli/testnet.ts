// `prover-mesh testnet`: a whole local network in one command (anvil + staked operators + N node
// processes), a fault-injection control endpoint, and optionally a demo that submits two tasks and
// verifies their proofs locally. `prover-mesh testnet ctl` drives the control endpoint.
import { join } from 'node:path'
import { CONTROL_ACTIONS, startControlServer, type ControlAction } from '../testnet/control.ts'
import { DemoError, runDemo } from '../testnet/demo.ts'
import { TestnetNodeError } from '../testnet/node-process.ts'
import { MAX_TESTNET_NODES, startTestnet, TestnetError, type Testnet } from '../testnet/testnet.ts'
import { integerFlag, parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const USAGE =
  'prover-mesh testnet [--nodes N] [--dir DIR] [--epoch-ms M] [--prover real|sim] [--sim-prove-ms MS] ' +
  '[--job-timeout-ms MS] [--control-port P] [--demo] [--exit-after-demo]'
const CTL_USAGE = `prover-mesh testnet ctl --url URL <list|${CONTROL_ACTIONS.join('|')}> [INDEX] [--ms N (skew)]`
const DEFAULT_DIR = join('.prover-mesh', 'testnet')

interface Parsed {
  nodes: number
  dir: string
  epochMs: number
  proverMode: 'real' | 'sim'
  simProveMs: number | undefined
  jobTimeoutMs: number | undefined
  controlPort: number
  demo: boolean
  exitAfterDemo: boolean
}

/** Parses and checks every flag before anything starts; a bad one is a one-line UsageError naming it. */
export function parseTestnetFlags(argv: string[]): Parsed {
  const { values, positionals } = parseFlags(
    argv,
    {
      nodes: { type: 'string', default: '4' },
      dir: { type: 'string', default: DEFAULT_DIR },
      'epoch-ms': { type: 'string', default: '1000' },
      prover: { type: 'string', default: 'real' },
      'sim-prove-ms': { type: 'string' },
      'job-timeout-ms': { type: 'string' },
      'control-port': { type: 'string', default: '0' },
      demo: { type: 'boolean', default: false },
      'exit-after-demo': { type: 'boolean', default: false },
    },
    USAGE,
  )
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`)
  const prover = values.prover
  if (prover !== 'real' && prover !== 'sim')
    throw new UsageError(`--prover must be 'real' or 'sim', got '${prover}'`)
  if (values['exit-after-demo'] && !values.demo) throw new UsageError('--exit-after-demo needs --demo')
  if (values.dir === '') throw new UsageError('--dir must not be empty')
  return {
    nodes: integerFlag(values.nodes, 'nodes', { min: 1, max: MAX_TESTNET_NODES }),
    dir: values.dir,
    epochMs: integerFlag(values['epoch-ms'], 'epoch-ms', { min: 100, max: 3_600_000 }),
    proverMode: prover,
    simProveMs:
      values['sim-prove-ms'] === undefined
        ? undefined
        : integerFlag(values['sim-prove-ms'], 'sim-prove-ms', { max: 3_600_000 }),
    jobTimeoutMs:
      values['job-timeout-ms'] === undefined
        ? undefined
        : integerFlag(values['job-timeout-ms'], 'job-timeout-ms', { min: 100, max: 24 * 3_600_000 }),
    controlPort: integerFlag(values['control-port'], 'control-port', { max: 65535 }),
    demo: values.demo,
    exitAfterDemo: values['exit-after-demo'],
  }
}

/** The dashboard of the first gateway (it sees the tasks' job trees); any node serves one. */
export function dashboardUrl(net: Pick<Testnet, 'nodes'>): string {
  const node = net.nodes.find((n) => n.roles.includes('gateway')) ?? net.nodes[0]
  return `${node?.http ?? ''}/dashboard`
}

function printNodes(net: Testnet, controlUrl: string): void {
  console.log(`chain     ${net.rpcUrl}`)
  for (const n of net.nodes) {
    console.log(`node ${n.index}    ${n.peerId}  operator ${n.operator}  ${n.http}  [${n.roles.join(',')}]`)
  }
  console.log(`gateways  ${net.gatewayAddrs().join(' ')}`)
  console.log(`dashboard URL  ${dashboardUrl(net)}  (every node serves one at <http>/dashboard)`)
  console.log(`control   ${controlUrl}  (prover-mesh testnet ctl --url ${controlUrl} list)`)
  console.log(`logs      ${join(net.dir, 'nodes', 'n<i>', 'node.log')}`)
}

const testnet: Command = {
  path: ['testnet'],
  summary: 'run a local testnet: anvil, N staked operators, N node processes (Ctrl-C stops it all)',
  usage: USAGE,
  async run(argv) {
    const flags = parseTestnetFlags(argv)
    // Ctrl-C at any point: abort whatever is in progress; the finally block below stops everything.
    const abort = new AbortController()
    const onSignal = () => abort.abort(new CliError('interrupted', 130))
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const aborted = new Promise<never>((_, reject) =>
      abort.signal.addEventListener('abort', () => reject(abort.signal.reason)),
    )
    aborted.catch(() => undefined)
    let net: Testnet | undefined
    let control: Awaited<ReturnType<typeof startControlServer>> | undefined
    try {
      const starting = startTestnet({
        nodes: flags.nodes,
        dir: flags.dir,
        epochMs: flags.epochMs,
        proverMode: flags.proverMode,
        simProveMs: flags.simProveMs,
        jobTimeoutMs: flags.jobTimeoutMs,
        onLog: (m) => console.error(`testnet: ${m}`),
      })
      // If Ctrl-C comes during start, stop what start started once it returns (or fails).
      starting.then((n) => (abort.signal.aborted ? n.stop() : undefined)).catch(() => undefined)
      net = await Promise.race([starting, aborted])
      control = await startControlServer(net, flags.controlPort)
      printNodes(net, control.url)
      if (flags.demo) {
        if (flags.proverMode === 'sim')
          console.error('testnet: sim mode: the demo checks that tasks finish; there are no proofs')
        const results = await Promise.race([
          runDemo({
            gateways: net.gatewayAddrs(),
            proverMode: flags.proverMode,
            progress: (line) => console.error(line),
            signal: abort.signal,
          }),
          aborted,
        ])
        for (const r of results) console.log(r.summary)
        if (flags.exitAfterDemo) return 0
      }
      console.error('testnet: running; Ctrl-C stops every node and the chain')
      await aborted
      return 0
    } catch (error) {
      if (abort.signal.aborted) {
        console.error('testnet: stopping')
        return 130
      }
      if (error instanceof TestnetError || error instanceof TestnetNodeError || error instanceof DemoError)
        throw new CliError(error.message)
      throw error
    } finally {
      await control?.close()
      await net?.stop()
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
    }
  },
}

const ctl: Command = {
  path: ['testnet', 'ctl'],
  summary: "drive a running testnet's control endpoint: list, kill, restart, pause, resume a node",
  usage: CTL_USAGE,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { url: { type: 'string' }, ms: { type: 'string' } },
      CTL_USAGE,
    )
    const url = requireFlag(values.url, 'url', CTL_USAGE).replace(/\/$/, '')
    const [action, index, extra] = positionals
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'\nusage: ${CTL_USAGE}`)
    let request: { method: string; path: string }
    if (action === 'list') {
      request = { method: 'GET', path: '/nodes' }
    } else if ((CONTROL_ACTIONS as readonly string[]).includes(action ?? '')) {
      if (index === undefined) throw new UsageError(`${action} needs a node INDEX\nusage: ${CTL_USAGE}`)
      if (!/^\d+$/.test(index)) throw new UsageError(`INDEX must be a node index (0, 1, …), got '${index}'`)
      if ((action === 'skew') !== (values.ms !== undefined))
        throw new UsageError(`--ms goes with skew, and only with skew\nusage: ${CTL_USAGE}`)
      const query = action === 'skew' ? `?ms=${encodeURIComponent(values.ms!)}` : ''
      request = { method: 'POST', path: `/nodes/${index}/${action as ControlAction}${query}` }
    } else {
      throw new UsageError(
        `unknown action '${action ?? ''}' (list, ${CONTROL_ACTIONS.join(', ')})\nusage: ${CTL_USAGE}`,
      )
    }
    let response: Response
    try {
      response = await fetch(`${url}${request.path}`, {
        method: request.method,
        signal: AbortSignal.timeout(60_000),
      })
    } catch (error) {
      throw new CliError(`--url ${url}: ${(error as Error).cause ?? (error as Error).message}`)
    }
    const body = (await response.json()) as { error?: string }
    if (!response.ok)
      throw new CliError(`${request.method} ${request.path}: ${body.error ?? response.status}`)
    console.log(JSON.stringify(body, null, 2))
    return 0
  },
}

export const testnetCommands: Command[] = [testnet, ctl]
