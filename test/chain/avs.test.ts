// Our AVS on a real anvil: registration through the registrar (peer on chain, refusal when not
// allocated, rotation), the escrow's quorum settlement with exact amounts, refunds and expiry, and
// slashing on verified evidence through AllocationManager.slashOperator.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
  publicActions,
  toFunctionSelector,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem'
import { foundry } from 'viem/chains'
import { EvidenceBook } from '../../node/market/evidence.ts'
import { configOperatorSet } from '../../node/market/operators.ts'
import { Seal, peerIdBytesOf, sealEnvelope } from '../../protocol/index.ts'
import { startAnvil, type Anvil } from '../../node/chain/anvil.ts'
import { send, type ChainWriter } from '../../node/chain/avs.ts'
import {
  anvilAccount,
  deployerClient,
  deployStandIns,
  type LocalDeployment,
} from '../../node/chain/deploy.ts'
import {
  depositToEscrow,
  escrowBalance,
  lockTask,
  orderSignatures,
  readTask,
  refundExpired,
  signSettlement,
  submitSettlement,
  withdrawFromEscrow,
  type Settlement,
} from '../../node/chain/escrow.ts'
import {
  peerRegistrationData,
  readOperatorPeers,
  registerOperator,
  rotatePeer,
} from '../../node/chain/registrar.ts'
import { signSlashForEvidence, submitSlash } from '../../node/chain/slasher.ts'
import { tempDir } from '../network/helpers.ts'

const WAD = 10n ** 18n

function wallet(rpcUrl: string, index: number): ChainWriter {
  return createWalletClient({ account: anvilAccount(index), chain: foundry, transport: http(rpcUrl) }).extend(
    publicActions,
  ) as ChainWriter
}

async function reverts(promise: Promise<unknown>, error: string): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.match(e.message, new RegExp(error))
    return true
  })
}

