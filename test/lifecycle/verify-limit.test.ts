// The gateway's bound on proofs verified at once: two run, a bounded few wait, the rest are refused
// with the retryable `busy` code at once; a slot passes to the next waiter in arrival order.
import assert from 'node:assert/strict'
import { VerifyBusyError, VerifyLimit } from '../../node/gateway/verify-limit.ts'

function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

describe('verification limit', () => {
  it('runs two at once, queues one, refuses the next as busy, and hands slots over in order', async () => {
    const limit = new VerifyLimit(2, 1)
    const started: string[] = []
    const gates = { a: gate(), b: gate(), c: gate() }
    const job = (name: keyof typeof gates) =>
      limit.run(async () => {
        started.push(name)
        await gates[name].opened
        return name
      })
    const a = job('a')
    const b = job('b')
    const c = job('c')
    await Promise.resolve()
    assert.deepEqual(started, ['a', 'b'])
    assert.deepEqual(limit.status(), { verifying: 2, waiting: 1 })
    await assert.rejects(
      limit.run(async () => 'd'),
      (error: unknown) =>
        error instanceof VerifyBusyError && error.code === 'busy' && error.field === 'proof',
    )
    gates.a.open()
    assert.equal(await a, 'a')
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(started, ['a', 'b', 'c'], 'the waiter got the freed slot')
    assert.deepEqual(limit.status(), { verifying: 2, waiting: 0 })
    gates.b.open()
    gates.c.open()
    assert.deepEqual(await Promise.all([b, c]), ['b', 'c'])
    assert.deepEqual(limit.status(), { verifying: 0, waiting: 0 })
  })

  it('frees the slot when a verification throws', async () => {
    const limit = new VerifyLimit(1, 0)
    await assert.rejects(
      limit.run(async () => {
        throw new Error('bad proof bytes')
      }),
      /bad proof bytes/,
    )
    assert.equal(await limit.run(async () => 'next'), 'next')
    assert.deepEqual(limit.status(), { verifying: 0, waiting: 0 })
  })
})
