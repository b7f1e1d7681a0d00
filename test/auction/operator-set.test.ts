// The operator set of an epoch (auction/operator-set.ts) as nodes whose binding views lag each other
// compute it: they must agree on every epoch's members, peers and leader, because a binding only
// takes effect BINDING_SETTLE_EPOCHS after it was issued, by which time it has reached everyone.
import assert from 'node:assert/strict'
import { epochLeader, epochStartMs } from '../../auction/epoch.ts'
import {
  BINDING_SETTLE_EPOCHS,
  bindingInForce,
  operatorSetOfEpoch,
  type BindingRecord,
} from '../../auction/operator-set.ts'
import { stakeOperatorSet } from '../../node/market/stake-operators.ts'
import type { NodeStake } from '../../node/stake/node-stake.ts'
import type { SignedPeerBinding } from '../../node/stake/binding.ts'

const schedule = { genesisMs: 1_700_000_000_000, epochMs: 1000, graceMs: 100 }
const X = '0x' + '11'.repeat(20)
const Y = '0x' + '22'.repeat(20)
const Z = '0x' + '33'.repeat(20)
const DAY = 86_400_000
const at = (epoch: number, offsetMs = 0) => epochStartMs(schedule, epoch) + offsetMs
const binding = (operator: string, peerId: string, issuedAtMs: number): BindingRecord => ({
  operator,
  peerId,
  issuedAtMs,
  expiresAtMs: issuedAtMs + DAY,
})

describe('operator set of an epoch', function () {
  const oldX = binding(X, 'peer-x-old', at(0))
  const newX = binding(X, 'peer-x-new', at(10, 300)) // a rotation during epoch 10
  const y = binding(Y, 'peer-y', at(0))
  const z = binding(Z, 'peer-z', at(10, 500)) // a new operator joining during epoch 10

  it('takes a binding into force BINDING_SETTLE_EPOCHS epochs after it was issued, not before', function () {
    assert.equal(BINDING_SETTLE_EPOCHS, 2)
    assert.equal(bindingInForce(schedule, 12, [oldX, newX]), oldX, 'issued in epoch 10: not yet in 12')
    assert.equal(bindingInForce(schedule, 13, [oldX, newX]), newX)
    assert.equal(bindingInForce(schedule, 1, [oldX]), undefined, 'issued at epoch 0: in force from 2')
    assert.equal(bindingInForce(schedule, 2, [oldX]), oldX)
  })

  it('gives nodes with lagging binding views the same members, peers and leader in every epoch', function () {
    const everyone = () => true
    // Node A has every binding; node B has not received the rotation of X nor Z's first binding yet.
    const a = [[oldX, newX], [y], [z]]
    const b = [[oldX], [y]]
    for (let epoch = 3; epoch <= 12; epoch++) {
      const setA = operatorSetOfEpoch(schedule, epoch, a, everyone)
      const setB = operatorSetOfEpoch(schedule, epoch, b, everyone)
      assert.deepEqual([...setA], [...setB], `epoch ${epoch}`)
      for (const resourceClass of ['sum/leaf', 'aggregate'])
        assert.equal(
          epochLeader(epoch, resourceClass, [...setA.keys()]),
          epochLeader(epoch, resourceClass, [...setB.keys()]),
        )
    }
    assert.equal(operatorSetOfEpoch(schedule, 12, a, everyone).get(X.toLowerCase()), 'peer-x-old')
    assert.equal(operatorSetOfEpoch(schedule, 13, a, everyone).get(X.toLowerCase()), 'peer-x-new')
  })

  it('leaves out revoked, expired and unadmitted operators', function () {
    const revoked = binding(Y, '', at(3))
    const expired = { ...binding(Z, 'peer-z', at(0)), expiresAtMs: at(6) }
    const set = (epoch: number, admitted = (_: string) => true) => [
      ...operatorSetOfEpoch(schedule, epoch, [[oldX], [y, revoked], [expired]], admitted).keys(),
    ]
    assert.deepEqual(
      set(4),
      [X, Y, Z].map((o) => o.toLowerCase()),
    )
    assert.deepEqual(
      set(5),
      [X, Z].map((o) => o.toLowerCase()),
      'revoked from epoch 5',
    )
    assert.deepEqual(set(6), [X.toLowerCase()], 'expired at the start of epoch 6')
    assert.deepEqual(
      set(4, (o) => o !== X.toLowerCase()),
      [Y, Z].map((o) => o.toLowerCase()),
    )
  })

  it("is what a stake node's operator set serves, so two nodes' drivers agree while one lags", function () {
    const signed = (r: BindingRecord, nonce: bigint) =>
      ({
        binding: {
          operator: r.operator,
          peerId: r.peerId,
          nonce,
          issuedAt: BigInt(r.issuedAtMs / 1000),
          expiry: BigInt(r.expiresAtMs / 1000),
        },
      }) as unknown as SignedPeerBinding
    // The node's view: its registry's histories and a fresh stake snapshot admitting every operator.
    const view = (histories: SignedPeerBinding[][]) =>
      ({
        registry: { histories: () => histories },
        oracle: {
          snapshot: { blockNumber: 7n },
          age: () => 0,
          config: { maxStalenessMs: 60_000 },
          lookup: () => ({ status: 'member', stake: { meetsMinimum: true }, blockNumber: 7n }),
        },
      }) as unknown as NodeStake
    // Issued at whole seconds, as bindings are.
    const rotated = signed(binding(X, 'peer-x-new', at(11)), 2n)
    const lagging = stakeOperatorSet(view([[signed(oldX, 1n)]]), schedule, () => at(11, 500))
    const current = stakeOperatorSet(view([[signed(oldX, 1n), rotated]]), schedule, () => at(11, 500))
    for (const epoch of [11, 12]) {
      assert.deepEqual(current.operators(epoch), lagging.operators(epoch))
      assert.equal(current.peerOf(X, epoch), lagging.peerOf(X, epoch))
      assert.equal(current.peerOf(X, epoch), 'peer-x-old')
    }
    assert.equal(current.peerOf(X, 13), 'peer-x-new')
  })
})
