// The prover's side of /prover-mesh/job/1.0.0: fetch a job's input from its gateway, deliver the
// proof. Requests are signed with the prover's peer key. The gateway is dialled by peer id: known
// addresses first, else libp2p asks the DHT (peer routing) where it is.
import type { PeerId, PrivateKey } from '@libp2p/interface'
import {
  DeliverJobResult,
  FetchJobInput,
  JOB_MESSAGE_VERSION,
  JOB_PROTOCOL,
  JobInput,
  JobResultAck,
  MAX_JOB_REPLY_BYTES,
  sealEnvelope,
  type SubmitError,
} from '../../protocol/index.ts'
import { exchangeFrames } from '../p2p/exchange.ts'
import type { Host } from '../p2p/host.ts'

/** The gateway refused a request; `code` is its error code (e.g. 'invalid_proof', 'not_assigned'). */
export class JobRefusedError extends Error {
  readonly code: string
  constructor(error: SubmitError) {
    super(`${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}`)
    this.name = 'JobRefusedError'
    this.code = error.code
  }
}

function exchange(host: Host, gateway: PeerId, request: Uint8Array, timeoutMs: number) {
  return exchangeFrames(host, gateway, JOB_PROTOCOL, request, MAX_JOB_REPLY_BYTES, timeoutMs)
}

export async function fetchJobInput(
  host: Host,
  key: PrivateKey,
  gateway: PeerId,
  job: { taskId: Uint8Array; jobIndex: number },
  timeoutMs: number,
): Promise<Uint8Array> {
  const body = FetchJobInput.encode({ version: JOB_MESSAGE_VERSION, ...job })
  const reply = JobInput.decode(
    await exchange(host, gateway, await sealEnvelope('FetchJobInput', body, key), timeoutMs),
  )
  if (reply.error !== undefined) throw new JobRefusedError(reply.error)
  if (reply.jobIndex !== job.jobIndex || reply.input.byteLength === 0)
    throw new Error('the gateway answered with another job or no input')
  return reply.input
}

export async function deliverJobResult(
  host: Host,
  key: PrivateKey,
  gateway: PeerId,
  job: { taskId: Uint8Array; jobIndex: number; epoch: bigint; proof: Uint8Array },
  timeoutMs: number,
): Promise<void> {
  const body = DeliverJobResult.encode({
    version: JOB_MESSAGE_VERSION,
    ...job,
    publicOutputs: new Uint8Array(),
  })
  const reply = JobResultAck.decode(
    await exchange(host, gateway, await sealEnvelope('DeliverJobResult', body, key), timeoutMs),
  )
  if (reply.error !== undefined) throw new JobRefusedError(reply.error)
  if (!reply.accepted) throw new Error('the gateway did not accept the proof and gave no reason')
}
