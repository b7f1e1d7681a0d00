// Light client SDK core, shared by the Node entry (light-client.ts: TCP + WebSocket) and the browser
// entry (browser.ts: WebSocket). It dials gateways directly and runs no DHT and no gossipsub, so it
// never joins or pollutes the mesh. Requests are signed once; retrying the same signed bytes on
// another gateway is safe because the task id is the hash of those bytes.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import type { ConnectionGater, PrivateKey } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2pOptions } from 'libp2p'
import {
  buildSubmitTask,
  decodeSubmitFrame,
  MAX_SUBMIT_RESPONSE_BYTES,
  MAX_SUM_VALUES,
  SUBMIT_PROTOCOL,
  TASK_PROTOCOL,
  fromHex,
  toHex,
  type SubmitFrame,
  validateSubmitTask,
  ValidationError,
  type SubmitTaskParams,
  type TaskStatus,
} from '../../protocol/index.ts'

/** Error codes a gateway sends for its own load, not the request's fault: tried again, like a drop. */
export const RETRYABLE_SUBMIT_CODES: ReadonlySet<string> = new Set(['busy'])

/** Transport wiring: the only part that differs between Node and the browser. */
export interface ClientTransports {
  transports: NonNullable<Libp2pOptions['transports']>
  connectionGater?: ConnectionGater
}

export interface LightClientOptions {
  /** Gateway multiaddrs including /p2p/<peer id>; tried in order, then round-robin. */
  gateways: string[]
  /** The client's Ed25519 signing key; a fresh one if absent. */
  key?: PrivateKey
  /** Attempts over all gateways before giving up (default 10). */
  maxAttempts?: number
  /** Pause after a failed attempt, times the attempt number, capped at 2 s (default 250 ms). */
  retryDelayMs?: number
  /** Limit for one dial (default 5 s). */
  dialTimeoutMs?: number
}

export type SubmitEvent =
  | { type: 'accepted'; taskId: string; gateway: string; attempt: number }
  | { type: 'status'; status: TaskStatus; gateway: string }
  | { type: 'retry'; gateway: string; error: string; attempt: number }

/** The gateway refused the request (bad input): retrying elsewhere would not help. */
export class SubmitRejectedError extends Error {
  readonly code: string
  readonly field: string
  constructor(code: string, field: string, message: string) {
    super(`gateway rejected the task: ${message} (${code}${field === '' ? '' : `, field ${field}`})`)
    this.name = 'SubmitRejectedError'
    this.code = code
    this.field = field
  }
}

export class GatewaysUnavailableError extends Error {
  constructor(attempts: number, lastError: string) {
    super(`no gateway answered after ${attempts} attempts; last error: ${lastError}`)
    this.name = 'GatewaysUnavailableError'
  }
}

/**
 * The request breaks a rule every gateway enforces, found before anything is sent: the same
 * validator as the gateway's, run on the signed bytes, so the two cannot disagree.
 */
export class InvalidRequestError extends Error {
  readonly code: string
  readonly field: string
  constructor(code: string, field: string, message: string) {
    super(`request not sent: ${message} (${code})`)
    this.name = 'InvalidRequestError'
    this.code = code
    this.field = field
  }
}

/** Signs `params` after checking them as a gateway would; throws InvalidRequestError naming the field. */
async function signChecked(params: SubmitTaskParams, key: PrivateKey): Promise<Uint8Array> {
  // Counted before encoding: millions of values would take seconds to encode only to be refused.
  if (params.input.type === 'sum' && params.input.values.length > MAX_SUM_VALUES) {
    const { length } = params.input.values
    throw new InvalidRequestError(
      'too_large',
      'input.values',
      `input.values: ${length} values, limit ${MAX_SUM_VALUES}`,
    )
  }
  const envelope = await buildSubmitTask(params, key)
  try {
    await validateSubmitTask(envelope, Date.now())
  } catch (error) {
    if (error instanceof ValidationError)
      throw new InvalidRequestError(error.code, error.field, error.message)
    throw error
  }
  return envelope
}

/** A gateway address the client cannot use as given: not a multiaddr, or no valid /p2p/<peer id>. */
export class GatewayAddressError extends TypeError {
  readonly gateway: string
  constructor(gateway: string, reason: string) {
    super(`gateway '${gateway}': ${reason}`)
    this.name = 'GatewayAddressError'
    this.gateway = gateway
  }
}

/**
 * Every gateway answered in a way no retry can change: it is another peer than its /p2p/ part says,
 * or it does not speak the submit protocol (not a prover-mesh gateway, or another version).
 */
export class GatewaysUnusableError extends Error {
  constructor(reasons: ReadonlyMap<string, string>) {
    super([...reasons].map(([g, why]) => `gateway ${g}: ${why}`).join('; '))
    this.name = 'GatewaysUnusableError'
  }
}

