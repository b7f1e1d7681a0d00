// Fault evidence (node/market/evidence.ts): what every node verifies before it excludes an operator.
// Real signatures and the real verifier; forged or harmless "evidence" must be refused as INVALID
// and exclude nobody, so a peer cannot frame an honest operator.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { EVIDENCE_SETTLE_EPOCHS, EXCLUSION_EPOCHS } from '../../auction/evidence.ts'
import { MarketRefusal } from '../../auction/verdicts.ts'
import { EvidenceBook } from '../../node/market/evidence.ts'
import { configOperatorSet } from '../../node/market/operators.ts'
import { realBackend } from '../../node/proving/real.ts'
import { DeliverJobResult, Seal, peerIdBytesOf, sealEnvelope, type ProofType } from '../../protocol/index.ts'
import { tempDir } from '../network/helpers.ts'

const address = (i: number) => `0x${String(i + 1).repeat(40)}`
const EPOCH = 40

describe('fault evidence', function () {
  this.timeout(120_000)
  let keys: PrivateKey[]
  let dir: string
  const backend = realBackend()
  const verifies = async (type: ProofType, proof: Uint8Array) =>
    backend.verify(type, proof).then(
      () => true,
      () => false,
    )

  before(async () => {
    keys = [await generateKeyPair('Ed25519'), await generateKeyPair('Ed25519')]
  })
  beforeEach(async () => {
    dir = await tempDir('pm-evidence-')
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const operators = () =>
    configOperatorSet(
      keys.map((k, i) => ({ address: address(i), peerId: peerIdFromPrivateKey(k).toString() })),
    )
  const open = () => EvidenceBook.open(join(dir, 'evidence'), { operators: operators(), verifies })

  async function seal(signer: PrivateKey, resultByte: number, epoch = EPOCH) {
    const body = Seal.encode({
      version: 1,
      epoch: BigInt(epoch),
      class: 'sum/leaf',
      leader: peerIdBytesOf(signer.publicKey.raw),
      bidIds: [],
      resultHash: new Uint8Array(32).fill(resultByte),
    })
    return sealEnvelope('Seal', body, signer)
  }

  async function delivery(signer: PrivateKey, proof: Uint8Array, epoch = EPOCH) {
    const body = DeliverJobResult.encode({
      version: 1,
      taskId: new Uint8Array(32).fill(7),
      jobIndex: 0,
      proof,
      publicOutputs: new Uint8Array(),
      epoch: BigInt(epoch),
    })
    return sealEnvelope('DeliverJobResult', body, signer)
  }

  async function refusal(promise: Promise<unknown>): Promise<MarketRefusal> {
    try {
      await promise
    } catch (error) {
      if (error instanceof MarketRefusal) return error
      throw error
    }
    assert.fail('the evidence was accepted')
  }

  it('takes two seals of one auction signed by its leader as equivocation, and excludes it after the settle epochs, across a restart', async function () {
    let book = await open()
    const fault = await book.add(EvidenceBook.equivocation(await seal(keys[0]!, 1), await seal(keys[0]!, 2)))
    assert.ok(fault !== 'known')
    assert.equal(fault.kind, 'EQUIVOCATION')
    assert.equal(fault.operator, address(0))
    assert.equal(fault.epoch, EPOCH)
    const first = EPOCH + EVIDENCE_SETTLE_EPOCHS
    assert.equal(book.excluded(address(0), first - 1), false, 'not before every node can have it')
    assert.equal(book.excluded(address(0), first), true)
    assert.equal(book.excluded(address(0), first + EXCLUSION_EPOCHS), false, 'for a bounded time')
    assert.equal(book.excluded(address(1), first), false)
    await book.close()
    book = await open()
    assert.equal(book.excluded(address(0), first), true, 'kept across a restart')
    await book.close()
  })

  it('takes a signed delivery whose proof no verifier accepts as an invalid proof', async function () {
    const book = await open()
    const fault = await book.add(
      EvidenceBook.invalidDelivery(await delivery(keys[1]!, new Uint8Array(64).fill(3))),
    )
    assert.ok(fault !== 'known')
    assert.deepEqual([fault.kind, fault.operator, fault.epoch], ['INVALID_PROOF', address(1), EPOCH])
    await book.close()
  })

  it('refuses evidence that proves nothing, and excludes nobody for it', async function () {
    const book = await open()
    const stranger = await generateKeyPair('Ed25519')
    const leaf = (
      await backend.planLeafJobs(new Uint8Array(32).fill(5), {
        type: 'sum',
        input: { values: [1, 2, 3, 4, 5, 6, 7, 8], chunkSize: 8 },
      })
    )[0]!
    const validProof = await backend.proveLeaf('sum', leaf)
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'a valid proof',
        EvidenceBook.invalidDelivery(await delivery(keys[1]!, validProof)),
        /verifies as sum/,
      ],
      [
        'seals of two signers',
        EvidenceBook.equivocation(await seal(keys[0]!, 1), await seal(keys[1]!, 2)),
        /different signers/,
      ],
      [
        'one seal twice',
        EvidenceBook.equivocation(await seal(keys[0]!, 1), await seal(keys[0]!, 1)),
        /the same/,
      ],
      [
        'seals of two epochs',
        EvidenceBook.equivocation(await seal(keys[0]!, 1), await seal(keys[0]!, 2, EPOCH + 1)),
        /different auctions/,
      ],
      [
        'a non-operator',
        EvidenceBook.equivocation(await seal(stranger, 1), await seal(stranger, 2)),
        /no operator/,
      ],
      [
        'a delivery by a non-operator',
        EvidenceBook.invalidDelivery(await delivery(stranger, new Uint8Array(9))),
        /no operator/,
      ],
      ['garbage', new Uint8Array([1, 2, 3]), /FaultEvidence|exactly one|version/],
    ]
    for (const [what, bytes, reason] of cases) {
      const refused = await refusal(book.add(bytes))
      assert.deepEqual([refused.code, refused.action], ['INVALID', 'reject'], what)
      assert.match(refused.message, reason, what)
    }
    assert.deepEqual(book.faults(), [])
    await book.close()
  })
})
