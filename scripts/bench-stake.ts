// `npm run bench:stake`: RPC round trips, JSON-RPC calls and wall time of one full stake refresh for
// 10, 100 and 1000 operators on a local anvil, plus the cost of a poll that finds nothing new.
// Prints a table and writes bench-results/stake.json. Target: round trips do not grow with operators.
// Then, on a fresh anvil, the gas of our AVS contracts: one operator registration through the real
// flow (registerAsOperator, modifyAllocations, registerForOperatorSets with the peer id), one task
// settlement signed by a two-thirds stake quorum of 10 operators for 1, 10 and 100 jobs (gas per
// job), and one slash. Target: settlement gas per job falls with the number of jobs.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  numberToHex,
  parseEther,
  publicActions,
  type Hex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { send, type ChainWriter } from '../node/chain/avs.ts'
import {
  depositToEscrow,
  lockTask,
  orderSignatures,
  signSettlement,
  submitSettlement,
} from '../node/chain/escrow.ts'
import { registerOperator } from '../node/chain/registrar.ts'
import { signSlashForEvidence, submitSlash } from '../node/chain/slasher.ts'
import { resolveStakeConfig } from '../node/stake/config.ts'
import { StakeOracle } from '../node/stake/oracle.ts'
import { startAnvil } from '../node/chain/anvil.ts'
import { countingHttp, createRpcCounter } from '../node/chain/counting-transport.ts'
import { deployerClient, deployStandIns, seedOperators, syntheticOperator } from '../node/chain/deploy.ts'

const SIZES = [10, 100, 1000]
const RUNS = 5

