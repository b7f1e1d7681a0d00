// `prover-mesh operator bind|status` as a user runs them: a child process against a real anvil.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bytesToHex } from 'viem'
import { decodeSignedBinding } from '../../node/stake/binding.ts'
import { ROLES, startLocalChain, type LocalChain } from './local-chain.ts'

const main = fileURLToPath(new URL('../../node/cli/main.ts', import.meta.url))

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

describe('operator CLI (real anvil)', function () {
  let chain: LocalChain
  let dir: string
  const keyHex = bytesToHex(ROLES.staked.getHdKey().privateKey!)

  before(async function () {
    chain = await startLocalChain()
    dir = await mkdtemp(join(tmpdir(), 'stake-cli-'))
  })

  after(async function () {
    await chain?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('refuses a key file readable by others, without printing the key', async function () {
    const keyFile = join(dir, 'open.key')
    await writeFile(keyFile, keyHex)
    await chmod(keyFile, 0o644)
    const r = await cli([
      'operator',
      'bind',
      '--key-file',
      keyFile,
      '--peer-key-file',
      join(dir, 'p'),
      '--new-peer-key',
    ])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /mode 0644; key files must be 0600/)
    assert.ok(!(r.stdout + r.stderr).includes(keyHex.slice(2)))
  })

  it('rejects a malformed key without echoing it', async function () {
    const keyFile = join(dir, 'bad.key')
    await writeFile(keyFile, 'deadbeef-secret-ish', { mode: 0o600 })
    const r = await cli([
      'operator',
      'bind',
      '--key-file',
      keyFile,
      '--peer-key-file',
      join(dir, 'p'),
      '--new-peer-key',
    ])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /does not hold a 32-byte hex private key/)
    assert.ok(!r.stderr.includes('deadbeef'))
  })

  it('binds, then status shows registration, stake, cap and the valid binding', async function () {
    const keyFile = join(dir, 'operator.key')
    await writeFile(keyFile, `${keyHex}\n`, { mode: 0o600 })
    const out = join(dir, 'binding.json')
    const bind = await cli([
      'operator',
      'bind',
      '--key-file',
      keyFile,
      '--peer-key-file',
      join(dir, 'peer.key'),
      '--new-peer-key',
      '--out',
      out,
    ])
    assert.equal(bind.code, 0, bind.stderr)
    assert.match(bind.stderr, /not published/)
    const signed = decodeSignedBinding((await readFile(out, 'utf8')).trim())
    assert.equal(signed.binding.operator, ROLES.staked.address)

    const status = await cli([
      'operator',
      'status',
      '--rpc',
      chain.anvil.rpcUrl,
      '--key-file',
      keyFile,
      '--binding',
      out,
    ])
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /registered operator/)
    assert.match(status.stdout, /member of set +yes/)
    assert.match(status.stdout, /slashable stake +84 /)
    assert.match(status.stdout, /capacity cap +84 units/)
    assert.match(status.stdout, new RegExp(`binding +valid: peer ${signed.binding.peerId}`))
    assert.ok(!(bind.stdout + bind.stderr + status.stdout + status.stderr).includes(keyHex.slice(2)))
  })

  it('status of an operator outside the set says it may not sell', async function () {
    const r = await cli([
      'operator',
      'status',
      '--rpc',
      chain.anvil.rpcUrl,
      '--operator',
      ROLES.registeredNotInSet.address,
    ])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /member of set +no/)
    assert.match(r.stdout, /may sell +no/)
  })
})
