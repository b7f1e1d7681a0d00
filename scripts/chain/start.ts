// `npm run chain -- [--operators N] [--key-dir DIR]`: a local chain for manual work and testnets.
// Starts anvil, deploys the stand-ins, seeds N operators (anvil accounts 1..N, 40 ether in each
// strategy, all in our operator set), prints the RPC URL, and runs until Ctrl-C (anvil stops with it).
// --key-dir writes each operator's key to DIR/operator-<i>.key (mode 0600) for `operator bind`; these
// are anvil's public test keys, worthless anywhere else.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { bytesToHex } from 'viem'
import { startAnvil } from '../../node/chain/anvil.ts'
import { anvilAccount, deployStandIns, localOperators, seedOperators } from '../../node/chain/deploy.ts'

const { values } = parseArgs({
  options: { operators: { type: 'string', default: '5' }, 'key-dir': { type: 'string' } },
  strict: true,
})
const n = Number(values.operators)
if (!Number.isInteger(n) || n < 0 || n > 9) {
  console.error('--operators must be an integer from 0 to 9 (anvil accounts 1..9)')
  process.exit(2)
}

const anvil = await startAnvil()
const deployment = await deployStandIns(anvil.rpcUrl)
const operators = localOperators(n)
await seedOperators(anvil.rpcUrl, deployment, operators)
if (values['key-dir'] !== undefined) {
  await mkdir(values['key-dir'], { recursive: true })
  for (let i = 1; i <= n; i++) {
    const key = anvilAccount(i).getHdKey().privateKey
    if (key)
      await writeFile(join(values['key-dir'], `operator-${i}.key`), `${bytesToHex(key)}\n`, { mode: 0o600 })
  }
}
console.log(`local chain ready: ${anvil.rpcUrl}`)
console.log(`  DelegationManager ${deployment.delegationManager}`)
console.log(`  AllocationManager ${deployment.allocationManager}`)
console.log(`  operator set      ${deployment.avs} #${deployment.operatorSetId}`)
operators.forEach((op, i) => console.log(`  operator ${i + 1}        ${op}`))
console.log('Ctrl-C stops the chain.')
setInterval(() => undefined, 1 << 30)