/** Parses a gateway address up front, so a typo fails at once and names the part at fault. */
export function parseGatewayAddress(gateway: string): Multiaddr {
  const at = gateway.lastIndexOf('/p2p/')
  const transport = gateway.slice(0, Math.max(at, 0))
  const peer = at < 0 ? '' : gateway.slice(at + '/p2p/'.length)
  if (peer === '') throw new GatewayAddressError(gateway, 'needs a /p2p/<peer id> part')
  let addr: Multiaddr
  try {
    addr = multiaddr(transport)
  } catch (error) {
    throw new GatewayAddressError(gateway, `'${transport}' is not a multiaddr (${(error as Error).message})`)
  }
  try {
    peerIdFromString(peer)
  } catch (error) {
    throw new GatewayAddressError(gateway, `'${peer}' is not a peer id (${(error as Error).message})`)
  }
  return addr.encapsulate(`/p2p/${peer}`)
}

/** Why no retry can help with this gateway, when that is so; undefined for errors worth retrying. */
function permanentFailure(error: unknown): string | undefined {
  const { name = '', message = '' } = (error as Error | undefined) ?? {}
  // libp2p's upgrader re-wraps Noise's UnexpectedPeerError as an EncryptionFailedError, keeping the
  // message; other encryption failures (a connection cut mid-handshake) are worth retrying.
  if (name === 'UnexpectedPeerError' || /does not match expected remote identity key/.test(message))
    return 'the peer there has another identity than its /p2p/ part (wrong peer id?)'
  if (name === 'UnsupportedProtocolError')
    return `it does not speak ${SUBMIT_PROTOCOL} (not a prover-mesh gateway, or another version)`
  return undefined
}

/** Every gateway that answered holds no task with this id. */
export class TaskNotFoundError extends Error {
  readonly taskId: string
  constructor(taskId: string, gateways: number) {
    super(`no gateway holds task ${taskId} (asked ${gateways})`)
    this.name = 'TaskNotFoundError'
    this.taskId = taskId
  }
}

export interface SubmitResult {
  taskId: string
  gateway: string
  /** The final status (done/failed) when waited for; otherwise the first status. */
  status: TaskStatus
}

export interface LightClient {
  readonly key: PrivateKey
  /**
   * Signs a request as given, unchecked (tools and tests use it to send exactly what they want); the
   * bytes can be submitted (and resubmitted) with `track`. `submit` checks the request first.
   */
  sign(params: SubmitTaskParams): Promise<Uint8Array>
  /**
   * Submits signed bytes and yields events. With `follow`, keeps the stream until a final status,
   * resubmitting to the next gateway if one drops; without, ends after the first status.
   */
  track(
    envelope: Uint8Array,
    options?: { follow?: boolean; signal?: AbortSignal },
  ): AsyncGenerator<SubmitEvent>
  /**
   * A task's current status, with the root proof once done, from the first gateway that holds it
   * (any process may ask: no signed request needed). Throws TaskNotFoundError when none holds it.
   */
  fetch(taskId: string, options?: { signal?: AbortSignal }): Promise<TaskStatus>
  submit(
    params: SubmitTaskParams,
    options?: { wait?: boolean; signal?: AbortSignal; onEvent?: (e: SubmitEvent) => void },
  ): Promise<SubmitResult>
  close(): Promise<void>
}

const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      reject(signal.reason)
    })
  })

