// The local chain helper: a real anvil, started and always stopped; deterministic deployment.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createPublicClient, http } from 'viem'
import { LOCAL_DEPLOYMENT } from '../../node/stake/config.ts'
import { startAnvil } from '../../node/chain/anvil.ts'
import { deployStandIns } from '../../node/chain/deploy.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}

describe('local chain (anvil)', function () {
  it('starts on a free port, answers JSON-RPC, and stop() ends the process', async function () {
    const anvil = await startAnvil()
    try {
      const client = createPublicClient({ transport: http(anvil.rpcUrl) })
      assert.equal(await client.getChainId(), 31337)
      assert.ok(alive(anvil.pid))
    } finally {
      await anvil.stop()
    }
    assert.equal(alive(anvil.pid), false)
    await anvil.stop() // idempotent
  })

  it('deploys the stand-ins at the addresses of the local preset', async function () {
    const anvil = await startAnvil()
    try {
      const d = await deployStandIns(anvil.rpcUrl)
      assert.equal(d.strategy, LOCAL_DEPLOYMENT.strategy)
      assert.equal(d.delegationManager, LOCAL_DEPLOYMENT.delegationManager)
      assert.equal(d.allocationManager, LOCAL_DEPLOYMENT.allocationManager)
      assert.equal(d.permissionController, LOCAL_DEPLOYMENT.permissionController)
      assert.equal(d.token, LOCAL_DEPLOYMENT.token)
      assert.equal(d.avs, LOCAL_DEPLOYMENT.avs)
      assert.equal(d.ours.registrar, LOCAL_DEPLOYMENT.registrar)
      assert.equal(d.ours.escrow, LOCAL_DEPLOYMENT.escrow)
      assert.equal(d.ours.slasher, LOCAL_DEPLOYMENT.slasher)
      assert.equal(d.treasury, LOCAL_DEPLOYMENT.treasury)
    } finally {
      await anvil.stop()
    }
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`leaves no anvil behind when its owner process gets ${signal}`, async function () {
      const child = spawn(
        process.execPath,
        [fileURLToPath(new URL('./fixtures/hold-anvil.ts', import.meta.url))],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      const pid = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /anvil-pid (\d+)/.exec(chunk.toString())
          if (match?.[1]) resolve(Number(match[1]))
        })
        child.once('exit', () => reject(new Error('fixture exited before starting anvil')))
      })
      assert.ok(alive(pid))
      child.kill(signal)
      assert.ok(await waitUntil(() => !alive(pid), 5000), `anvil ${pid} survived its owner's ${signal}`)
    })
  }

  it("kills anvil on SIGTERM without running the owner's own handler twice", async function () {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./fixtures/hold-anvil.ts', import.meta.url)), '--own-handler'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let output = ''
    const pid = await new Promise<number>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const match = /anvil-pid (\d+)/.exec(output)
        if (match?.[1]) resolve(Number(match[1]))
      })
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    assert.ok(await waitUntil(() => !alive(pid), 5000), `anvil ${pid} survived`)
    assert.equal(output.split('own handler ran').length - 1, 1)
  })

  it('leaves no anvil behind when its owner exits without stopping it', async function () {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./fixtures/hold-anvil.ts', import.meta.url)), '--exit'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let pid = 0
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /anvil-pid (\d+)/.exec(chunk.toString())
      if (match?.[1]) pid = Number(match[1])
    })
    await new Promise((resolve) => child.once('exit', resolve))
    assert.ok(pid > 0)
    assert.ok(await waitUntil(() => !alive(pid), 5000), `anvil ${pid} survived its owner's exit`)
  })
})
