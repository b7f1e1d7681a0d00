// Fault evidence that travels: a node that catches a fault anyone can verify (an invalid proof under
// the prover's signature; two seals of one auction signed by its leader) gossips the evidence; every
// node verifies it itself, persists it (level), and as leader counts none of the operator's asks in
// the epochs auction/evidence.ts names. Faults that cannot be shown to others (a missed deadline)
// stay local to the gateway that saw them.
import { Level } from 'level'
import { excludedIn, type EvidenceKind } from '../../auction/evidence.ts'
import { MarketRefusal } from '../../auction/verdicts.ts'
import {
  FaultEvidence,
  MAX_EVIDENCE_BYTES,
  PROOF_TYPES,
  sha256,
  toHex,
  validateDeliverJobResult,
  validateSeal,
  type ProofType,
} from '../../protocol/index.ts'
import { peerIdFromMultihash, peerIdFromPublicKey } from '@libp2p/peer-id'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import * as Digest from 'multiformats/hashes/digest'
import { operatorOfPeer, type OperatorSet } from './operators.ts'

export const EVIDENCE_VERSION = 1
/** Evidence kept per operator: enough to exclude it; more is only more of the same. */
const MAX_EVIDENCE_PER_OPERATOR = 16
const KEY_PREFIX = 'evidence/'

/** One verified piece of evidence. */
export interface VerifiedFault {
  readonly id: string
  readonly kind: EvidenceKind
  /** 0x address of the operator at fault, lowercase. */
  readonly operator: string
  readonly peer: string
  readonly epoch: number
  readonly detail: string
}

export interface EvidenceDeps {
  /** The operator set without exclusions (whose peer signed what, per epoch). */
  readonly operators: OperatorSet
  /** Whether `proof` verifies as a proof of `type` (any level); used to show a delivery is invalid. */
  verifies(type: ProofType, proof: Uint8Array): Promise<boolean>
}

export class EvidenceBook {
  readonly #db: Level<string, Uint8Array>
  readonly #deps: EvidenceDeps
  readonly #byOperator = new Map<string, VerifiedFault[]>()
  readonly #ids = new Set<string>()

  private constructor(db: Level<string, Uint8Array>, deps: EvidenceDeps) {
    this.#db = db
    this.#deps = deps
  }

  /** Opens the store and re-verifies nothing: what is stored was verified before it was written. */
  static async open(location: string, deps: EvidenceDeps): Promise<EvidenceBook> {
    const db = new Level<string, Uint8Array>(location, { valueEncoding: 'view' })
    await db.open()
    const book = new EvidenceBook(db, deps)
    for await (const [, value] of db.iterator({ gte: KEY_PREFIX, lt: `${KEY_PREFIX}\xff` })) {
      book.#index(JSON.parse(new TextDecoder().decode(value)) as VerifiedFault)
    }
    return book
  }

  async close(): Promise<void> {
    await this.#db.close()
  }

  /** Builds the evidence message for an invalid delivery (the prover's signed envelope). */
  static invalidDelivery(delivery: Uint8Array): Uint8Array {
    return FaultEvidence.encode({
      version: EVIDENCE_VERSION,
      delivery,
      sealA: new Uint8Array(),
      sealB: new Uint8Array(),
    })
  }

  /** Builds the evidence message for two conflicting seals of one leader. */
  static equivocation(sealA: Uint8Array, sealB: Uint8Array): Uint8Array {
    return FaultEvidence.encode({ version: EVIDENCE_VERSION, delivery: new Uint8Array(), sealA, sealB })
  }

