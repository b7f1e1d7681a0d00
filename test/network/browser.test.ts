import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { MeshNode } from '../../node/create-node.ts'
import { Cluster } from './helpers.ts'

// Debian's chromium package; outside CI the test is skipped (saying so) where it is not installed.
const CHROMIUM = process.env.PROVER_MESH_CHROMIUM ?? '/usr/bin/chromium'
const ENTRY = fileURLToPath(new URL('./browser/entry.ts', import.meta.url))

type Outcome = { ok: boolean; taskId?: string; state?: string; code?: string; field?: string }

describe('light client in headless Chromium (WebSocket)', function () {
  const cluster = new Cluster()
  let server: Server | undefined
  let browser: { close(): Promise<void> } | undefined

  before(function () {
    if (!existsSync(CHROMIUM)) {
      // CI installs Chromium (.ci/run): there, a missing browser is a failure, not a skip.
      if (process.env.CI) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run should have installed it`)
      console.log(
        `    (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set PROVER_MESH_CHROMIUM)`,
      )
      this.skip()
    }
  })
  after(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await cluster.stopAll()
  })

  it('submits a task to a gateway over /ws and gets a typed rejection for a bad one', async () => {
    const gateway: MeshNode = await cluster.start({ wsPort: 0 })
    const ws = gateway.multiaddrs().find((a) => a.includes('/ws'))
    assert.ok(ws, 'the gateway listens on WebSocket')

    const { build } = await import('esbuild')
    const bundle = await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
    })
    const code = bundle.outputFiles[0]?.text ?? ''
    // Served from http://127.0.0.1, a secure context, so WebCrypto is available to the bundle.
    server = createServer((req, res) => {
      if (req.url === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' })
        return res.end(code)
      }
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><script type="module" src="/bundle.js"></script>')
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

    const { chromium } = await import('playwright-core')
    const b = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    browser = b
    const page = await b.newPage()
    await page.goto(url)
    await page.waitForFunction(() => 'proverMeshSubmit' in globalThis)
    const submit = (price: number) =>
      page.evaluate(
        ([gw, p]) =>
          (
            globalThis as unknown as { proverMeshSubmit(g: string, p: number): Promise<Outcome> }
          ).proverMeshSubmit(gw, p),
        [ws, price] as [string, number],
      )

    const accepted = await submit(5)
    assert.equal(accepted.ok, true, JSON.stringify(accepted))
    assert.equal(accepted.state, 'announced')
    assert.ok(
      (await gateway.store.get(accepted.taskId as string)) !== undefined,
      'the gateway stored the task',
    )

    const rejected = await submit(0)
    assert.deepEqual(rejected, { ok: false, code: 'zero_budget', field: 'max_price_per_unit' })
  })
})
