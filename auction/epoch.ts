// Epoch bookkeeping as pure functions of time passed in (DESIGN.md step 5): which epoch a moment
// or a bid belongs to, when an epoch's bids are final, who seals it, and the ids bids are ranked
// by. No clock reads here, so every node computes the same answers from the same inputs.
import { EpochInputError } from './errors.ts'
import { domainHash, domainHashOfLast } from './hash.ts'
import { compareIds, idOrder } from './order.ts'
import { LONE_SURROGATE } from './validate.ts'

/**
 * Epoch e is the window [genesisMs + e·epochMs, genesisMs + (e+1)·epochMs). Bids for it are final
 * at its cut-off, graceMs after the window ends, so that bids still in flight through gossip count.
 */
export interface EpochSchedule {
  readonly genesisMs: number
  readonly epochMs: number
  readonly graceMs: number
}

export function validateSchedule({ genesisMs, epochMs, graceMs }: EpochSchedule): void {
  requireInteger('genesisMs', genesisMs, 0)
  requireInteger('epochMs', epochMs, 1)
  requireInteger('graceMs', graceMs, 0)
  // A grace of a whole epoch would let epoch e still take bids after epoch e+1 has ended.
  if (graceMs >= epochMs) throw new EpochInputError('graceMs', `must be shorter than epochMs (${epochMs})`)
}

/** The epoch whose window contains `nowMs`. */
export function epochIndex(schedule: EpochSchedule, nowMs: number): number {
  validateSchedule(schedule)
  requireInteger('nowMs', nowMs, schedule.genesisMs)
  return Math.floor((nowMs - schedule.genesisMs) / schedule.epochMs)
}

export function epochStartMs(schedule: EpochSchedule, epoch: number): number {
  validateSchedule(schedule)
  requireInteger('epoch', epoch, 0)
  return schedule.genesisMs + epoch * schedule.epochMs
}

/** The moment from which epoch `epoch` takes no more bids and can be cleared and sealed. */
export function cutoffMs(schedule: EpochSchedule, epoch: number): number {
  return epochStartMs(schedule, epoch + 1) + schedule.graceMs
}

/** The epoch a bid is counted in, and whether it arrived too late for the one it named. */
export interface BidPlacement {
  readonly epoch: number
  readonly late: boolean
}

/**
 * Places a bid that arrives at `arrivalMs`, naming `targetEpoch` (or none: the earliest open one).
 * A bid is counted in its target epoch if that epoch's cut-off has not passed; otherwise it rolls
 * into the earliest epoch still open, so a late bid is deferred rather than lost.
 */
export function placeBid(schedule: EpochSchedule, arrivalMs: number, targetEpoch?: number): BidPlacement {
  validateSchedule(schedule)
  requireInteger('arrivalMs', arrivalMs, 0)
  if (targetEpoch !== undefined) requireInteger('targetEpoch', targetEpoch, 0)
  // cutoff(e) > t  ⇔  e > (t − genesis − grace) / epochMs − 1, so the earliest open epoch is:
  const sinceFirstCutoff = arrivalMs - schedule.genesisMs - schedule.graceMs
  const earliestOpen = Math.max(0, Math.floor(sinceFirstCutoff / schedule.epochMs))
  if (targetEpoch === undefined) return { epoch: earliestOpen, late: false }
  return targetEpoch >= earliestOpen
    ? { epoch: targetEpoch, late: false }
    : { epoch: earliestOpen, late: true }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/**
 * Operators in the order they stand in line to seal (epoch, class): ascending
 * sha256("prover-mesh/dara/leader/v1\n" + epoch + "\n" + JSON(class) + "\n" + lowercase address).
 * The first is the leader; if its seal is missing, the bids roll into the next epoch, whose line
 * is reshuffled. Addresses are compared case-insensitively and returned as given.
 */
export function leaderRanking(epoch: number, resourceClass: string, operators: readonly string[]): string[] {
  requireInteger('epoch', epoch, 0)
  const seen = new Set<string>()
  const keyed = operators.map((address) => {
    if (!ADDRESS.test(address))
      throw new EpochInputError('operator', `${JSON.stringify(address)} is not a 0x address`)
    const normal = address.toLowerCase()
    if (seen.has(normal)) throw new EpochInputError('operator', `${address} is listed twice`)
    seen.add(normal)
    return { address, rank: domainHash('leader/v1', [String(epoch), JSON.stringify(resourceClass), normal]) }
  })
  return keyed.sort((a, b) => compareIds(a.rank, b.rank)).map((k) => k.address)
}

/** The operator that seals (epoch, class); undefined when no operator is staked. */
export function epochLeader(
  epoch: number,
  resourceClass: string,
  operators: readonly string[],
): string | undefined {
  return leaderRanking(epoch, resourceClass, operators)[0]
}

/** The longest salt seed accepted: a name, a genesis digest or a block hash fit many times over. */
export const MAX_SALT_SEED_LENGTH = 256

/** Rejects a salt seed that is not a non-empty, well-formed string of at most 256 characters. */
export function validateSaltSeed(seed: string): void {
  if (typeof seed !== 'string' || seed === '') throw new EpochInputError('seed', 'must be a non-empty string')
  if (seed.length > MAX_SALT_SEED_LENGTH) {
    throw new EpochInputError(
      'seed',
      `must be at most ${MAX_SALT_SEED_LENGTH} characters, got ${seed.length}`,
    )
  }
  // A lone surrogate has no UTF-8 encoding: two such seeds would hash alike.
  if (LONE_SURROGATE.test(seed)) throw new EpochInputError('seed', 'must be well-formed Unicode')
}

/**
 * The salt of one auction: sha256("prover-mesh/dara/salt/v2\n" + epoch + "\n" + JSON(class) + "\n"
 * + seed). It is fixed before the cut-off and does not depend on which bids are counted, so a
 * leader choosing the counted set cannot change anyone's tie-break id. `seed` is the network's salt
 * seed (a chain block hash at the epoch's pinned block, later); limits are in auction/README.md.
 */
export function epochSalt(epoch: number, resourceClass: string, seed: string): string {
  requireInteger('epoch', epoch, 0)
  validateSaltSeed(seed)
  return domainHash('salt/v2', [String(epoch), JSON.stringify(resourceClass), seed])
}

/** The id a bid is ranked by in the auction: sha256 of the salt and its bid id, 64 hex digits. */
export function tieBreakId(bidId: string, salt: string): string {
  return domainHash('tiebreak/v1', [salt, bidId])
}

/** tieBreakId(·, salt) as one function, for many bids: the salt's part is encoded once. */
export function tieBreakIdOf(salt: string): (bidId: string) => string {
  return domainHashOfLast('tiebreak/v1', [salt])
}

/** Ids in bytewise UTF-8 order, the order seals list them in. */
export function sortIds(ids: readonly string[]): string[] {
  return idOrder(ids).map((index) => ids[index]!)
}

function requireInteger(field: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value)) throw new EpochInputError(field, `must be a safe integer, got ${value}`)
  if (value < min) throw new EpochInputError(field, `must be at least ${min}, got ${value}`)
}
