// Job input fetch and result delivery over JOB_PROTOCOL: requests are signed by the prover's peer key
// so a gateway knows who fetched or delivered what (evidence for faults).
import { checkBytes, checkVersion, decodeBody } from './decode.ts'
import { openEnvelope } from './envelope.ts'
import { ValidationError } from './errors.ts'
import { DeliverJobResult, FetchJobInput } from './generated/messages.js'
import { MAX_LEAF_JOBS } from './limits.ts'
import { TASK_ID_BYTES } from './announce.ts'

export const JOB_MESSAGE_VERSION = 1
/** Leaves plus aggregation nodes of one task's tree. */
const MAX_JOB_INDEX = 2 * MAX_LEAF_JOBS

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
