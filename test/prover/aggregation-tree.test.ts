import { aggregationJobCount } from '../../protocol/index.ts'
import { planJobs } from '../../node/dispatcher/job-plan.ts'
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

  it('agrees with the announce header (aggregationJobCount) for 1 to 300 jobs', () => {
    for (let n = 1; n <= 300; n++)
      assert.equal(aggregationJobCount(n), planAggregationTree(n).steps.length, `n=${n}`)
  })
})

describe('planJobs (dispatcher job plan)', () => {
  it('numbers leaves first, then aggregation steps, and links children and parents both ways', () => {
    for (let n = 1; n <= 40; n++) {
      const plan = planJobs('sum', n)
      assert.equal(plan.jobs.length, n + aggregationJobCount(n))
      plan.jobs.forEach((job, i) => assert.equal(job.index, i))
      assert.ok(plan.jobs.slice(0, n).every((j) => j.resourceClass === 'sum/leaf' && j.children.length === 0))
      assert.ok(plan.jobs.slice(n).every((j) => j.resourceClass === 'aggregate' && j.children.length >= 1))
      assert.equal(plan.jobs[plan.root]!.parent, null)
      assert.equal(plan.jobs.filter((j) => j.parent === null).length, 1, `n=${n}: one root`)
      for (const job of plan.jobs) {
        for (const child of job.children) {
          assert.equal(plan.jobs[child]!.parent, job.index)
          assert.ok(child < job.index, 'children come before their parent')
        }
      }
    }
    assert.deepEqual(
      planJobs('hashchain', 3).jobs.map((j) => [j.index, j.children, j.parent]),
      [
        [0, [], 3],
        [1, [], 3],
        [2, [], 4],
        [3, [0, 1], 5],
        [4, [2], 5],
        [5, [3, 4], null],
      ],
    )
  })
})