export async function createLightClientWith(
  wiring: ClientTransports,
  options: LightClientOptions,
): Promise<LightClient> {
  if (options.gateways.length === 0) throw new TypeError('a light client needs at least one gateway')
  const addresses = new Map(options.gateways.map((g) => [g, parseGatewayAddress(g)]))
  const key = options.key ?? (await generateKeyPair('Ed25519'))
  const maxAttempts = options.maxAttempts ?? 10
  const retryDelayMs = options.retryDelayMs ?? 250
  const dialTimeoutMs = options.dialTimeoutMs ?? 5000
  const host = await createLibp2p({
    addresses: { listen: [] },
    transports: wiring.transports,
    ...(wiring.connectionGater ? { connectionGater: wiring.connectionGater } : {}),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() },
  })

  async function* track(
    envelope: Uint8Array,
    { follow = false, signal }: { follow?: boolean; signal?: AbortSignal } = {},
  ) {
    let taskId: string | undefined
    let lastError = 'none'
    const unusable = new Map<string, string>()
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const usable = options.gateways.filter((g) => !unusable.has(g))
      if (usable.length === 0) throw new GatewaysUnusableError(unusable)
      const gateway = usable[(attempt - 1) % usable.length] as string
      try {
        const stream = await host.dialProtocol(addresses.get(gateway) as Multiaddr, SUBMIT_PROTOCOL, {
          signal: AbortSignal.any([AbortSignal.timeout(dialTimeoutMs), ...(signal ? [signal] : [])]),
        })
        try {
          const lp = lpStream(stream, { maxDataLength: MAX_SUBMIT_RESPONSE_BYTES })
          await lp.write(envelope, { signal })
          while (true) {
            const frame = decodeSubmitFrame((await lp.read({ signal })).subarray())
            if (frame.type === 'error') {
              // The gateway's back-pressure (too many open streams): not the request's fault, retried.
              if (RETRYABLE_SUBMIT_CODES.has(frame.error.code))
                throw new Error(`gateway busy: ${frame.error.message}`)
              throw new SubmitRejectedError(frame.error.code, frame.error.field, frame.error.message)
            }
            if (frame.type === 'accepted') {
              const id = toHex(frame.accepted.taskId)
              if (taskId !== undefined && id !== taskId)
                throw new Error(`gateway answered task ${id}, expected ${taskId}`)
              taskId = id
              yield { type: 'accepted', taskId: id, gateway, attempt } satisfies SubmitEvent
              continue
            }
            if (taskId === undefined) throw new Error('gateway sent a status before accepting')
            yield { type: 'status', status: frame.status, gateway } satisfies SubmitEvent
            if (frame.status.final || !follow) return
          }
        } finally {
          if (stream.status === 'open') stream.abort(new Error('client done'))
        }
      } catch (error) {
        if (error instanceof SubmitRejectedError || signal?.aborted) throw error
        const permanent = permanentFailure(error)
        if (permanent !== undefined) {
          unusable.set(gateway, permanent)
          if (unusable.size === options.gateways.length) throw new GatewaysUnusableError(unusable)
          continue
        }
        lastError = (error as Error).message
        yield { type: 'retry', gateway, error: lastError, attempt } satisfies SubmitEvent
        if (attempt < maxAttempts) await delay(Math.min(retryDelayMs * attempt, 2000), signal)
      }
    }
    throw new GatewaysUnavailableError(maxAttempts, lastError)
  }

  /** One task query to one gateway: its status, or the error frame it answered. */
  async function queryTask(gateway: string, id: Uint8Array, signal?: AbortSignal): Promise<SubmitFrame> {
    const stream = await host.dialProtocol(addresses.get(gateway) as Multiaddr, TASK_PROTOCOL, {
      signal: AbortSignal.any([AbortSignal.timeout(dialTimeoutMs), ...(signal ? [signal] : [])]),
    })
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_SUBMIT_RESPONSE_BYTES })
      await lp.write(id, { signal })
      return decodeSubmitFrame((await lp.read({ signal })).subarray())
    } finally {
      if (stream.status === 'open') stream.abort(new Error('client done'))
    }
  }

  async function fetchTask(taskId: string, { signal }: { signal?: AbortSignal } = {}): Promise<TaskStatus> {
    if (!/^[0-9a-f]{64}$/.test(taskId))
      throw new InvalidRequestError(
        'malformed',
        'task_id',
        `task_id: expected 64 lowercase hex digits, got '${taskId}'`,
      )
    const id = fromHex(taskId)
    let notFound = 0
    let lastError = 'none'
    const unusable = new Map<string, string>()
    for (const gateway of options.gateways) {
      try {
        const frame = await queryTask(gateway, id, signal)
        if (frame.type === 'status' && toHex(frame.status.taskId) === taskId) return frame.status
        if (frame.type === 'error' && frame.error.code === 'not_found') notFound++
        else if (frame.type === 'error' && RETRYABLE_SUBMIT_CODES.has(frame.error.code))
          lastError = `gateway ${gateway} busy: ${frame.error.message}`
        else if (frame.type === 'error')
          throw new SubmitRejectedError(frame.error.code, frame.error.field, frame.error.message)
        else lastError = `gateway ${gateway} answered a ${frame.type} frame for another task`
      } catch (error) {
        if (error instanceof SubmitRejectedError || signal?.aborted) throw error
        const permanent = permanentFailure(error)
        if (permanent !== undefined) unusable.set(gateway, permanent)
        else lastError = (error as Error).message
      }
    }
    if (notFound > 0 && notFound + unusable.size === options.gateways.length)
      throw new TaskNotFoundError(taskId, notFound)
    if (unusable.size === options.gateways.length) throw new GatewaysUnusableError(unusable)
    throw new GatewaysUnavailableError(options.gateways.length, lastError)
  }

  return {
    key,
    sign: (params) => buildSubmitTask(params, key),
    fetch: fetchTask,
    track,
    async submit(params, { wait = false, signal, onEvent } = {}) {
      const envelope = await signChecked(params, key)
      let result: Partial<SubmitResult> = {}
      for await (const event of track(envelope, { follow: wait, signal })) {
        onEvent?.(event)
        if (event.type === 'accepted') result = { taskId: event.taskId, gateway: event.gateway }
        if (event.type === 'status') result.status = event.status
      }
      return result as SubmitResult
    },
    close: async () => {
      await host.stop()
    },
  }
}
