import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { runCli } from '../helpers/cli.ts'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import { decodeSubmitFrame, SUBMIT_PROTOCOL } from '../../protocol/index.ts'
import { rawDialer, tempDir, waitFor } from './helpers.ts'

const MAIN = fileURLToPath(new URL('../../node/cli/main.ts', import.meta.url))

interface Started {
  proc: ChildProcess
  peerId: string
  addrs: string[]
  http: string
}

const run = (args: string[]) => runCli(args, MAIN)

describe('CLI: three `prover-mesh node start` processes', function () {
  const procs: ChildProcess[] = []
  let dir: string

  async function startNode(name: string, bootstrap?: string): Promise<Started> {
    const args = ['node', 'start', '--data-dir', join(dir, name), '--network', 'clitest', '--tcp-port', '0']
    args.push('--ws-port', 'off', '--http-port', '0', '--log-level', 'warn')
    if (bootstrap !== undefined) args.push('--bootstrap', bootstrap)
    const proc = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    procs.push(proc)
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream })
      rl.once('line', resolve)
      proc.once('exit', (code) => reject(new Error(`node ${name} exited with ${code} before starting`)))
    })
    const info = JSON.parse(line) as { peerId: string; addrs: string[]; http: string }
    return { proc, ...info }
  }

  before(async () => {
    dir = await tempDir()
  })

  after(async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve()
            const t = setTimeout(() => p.kill('SIGKILL'), 10_000)
            p.once('exit', () => {
              clearTimeout(t)
              resolve()
            })
            p.kill('SIGTERM')
          }),
      ),
    )
    await rm(dir, { recursive: true, force: true })
  })

  it('node id prints a stable PeerId', async () => {
    const first = await run(['node', 'id', '--data-dir', join(dir, 'n0')])
    const second = await run(['node', 'id', '--data-dir', join(dir, 'n0')])
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout.trim(), /^12D3KooW\w+$/)
    assert.equal(second.stdout, first.stdout)
  })

  it('forms a mesh; submit returns an id every node lists; garbage leaves /health green', async () => {
    const n0 = await startNode('n0')
    const boot = n0.addrs[0] as string
    const others = await Promise.all([startNode('n1', boot), startNode('n2', boot)])
    const all = [n0, ...others]
    const status = async (n: Started) =>
      (await (await fetch(`${n.http}/status`)).json()) as {
        tasks: { taskId: string }[]
        meshSizes: Record<string, number>
      }
    await waitFor(
      'every node has a gossip mesh peer on the tasks topic',
      async () =>
        (await Promise.all(all.map(status))).every(
          (s) => (s.meshSizes['/prover-mesh/clitest/tasks/1'] ?? 0) >= 1,
        ),
      60_000,
    )

    const values = join(dir, 'values.txt')
    await writeFile(values, '1 2 3 4 5 6 7 8 9 10')
    const submit = await run(['submit', '--gateway', boot, '--type', 'sum', '--values', values])
    assert.equal(submit.code, 0, submit.stderr)
    const taskId = submit.stdout.trim()
    assert.match(taskId, /^[0-9a-f]{64}$/)
    for (const n of all) {
      await waitFor(`${n.peerId} lists the task in /status`, async () =>
        (await status(n)).tasks.some((t) => t.taskId === taskId),
      )
    }

    const raw = await rawDialer()
    try {
      const stream = await raw.dialProtocol(multiaddr(boot), SUBMIT_PROTOCOL)
      const lp = lpStream(stream)
      await lp.write(new TextEncoder().encode('this is not a task'))
      const frame = decodeSubmitFrame((await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray())
      assert.equal(frame.type, 'error')
    } finally {
      await raw.stop()
    }
    // libp2p's own metrics register once per process, so they are checked here, one node per process.
    assert.match(
      await (await fetch(`${n0.http}/metrics`)).text(),
      /^libp2p_/m,
      "libp2p's own metrics are exported",
    )
    const health = await fetch(`${n0.http}/health`)
    assert.equal(health.status, 200)
    assert.equal((await status(n0)).tasks.length, 1, 'garbage stored nothing')
  })
})
