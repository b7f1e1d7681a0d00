// The capacity rule: how many proving units an operator may offer per epoch, given its stake.
//
//   units = 0                                              if stake < minimumStake
//   units = min(maxUnitsPerOperator, floor(stake / stakePerUnit))   otherwise
//
// Stake is the operator's minimum slashable stake in our operator set, converted to underlying-token
// wei and weighted per strategy (see read.ts). Linear in stake so that capacity an operator sells is
// always backed by the same amount of slashable value per unit; the cap bounds any single operator's
// share of an epoch regardless of its stake.

export interface CapacityRule {
  /** Weighted token wei an operator needs to sell anything. */
  readonly minimumStake: bigint
  /** Weighted token wei that backs one capacity unit. */
  readonly stakePerUnit: bigint
  /** Upper bound on any one operator's units per epoch. */
  readonly maxUnitsPerOperator: number
}

export function capacityUnits(stake: bigint, rule: CapacityRule): number {
  if (stake < rule.minimumStake) return 0
  const units = stake / rule.stakePerUnit
  const max = BigInt(rule.maxUnitsPerOperator)
  return Number(units < max ? units : max)
}
