// The SIMULATED backend, for scale studies only (`proverMode: 'sim'`): proving sleeps a fixed service
// time and a "proof" is a labelled JSON statement with nothing proven. It keeps the network's message
// flow, job plan and timing shape so researchers can run 50+ nodes on one machine. Never the default;
// nodes running it say so in their logs and /status, and no proving test relies on it.
import type { ProofLevel, Statement } from '../../prover-ffi/index.ts'
import { leafJobSizing, toHex, type ProofInput, type ProofType } from '../../protocol/index.ts'
import { aggregateExpectation, aggregationLevel, type ProvingBackend } from './backend.ts'

const MAGIC = 'PMSIM1'
const encoder = new TextEncoder()
const decoder = new TextDecoder()

interface SimProof {
  level: ProofLevel
  statement: Statement
}

function encode(proof: SimProof): Uint8Array {
  return encoder.encode(`${MAGIC}${JSON.stringify(proof)}`)
}

/** Whether `bytes` are a simulated "proof" (which proves nothing), by their label. */
export function isSimulatedProof(bytes: Uint8Array): boolean {
  return decoder.decode(bytes.subarray(0, MAGIC.length)) === MAGIC
}

function decode(bytes: Uint8Array): SimProof {
  const text = decoder.decode(bytes)
  if (!text.startsWith(MAGIC)) throw new Error('not a simulated proof')
  return JSON.parse(text.slice(MAGIC.length)) as SimProof
}

/** A statement with the shape of the real one, empty commitments and zero aggregates. */
function simStatement(type: ProofType, taskId: string, start: number, end: number): Statement {
  const base = { taskId, start, end, fromOrigin: start === 0 }
  return type === 'sum'
    ? {
        ...base,
        type,
        count: end - start,
        commitment: '',
        stateIn: '',
        stateOut: '',
        sum: '0',
        min: 0,
        max: 0,
      }
    : { ...base, type, steps: end - start, input: '', output: '' }
}

function ranges(input: ProofInput): [number, number][] {
  const total = input.type === 'sum' ? input.input.values.length : Number(input.input.steps)
  const size = Number(leafJobSizing(input).jobSize)
  const out: [number, number][] = []
  for (let start = 0; start < total; start += size) out.push([start, Math.min(total, start + size)])
  return out
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function simBackend(serviceMs: number): ProvingBackend {
  return {
    mode: 'sim',
    async planLeafJobs(taskId, input) {
      return ranges(input).map(([start, end]) =>
        encode({ level: 'job', statement: simStatement(input.type, toHex(taskId), start, end) }),
      )
    },
    async taskStatement(taskId, input) {
      const all = ranges(input)
      return simStatement(input.type, toHex(taskId), 0, all.at(-1)![1])
    },
    leafExpectation(_type, jobs, index) {
      const { statement } = decode(jobs[index]!)
      return { taskId: statement.taskId, start: statement.start, end: statement.end }
    },
    async proveLeaf(_type, job) {
      await sleep(serviceMs)
      return encode(decode(job))
    },
    async aggregate(_type, children) {
      await sleep(serviceMs)
      const decoded = children.map(decode)
      const combined = aggregateExpectation(decoded.map((c) => c.statement))
      const statement = (combined.type === 'sum'
        ? { ...combined, commitment: '' }
        : combined) as unknown as Statement
      return encode({ level: aggregationLevel(decoded.map((c) => c.level)), statement })
    },
    async verify(_type, proof) {
      return decode(proof)
    },
    async verifyFinal(_type, proof) {
      const { level, statement } = decode(proof)
      if (level !== 'aggregation') throw new Error(`a final proof is a node aggregation, got ${level}`)
      return statement
    },
  }
}
