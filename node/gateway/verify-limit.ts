// A bound on the proofs a gateway verifies at once. Every delivery is verified before it is accepted
// (DESIGN.md step 6) on the prover library's worker threads; without a bound, many provers delivering
// together (or one peer delivering garbage fast) would queue unbounded work and memory (a proof is
// about 120 KB). A few run at once, a few more wait; beyond that a delivery is refused with the
// retryable code `busy`, which provers retry until their job's deadline.

/** Verifications at once: the prover library verifies on worker threads; two keep both cores busy. */
export const VERIFY_CONCURRENCY = 2
/** Deliveries that may wait for a verification slot. */
export const VERIFY_QUEUE = 16

export class VerifyBusyError extends Error {
  readonly code = 'busy'
  readonly field = 'proof'
}

export class VerifyLimit {
  readonly concurrency: number
  readonly queue: number
  #active = 0
  readonly #waiting: (() => void)[] = []

  constructor(concurrency = VERIFY_CONCURRENCY, queue = VERIFY_QUEUE) {
    this.concurrency = concurrency
    this.queue = queue
  }

  /** Runs `verify` when a slot is free; throws VerifyBusyError at once when the queue is full too. */
  async run<T>(verify: () => Promise<T>): Promise<T> {
    if (this.#active >= this.concurrency) {
      if (this.#waiting.length >= this.queue)
        throw new VerifyBusyError(
          `${this.#active} proofs being verified and ${this.#waiting.length} waiting; retry shortly`,
        )
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    } else {
      this.#active++
    }
    try {
      return await verify()
    } finally {
      // Hand the slot straight to the next waiter (it never decrements), or free it.
      const next = this.#waiting.shift()
      if (next !== undefined) next()
      else this.#active--
    }
  }

  status() {
    return { verifying: this.#active, waiting: this.#waiting.length }
  }
}
