// What a gateway keeps about the tasks it runs, in level at <dataDir>/jobs, so a restarted gateway
// resumes every task where it stopped: each task's job states, the accepted proofs, the signed
// demands it published (re-offered unchanged after a restart, so their bid ids stay the same), the
// faults it recorded, and the ledger of what clients owe and operators earn.
import { Level } from 'level'
import type { Statement } from '../../prover-ffi/index.ts'
import { passedWritePoint, type WritePoint } from '../write-points.ts'

export type JobStateName = 'waiting' | 'open' | 'assigned' | 'proven'

export interface JobState {
  index: number
  state: JobStateName
  /** The demand round the job was last offered in (0: never offered), and when. */
  round: number
  offeredAtMs?: number
  /**
   * Open when this gateway restarted: a seal may have assigned it meanwhile, unseen here. Until it is
   * re-offered (one job timeout after the restart), any operator's peer may fetch and deliver it.
   */
  unconfirmed?: boolean
  /** Set while assigned, and kept once proven: who proves it, under which seal, until when. */
  operator?: string
  peer?: string
  epoch?: number
  deadlineMs?: number
  buyerPrice?: string
  sellerPrice?: string
  sealResultHash?: string
  /** The accepted proof's statement (proven jobs). */
  statement?: Statement
  /** How often the job returned to the pool (missed deadline, invalid proof). */
  failures: number
}

export interface TaskRun {
  taskId: string
  proofType: string
  leafCount: number
  /** The last demand round used. */
  round: number
  jobs: JobState[]
  startedAtMs: number
}

export type JobFaultCode = 'DEADLINE_MISSED' | 'INVALID_PROOF'

/** A prover's fault against a job, with what proves it. */
export interface JobFault {
  code: JobFaultCode
  taskId: string
  jobIndex: number
  operator: string
  peer: string
  epoch: number | null
  atMs: number
  reason: string
  /** INVALID_PROOF: the delivered proof, hex (the signed delivery is the prover's own statement). */
  evidence?: string
}

/**
 * One proven job in the ledger: the client owes `buyerPrice`, the operator earns `sellerPrice` (the
 * clearing prices of the seal that assigned it; DARA.md). Keyed by task and job, so it can be
 * settled on chain later against the seal's result hash.
 */
export interface LedgerEntry {
  taskId: string
  jobIndex: number
  resourceClass: string
  operator: string
  epoch: number | null
  /** Decimal strings; null when the seal that assigned the job was not observed (gateway offline). */
  buyerPrice: string | null
  sellerPrice: string | null
  sealResultHash: string | null
  atMs: number
}

/**
 * The writes of one state change, applied together or not at all (one level batch): a crash
 * between any two of them would otherwise leave a state that no resume can tell from a real one
 * (a ledger entry for a job still assigned, a demand round the stored run does not know).
 */
export interface JobBatch {
  putRun(run: TaskRun): JobBatch
  putProof(taskId: string, index: number, proof: Uint8Array): JobBatch
  putDemand(taskId: string, round: number, envelope: Uint8Array): JobBatch
  addFault(fault: JobFault): JobBatch
  addLedgerEntry(entry: LedgerEntry): JobBatch
  /** Writes every operation at once; then the named write point is passed (write-points.ts). */
  write(): Promise<void>
}

export interface JobStore {
  getRun(taskId: string): Promise<TaskRun | undefined>
  runs(): Promise<TaskRun[]>
  getProof(taskId: string, index: number): Promise<Uint8Array | undefined>
  getDemand(taskId: string, round: number): Promise<Uint8Array | undefined>
  faults(limit?: number): Promise<JobFault[]>
  ledger(taskId?: string): Promise<LedgerEntry[]>
  /** Every write goes through a batch named after its write point. */
  batch(point: WritePoint): JobBatch
  /** Retention: deletes a finished task's run, proofs and demands in one batch (not its ledger). */
  deleteTask(taskId: string): Promise<number>
  /** Retention: deletes up to `limit` of the oldest faults recorded before `beforeMs`. */
  pruneFaults(beforeMs: number, limit: number): Promise<number>
  close(): Promise<void>
}

const jobKey = (taskId: string, index: number) => `${taskId}/${String(index).padStart(5, '0')}`

