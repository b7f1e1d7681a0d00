// `prover-mesh market history`: a node's record of accepted seals (GET /market/history) as JSONL or
// CSV on stdout (or into --out), for analysis in a spreadsheet, pandas, or jq.
import { writeFile } from 'node:fs/promises'
import { HISTORY_FORMATS } from '../market/history.ts'
import { integerFlag, parseFlags, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const DEFAULT_URL = 'http://127.0.0.1:8080'
const USAGE =
  'prover-mesh market history [--url URL] [--format jsonl|csv] [--from EPOCH] [--limit N] [--out FILE]'
const HELP = `${USAGE}

  --url URL      the node's HTTP API (default ${DEFAULT_URL}; any node of the market keeps a history)
  --format F     jsonl (one JSON object per seal, default) or csv (a header line, then one row per seal)
  --from EPOCH   only seals of this epoch and later
  --limit N      only the newest N seals
  --out FILE     write to FILE instead of stdout`

const history: Command = {
  path: ['market', 'history'],
  summary:
    "a node's accepted seals (epoch, class, leader, clearing prices, units, assignment) as JSONL or CSV",
  usage: HELP,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        url: { type: 'string', default: DEFAULT_URL },
        format: { type: 'string', default: 'jsonl' },
        from: { type: 'string' },
        limit: { type: 'string' },
        out: { type: 'string' },
      },
      USAGE,
    )
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument '${positionals[0]}'\nusage: ${USAGE}`)
    if (!/^https?:\/\/[^\s/]+/.test(values.url))
      throw new UsageError(`--url must be an http(s) URL, got '${values.url}'`)
    if (!(HISTORY_FORMATS as readonly string[]).includes(values.format))
      throw new UsageError(`--format must be jsonl or csv, got '${values.format}'`)
    const query = new URLSearchParams({ format: values.format })
    if (values.from !== undefined) query.set('from', String(integerFlag(values.from, 'from')))
    if (values.limit !== undefined) query.set('limit', String(integerFlag(values.limit, 'limit', { min: 1 })))
    const url = `${values.url.replace(/\/$/, '')}/market/history?${query}`
    let response: Response
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(30_000) })
    } catch (error) {
      const e = error as Error & { cause?: Error & { errors?: Error[] } }
      const cause = e.cause?.errors?.[0] ?? e.cause
      throw new CliError(`cannot reach ${values.url}: ${cause?.message ?? e.message}`)
    }
    const body = await response.text()
    if (!response.ok) {
      let reason = body
      try {
        reason = (JSON.parse(body) as { error?: string }).error ?? body
      } catch {
        // not JSON: the body as it is
      }
      throw new CliError(`${url}: HTTP ${response.status}: ${reason}`)
    }
    if (values.out !== undefined) await writeFile(values.out, body)
    else process.stdout.write(body)
    return 0
  },
}

export const marketCommands: Command[] = [history]
