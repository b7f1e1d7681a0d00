// SubmitTask: built and signed by a client, validated by a gateway. The task id is the sha256 of the
// signed bytes, so the same signed request submitted twice (to one gateway or two) is the same task.
import type { PrivateKey } from '@libp2p/interface'
import { checkString, checkVersion, decodeBody } from './decode.ts'
import { openEnvelope, sealEnvelope, signedBytes } from './envelope.ts'
import { ValidationError } from './errors.ts'
import { HashchainInput, SubmitTask, SumInput } from './generated/messages.js'
import { sha256 } from './hash.ts'
import { MAX_DEADLINE_AHEAD_MS, MAX_PROOF_TYPE_CHARS } from './limits.ts'
import { decodeProofInput, isProofType, type ProofInput } from './proof-types.ts'

export const SUBMIT_TASK_VERSION = 1

export interface SubmitTaskParams {
  /**
   * What to prove. The gateway's dispatcher sizes the jobs (protocol/job-size.ts). `chunkSize` and
   * `segment` are the explicit job sizes of SubmitTask v1 clients, still honoured so their requests
   * mean what they meant.
   * @deprecated chunkSize / segment: leave them out.
   */
  input:
    | { type: 'sum'; values: number[]; chunkSize?: number }
    | { type: 'hashchain'; seed: Uint8Array; steps: bigint; segment?: bigint }
  maxPricePerUnit: bigint
  deadlineMs: bigint
  nonce?: bigint
}

/** Encodes and signs a SubmitTask with the client's Ed25519 key; returns the envelope bytes to send. */
export async function buildSubmitTask(params: SubmitTaskParams, clientKey: PrivateKey): Promise<Uint8Array> {
  const input =
    params.input.type === 'sum'
      ? SumInput.encode({ values: params.input.values, chunkSize: params.input.chunkSize ?? 0 })
      : HashchainInput.encode({
          seed: params.input.seed,
          steps: params.input.steps,
          segment: params.input.segment ?? 0n,
        })
  const body = SubmitTask.encode({
    version: SUBMIT_TASK_VERSION,
    proofType: params.input.type,
    input,
    maxPricePerUnit: params.maxPricePerUnit,
    deadlineMs: params.deadlineMs,
    nonce: params.nonce ?? 0n,
  })
  return sealEnvelope('SubmitTask', body, clientKey)
}

/** The content id of a signed request: sha256 over exactly the bytes its signature covers. */
export function taskIdOf(body: Uint8Array): Uint8Array {
  return sha256(signedBytes('SubmitTask', body))
}

export interface ValidSubmitTask {
  taskId: Uint8Array
  request: SubmitTask
  input: ProofInput
  /** Raw Ed25519 key of the client that signed it. */
  clientKey: Uint8Array
}

/**
 * Validates a received SubmitTask envelope completely: size, encoding, signature, version, proof
 * type, input, budget and deadline against `nowMs` (from the injected clock).
 */
export async function validateSubmitTask(bytes: Uint8Array, nowMs: number): Promise<ValidSubmitTask> {
  const envelope = await openEnvelope(bytes, 'SubmitTask')
  const request = decodeBody(SubmitTask, envelope.body, 'body')
  checkVersion(request.version, SUBMIT_TASK_VERSION)
  checkString(request.proofType, 'proof_type', MAX_PROOF_TYPE_CHARS)
  if (!isProofType(request.proofType)) {
    throw new ValidationError('unknown_proof_type', 'proof_type', `unknown proof type '${request.proofType}'`)
  }
  const input = decodeProofInput(request.proofType, request.input)
  if (request.maxPricePerUnit === 0n)
    throw new ValidationError('zero_budget', 'max_price_per_unit', 'must be > 0')
  const now = BigInt(Math.floor(nowMs))
  if (request.deadlineMs === 0n) throw new ValidationError('missing', 'deadline_ms', 'required')
  if (request.deadlineMs <= now) {
    throw new ValidationError(
      'deadline_past',
      'deadline_ms',
      `deadline ${request.deadlineMs} is not after now (${now})`,
    )
  }
  if (request.deadlineMs - now > BigInt(MAX_DEADLINE_AHEAD_MS)) {
    throw new ValidationError('out_of_range', 'deadline_ms', `more than ${MAX_DEADLINE_AHEAD_MS} ms ahead`)
  }
  return { taskId: taskIdOf(envelope.body), request, input, clientKey: envelope.publicKey }
}
