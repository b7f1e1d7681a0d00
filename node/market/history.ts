// The market history of one node: every accepted seal's allocation (epoch, class, leader, clearing
// prices, units, assignment), kept in level and bounded (the oldest epochs are dropped first), so a
// researcher can read the market of the last hours from any node, also after it restarted. Served as
// JSONL or CSV (GET /market/history, `prover-mesh market history`).
import { Level } from 'level'
import type { EpochAllocation } from './epoch-driver.ts'

/** Allocations kept by default: at the default 2 s epoch and two classes, about 2¾ hours. */
export const DEFAULT_HISTORY_LIMIT = 10_000

/** One row of the history: an accepted seal as this node applied it. */
export interface HistoryEntry {
  readonly epoch: number
  readonly resourceClass: string
  /** Peer id of the leader that signed the seal. */
  readonly leader: string
  readonly resultHash: string
  /** Bids the seal counted (buyers and sellers). */
  readonly countedBids: number
  readonly trade: boolean
  readonly buyerPrice: string | null
  readonly sellerPrice: string | null
  readonly units: number
  readonly lowestAsk: string | null
  readonly assignment: readonly { taskId: string; jobIndex: number; operator: string; units: number }[]
}

export type HistoryFormat = 'jsonl' | 'csv'
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['jsonl', 'csv']

// Keys sort by epoch (zero-padded: level orders bytes), then class: the first key is the oldest.
const keyOf = (epoch: number, resourceClass: string) => `${String(epoch).padStart(16, '0')}/${resourceClass}`

export function historyEntryOf(a: EpochAllocation): HistoryEntry {
  return {
    epoch: a.epoch,
    resourceClass: a.resourceClass,
    leader: a.leader,
    resultHash: a.resultHash,
    countedBids: a.bidIds.length,
    trade: a.trade,
    buyerPrice: a.buyerPrice,
    sellerPrice: a.sellerPrice,
    units: a.units,
    lowestAsk: a.lowestAsk,
    assignment: a.assignment.map((p) => ({
      taskId: p.taskId,
      jobIndex: p.jobIndex,
      operator: p.operator,
      units: p.units,
    })),
  }
}

export class MarketHistory {
  readonly #db: Level<string, HistoryEntry>
  readonly #limit: number
  /** Every stored entry by key, in key order once sorted: the history is small enough to hold. */
  readonly #entries = new Map<string, HistoryEntry>()
  #sortedKeys: string[] | undefined = []
  /** Writes run one at a time, so a put and the drop of the oldest land in order. */
  #queue: Promise<void> = Promise.resolve()

  private constructor(db: Level<string, HistoryEntry>, limit: number) {
    this.#db = db
    this.#limit = limit
  }

