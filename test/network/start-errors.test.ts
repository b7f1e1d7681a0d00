// `prover-mesh node start` failures an operator can fix print one line naming the setting at fault:
// a busy TCP, WebSocket or HTTP port, a stake RPC that does not answer or is another chain.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { rm } from 'node:fs/promises'
import { startAnvil } from '../../node/chain/anvil.ts'
import { runCli, type CliRun } from '../helpers/cli.ts'
import { tempDir } from './helpers.ts'

async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, server }
}

/** A port nothing listens on: bound once by the kernel, then released. */
async function freePort(): Promise<number> {
  const { port, server } = await holdPort()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function assertOneLine(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 1, run.stderr)
  const lines = run.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `expected one line, got:\n${run.stderr}`)
  assert.match(lines[0]!, pattern)
  assert.doesNotMatch(run.stderr, /\n\s+at |transportManager\.faultTolerance/)
}

describe('node start: one-line errors for what an operator can fix', function () {
  let dataDir: string
  let held: { port: number; server: Server }
  const start = (...flags: string[]) =>
    runCli(['node', 'start', '--data-dir', dataDir, '--log-level', 'error', ...flags])

  before(async () => {
    dataDir = await tempDir()
    held = await holdPort()
  })
  after(async () => {
    await new Promise<void>((resolve) => held.server.close(() => resolve()))
    await rm(dataDir, { recursive: true, force: true })
  })

  it('a busy TCP port names tcpPort and how to change it', async () => {
    const run = await start('--tcp-port', String(held.port), '--ws-port', 'off', '--http-port', 'off')
    assertOneLine(
      run,
      new RegExp(
        `cannot listen on /ip4/127.0.0.1/tcp/${held.port} \\(tcpPort\\): address already in use; choose another with --tcp-port`,
      ),
    )
  })

  it('a busy WebSocket port names wsPort', async () => {
    const run = await start('--tcp-port', '0', '--ws-port', String(held.port), '--http-port', 'off')
    assertOneLine(
      run,
      new RegExp(`/tcp/${held.port}/ws \\(wsPort\\): address already in use; choose another with --ws-port`),
    )
  })

  it('a busy HTTP port names httpPort', async () => {
    const run = await start('--tcp-port', '0', '--ws-port', 'off', '--http-port', String(held.port))
    assertOneLine(
      run,
      new RegExp(
        `http://127.0.0.1:${held.port} \\(httpPort\\): address already in use; choose another with --http-port`,
      ),
    )
  })

  it('a stake RPC that does not answer is named, without its path or query (they may hold a key)', async () => {
    const port = await freePort()
    const run = await start(
      ...['--tcp-port', '0', '--ws-port', 'off', '--http-port', 'off'],
      ...['--stake-rpc', `http://127.0.0.1:${port}/v2/SECRETKEY`],
    )
    assertOneLine(run, new RegExp(`stakeRpc 127.0.0.1:${port} does not answer`))
    assert.doesNotMatch(run.stderr, /SECRETKEY/)
  })

  it("a stake RPC on another chain than the preset's is refused with both chain ids", async () => {
    const anvil = await startAnvil({ chainId: 5 })
    try {
      const run = await start(
        ...['--tcp-port', '0', '--ws-port', 'off', '--http-port', 'off'],
        ...['--stake-rpc', anvil.rpcUrl, '--stake-preset', 'local'],
      )
      assertOneLine(run, /stakeRpc 127\.0\.0\.1:\d+ is chain 5, but stakePreset 'local' is chain 31337/)
    } finally {
      await anvil.stop()
    }
  })
})
