// The dashboard end to end: `prover-mesh testnet` (real anvil, real node processes, real proofs)
// prints the dashboard URL; headless Chromium (playwright-core, as browser.test.ts launches it) opens
// it, sees every node, and sees a submitted task reach done with its job tree proven. The market
// history of the same run is read over HTTP (JSONL, CSV, a bad query) and again after a restart.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLightClient, type LightClient } from '../../node/client/light-client.ts'
import { planJobs } from '../../node/dispatcher/job-plan.ts'
import { CSV_COLUMNS } from '../../node/market/history.ts'
import { runCli } from '../helpers/cli.ts'
import { sumTask } from '../helpers/testnet-tasks.ts'

const CHROMIUM = process.env.PROVER_MESH_CHROMIUM ?? '/usr/bin/chromium'
const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))
const SCREENSHOT = fileURLToPath(new URL('../../bench-results/dashboard.png', import.meta.url))

interface Printed {
  nodes: { index: number; peerId: string; http: string }[]
  gateways: string[]
  dashboard: string
  control: string
}

/** Reads the testnet's start-up lines (printNodes) from its stdout until the control line. */
function readStartup(child: ChildProcess): Promise<Printed> {
  return new Promise((resolve, reject) => {
    let out = ''
    const printed: Printed = { nodes: [], gateways: [], dashboard: '', control: '' }
    child.once('exit', (code) => reject(new Error(`testnet exited (${code}) before it was up:\n${out}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      for (const line of out.split('\n')) {
        const node = /^node (\d+)\s+(\S+)\s+operator \S+\s+(\S+)/.exec(line)
        if (node && !printed.nodes.some((n) => n.index === Number(node[1])))
          printed.nodes.push({ index: Number(node[1]), peerId: node[2]!, http: node[3]! })
        const gw = /^gateways\s+(.+)$/.exec(line)
        if (gw) printed.gateways = gw[1]!.trim().split(' ')
        const dash = /^dashboard URL\s+(\S+)/.exec(line)
        if (dash) printed.dashboard = dash[1]!
        const control = /^control\s+(\S+)/.exec(line)
        if (control) printed.control = control[1]!
      }
      if (printed.control !== '' && printed.dashboard !== '') resolve(printed)
    })
  })
}

async function history(base: string, query: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`${base}/market/history${query}`, { signal: AbortSignal.timeout(10_000) })
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  }
}

describe('dashboard in headless Chromium, on a running testnet', function () {
  this.timeout(600_000)
  let dir = ''
  let child: ChildProcess | undefined
  let client: LightClient | undefined
  let browser: { close(): Promise<void> } | undefined

  before(function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run should have installed it`)
      console.log(
        `    (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set PROVER_MESH_CHROMIUM)`,
      )
      this.skip()
    }
  })

  after(async () => {
    await browser?.close()
    await client?.close()
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve))
      child.kill('SIGINT') // the testnet command stops every node and the chain, then exits
      await exited
    }
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('prints its URL, shows every node, a task reaching done, and the market history', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pm-dashboard-'))
    child = spawn(process.execPath, [BIN, 'testnet', '--nodes', '3', '--dir', join(dir, 'net')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)))
    const net = await readStartup(child).catch((error: Error) => {
      throw new Error(`${error.message}\n${stderr}`)
    })
    assert.equal(net.nodes.length, 3)
    assert.equal(net.dashboard, `${net.nodes[0]!.http}/dashboard`, 'the first gateway serves the printed URL')

    const { chromium } = await import('playwright-core')
    const b = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    browser = b
    const page = await b.newPage({ viewport: { width: 1280, height: 1600 } })
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(net.dashboard)
    for (const n of net.nodes)
      await page.waitForSelector(`#nodes tr[data-peer="${n.peerId}"]`, { timeout: 60_000 })
    // The other two nodes are gateway+prover or prover and say so over identify.
    const roles = await page.$$eval('#nodes tr[data-peer] td:nth-child(2)', (tds) =>
      tds.map((t) => t.textContent),
    )
    assert.ok(
      roles.every((r) => r !== null && r.includes('prover')),
      `roles shown: ${roles.join(' | ')}`,
    )

    client = await createLightClient({ gateways: net.gateways, maxAttempts: 40 })
    const task = sumTask(2)
    const submitted = await client.submit(task.params)
    const taskRow = `#tasks tr[data-task="${submitted.taskId}"]`
    await page.waitForSelector(taskRow, { timeout: 60_000 })
    await page.waitForSelector(`${taskRow} [data-task-state="done"]`, { timeout: 400_000 })
    // Its job tree: every job of the plan (2 leaves and their aggregations), all proven.
    const plan = planJobs('sum', 2)
    const fills = await page.$$eval(`${taskRow} svg.job-tree circle`, (cs) =>
      cs.map((c) => c.getAttribute('fill')),
    )
    assert.deepEqual(
      fills,
      plan.jobs.map(() => '#12b76a'),
    )
    // The market section shows a seal that assigned one of its jobs, and the price chart has a line.
    const shortId = JSON.stringify(`${submitted.taskId.slice(0, 4)}…${submitted.taskId.slice(-4)}`)
    await page.waitForFunction(
      `[...document.querySelectorAll('table[data-class] td')].some((td) => td.textContent.includes(${shortId}))`,
    )
    assert.ok((await page.$$('#price-chart polyline')).length > 0, 'the price chart draws the trades')
    assert.deepEqual(pageErrors, [])
    await mkdir(join(SCREENSHOT, '..'), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })

    // The market history of the gateway: every job of the task was assigned by an accepted seal.
    const base = net.nodes[0]!.http
    const jsonl = await history(base, '')
    assert.equal(jsonl.status, 200)
    assert.match(jsonl.type, /ndjson/)
    const entries = jsonl.body
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            epoch: number
            resourceClass: string
            assignment: { taskId: string; jobIndex: number }[]
          },
      )
    const jobs = entries.flatMap((e) => e.assignment.filter((a) => a.taskId === submitted.taskId))
    assert.deepEqual(
      [...new Set(jobs.map((j) => j.jobIndex))].sort((x, y) => x - y),
      plan.jobs.map((j) => j.index),
    )
    const epochs = entries.map((e) => e.epoch)
    assert.deepEqual(
      epochs,
      [...epochs].sort((x, y) => x - y),
      'oldest first',
    )
    const csv = await history(base, '?format=csv')
    assert.equal(csv.status, 200)
    assert.match(csv.type, /text\/csv/)
    const lines = csv.body.split('\r\n')
    assert.equal(lines[0], CSV_COLUMNS.join(','))
    assert.equal(lines.length, entries.length + 2, 'a header, one row per seal, a final line break')
    assert.ok(
      lines.some((l) => l.includes(`${submitted.taskId}:${plan.root}=`)),
      'the root job is in a row',
    )
    const bad = await history(base, '?format=xml')
    assert.equal(bad.status, 400)
    assert.deepEqual(JSON.parse(bad.body), {
      error: "format: expected jsonl or csv, got 'xml'",
      field: 'format',
    })
    assert.equal((await history(base, '?limit=0')).status, 400)

    // The same through the CLI.
    const cli = await runCli(['market', 'history', '--url', base, '--format', 'csv', '--limit', '2'])
    assert.equal(cli.code, 0, cli.stderr)
    const cliLines = cli.stdout.split('\r\n')
    assert.equal(cliLines[0], CSV_COLUMNS.join(','))
    assert.equal(cliLines.length, 4, 'the header and the newest 2 seals')
    const refused = await runCli(['market', 'history', '--url', base, '--from', 'x'])
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /--from/)

    // Restarted, the gateway still has what it had (level), before any new seal could refill it.
    const ctl = (action: string) =>
      fetch(`${net.control}/nodes/0/${action}`, { method: 'POST', signal: AbortSignal.timeout(120_000) })
    assert.equal((await ctl('restart')).status, 200)
    const again = await history(base, `?limit=${entries.length}`)
    assert.equal(again.status, 200)
    const kept = again.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { epoch: number })
    assert.ok(
      entries.every((e) => e.epoch < kept[0]!.epoch || kept.some((k) => k.epoch === e.epoch)),
      'no seal of before the restart is lost',
    )
    assert.ok(
      kept.some((k) => entries.some((e) => e.epoch === k.epoch)),
      'seals of before the restart are served after it',
    )
  })
})