describe('our AVS contracts (anvil)', function () {
  this.timeout(180_000)
  let anvil: Anvil
  let d: LocalDeployment
  let pub: PublicClient
  const peerKeys: PrivateKey[] = []
  // Operators 1, 2, 3 hold 40 / 40 / 20 % of the set's stake (shares per strategy).
  const shares = [parseEther('40'), parseEther('40'), parseEther('20')]
  const mine = async (blocks: number) => {
    await pub.request({ method: 'anvil_mine', params: [`0x${blocks.toString(16)}`, '0x0'] } as never)
  }
  const registerOptions = (i: number) => ({
    allocationManager: d.allocationManager,
    delegationManager: d.delegationManager,
    registrar: d.ours.registrar,
    avs: d.avs,
    operatorSetId: d.operatorSetId,
    strategies: d.strategies,
    magnitude: WAD,
    peerKey: peerKeys[i]!,
    allocationDelay: 3,
    waitBlocks: mine,
  })
  const seedShares = async (operator: Address, amount: bigint) => {
    const deployer = deployerClient(anvil.rpcUrl)
    for (const strategy of d.strategies)
      await send(deployer, d.delegationManager, d.abis.delegationManager, 'mockSetShares', [
        operator,
        strategy,
        amount,
      ])
  }

  before(async () => {
    anvil = await startAnvil()
    d = await deployStandIns(anvil.rpcUrl)
    pub = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) })
    for (let i = 0; i < 6; i++) peerKeys.push(await generateKeyPair('Ed25519'))
  })
  after(async () => {
    await anvil?.stop()
  })

  describe('registration', function () {
    it('registers operators through registerForOperatorSets → our registrar, with their peer on chain', async function () {
      for (let i = 0; i < 3; i++) {
        const op = anvilAccount(i + 1).address
        // Shares come from the seeding shortcut; the rest is the real flow: registerAsOperator
        // (allocation delay 3), modifyAllocations, wait 3 blocks, registerForOperatorSets.
        await seedShares(op, shares[i]!)
        const result = await registerOperator(wallet(anvil.rpcUrl, i + 1), registerOptions(i))
        assert.equal(result.peerId, peerIdFromPrivateKey(peerKeys[i]!).toString())
        assert.ok(result.gas.register > 0n)
        const member = await pub.readContract({
          address: d.allocationManager,
          abi: d.abis.allocationManager,
          functionName: 'isMemberOfOperatorSet',
          args: [op, { avs: d.avs, id: d.operatorSetId }],
        })
        assert.equal(member, true)
      }
      const { peers, rejected } = await readOperatorPeers(pub, d.ours.registrar)
      assert.equal(rejected, 0)
      assert.deepEqual(
        peers.map((p) => [p.operator, p.peerId]).sort(),
        [0, 1, 2]
          .map((i) => [anvilAccount(i + 1).address, peerIdFromPrivateKey(peerKeys[i]!).toString()])
          .sort(),
      )
    })

    it('refuses an operator that has allocated nothing to the set (NotAllocated), and it does not become a member', async function () {
      const i = 4
      const op = anvilAccount(i).address
      const w = wallet(anvil.rpcUrl, i)
      await seedShares(op, parseEther('40'))
      await send(w, d.delegationManager, d.abis.delegationManager, 'registerAsOperator', [
        '0x0000000000000000000000000000000000000000',
        0,
        '',
      ])
      const data = await peerRegistrationData({
        chainId: 31337,
        registrar: d.ours.registrar,
        operator: op,
        peerKey: peerKeys[3]!,
      })
      await reverts(
        send(w, d.allocationManager, d.abis.allocationManager, 'registerForOperatorSets', [
          op,
          { avs: d.avs, operatorSetIds: [d.operatorSetId], data },
        ]),
        // The registrar's error comes back through the AllocationManager, whose ABI does not name it.
        toFunctionSelector('NotAllocated(uint32)'),
      )
      const member = await pub.readContract({
        address: d.allocationManager,
        abi: d.abis.allocationManager,
        functionName: 'isMemberOfOperatorSet',
        args: [op, { avs: d.avs, id: d.operatorSetId }],
      })
      assert.equal(member, false)
    })

    it('rotates the peer by a later call; a peer signature for another operator is dropped by readers', async function () {
      const before = await readOperatorPeers(pub, d.ours.registrar)
      await rotatePeer(wallet(anvil.rpcUrl, 1), d.ours.registrar, peerKeys[5]!)
      const after = await readOperatorPeers(pub, d.ours.registrar)
      const op1 = anvilAccount(1).address
      assert.equal(
        after.peers.find((p) => p.operator === op1)?.peerId,
        peerIdFromPrivateKey(peerKeys[5]!).toString(),
      )
      assert.notEqual(
        before.peers.find((p) => p.operator === op1)?.peerId,
        after.peers.find((p) => p.operator === op1)?.peerId,
      )
      const [, , version] = (await pub.readContract({
        address: d.ours.registrar,
        abi: d.artifacts.ProverMeshRegistrar.abi,
        functionName: 'peerOf',
        args: [op1],
      })) as [string, Hex, bigint]
      assert.equal(version, 2n)
      // Operator 2 names operator 3's peer with the consent operator 3's peer gave for operator 3.
      const stolen = await peerRegistrationData({
        chainId: 31337,
        registrar: d.ours.registrar,
        operator: anvilAccount(3).address,
        peerKey: peerKeys[2]!,
      })
      await send(
        wallet(anvil.rpcUrl, 2),
        d.ours.registrar,
        d.artifacts.ProverMeshRegistrar.abi,
        'updatePeer',
        [stolen],
      )
      const read = await readOperatorPeers(pub, d.ours.registrar)
      assert.equal(read.rejected, 1)
      assert.equal(
        read.peers.some((p) => p.operator === anvilAccount(2).address),
        false,
      )
      // Operator 2 repairs its entry with its own peer's consent.
      await rotatePeer(wallet(anvil.rpcUrl, 2), d.ours.registrar, peerKeys[1]!)
      assert.equal((await readOperatorPeers(pub, d.ours.registrar)).rejected, 0)
    })

    it('only the AVS (or its appointee) administers the set; only the set slasher may call slashOperator', async function () {
      const set = { avs: d.avs, id: d.operatorSetId }
      const outsider = wallet(anvil.rpcUrl, 7)
      await reverts(
        send(outsider, d.allocationManager, d.abis.allocationManager, 'removeStrategiesFromOperatorSet', [
          d.avs,
          d.operatorSetId,
          [d.strategies[1]],
        ]),
        'InvalidPermissions',
      )
      await reverts(
        send(outsider, d.allocationManager, d.abis.allocationManager, 'slashOperator', [
          d.avs,
          {
            operator: anvilAccount(1).address,
            operatorSetId: d.operatorSetId,
            strategies: [d.strategies[0]],
            wadsToSlash: [WAD],
            description: 'x',
          },
        ]),
        'InvalidCaller',
      )
      const slasher = await pub.readContract({
        address: d.allocationManager,
        abi: d.abis.allocationManager,
        functionName: 'getSlasher',
        args: [set],
      })
      assert.equal(slasher, d.ours.slasher)
      // The owner appoints account 7 for one selector through the PermissionController.
      const deployer = deployerClient(anvil.rpcUrl)
      await send(deployer, d.avs, d.artifacts.ProverMeshServiceManager.abi, 'setAppointee', [
        outsider.account.address,
        d.allocationManager,
        toFunctionSelector('addStrategiesToOperatorSet(address,uint32,address[])'),
      ])
      const extra = '0x1111111111111111111111111111111111111111'
      await send(outsider, d.allocationManager, d.abis.allocationManager, 'addStrategiesToOperatorSet', [
        d.avs,
        d.operatorSetId,
        [extra],
      ])
      const strategies = (await pub.readContract({
        address: d.allocationManager,
        abi: d.abis.allocationManager,
        functionName: 'getStrategiesInOperatorSet',
        args: [set],
      })) as Address[]
      assert.ok(strategies.includes(extra))
      await send(
        deployer,
        d.avs,
        d.artifacts.ProverMeshServiceManager.abi,
        'removeStrategiesFromOperatorSet',
        [d.operatorSetId, [extra]],
      )
    })
  })

  describe('escrow', function () {
    const client = () => wallet(anvil.rpcUrl, 8)
    const op = (i: number) => anvilAccount(i).address
    const sign = async (s: Settlement, signers: number[]) =>
      orderSignatures(
        await Promise.all(signers.map((i) => signSettlement(anvilAccount(i), 31337, d.ours.escrow, s))),
      )
    const taskId = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`

    it('locks at most the deposit, and settles exactly per a statement signed by ≥ threshold of stake', async function () {
      const deployer = deployerClient(anvil.rpcUrl)
      await send(deployer, d.token, d.artifacts.StandInToken.abi, 'mockMint', [
        client().account.address,
        1000n,
      ])
      await depositToEscrow(client(), d.ours.escrow, d.token, 1000n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, client().account.address), 1000n)
      const now = (await pub.getBlock()).timestamp
      await reverts(lockTask(client(), d.ours.escrow, taskId(1), 1001n, now + 3600n), 'InsufficientBalance')
      await lockTask(client(), d.ours.escrow, taskId(1), 600n, now + 3600n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, client().account.address), 400n)
      const s: Settlement = {
        taskId: taskId(1),
        rootProofHash: `0x${'ab'.repeat(32)}`,
        operators: [op(1), op(2)],
        amounts: [300n, 200n],
        treasuryAmount: 50n,
        refund: 50n,
      }
      // 20 % (operator 3) and 60 % (1 + 3) are under the 66.67 % threshold.
      await reverts(submitSettlement(client(), d.ours.escrow, s, await sign(s, [3])), 'InsufficientQuorum')
      await reverts(submitSettlement(client(), d.ours.escrow, s, await sign(s, [1, 3])), 'InsufficientQuorum')
      // A non-member's signature does not count; amounts must add up to the lock.
      await reverts(submitSettlement(client(), d.ours.escrow, s, await sign(s, [1, 2, 7])), 'SignerNotMember')
      const wrong = { ...s, refund: 49n }
      await reverts(
        submitSettlement(client(), d.ours.escrow, wrong, await sign(wrong, [1, 2])),
        'AmountsDoNotAddUp',
      )
      // Signatures over a different statement do not carry over.
      await reverts(
        submitSettlement(client(), d.ours.escrow, s, await sign({ ...s, amounts: [200n, 300n] }, [1, 2])),
        'SignerNotMember|InsufficientQuorum',
      )
      await submitSettlement(client(), d.ours.escrow, s, await sign(s, [1, 2]))
      assert.equal(await escrowBalance(pub, d.ours.escrow, op(1)), 300n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, op(2)), 200n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, d.treasury), 50n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, client().account.address), 450n)
      assert.equal((await readTask(pub, d.ours.escrow, taskId(1))).state, 'settled')
      await reverts(submitSettlement(client(), d.ours.escrow, s, await sign(s, [1, 2])), 'TaskNotLocked')
      // Operators withdraw real tokens.
      await withdrawFromEscrow(wallet(anvil.rpcUrl, 1), d.ours.escrow, 300n)
      const tokenBalance = await pub.readContract({
        address: d.token,
        abi: d.artifacts.StandInToken.abi,
        functionName: 'balanceOf',
        args: [op(1)],
      })
      assert.equal(tokenBalance, 300n)
      await reverts(withdrawFromEscrow(wallet(anvil.rpcUrl, 1), d.ours.escrow, 1n), 'InsufficientBalance')
    })

    it('refunds an expired lock to its client, and refuses settlement after expiry', async function () {
      const now = (await pub.getBlock()).timestamp
      await lockTask(client(), d.ours.escrow, taskId(2), 400n, now + 100n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, client().account.address), 50n)
      await reverts(refundExpired(client(), d.ours.escrow, taskId(2)), 'TaskNotExpired')
      await pub.request({ method: 'evm_increaseTime', params: [101] } as never)
      await mine(1)
      const s: Settlement = {
        taskId: taskId(2),
        rootProofHash: `0x${'cd'.repeat(32)}`,
        operators: [op(1)],
        amounts: [400n],
        treasuryAmount: 0n,
        refund: 0n,
      }
      await reverts(submitSettlement(client(), d.ours.escrow, s, await sign(s, [1, 2])), 'TaskExpired')
      await refundExpired(wallet(anvil.rpcUrl, 5), d.ours.escrow, taskId(2))
      assert.equal(await escrowBalance(pub, d.ours.escrow, client().account.address), 450n)
      await reverts(refundExpired(client(), d.ours.escrow, taskId(2)), 'TaskNotLocked')
      await withdrawFromEscrow(client(), d.ours.escrow, 450n)
      assert.equal(await escrowBalance(pub, d.ours.escrow, client().account.address), 0n)
    })
  })

  describe('slashing', function () {
    let dir: string
    before(async () => {
      dir = await tempDir('pm-slash-')
    })
    after(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    const set = () => ({ avs: d.avs, id: d.operatorSetId })
    const slashable = async (operator: Address) => {
      const m = (await pub.readContract({
        address: d.allocationManager,
        abi: d.abis.allocationManager,
        functionName: 'getMinimumSlashableStake',
        args: [set(), [operator], d.strategies, Number(await pub.getBlockNumber()) + 1],
      })) as bigint[][]
      return m[0]!
    }
    async function seal(signer: PrivateKey, resultByte: number) {
      const body = Seal.encode({
        version: 1,
        epoch: 40n,
        class: 'sum/leaf',
        leader: peerIdBytesOf(signer.publicKey.raw),
        bidIds: [],
        resultHash: new Uint8Array(32).fill(resultByte),
      })
      return sealEnvelope('Seal', body, signer)
    }

    it('slashes an equivocating leader on verified evidence; forged or reused evidence slashes nobody', async function () {
      // The operator set as the nodes see it: operators 1..3 with their current peers from chain.
      const { peers } = await readOperatorPeers(pub, d.ours.registrar)
      const operators = configOperatorSet(
        peers.map((p) => ({ address: p.operator.toLowerCase(), peerId: p.peerId })),
      )
      const book = await EvidenceBook.open(join(dir, 'evidence'), { operators, verifies: async () => false })
      const verify = (bytes: Uint8Array) => book.verify(bytes)
      const leader = anvilAccount(3).address
      const evidence = EvidenceBook.equivocation(await seal(peerKeys[2]!, 1), await seal(peerKeys[2]!, 2))
      // Forged: "two" seals that are the same, and seals by a key that is no operator's peer.
      const same = await seal(peerKeys[2]!, 1)
      const stranger = await generateKeyPair('Ed25519')
      for (const forged of [
        EvidenceBook.equivocation(same, same),
        EvidenceBook.equivocation(await seal(stranger, 1), await seal(stranger, 2)),
      ]) {
        await assert.rejects(
          signSlashForEvidence({
            evidence: forged,
            verify,
            account: anvilAccount(1),
            chainId: 31337,
            slasher: d.ours.slasher,
          }),
          /evidence/,
        )
      }
      const before = await slashable(leader)
      assert.deepEqual(before, [shares[2], shares[2]])
      const signed = await Promise.all(
        [1, 2].map((i) =>
          signSlashForEvidence({
            evidence,
            verify,
            account: anvilAccount(i),
            chainId: 31337,
            slasher: d.ours.slasher,
          }),
        ),
      )
      const request = signed[0]!.request
      assert.equal(request.operator, leader)
      const deployer = deployerClient(anvil.rpcUrl)
      // One signer (40 %) is not a quorum; the accused may not sign for itself.
      await reverts(
        submitSlash(deployer, d.ours.slasher, request, [signed[0]!.signature]),
        'InsufficientQuorum',
      )
      const own = await signSlashForEvidence({
        evidence,
        verify,
        account: anvilAccount(3),
        chainId: 31337,
        slasher: d.ours.slasher,
      })
      await reverts(
        submitSlash(deployer, d.ours.slasher, request, orderSignatures([signed[0]!, own])),
        'SignerExcluded',
      )
      const tx = await submitSlash(deployer, d.ours.slasher, request, orderSignatures(signed))
      assert.ok(tx.gas > 0n)
      // EQUIVOCATION slashes half of the allocation in every strategy of the set.
      assert.deepEqual(await slashable(leader), [shares[2]! / 2n, shares[2]! / 2n])
      await reverts(submitSlash(deployer, d.ours.slasher, request, orderSignatures(signed)), 'EvidenceUsed')
      await book.close()
    })
  })
})
