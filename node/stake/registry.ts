// Stores every operator's current peer binding (in level, so a restart forgets no nonce and an old
// binding cannot be replayed after it) and answers both directions synchronously from memory:
// current peer of operator X, operator of peer Y.
//
// Acceptance order puts the cheap checks first so junk costs no RPC: decode → policy (avs, set,
// times, lifetime) → nonce (must exceed the stored one) → peer signature (local) → operator
// signature (one eth_call, for ERC-1271 operators) → persist.
import { getAddress, type Address, type PublicClient } from 'viem'
import { Level } from 'level'
import {
  checkBindingPolicy,
  decodeSignedBinding,
  encodeSignedBinding,
  verifyOperatorSignature,
  verifyPeerSignature,
  type BindingPolicy,
  type SignedPeerBinding,
} from './binding.ts'
import { BindingError } from './errors.ts'

export type AcceptResult = 'stored' | 'duplicate'

const OPERATOR_PREFIX = 'binding/operator/'
/** The binding each operator had before its current one: the market's rule may still need it. */
const PREVIOUS_PREFIX = 'binding/previous/'

export class BindingRegistry {
  readonly policy: BindingPolicy
  readonly #db: Level<string, string>
  readonly #client: PublicClient
  readonly #byOperator = new Map<Address, SignedPeerBinding>()
  readonly #previous = new Map<Address, SignedPeerBinding>()
  readonly #byPeer = new Map<string, Address>()
  /** Accepts run one at a time, so two bindings of one operator cannot race past the nonce check. */
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(db: Level<string, string>, policy: BindingPolicy, client: PublicClient) {
    this.#db = db
    this.policy = policy
    this.#client = client
  }

  /** Opens (creating if needed) the store at `location` and loads every stored binding. */
  static async open(location: string, policy: BindingPolicy, client: PublicClient): Promise<BindingRegistry> {
    const db = new Level<string, string>(location, { valueEncoding: 'utf8' })
    await db.open()
    const registry = new BindingRegistry(db, policy, client)
    for await (const [, value] of db.iterator({ gte: OPERATOR_PREFIX, lt: `${OPERATOR_PREFIX}\xff` })) {
      registry.#index(decodeSignedBinding(value))
    }
    for await (const [, value] of db.iterator({ gte: PREVIOUS_PREFIX, lt: `${PREVIOUS_PREFIX}\xff` })) {
      const previous = decodeSignedBinding(value)
      registry.#previous.set(previous.binding.operator, previous)
    }
    return registry
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined)
    await this.#db.close()
  }

  /** The operator's current binding (possibly a revocation, peerId ''), expired or not. */
  bindingOf(operator: Address): SignedPeerBinding | undefined {
    return this.#byOperator.get(getAddress(operator))
  }

  /** Every operator's current binding (revocations included), for handing to a peer that joins. */
  bindings(): SignedPeerBinding[] {
    return [...this.#byOperator.values()]
  }

  /**
   * Each operator's bindings, oldest first: the one before its current one (when it rotated or
   * revoked) and the current one. The market takes the one in force per epoch from these
   * (auction/operator-set.ts), so a rotation takes effect on every node in the same epoch.
   */
  histories(): SignedPeerBinding[][] {
    return [...this.#byOperator.entries()].map(([operator, current]) => {
      const previous = this.#previous.get(operator)
      return previous === undefined ? [current] : [previous, current]
    })
  }

  /** The operator whose current binding names this peer. */
  operatorOf(peerId: string): Address | undefined {
    return this.#byPeer.get(peerId)
  }

  peerOf(operator: Address): string | undefined {
    const peerId = this.bindingOf(operator)?.binding.peerId
    return peerId === '' ? undefined : peerId
  }

  /**
   * Validates and stores a binding from gossip or a file. Throws BindingError with the reason
   * (a caller on gossip maps it to REJECT); 'duplicate' means it is exactly the stored one (IGNORE).
   */
  accept(input: SignedPeerBinding | string | Uint8Array, nowMs: number): Promise<AcceptResult> {
    const run = this.#queue.then(() => this.#accept(input, nowMs))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #accept(input: SignedPeerBinding | string | Uint8Array, nowMs: number): Promise<AcceptResult> {
    // Re-decoding a typed binding too normalises addresses and rejects anything the wire would.
    const signed = decodeSignedBinding(
      typeof input === 'object' && 'binding' in input ? encodeSignedBinding(input) : input,
    )
    const { binding } = signed
    checkBindingPolicy(binding, this.policy, nowMs)
    const current = this.#byOperator.get(binding.operator)
    if (current) {
      if (encodeSignedBinding(current) === encodeSignedBinding(signed)) return 'duplicate'
      if (binding.nonce <= current.binding.nonce) {
        throw new BindingError(
          'stale-nonce',
          'nonce',
          `${binding.nonce} is not above the current nonce ${current.binding.nonce}`,
        )
      }
    }
    await verifyPeerSignature(signed, this.policy.chainId)
    await verifyOperatorSignature(signed, this.policy.chainId, this.#client)
    // Re-check after the awaits: the queue serialises accepts, but stay correct if that ever changes.
    const latest = this.#byOperator.get(binding.operator)
    if (latest && binding.nonce <= latest.binding.nonce) {
      throw new BindingError(
        'stale-nonce',
        'nonce',
        `${binding.nonce} is not above the current nonce ${latest.binding.nonce}`,
      )
    }
    // The current binding becomes the previous one, in one atomic write.
    const batch = this.#db.batch().put(`${OPERATOR_PREFIX}${binding.operator}`, encodeSignedBinding(signed))
    if (latest) batch.put(`${PREVIOUS_PREFIX}${binding.operator}`, encodeSignedBinding(latest))
    await batch.write()
    if (latest) this.#previous.set(binding.operator, latest)
    this.#index(signed)
    return 'stored'
  }

  #index(signed: SignedPeerBinding): void {
    const operator = signed.binding.operator
    const previous = this.#byOperator.get(operator)
    if (previous && this.#byPeer.get(previous.binding.peerId) === operator)
      this.#byPeer.delete(previous.binding.peerId)
    this.#byOperator.set(operator, signed)
    // A peer id claimed by two operators stays with the one that bound it last; the other operator's
    // binding then no longer resolves from the peer side, which is the safe direction.
    if (signed.binding.peerId !== '') this.#byPeer.set(signed.binding.peerId, operator)
  }
}
