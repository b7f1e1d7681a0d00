// An HTTP transport that counts what goes over the wire: HTTP requests (round trips) and the JSON-RPC
// calls inside them, by method. Used by the benchmark and by tests that pin the round-trip budget.
import { http, type HttpTransport } from 'viem'

export interface RpcCounter {
  httpRequests: number
  rpcCalls: number
  byMethod: Record<string, number>
  reset(): void
}

export function createRpcCounter(): RpcCounter {
  const counter: RpcCounter = {
    httpRequests: 0,
    rpcCalls: 0,
    byMethod: {},
    reset() {
      counter.httpRequests = 0
      counter.rpcCalls = 0
      counter.byMethod = {}
    },
  }
  return counter
}

/** `http(url, { batch: true })` plus counting; each batch of concurrent calls is one HTTP request. */
export function countingHttp(url: string, counter: RpcCounter, timeoutMs = 10_000): HttpTransport {
  return http(url, {
    batch: { wait: 0, batchSize: 1000 },
    retryCount: 0,
    timeout: timeoutMs,
    onFetchRequest: async (request) => {
      const body = (await request.clone().json()) as { method: string } | { method: string }[]
      const calls = Array.isArray(body) ? body : [body]
      counter.httpRequests++
      counter.rpcCalls += calls.length
      for (const call of calls) counter.byMethod[call.method] = (counter.byMethod[call.method] ?? 0) + 1
    },
  })
}
