// `prover-mesh ledger` and `prover-mesh faults`: read a gateway's ledger (what clients owe and
// operators earn, per the clearing prices) and its record of prover faults, through its HTTP API.
import type { Command } from './command.ts'
import { parseFlags } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const DEFAULT_API = 'http://127.0.0.1:8080'

async function getJson(url: string): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  } catch (error) {
    throw new CliError(`cannot reach ${url}: ${(error as Error).message}`)
  }
  const body = await response.text()
  if (response.status === 404)
    throw new CliError(`${url}: this node runs no task dispatcher (not a gateway with a market)`)
  if (!response.ok) throw new CliError(`${url}: HTTP ${response.status} ${body}`)
  return JSON.parse(body) as unknown
}

function apiBase(value: string | undefined): string {
  const base = value ?? DEFAULT_API
  if (!/^https?:\/\/[^\s/]+/.test(base)) throw new UsageError(`--api must be an http(s) URL, got '${base}'`)
  return base.replace(/\/$/, '')
}

const LEDGER_USAGE = 'prover-mesh ledger [--api URL] [--task TASK_ID]'

const ledger: Command = {
  path: ['ledger'],
  summary: "a gateway's ledger: totals per task and operator, or one task's entries (JSON)",
  usage: LEDGER_USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, { api: { type: 'string' }, task: { type: 'string' } }, LEDGER_USAGE)
    const task = values.task
    if (task !== undefined && !/^[0-9a-f]{64}$/.test(task))
      throw new UsageError(`--task must be a 64-digit lowercase hex task id, got '${task}'`)
    const query = task === undefined ? '' : `?task=${task}`
    console.log(JSON.stringify(await getJson(`${apiBase(values.api)}/ledger${query}`), null, 2))
    return 0
  },
}

const FAULTS_USAGE = 'prover-mesh faults [--api URL]'

const faults: Command = {
  path: ['faults'],
  summary: "a gateway's record of prover faults (missed deadlines, invalid proofs), newest first (JSON)",
  usage: FAULTS_USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, { api: { type: 'string' } }, FAULTS_USAGE)
    console.log(JSON.stringify(await getJson(`${apiBase(values.api)}/faults`), null, 2))
    return 0
  },
}

export const ledgerCommands: Command[] = [ledger, faults]
