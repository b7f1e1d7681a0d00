// /prover-mesh/job/1.0.0 on the gateway: one signed request frame in (FetchJobInput or
// DeliverJobResult, told apart by the envelope's kind), one reply frame out (JobInput or
// JobResultAck). Requests are signed by the prover's peer key, so the gateway knows who fetched and
// who delivered (the evidence behind faults). A bad frame gets an error reply and changes nothing.
import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { InvalidDataLengthError, lpStream } from '@libp2p/utils'
import {
  JOB_MESSAGE_VERSION,
  JobInput,
  JobResultAck,
  MAX_ENVELOPE_BYTES,
  SignedEnvelope,
  ValidationError,
  validateDeliverJobResult,
  validateFetchJobInput,
  type SubmitError,
} from '../../protocol/index.ts'
import type { Logger } from '../logger.ts'
import { JobRequestError, type TaskRunner } from './task-runner.ts'
import { VerifyBusyError } from './verify-limit.ts'

const READ_TIMEOUT_MS = 10_000

function errorOf(error: unknown): SubmitError {
  if (
    error instanceof ValidationError ||
    error instanceof JobRequestError ||
    error instanceof VerifyBusyError
  )
    return { version: 1, code: error.code, field: error.field, message: error.message }
  return { version: 1, code: 'internal', field: '', message: (error as Error).message }
}

function signerPeer(publicKey: Uint8Array): string {
  return peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString()
}

export function jobStreamHandler(runner: TaskRunner, logger: Logger) {
  return async (stream: Stream, connection: Connection): Promise<void> => {
    const log = logger.child({ remote: connection.remotePeer.toString() })
    const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES.DeliverJobResult })
    const reply = async (bytes: Uint8Array) => {
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS)
      await lp.write(bytes, { signal })
      await stream.close({ signal })
    }
    try {
      let bytes: Uint8Array
      try {
        bytes = (await lp.read({ signal: AbortSignal.timeout(READ_TIMEOUT_MS) })).subarray()
      } catch (error) {
        const tooLarge = error instanceof InvalidDataLengthError
        const failure = new ValidationError(
          tooLarge ? 'too_large' : 'malformed',
          '',
          tooLarge ? 'request frame too large' : `cannot read a request frame: ${(error as Error).message}`,
        )
        await reply(JobResultAck.encode(ack(undefined, failure)))
        return
      }
      let kind = ''
      try {
        kind = SignedEnvelope.decode(bytes).kind
      } catch {
        // Reported below as a malformed fetch.
      }
      if (kind === 'DeliverJobResult') {
        let answer: JobResultAck
        try {
          const { result, signer } = await validateDeliverJobResult(bytes)
          await runner.deliver(result, signerPeer(signer), bytes)
          answer = { ...ack(result), accepted: true }
        } catch (error) {
          log.info({ err: (error as Error).message }, 'delivery refused')
          answer = ack(undefined, error)
        }
        await reply(JobResultAck.encode(answer))
        return
      }
      let answer: JobInput
      try {
        const { request, signer } = await validateFetchJobInput(bytes)
        const input = await runner.jobInput(
          Buffer.from(request.taskId).toString('hex'),
          request.jobIndex,
          signerPeer(signer),
        )
        answer = { version: JOB_MESSAGE_VERSION, taskId: request.taskId, jobIndex: request.jobIndex, input }
      } catch (error) {
        log.info({ err: (error as Error).message }, 'job fetch refused')
        answer = {
          version: JOB_MESSAGE_VERSION,
          taskId: new Uint8Array(),
          jobIndex: 0,
          input: new Uint8Array(),
          error: errorOf(error),
        }
      }
      await reply(JobInput.encode(answer))
    } catch (error) {
      log.debug({ err: (error as Error).message }, 'job stream failed')
      stream.abort(error as Error)
    }
  }
}

function ack(result?: { taskId: Uint8Array; jobIndex: number }, error?: unknown): JobResultAck {
  return {
    version: JOB_MESSAGE_VERSION,
    taskId: result?.taskId ?? new Uint8Array(),
    jobIndex: result?.jobIndex ?? 0,
    accepted: false,
    ...(error !== undefined ? { error: errorOf(error) } : {}),
  }
}
