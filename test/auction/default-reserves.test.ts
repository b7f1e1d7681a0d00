// What a client pays under the network's default reserves (a posted price): exactly the posted price
// per job, whatever its max price, and the treasury keeps only what DARA's trade reduction leaves.
import assert from 'node:assert/strict'
import { epochSalt } from '../../auction/epoch.ts'
import { buyerPriceCap, clearEpoch, verifySeal, buildSeal, type EpochAuction } from '../../auction/seal.ts'
import type { Reserves } from '../../auction/types.ts'
import { DEFAULT_CONFIG, reservesOf } from '../../node/config.ts'

const CLASS = 'sum/leaf'
const defaults = reservesOf(DEFAULT_CONFIG)

/** One epoch's auction: `jobs` one-unit buyer bids of one task at `maxPrice`, one-unit asks at `costs`. */
function epochAuction(epoch: number, jobs: number, maxPrice: bigint, costs: bigint[], reserves: Reserves) {
  const auction: EpochAuction = {
    epoch,
    resourceClass: CLASS,
    salt: epochSalt(epoch, CLASS, 'prover-mesh/test'),
    buyers: Array.from({ length: jobs }, (_, i) => ({ bidId: `task-t/job-${i}`, units: 1, price: maxPrice })),
    sellers: costs.map((cost, i) => ({ bidId: `ask-${i}`, units: 1, cost })),
    reserves,
  }
  return auction
}

function totals(auction: EpochAuction) {
  const { result } = clearEpoch(auction)
  const paid = result.buyerOutcomes.reduce((sum, b) => sum + b.payment, 0n)
  const earned = result.sellerOutcomes.reduce((sum, s) => sum + s.payment, 0n)
  return { result, paid, earned, won: result.winningBuyers.length }
}

describe('default reserves: what a client pays', () => {
  it('the default is a posted price of 1: floor = ceiling = 1, and a prover asks 1', () => {
    assert.deepEqual(defaults, { buyerFloor: 1n, sellerCeiling: 1n })
    assert.equal(DEFAULT_CONFIG.proverCost, '1')
  })

  it('a job bid at max price 5 pays the posted price 1 when demand exceeds capacity', () => {
    // 5 jobs, 3 provers: 2 jobs are rejected; uncapped, the rejected job's price 5 would be the price.
    const { result, paid, earned, won } = totals(epochAuction(1, 5, 5n, [1n, 1n, 1n], defaults))
    assert.equal(result.trade, true)
    assert.equal(result.buyerPrice, 1n)
    assert.equal(result.sellerPrice, 1n)
    assert.equal(result.units, 3)
    assert.equal(won, 3)
    assert.equal(paid, 3n)
    assert.equal(earned, 3n)
    assert.equal(result.surplus, 0n)
  })

  it('a task of 15 jobs at max price 5 against 10 provers pays exactly 15 over two epochs', () => {
    // Epoch 1: 10 of 15 jobs win; epoch 2: the 5 left over against the 10 provers' next asks.
    const first = totals(epochAuction(1, 15, 5n, Array<bigint>(10).fill(1n), defaults))
    const second = totals(epochAuction(2, 15 - first.won, 5n, Array<bigint>(10).fill(1n), defaults))
    assert.deepEqual([first.won, second.won], [10, 5])
    assert.deepEqual([first.paid, second.paid], [10n, 5n])
    assert.equal(first.paid + second.paid, 15n, 'the client pays 15 × the posted price')
    assert.equal(first.earned + second.earned, 15n, 'the provers earn all of it')
    assert.equal(first.result.surplus + second.result.surplus, 0n, 'the treasury takes nothing')
  })

  it('a price band (floor 1, ceiling 4): a job pays at most the ceiling; the surplus is trade reduction', () => {
    // 2 jobs at max price 5 (counted as 4), provers at 1, 2, 3: the clock rejects the provers at 3
    // and 2 (seller price 2), then one job (buyer price 4): one unit trades, 4 paid, 2 earned.
    const { result, paid, earned } = totals(
      epochAuction(1, 2, 5n, [1n, 2n, 3n], { buyerFloor: 1n, sellerCeiling: 4n }),
    )
    assert.equal(result.buyerPrice, 4n)
    assert.equal(result.sellerPrice, 2n)
    assert.equal(result.units, 1)
    assert.equal(paid, 4n)
    assert.equal(earned, 2n)
    assert.equal(result.surplus, 2n)
  })

  it('a job bid below the floor still does not trade, and no ceiling caps nothing', () => {
    const below = totals(epochAuction(1, 3, 1n, [1n, 1n], { buyerFloor: 2n, sellerCeiling: 2n }))
    assert.equal(below.result.trade, false)
    // Without a ceiling, prices are DARA's: the rejected job's price 5 sets the buyer price.
    const open = totals(epochAuction(1, 3, 5n, [1n, 1n, 1n], { buyerFloor: 0n, sellerCeiling: null }))
    assert.equal(open.result.buyerPrice, 5n)
  })

  it('the cap is the ceiling, or the floor where that is higher; none without a ceiling', () => {
    assert.equal(buyerPriceCap({ buyerFloor: 1n, sellerCeiling: 1n }), 1n)
    assert.equal(buyerPriceCap({ buyerFloor: 1n, sellerCeiling: 4n }), 4n)
    assert.equal(buyerPriceCap({ buyerFloor: 7n, sellerCeiling: 3n }), 7n)
    assert.equal(buyerPriceCap({ buyerFloor: 7n, sellerCeiling: null }), null)
  })

  it('a seal built under the cap verifies, with the same result', () => {
    const auction = epochAuction(3, 5, 5n, [1n, 1n, 1n], defaults)
    const { body, clearing } = buildSeal(auction)
    assert.equal(verifySeal(body, auction).resultHash, clearing.resultHash)
    assert.equal(clearing.result.buyerPrice, 1n)
  })
})