  /**
   * Verifies an evidence message and keeps it. Resolves with the fault ('known' when held already);
   * throws MarketRefusal (INVALID: the message proves nothing, its sender's fault) otherwise.
   */
  async add(bytes: Uint8Array): Promise<VerifiedFault | 'known'> {
    const fault = await this.verify(bytes)
    if (this.#ids.has(fault.id)) return 'known'
    const held = this.#byOperator.get(fault.operator) ?? []
    if (held.length >= MAX_EVIDENCE_PER_OPERATOR) return 'known'
    await this.#db.put(`${KEY_PREFIX}${fault.id}`, new TextEncoder().encode(JSON.stringify(fault)))
    this.#index(fault)
    return fault
  }

  /** Checks an evidence message without keeping it. */
  async verify(bytes: Uint8Array): Promise<VerifiedFault> {
    if (bytes.byteLength > MAX_EVIDENCE_BYTES) throw invalid(`evidence over ${MAX_EVIDENCE_BYTES} bytes`)
    let message: FaultEvidence
    try {
      message = FaultEvidence.decode(bytes)
    } catch (error) {
      throw invalid(`not a FaultEvidence: ${(error as Error).message}`)
    }
    if (message.version !== EVIDENCE_VERSION) throw invalid(`version ${message.version}`)
    const id = toHex(sha256(bytes))
    const hasDelivery = message.delivery.byteLength > 0
    const hasSeals = message.sealA.byteLength > 0 || message.sealB.byteLength > 0
    if (hasDelivery === hasSeals) throw invalid('exactly one of delivery or seal_a + seal_b must be set')
    return hasDelivery ? this.#verifyDelivery(id, message.delivery) : this.#verifySeals(id, message)
  }

  /** Every verified fault, newest operators last. */
  faults(): VerifiedFault[] {
    return [...this.#byOperator.values()].flat()
  }

  /** Whether verified evidence leaves `operator` out of `epoch` (auction/evidence.ts). */
  excluded(operator: string, epoch: number): boolean {
    const held = this.#byOperator.get(operator.toLowerCase())
    return (
      held !== undefined &&
      excludedIn(
        epoch,
        held.map((f) => f.epoch),
      )
    )
  }

  async #verifyDelivery(id: string, envelope: Uint8Array): Promise<VerifiedFault> {
    let opened
    try {
      opened = await validateDeliverJobResult(envelope)
    } catch (error) {
      throw invalid(`delivery: ${(error as Error).message}`)
    }
    const { result, signer } = opened
    if (result.epoch > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('delivery epoch out of range')
    const epoch = Number(result.epoch)
    const peer = peerIdFromPublicKey(publicKeyFromRaw(signer)).toString()
    const operator = operatorOfPeer(this.#deps.operators, epoch, peer)
    if (operator === undefined) throw invalid(`the signer ${peer} was no operator in epoch ${epoch}`)
    // Invalid means: no proof type's verifier accepts it. A proof that verifies but states the wrong
    // thing for its job needs the task's input to show, so it is no evidence for others.
    for (const type of PROOF_TYPES) {
      if (await this.#deps.verifies(type, result.proof)) throw invalid(`the proof verifies as ${type}`)
    }
    return {
      id,
      kind: 'INVALID_PROOF',
      operator: operator.toLowerCase(),
      peer,
      epoch,
      detail: `task ${toHex(result.taskId)} job ${result.jobIndex}: a proof no verifier accepts`,
    }
  }

  async #verifySeals(id: string, message: FaultEvidence): Promise<VerifiedFault> {
    let a, b
    try {
      ;[a, b] = await Promise.all([validateSeal(message.sealA), validateSeal(message.sealB)])
    } catch (error) {
      throw invalid(`seal: ${(error as Error).message}`)
    }
    const leader = (s: typeof a) => peerIdFromMultihash(Digest.decode(s.leader)).toString()
    if (leader(a) !== leader(b)) throw invalid('the seals have different signers')
    if (a.epoch !== b.epoch || a.class !== b.class) throw invalid('the seals are of different auctions')
    if (equalBytes(message.sealA, message.sealB)) throw invalid('the seals are the same')
    if (a.epoch > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('seal epoch out of range')
    const epoch = Number(a.epoch)
    const peer = leader(a)
    const operator = operatorOfPeer(this.#deps.operators, epoch, peer)
    if (operator === undefined) throw invalid(`the signer ${peer} was no operator in epoch ${epoch}`)
    return {
      id,
      kind: 'EQUIVOCATION',
      operator: operator.toLowerCase(),
      peer,
      epoch,
      detail: `two seals of epoch ${epoch} class ${a.class}`,
    }
  }

  #index(fault: VerifiedFault): void {
    this.#ids.add(fault.id)
    const held = this.#byOperator.get(fault.operator) ?? []
    held.push(fault)
    this.#byOperator.set(fault.operator, held)
  }
}

function invalid(message: string): MarketRefusal {
  return new MarketRefusal('INVALID', `evidence: ${message}`)
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i])
}