  static async open(location: string, limit = DEFAULT_HISTORY_LIMIT): Promise<MarketHistory> {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`history limit must be ≥ 1, got ${limit}`)
    const db = new Level<string, HistoryEntry>(location, { valueEncoding: 'json' })
    await db.open()
    const history = new MarketHistory(db, limit)
    for await (const [key, entry] of db.iterator()) history.#entries.set(key, entry)
    history.#sortedKeys = undefined
    // A smaller limit than the stored history had: drop the oldest now.
    await history.#trim()
    return history
  }

  /** Records an accepted seal (a second copy of one (epoch, class) replaces the first). */
  add(allocation: EpochAllocation): Promise<void> {
    const entry = historyEntryOf(allocation)
    const key = keyOf(entry.epoch, entry.resourceClass)
    const write = async () => {
      const known = this.#entries.has(key)
      this.#entries.set(key, entry)
      if (!known) this.#sortedKeys = undefined
      const drop = this.#overflow()
      // One batch: a crash leaves either the new entry with the oldest dropped, or neither.
      await this.#db.batch([
        { type: 'put', key, value: entry },
        ...drop.map((k) => ({ type: 'del' as const, key: k })),
      ])
    }
    const run = this.#queue.then(write, write)
    this.#queue = run.catch(() => undefined)
    return run
  }

  get size(): number {
    return this.#entries.size
  }

  /** Entries oldest first; `fromEpoch` keeps epochs ≥ it, `limit` keeps the newest that many. */
  entries(options: { fromEpoch?: number; limit?: number } = {}): HistoryEntry[] {
    let list = this.#keys().map((k) => this.#entries.get(k)!)
    if (options.fromEpoch !== undefined) list = list.filter((e) => e.epoch >= options.fromEpoch!)
    if (options.limit !== undefined) list = list.slice(Math.max(0, list.length - options.limit))
    return list
  }

  async close(): Promise<void> {
    await this.#queue
    await this.#db.close()
  }

  #keys(): string[] {
    this.#sortedKeys ??= [...this.#entries.keys()].sort()
    return this.#sortedKeys
  }

  /** Removes the oldest entries past the limit from memory; returns their keys, to delete in level. */
  #overflow(): string[] {
    const excess = this.#entries.size - this.#limit
    if (excess <= 0) return []
    const drop = this.#keys().slice(0, excess)
    for (const k of drop) this.#entries.delete(k)
    this.#sortedKeys = this.#keys().slice(excess)
    return drop
  }

  async #trim(): Promise<void> {
    const drop = this.#overflow()
    if (drop.length > 0) await this.#db.batch(drop.map((key) => ({ type: 'del' as const, key })))
  }
}

export const CSV_COLUMNS = [
  'epoch',
  'class',
  'leader',
  'result_hash',
  'counted_bids',
  'trade',
  'buyer_price',
  'seller_price',
  'units',
  'lowest_ask',
  'assignment',
] as const

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** One CSV row; the assignment is `taskId:jobIndex=operator` pieces joined by spaces. */
export function csvRow(e: HistoryEntry): string {
  const assignment = e.assignment.map((p) => `${p.taskId}:${p.jobIndex}=${p.operator}`).join(' ')
  return [
    String(e.epoch),
    e.resourceClass,
    e.leader,
    e.resultHash,
    String(e.countedBids),
    String(e.trade),
    e.buyerPrice ?? '',
    e.sellerPrice ?? '',
    String(e.units),
    e.lowestAsk ?? '',
    assignment,
  ]
    .map(csvField)
    .join(',')
}

/** The history as text: JSONL (one entry per line) or CSV (a header line, then one row per entry). */
export function formatHistory(entries: readonly HistoryEntry[], format: HistoryFormat): string {
  if (format === 'jsonl') return entries.map((e) => `${JSON.stringify(e)}\n`).join('')
  return [CSV_COLUMNS.join(','), ...entries.map(csvRow)].map((line) => `${line}\r\n`).join('')
}

/** A bad /market/history query: names the parameter. */
export class HistoryQueryError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.name = 'HistoryQueryError'
    this.field = field
  }
}

/** Parses `format`, `from` (epoch) and `limit` of a /market/history query; throws HistoryQueryError. */
export function parseHistoryQuery(params: URLSearchParams): {
  format: HistoryFormat
  fromEpoch?: number
  limit?: number
} {
  for (const name of params.keys())
    if (name !== 'format' && name !== 'from' && name !== 'limit')
      throw new HistoryQueryError(name, 'unknown parameter (format, from, limit)')
  const format = params.get('format') ?? 'jsonl'
  if (!(HISTORY_FORMATS as readonly string[]).includes(format))
    throw new HistoryQueryError('format', `expected jsonl or csv, got '${format}'`)
  const integer = (name: string, min: number): number | undefined => {
    const raw = params.get(name)
    if (raw === null) return undefined
    if (!/^\d{1,15}$/.test(raw) || Number(raw) < min)
      throw new HistoryQueryError(name, `expected an integer ≥ ${min}, got '${raw}'`)
    return Number(raw)
  }
  const fromEpoch = integer('from', 0)
  const limit = integer('limit', 1)
  return {
    format: format as HistoryFormat,
    ...(fromEpoch !== undefined && { fromEpoch }),
    ...(limit !== undefined && { limit }),
  }
}
