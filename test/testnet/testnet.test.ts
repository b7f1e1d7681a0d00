// The one-command testnet with real parts: a real anvil, three real node processes, real sockets.
// The task lifecycle is not asserted here (sim provers; tasks are other tests' business).
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.ts'
import { fileURLToPath } from 'node:url'
import { startControlServer, type ControlServer } from '../../node/testnet/control.ts'
import { parseProgress, progressLine, randomSeed } from '../../node/testnet/demo.ts'
import { startTestnet, type Testnet } from '../../node/testnet/testnet.ts'

const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const cli = (args: string[]) => runCli(args, BIN)

async function health(http: string, timeoutMs: number): Promise<number> {
  const response = await fetch(`${http}/health`, { signal: AbortSignal.timeout(timeoutMs) })
  return response.status
}

describe('testnet', function () {
  this.timeout(120_000)
  let dir: string
  let net: Testnet | undefined
  let control: ControlServer | undefined
  const pids: number[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pm-testnet-'))
    net = await startTestnet({ nodes: 3, dir, proverMode: 'sim', epochMs: 1000 })
    control = await startControlServer(net)
    pids.push(...net.nodes.map((n) => n.pid!))
  })

  after(async () => {
    await control?.close()
    await net?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('starts 3 nodes that see each other and all 3 bindings', async () => {
    const n = net!
    assert.equal(n.nodes.length, 3)
    const peerIds = n.nodes.map((x) => x.peerId)
    assert.equal(new Set(peerIds).size, 3)
    for (const node of n.nodes) {
      const s = await node.status()
      assert.equal(s.peerId, node.peerId)
      const others = peerIds.filter((p) => p !== node.peerId)
      for (const p of others) assert.ok(s.connectedPeers.includes(p), `node ${node.index} lacks peer ${p}`)
      const bindings = new Map((s.bindings ?? []).map((b) => [b.operator.toLowerCase(), b.peerId]))
      for (const other of n.nodes)
        assert.equal(
          bindings.get(other.operator.toLowerCase()),
          other.peerId,
          `node ${node.index}: binding of ${other.index}`,
        )
    }
    assert.deepEqual(n.gatewayAddrs(), [n.node(0).addr])
    assert.deepEqual(n.node(0).roles, ['gateway', 'prover'])
    assert.deepEqual(n.node(2).roles, ['prover'])
    // Operator keys stay private to the user.
    const mode = (await stat(join(dir, 'keys', 'operator-0.key'))).mode & 0o777
    assert.equal(mode, 0o600)
  })

  it('a task proven by sim provers is labelled SIMULATED, never reported as verified', async () => {
    const values = join(dir, 'values.json')
    await writeFile(values, JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]))
    const submit = ['submit', '--gateway', net!.gatewayAddrs()[0]!, '--type', 'sum', '--values', values]
    const strict = await cli([...submit, '--wait'])
    assert.equal(strict.code, 1, strict.stderr)
    assert.match(strict.stderr, /done: SIMULATED root of \d+ jobs: nothing was proven/)
    assert.match(strict.stderr, /SIMULATED result, nothing was proven .*; --no-verify accepts it/)
    assert.doesNotMatch(strict.stderr, /verified/)
    const lenient = await cli([...submit, '--nonce', '1', '--wait', '--no-verify'])
    assert.equal(lenient.code, 0, lenient.stderr)
    assert.match(lenient.stderr, /SIMULATED result, nothing was proven/)
  })

  it('a killed and restarted node keeps its PeerId and ports and rejoins', async () => {
    const node = net!.node(1)
    const { peerId, http, addr } = node
    const oldPid = node.pid!
    await node.kill()
    assert.equal(node.running, false)
    assert.equal(alive(oldPid), false)
    await node.restart()
    pids.push(node.pid!)
    assert.equal(node.peerId, peerId)
    assert.equal(node.http, http)
    assert.equal(node.addr, addr)
    await node.waitPeers(2, 30_000)
    const s = await net!.node(0).status()
    assert.ok(s.connectedPeers.includes(peerId), 'node 0 sees the restarted node again')
  })

  it('pause makes /health time out; resume brings it back', async () => {
    const node = net!.node(2)
    node.pause()
    assert.equal(node.paused, true)
    await assert.rejects(health(node.http, 1000), (e: Error) => e.name === 'TimeoutError')
    node.resume()
    assert.equal(node.paused, false)
    assert.equal(await health(node.http, 5000), 200)
  })

  it('control endpoint lists, kills and restarts nodes, and rejects a bad index', async () => {
    const url = control!.url
    const list = (await (await fetch(`${url}/nodes`)).json()) as {
      index: number
      peerId: string
      running: boolean
    }[]
    assert.deepEqual(
      list.map((n) => [n.index, n.peerId, n.running]),
      net!.nodes.map((n) => [n.index, n.peerId, true]),
    )
    const killed = await fetch(`${url}/nodes/2/kill`, { method: 'POST' })
    assert.equal(killed.status, 200)
    assert.equal(((await killed.json()) as { running: boolean }).running, false)
    assert.equal(net!.node(2).running, false)
    const restarted = await fetch(`${url}/nodes/2/restart`, { method: 'POST' })
    assert.equal(restarted.status, 200)
    const body = (await restarted.json()) as { running: boolean; peerId: string; pid: number }
    assert.equal(body.running, true)
    assert.equal(body.peerId, net!.node(2).peerId)
    pids.push(body.pid)
    const bad = await fetch(`${url}/nodes/7/kill`, { method: 'POST' })
    assert.equal(bad.status, 400)
    const error = (await bad.json()) as { error: string; field: string }
    assert.equal(error.field, 'index')
    assert.match(error.error, /7/)
    // Through the CLI as well.
    const ctl = await cli(['testnet', 'ctl', '--url', url, 'pause', '9'])
    assert.equal(ctl.code, 1)
    assert.match(ctl.stderr, /no node index 9/)
  })

  it("control endpoint skews one node's clock (its epochs run ahead) and refuses a bad skew", async () => {
    const url = control!.url
    const epochOf = async (i: number) =>
      ((await net!.node(i).status()) as unknown as { auction: { epoch: number } }).auction.epoch
    const skewed = await fetch(`${url}/nodes/1/skew?ms=30000`, { method: 'POST' })
    assert.equal(skewed.status, 200)
    pids.push(((await skewed.json()) as { pid: number }).pid)
    const ahead = (await epochOf(1)) - (await epochOf(0))
    assert.ok(ahead >= 28 && ahead <= 32, `node 1 runs ${ahead} epochs ahead, expected about 30`)
    for (const bad of ['70000', 'soon', ''])
      assert.deepEqual(
        [(await fetch(`${url}/nodes/1/skew?ms=${bad}`, { method: 'POST' })).status],
        [400],
        `ms=${bad}`,
      )
    const undone = await cli(['testnet', 'ctl', '--url', url, 'skew', '1', '--ms', '0'])
    assert.equal(undone.code, 0, undone.stderr)
    pids.push(net!.node(1).pid!)
    const drift = (await epochOf(1)) - (await epochOf(0))
    assert.ok(Math.abs(drift) <= 1, `node 1 is ${drift} epochs off after the skew is undone`)
  })

  it('bad CLI flags give a one-line error naming the flag', async () => {
    for (const [args, flag] of [
      [['--nodes', '0'], '--nodes'],
      [['--prover', 'fast'], '--prover'],
      [['--epoch-ms', 'soon'], '--epoch-ms'],
    ] as const) {
      const r = await cli(['testnet', ...args])
      assert.equal(r.code, 2, r.stderr)
      const lines = r.stderr.trim().split('\n')
      assert.equal(lines.length, 1, r.stderr)
      assert.ok(lines[0]!.includes(flag), lines[0])
    }
  })

  it('stop() leaves no node or anvil process alive', async () => {
    const anvilPid = net!.anvilPid
    assert.ok(alive(anvilPid))
    const anvilPort = new URL(net!.rpcUrl).port
    const livePids = net!.nodes.map((n) => n.pid!)
    await control!.close()
    control = undefined
    await net!.stop()
    for (const pid of [...pids, ...livePids, anvilPid])
      assert.equal(alive(pid), false, `pid ${pid} still alive`)
    await assert.rejects(fetch(`http://127.0.0.1:${anvilPort}`, { signal: AbortSignal.timeout(1000) }))
    net = undefined
  })
})

describe('testnet demo helpers', () => {
  it('parses "jobs proven x/y" tolerantly and draws a bar', () => {
    assert.deepEqual(parseProgress('jobs proven 3/9'), { done: 3, total: 9 })
    assert.deepEqual(parseProgress('Jobs Proven: 4 / 8, aggregating'), { done: 4, total: 8 })
    assert.equal(parseProgress('waiting for the auction'), undefined)
    assert.equal(parseProgress('jobs proven 9/3'), undefined)
    assert.match(
      progressLine('sum', { state: 'proving', detail: 'jobs proven 5/10' }),
      /\[#{10}\.{10}\] 5\/10/,
    )
  })

  it('random seeds are canonical (every limb below the Goldilocks order)', () => {
    for (let i = 0; i < 100; i++) {
      const seed = randomSeed()
      const view = new DataView(seed.buffer)
      for (let limb = 0; limb < 4; limb++) assert.ok(view.getBigUint64(limb * 8, true) < 0xffffffff00000001n)
    }
  })
})
