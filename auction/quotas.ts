// Largest-remainder quotas (DARA.md, Outcome): each active seller supplies a share of the traded
// units proportional to its capacity. Proportional rather than cheapest-first, because filling the
// cheapest seller first would let a seller gain by misreporting its cost.

/**
 * Splits `traded` units U over `capacities` k_j (listed in seller id order) summing to
 * `totalCapacity` K ≥ U: q_j = ⌊U·k_j / K⌋, then the U − Σq leftover units go one each to the
 * largest remainders (U·k_j) mod K, ties to the smaller id. Since U ≤ K, no q_j exceeds k_j.
 */
export function largestRemainderQuotas(
  capacities: readonly number[],
  totalCapacity: number,
  traded: number,
): number[] {
  const K = BigInt(totalCapacity)
  const U = BigInt(traded)
  const quotas: number[] = []
  const remainders: bigint[] = []
  let assigned = 0
  for (const k of capacities) {
    // U·k_j can pass 2^53 even though U and k_j are safe, hence bigint for the product.
    const share = U * BigInt(k)
    const quota = Number(share / K)
    quotas.push(quota)
    remainders.push(share % K)
    assigned += quota
  }
  const leftover = traded - assigned
  if (leftover > 0) {
    // `ids` is in id order, so on equal remainders the smaller index is the smaller id.
    const byRemainder = capacities
      .map((_, index) => index)
      .sort((a, b) => {
        const ra = remainders[a]!
        const rb = remainders[b]!
        return ra > rb ? -1 : ra < rb ? 1 : a - b
      })
    for (let i = 0; i < leftover; i++) quotas[byRemainder[i]!]! += 1
  }
  return quotas
}
