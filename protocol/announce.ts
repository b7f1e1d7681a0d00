// TaskAnnounce: the header of an accepted task, signed by its gateway's peer key and gossiped on the
// tasks topic. Every node checks it before recording the task or letting gossipsub forward it.
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
import { TaskAnnounce } from './generated/messages.js'
import { sha256 } from './hash.ts'
import { MAX_CLASS_CHARS, MAX_LEAF_JOBS, MAX_PROOF_TYPE_CHARS } from './limits.ts'
import { peerIdBytesOf } from './peer.ts'
import { isProofType, planDemand } from './proof-types.ts'
import type { ValidSubmitTask } from './submit.ts'

export const TASK_ANNOUNCE_VERSION = 1
export const TASK_ID_BYTES = 32

/** Builds the announce for a validated submit and signs it with the gateway's peer key. */
export async function buildTaskAnnounce(
  task: ValidSubmitTask,
  gatewayKey: PrivateKey,
  announcedAtMs: number,
): Promise<{ announce: TaskAnnounce; bytes: Uint8Array }> {
  const announce: TaskAnnounce = {
    version: TASK_ANNOUNCE_VERSION,
    taskId: task.taskId,
    proofType: task.request.proofType,
    demands: planDemand(task.input),
    maxPricePerUnit: task.request.maxPricePerUnit,
    deadlineMs: task.request.deadlineMs,
    inputCommitment: sha256(task.request.input),
    inputSize: task.request.input.byteLength,
    gateway: peerIdBytesOf(gatewayKey.publicKey.raw),
    announcedAtMs: BigInt(Math.floor(announcedAtMs)),
  }
  return { announce, bytes: await sealEnvelope('TaskAnnounce', TaskAnnounce.encode(announce), gatewayKey) }
}

/**
 * Validates a gossiped announce. `publisherKey` is the raw key of the gossip publisher (StrictSign
 * `from`): the envelope must be signed by that same peer, and name it as the gateway.
 */
export async function validateTaskAnnounce(
  bytes: Uint8Array,
  publisherKey: Uint8Array | undefined,
  nowMs: number,
): Promise<TaskAnnounce> {
  const envelope = await openEnvelope(bytes, 'TaskAnnounce')
  const a = decodeBody(TaskAnnounce, envelope.body, 'body')
  checkGatewaySigner(a.gateway, envelope.publicKey, publisherKey)
  checkVersion(a.version, TASK_ANNOUNCE_VERSION)
  checkBytes(a.taskId, 'task_id', TASK_ID_BYTES)
  checkString(a.proofType, 'proof_type', MAX_PROOF_TYPE_CHARS)
  if (!isProofType(a.proofType))
    throw new ValidationError('unknown_proof_type', 'proof_type', `'${a.proofType}'`)
  if (a.demands.length === 0) throw new ValidationError('missing', 'demands', 'at least one class demand')
  if (a.demands.length > 8) throw new ValidationError('too_large', 'demands', `${a.demands.length} entries`)
  for (const [i, d] of a.demands.entries()) {
    checkString(d.class, `demands[${i}].class`, MAX_CLASS_CHARS)
    if (d.units < 1n || d.units > BigInt(MAX_LEAF_JOBS)) {
      throw new ValidationError('out_of_range', `demands[${i}].units`, `must be 1..${MAX_LEAF_JOBS}`)
    }
  }
  checkPriceAndDeadline(a.maxPricePerUnit, a.deadlineMs, nowMs)
  checkBytes(a.inputCommitment, 'input_commitment', 32)
  if (a.inputSize === 0) throw new ValidationError('missing', 'input_size', 'required')
  return a
}
