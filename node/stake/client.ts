// The public client the stake oracle and binding registry should share. JSON-RPC batching matters:
// it is what turns each of a refresh's three rounds of concurrent calls into one HTTP request.
import { createPublicClient, http, type PublicClient } from 'viem'

export function createStakeClient(rpcUrl: string, options: { timeoutMs?: number } = {}): PublicClient {
  return createPublicClient({
    transport: http(rpcUrl, {
      batch: { wait: 0, batchSize: 1000 },
      retryCount: 1,
      timeout: options.timeoutMs ?? 10_000,
    }),
  })
}