export async function openJobStore(path: string): Promise<JobStore> {
  const db = new Level<string, unknown>(path, { valueEncoding: 'json' })
  await db.open()
  const runs = db.sublevel<string, TaskRun>('runs', { valueEncoding: 'json' })
  const proofs = db.sublevel<string, Uint8Array>('proofs', { valueEncoding: 'view' })
  const demands = db.sublevel<string, Uint8Array>('demands', { valueEncoding: 'view' })
  const faults = db.sublevel<string, JobFault>('faults', { valueEncoding: 'json' })
  const ledger = db.sublevel<string, LedgerEntry>('ledger', { valueEncoding: 'json' })
  let faultSeq = 0
  return {
    getRun: async (taskId) => runs.get(taskId),
    runs: () => runs.values().all(),
    getProof: async (taskId, index) => proofs.get(jobKey(taskId, index)),
    getDemand: async (taskId, round) => demands.get(jobKey(taskId, round)),
    faults: (limit = 256) => faults.values({ reverse: true, limit }).all(),
    ledger: (taskId) =>
      taskId === undefined
        ? ledger.values().all()
        : ledger.values({ gte: `${taskId}/`, lt: `${taskId}0` }).all(),
    batch(point) {
      const ops = db.batch()
      const batch: JobBatch = {
        putRun: (run) => (ops.put(run.taskId, run, { sublevel: runs }), batch),
        putProof: (taskId, index, proof) => (
          ops.put(jobKey(taskId, index), proof, { sublevel: proofs }),
          batch
        ),
        putDemand: (taskId, round, envelope) => (
          ops.put(jobKey(taskId, round), envelope, { sublevel: demands }),
          batch
        ),
        // Keys sort by time, then by task, job and a per-process sequence, so the log reads in order
        // and a fault recorded after a restart never overwrites one recorded before it.
        addFault: (fault) => (
          ops.put(
            `${String(fault.atMs).padStart(15, '0')}/${jobKey(fault.taskId, fault.jobIndex)}/${String(faultSeq++).padStart(6, '0')}`,
            fault,
            { sublevel: faults },
          ),
          batch
        ),
        addLedgerEntry: (entry) => (
          ops.put(jobKey(entry.taskId, entry.jobIndex), entry, { sublevel: ledger }),
          batch
        ),
        async write() {
          await ops.write()
          passedWritePoint(point)
        },
      }
      return batch
    },
    deleteTask: async (taskId) => {
      const range = { gte: `${taskId}/`, lt: `${taskId}0` }
      const batch = db.batch()
      let n = 0
      if ((await runs.get(taskId)) !== undefined) {
        batch.del(taskId, { sublevel: runs })
        n++
      }
      for (const sublevel of [proofs, demands])
        for (const key of await sublevel.keys(range).all()) {
          batch.del(key, { sublevel })
          n++
        }
      if (n === 0) await batch.close()
      else await batch.write()
      return n
    },
    pruneFaults: async (beforeMs, limit) => {
      const keys = await faults.keys({ lt: String(beforeMs).padStart(15, '0'), limit }).all()
      if (keys.length > 0) await faults.batch(keys.map((key) => ({ type: 'del' as const, key })))
      return keys.length
    },
    close: () => db.close(),
  }
}

export interface LedgerSummary {
  /** Per task: units proven and what its client owes. */
  tasks: Record<string, { units: number; owed: string; unpriced: number }>
  /** Per operator: units proven and what it earned. */
  operators: Record<string, { units: number; earned: string; unpriced: number }>
  /** Σ (buyer price − seller price): the protocol treasury's share (DARA.md). */
  treasury: string
}

export function summarizeLedger(entries: readonly LedgerEntry[]): LedgerSummary {
  const tasks: LedgerSummary['tasks'] = {}
  const operators: LedgerSummary['operators'] = {}
  let treasury = 0n
  for (const e of entries) {
    const t = (tasks[e.taskId] ??= { units: 0, owed: '0', unpriced: 0 })
    const o = (operators[e.operator] ??= { units: 0, earned: '0', unpriced: 0 })
    t.units++
    o.units++
    if (e.buyerPrice === null || e.sellerPrice === null) {
      t.unpriced++
      o.unpriced++
      continue
    }
    t.owed = (BigInt(t.owed) + BigInt(e.buyerPrice)).toString()
    o.earned = (BigInt(o.earned) + BigInt(e.sellerPrice)).toString()
    treasury += BigInt(e.buyerPrice) - BigInt(e.sellerPrice)
  }
  return { tasks, operators, treasury: treasury.toString() }
}
