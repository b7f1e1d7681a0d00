// `prover-mesh escrow deposit|balance|withdraw` against a real anvil with our contracts deployed.
import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bytesToHex } from 'viem'
import { startAnvil, type Anvil } from '../../node/chain/anvil.ts'
import { send } from '../../node/chain/avs.ts'
import { anvilAccount, deployerClient, deployStandIns } from '../../node/chain/deploy.ts'
import { runCli } from '../helpers/cli.ts'
import { tempDir } from '../network/helpers.ts'

describe('prover-mesh escrow (CLI, anvil)', function () {
  this.timeout(120_000)
  let anvil: Anvil
  let dir: string
  let keyFile: string
  const client = anvilAccount(8)

  before(async () => {
    anvil = await startAnvil()
    const d = await deployStandIns(anvil.rpcUrl)
    await send(deployerClient(anvil.rpcUrl), d.token, d.artifacts.StandInToken.abi, 'mockMint', [
      client.address,
      1000n,
    ])
    dir = await tempDir('pm-escrow-cli-')
    keyFile = join(dir, 'client.key')
    await writeFile(keyFile, `${bytesToHex(client.getHdKey().privateKey!)}\n`, { mode: 0o600 })
  })
  after(async () => {
    await anvil?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('deposits, shows the balance, withdraws; refuses what the balance does not cover', async function () {
    const rpc = ['--rpc', anvil.rpcUrl, '--key-file', keyFile]
    const deposit = await runCli(['escrow', 'deposit', ...rpc, '--amount', '700'])
    assert.equal(deposit.code, 0, deposit.stderr)
    assert.match(deposit.stdout, /deposit 700: tx 0x[0-9a-f]{64}; balance 700/)
    const balance = await runCli(['escrow', 'balance', '--rpc', anvil.rpcUrl, '--account', client.address])
    assert.equal(balance.stdout.trim(), `${client.address} 700`)
    const withdraw = await runCli(['escrow', 'withdraw', ...rpc, '--amount', '200'])
    assert.equal(withdraw.code, 0, withdraw.stderr)
    assert.match(withdraw.stdout, /balance 500/)
    const tooMuch = await runCli(['escrow', 'withdraw', ...rpc, '--amount', '501'])
    assert.notEqual(tooMuch.code, 0)
    assert.equal(tooMuch.code, 1)
    assert.equal(tooMuch.stderr.trim(), 'prover-mesh: the escrow refused: InsufficientBalance')
    const bad = await runCli(['escrow', 'deposit', ...rpc, '--amount', '-5'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /--amount must be a positive integer/)
    const after = await runCli(['escrow', 'balance', '--rpc', anvil.rpcUrl, '--key-file', keyFile])
    assert.equal(after.stdout.trim(), `${client.address} 500`)
  })
})
