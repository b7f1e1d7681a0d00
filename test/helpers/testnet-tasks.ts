// Shared by the suites that drive a real testnet: JSON from a node's HTTP API, and small `sum` tasks
// whose values (so task ids) differ on every call.

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return (await response.json()) as T
}

let salt = 0

/** A `sum` task of `leaves` jobs of 8 values: the values and the light client's submit params. */
export function sumTask(leaves: number, maxPricePerUnit = 10n, deadlineInMs = 180_000) {
  salt++
  const values = Array.from({ length: 8 * leaves }, (_, i) => (i * 7919 + salt * 104729) % 100_000)
  return {
    values,
    params: {
      input: { type: 'sum' as const, values, chunkSize: 8 },
      maxPricePerUnit,
      deadlineMs: BigInt(Date.now() + deadlineInMs),
    },
  }
}