interface Row {
  operators: number
  httpRequests: number
  rpcCalls: number
  byMethod: Record<string, number>
  refreshMsMedian: number
  refreshMsMin: number
  refreshMsMax: number
  idlePollHttpRequests: number
  idlePollMsMedian: number
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const round = (x: number): number => Math.round(x * 10) / 10

const anvil = await startAnvil()
const rows: Row[] = []
try {
  const deployment = await deployStandIns(anvil.rpcUrl)
  const counter = createRpcCounter()
  const client = createPublicClient({ chain: foundry, transport: countingHttp(anvil.rpcUrl, counter) })
  const config = resolveStakeConfig('local')
  const quiet = { info: () => undefined, warn: (m: string) => console.error(m) }
  const oracle = new StakeOracle({ client, config, now: () => performance.now(), logger: quiet })
  let seeded = 0
  for (const size of SIZES) {
    const seedStart = performance.now()
    const fresh = Array.from({ length: size - seeded }, (_, i) => syntheticOperator(seeded + i))
    await seedOperators(anvil.rpcUrl, deployment, fresh)
    seeded = size
    console.error(`seeded ${size} operators (${Math.round(performance.now() - seedStart)} ms)`)

    await oracle.refresh() // warm-up: JIT, connection
    const times: number[] = []
    let sample = { httpRequests: 0, rpcCalls: 0, byMethod: {} as Record<string, number> }
    for (let i = 0; i < RUNS; i++) {
      counter.reset()
      const t = performance.now()
      const snapshot = await oracle.refresh()
      times.push(performance.now() - t)
      if (snapshot.operators.size !== size)
        throw new Error(`expected ${size} operators, read ${snapshot.operators.size}`)
      sample = {
        httpRequests: counter.httpRequests,
        rpcCalls: counter.rpcCalls,
        byMethod: { ...counter.byMethod },
      }
    }
    const pollTimes: number[] = []
    let pollRequests = 0
    for (let i = 0; i < RUNS; i++) {
      counter.reset()
      const t = performance.now()
      await oracle.poll()
      pollTimes.push(performance.now() - t)
      pollRequests = counter.httpRequests
    }
    rows.push({
      operators: size,
      ...sample,
      refreshMsMedian: round(median(times)),
      refreshMsMin: round(Math.min(...times)),
      refreshMsMax: round(Math.max(...times)),
      idlePollHttpRequests: pollRequests,
      idlePollMsMedian: round(median(pollTimes)),
    })
  }
} finally {
  await anvil.stop()
}

interface GasFigures {
  registration: {
    registerAsOperator: number
    modifyAllocations: number
    registerForOperatorSets: number
    total: number
  }
  settlement: { jobs: number; payees: number; signers: number; gas: number; gasPerJob: number }[]
  slash: { signers: number; gas: number }
}

/** Gas of our AVS contracts on a fresh anvil (10 operators registered through the real flow). */
async function measureAvsGas(): Promise<GasFigures> {
  const chain = await startAnvil()
  try {
    const d = await deployStandIns(chain.rpcUrl)
    const deployer = deployerClient(chain.rpcUrl)
    const pub = createPublicClient({ chain: foundry, transport: http(chain.rpcUrl) })
    const accounts = Array.from({ length: 11 }, (_, i) =>
      privateKeyToAccount(keccak256(numberToHex(1000 + i, { size: 32 }))),
    )
    const wallets = accounts.map(
      (account) =>
        createWalletClient({ account, chain: foundry, transport: http(chain.rpcUrl) }).extend(
          publicActions,
        ) as ChainWriter,
    )
    for (const a of accounts)
      await pub.request({
        method: 'anvil_setBalance',
        params: [a.address, numberToHex(parseEther('10'))],
      } as never)
    const operators = accounts.slice(0, 10)
    let registration: GasFigures['registration'] | undefined
    for (let i = 0; i < operators.length; i++) {
      for (const strategy of d.strategies)
        await send(deployer, d.delegationManager, d.abis.delegationManager, 'mockSetShares', [
          operators[i]!.address,
          strategy,
          parseEther('40'),
        ])
      const r = await registerOperator(wallets[i]!, {
        allocationManager: d.allocationManager,
        delegationManager: d.delegationManager,
        registrar: d.ours.registrar,
        avs: d.avs,
        operatorSetId: d.operatorSetId,
        strategies: d.strategies,
        magnitude: 10n ** 18n,
        peerKey: await generateKeyPair('Ed25519'),
      })
      registration ??= {
        registerAsOperator: Number(r.gas.registerAsOperator ?? 0n),
        modifyAllocations: Number(r.gas.allocate),
        registerForOperatorSets: Number(r.gas.register),
        total: Number((r.gas.registerAsOperator ?? 0n) + r.gas.allocate + r.gas.register),
      }
    }
    const client = wallets[10]!
    await send(deployer, d.token, d.artifacts.StandInToken.abi, 'mockMint', [
      client.account.address,
      10n ** 30n,
    ])
    await depositToEscrow(client, d.ours.escrow, d.token, 10n ** 30n)
    const signers = operators.slice(0, 7) // 70 % of equal stakes: over the 66.67 % threshold
    const settlement: GasFigures['settlement'] = []
    let task = 0
    for (const jobs of [1, 10, 100]) {
      const taskId = numberToHex(++task, { size: 32 })
      const perJob = 1000n
      await lockTask(
        client,
        d.ours.escrow,
        taskId,
        perJob * BigInt(jobs) + 100n,
        (await pub.getBlock()).timestamp + 3600n,
      )
      // Jobs go round-robin to the operators; the statement pays each operator once for all its jobs.
      const amounts = new Map<string, bigint>()
      for (let j = 0; j < jobs; j++) {
        const op = operators[j % operators.length]!.address
        amounts.set(op, (amounts.get(op) ?? 0n) + perJob)
      }
      const s = {
        taskId,
        rootProofHash: keccak256(taskId) as Hex,
        operators: [...amounts.keys()] as Hex[],
        amounts: [...amounts.values()],
        treasuryAmount: 60n,
        refund: 40n,
      }
      const sigs = orderSignatures(
        await Promise.all(signers.map((a) => signSettlement(a, 31337, d.ours.escrow, s))),
      )
      const { gas } = await submitSettlement(client, d.ours.escrow, s, sigs)
      settlement.push({
        jobs,
        payees: amounts.size,
        signers: signers.length,
        gas: Number(gas),
        gasPerJob: Math.round(Number(gas) / jobs),
      })
    }
    // The bench measures gas, not evidence checking (test/chain/avs.test.ts slashes on real evidence).
    const accused = operators[9]!.address
    const verify = async () => ({ id: 'ee'.repeat(32), kind: 'EQUIVOCATION' as const, operator: accused })
    const signed = await Promise.all(
      signers.map((account) =>
        signSlashForEvidence({
          evidence: new Uint8Array(),
          verify,
          account,
          chainId: 31337,
          slasher: d.ours.slasher,
        }),
      ),
    )
    const slash = await submitSlash(deployer, d.ours.slasher, signed[0]!.request, orderSignatures(signed))
    if (!registration) throw new Error('no registration measured')
    return { registration, settlement, slash: { signers: signers.length, gas: Number(slash.gas) } }
  } finally {
    await chain.stop()
  }
}

const gas = await measureAvsGas()

console.log(
  'operators  http round trips  json-rpc calls  refresh ms (median, min-max)  idle poll (requests, ms)',
)
for (const r of rows) {
  console.log(
    `${String(r.operators).padStart(9)}  ${String(r.httpRequests).padStart(16)}  ${String(r.rpcCalls).padStart(14)}  ${`${r.refreshMsMedian} (${r.refreshMsMin}-${r.refreshMsMax})`.padStart(28)}  ${`${r.idlePollHttpRequests}, ${r.idlePollMsMedian}`.padStart(24)}`,
  )
}
console.log(
  `registration (real flow): ${gas.registration.total} gas = registerAsOperator ${gas.registration.registerAsOperator} + modifyAllocations ${gas.registration.modifyAllocations} + registerForOperatorSets ${gas.registration.registerForOperatorSets}`,
)
console.log('settlement  jobs  payees  signers      gas  gas per job')
for (const r of gas.settlement)
  console.log(
    `${' '.repeat(10)}  ${String(r.jobs).padStart(4)}  ${String(r.payees).padStart(6)}  ${String(r.signers).padStart(7)}  ${String(r.gas).padStart(7)}  ${String(r.gasPerJob).padStart(11)}`,
  )
console.log(`slash (equivocation, ${gas.slash.signers} signers): ${gas.slash.gas} gas`)
const result = {
  benchmark: 'stake-refresh',
  avsGas: gas,
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  chain: 'anvil (local stand-ins), HTTP transport with JSON-RPC batching',
  runsPerSize: RUNS,
  strategies: 2,
  rows,
}
await mkdir('bench-results', { recursive: true })
await writeFile('bench-results/stake.json', `${JSON.stringify(result, null, 2)}\n`)
console.log('wrote bench-results/stake.json')
