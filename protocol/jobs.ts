// Job input fetch and result delivery over JOB_PROTOCOL: requests are signed by the prover's peer key
// so a gateway knows who fetched or delivered what (evidence for faults).
import type { PrivateKey } from '@libp2p/interface'
import {
  checkBytes,
  checkGatewaySigner,
  checkPriceAndDeadline,
  checkString,
  checkVersion,
  decodeBody,
} from './decode.ts'
import { openEnvelope, sealEnvelope } from './envelope.ts'
import { ValidationError } from './errors.ts'
import { AggregateInput, DeliverJobResult, FetchJobInput, JobDemand } from './generated/messages.js'
import { MAX_CLASS_CHARS, MAX_DEMAND_JOBS, MAX_LEAF_JOBS, MAX_PROOF_TYPE_CHARS } from './limits.ts'
import { TASK_ID_BYTES } from './announce.ts'
import { peerIdBytesOf } from './peer.ts'
import { isProofType, isResourceClassOf } from './proof-types.ts'

export const JOB_MESSAGE_VERSION = 1
/** Leaves plus aggregation nodes of one task's tree. */
export const MAX_JOB_INDEX = 2 * MAX_LEAF_JOBS

function checkJobIndex(index: number): void {
  if (index >= MAX_JOB_INDEX)
    throw new ValidationError('out_of_range', 'job_index', `must be < ${MAX_JOB_INDEX}`)
}

export async function validateFetchJobInput(
  bytes: Uint8Array,
): Promise<{ request: FetchJobInput; signer: Uint8Array }> {
  const envelope = await openEnvelope(bytes, 'FetchJobInput')
  const request = decodeBody(FetchJobInput, envelope.body, 'body')
  checkVersion(request.version, JOB_MESSAGE_VERSION)
  checkBytes(request.taskId, 'task_id', TASK_ID_BYTES)
  checkJobIndex(request.jobIndex)
  return { request, signer: envelope.publicKey }
}

export async function validateDeliverJobResult(
  bytes: Uint8Array,
): Promise<{ result: DeliverJobResult; signer: Uint8Array }> {
  const envelope = await openEnvelope(bytes, 'DeliverJobResult')
  const result = decodeBody(DeliverJobResult, envelope.body, 'body')
  checkVersion(result.version, JOB_MESSAGE_VERSION)
  checkBytes(result.taskId, 'task_id', TASK_ID_BYTES)
  checkJobIndex(result.jobIndex)
  if (result.proof.byteLength === 0) throw new ValidationError('missing', 'proof', 'required')
  return { result, signer: envelope.publicKey }
}

export const JOB_DEMAND_VERSION = 1

/**
 * Validates a gossiped JobDemand. `publisherKey` is the gossip publisher's raw key (StrictSign
 * `from`), which must have signed the envelope; the envelope signer must be the named gateway.
 */
export async function validateJobDemand(
  bytes: Uint8Array,
  publisherKey: Uint8Array | undefined,
  nowMs: number,
): Promise<JobDemand> {
  const envelope = await openEnvelope(bytes, 'JobDemand')
  const d = decodeBody(JobDemand, envelope.body, 'body')
  checkGatewaySigner(d.gateway, envelope.publicKey, publisherKey)
  checkVersion(d.version, JOB_DEMAND_VERSION)
  checkBytes(d.taskId, 'task_id', TASK_ID_BYTES)
  checkString(d.proofType, 'proof_type', MAX_PROOF_TYPE_CHARS)
  if (!isProofType(d.proofType))
    throw new ValidationError('unknown_proof_type', 'proof_type', `'${d.proofType}'`)
  checkString(d.class, 'class', MAX_CLASS_CHARS)
  // Only the classes a gateway's plan makes: a made-up class would open an auction nobody sells in.
  if (!isResourceClassOf(d.proofType, d.class))
    throw new ValidationError('unknown_class', 'class', `'${d.class}' is not a class of ${d.proofType} jobs`)
  if (d.jobIndexes.length === 0) throw new ValidationError('missing', 'job_indexes', 'at least one job')
  if (d.jobIndexes.length > MAX_DEMAND_JOBS)
    throw new ValidationError(
      'too_large',
      'job_indexes',
      `${d.jobIndexes.length} jobs, limit ${MAX_DEMAND_JOBS}`,
    )
  for (const [i, index] of d.jobIndexes.entries()) {
    if (index >= MAX_JOB_INDEX)
      throw new ValidationError('out_of_range', `job_indexes[${i}]`, `must be < ${MAX_JOB_INDEX}`)
    if (i > 0 && index <= d.jobIndexes[i - 1]!)
      throw new ValidationError('out_of_range', `job_indexes[${i}]`, 'must be ascending without duplicates')
  }
  if (d.round === 0) throw new ValidationError('missing', 'round', 'rounds start at 1')
  checkPriceAndDeadline(d.maxPricePerUnit, d.deadlineMs, nowMs)
  return d
}

/** Signs a demand with the gateway's peer key (the `gateway` field is set from that key). */
export async function buildJobDemand(
  demand: Omit<JobDemand, 'version' | 'gateway'>,
  gatewayKey: PrivateKey,
): Promise<Uint8Array> {
  const body: JobDemand = {
    ...demand,
    version: JOB_DEMAND_VERSION,
    gateway: peerIdBytesOf(gatewayKey.publicKey.raw),
  }
  return sealEnvelope('JobDemand', JobDemand.encode(body), gatewayKey)
}

/** Decodes the input of an aggregation job: one or two child proofs. */
export function decodeAggregateInput(bytes: Uint8Array): Uint8Array[] {
  const { children } = decodeBody(AggregateInput, bytes, 'input')
  if (children.length < 1 || children.length > 2)
    throw new ValidationError(
      'out_of_range',
      'input.children',
      `expected 1 or 2 proofs, got ${children.length}`,
    )
  children.forEach((c, i) => {
    if (c.byteLength === 0) throw new ValidationError('missing', `input.children[${i}]`, 'empty proof')
  })
  return children
}

export function encodeAggregateInput(children: readonly Uint8Array[]): Uint8Array {
  return AggregateInput.encode({ children: [...children] })
}
