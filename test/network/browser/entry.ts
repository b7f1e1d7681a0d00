// Bundled by browser.test.ts with esbuild and run in headless Chromium: the SDK's WebSocket path.
import {
  createBrowserLightClient,
  InvalidRequestError,
  SubmitRejectedError,
} from '../../../node/client/browser.ts'

async function submit(gateway: string, maxPricePerUnit: number) {
  const client = await createBrowserLightClient({
    gateways: [gateway],
    allowInsecureLocal: true,
    maxAttempts: 2,
  })
  try {
    const r = await client.submit({
      input: { type: 'sum', values: [1, 2, 3, 4], chunkSize: 8 },
      maxPricePerUnit: BigInt(maxPricePerUnit),
      deadlineMs: BigInt(Date.now() + 60_000),
    })
    return { ok: true, taskId: r.taskId, state: r.status.state }
  } catch (error) {
    if (error instanceof SubmitRejectedError || error instanceof InvalidRequestError)
      return { ok: false, code: error.code, field: error.field }
    return { ok: false, code: 'exception', field: String(error) }
  } finally {
    await client.close()
  }
}

;(globalThis as unknown as { proverMeshSubmit: typeof submit }).proverMeshSubmit = submit
