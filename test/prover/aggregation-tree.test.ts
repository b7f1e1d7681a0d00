import assert from 'node:assert/strict'
import {
  planAggregationTree,
  type AggregationTree,
  type ProofRef,
} from '../../node/dispatcher/aggregation-tree.ts'

/** Job indices in the order an in-order walk of the tree meets them. */
function jobsInOrder(tree: AggregationTree, ref: ProofRef): number[] {
  if (ref.kind === 'job') return [ref.index]
  const step = tree.steps[ref.index]!
  return [...jobsInOrder(tree, step.left), ...(step.right ? jobsInOrder(tree, step.right) : [])]
}

describe('aggregation tree', () => {
  it('covers every job exactly once, in order, for 1 to 70 jobs', () => {
    for (let n = 1; n <= 70; n++) {
      const tree = planAggregationTree(n)
      assert.deepEqual(jobsInOrder(tree, tree.root), [...Array(n).keys()], `n=${n}`)
    }
  })

  it('roots every tree in a node aggregation (level ≥ 1), so the final key is fixed', () => {
    for (let n = 1; n <= 70; n++) {
      const tree = planAggregationTree(n)
      assert.equal(tree.root.kind, 'aggregation')
      assert.ok(tree.steps[tree.root.index]!.level >= 1, `n=${n}`)
    }
  })

  it('never mixes job proofs with aggregations in one step', () => {
    for (let n = 1; n <= 70; n++) {
      for (const step of planAggregationTree(n).steps) {
        const kinds = [step.left, step.right].filter((r) => r !== null).map((r) => r.kind)
        assert.ok(
          kinds.every((k) => k === (step.level === 0 ? 'job' : 'aggregation')),
          `n=${n} step ${step.index}`,
        )
      }
    }
  })

  it('uses each aggregation as a child at most once and lists children before parents', () => {
    const tree = planAggregationTree(13)
    const used = new Set<number>()
    for (const step of tree.steps) {
      for (const child of [step.left, step.right]) {
        if (child?.kind !== 'aggregation') continue
        assert.ok(child.index < step.index)
        assert.ok(!used.has(child.index))
        used.add(child.index)
      }
    }
    assert.equal(used.size, tree.steps.length - 1)
  })

  it('is deterministic and has the expected sizes', () => {
    assert.deepEqual(planAggregationTree(5), planAggregationTree(5))
    assert.equal(planAggregationTree(1).steps.length, 2)
    assert.equal(planAggregationTree(2).steps.length, 2)
    assert.equal(planAggregationTree(5).steps.length, 5)
    assert.throws(() => planAggregationTree(0), RangeError)
  })
})
