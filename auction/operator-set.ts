// Which operators (and which of their peers) take part in epoch e, as a pure function of inputs every
// honest node holds alike once bindings have spread: the schedule and each operator's binding history.
// Leaders, sellers and gateways of e are judged against this set, so two nodes whose views of the
// bindings lag each other still agree on e's leader, as long as a binding reaches every node within
// BINDING_SETTLE_EPOCHS (gossip, plus the binding sync on connect).
//
// Rule: an operator's binding in force for e is the newest of its bindings issued at least
// BINDING_SETTLE_EPOCHS epochs before e starts; the operator is in e's set if that binding names a
// peer (it is not a revocation), has not expired at e's start, and the stake check admits it. A new
// or rotated binding thus takes effect two epochs after it is issued, on every node at once.
//
// Limit: the stake check is the caller's view of the chain (the node's stake snapshot), not yet read
// at a block pinned per epoch; two nodes whose snapshots straddle a stake change can disagree for
// the epochs until both refresh.
import { epochStartMs, type EpochSchedule } from './epoch.ts'

export const BINDING_SETTLE_EPOCHS = 2

/** One binding of an operator as the rule needs it. */
export interface BindingRecord {
  /** 0x address, any case. */
  readonly operator: string
  /** '' for a revocation. */
  readonly peerId: string
  readonly issuedAtMs: number
  readonly expiresAtMs: number
}

/** The binding in force for `epoch` among one operator's bindings (oldest first, by nonce). */
export function bindingInForce(
  schedule: EpochSchedule,
  epoch: number,
  history: readonly BindingRecord[],
): BindingRecord | undefined {
  const settledBy = epochStartMs(schedule, epoch) - BINDING_SETTLE_EPOCHS * schedule.epochMs
  let inForce: BindingRecord | undefined
  for (const record of history) if (record.issuedAtMs <= settledBy) inForce = record
  return inForce
}

/** Operators of `epoch` (lowercase, sorted) and each one's peer, from every operator's history. */
export function operatorSetOfEpoch(
  schedule: EpochSchedule,
  epoch: number,
  histories: Iterable<readonly BindingRecord[]>,
  admitted: (operator: string) => boolean,
): Map<string, string> {
  const start = epochStartMs(schedule, epoch)
  const members: [string, string][] = []
  for (const history of histories) {
    const record = bindingInForce(schedule, epoch, history)
    if (record === undefined || record.peerId === '' || record.expiresAtMs <= start) continue
    const operator = record.operator.toLowerCase()
    if (admitted(operator)) members.push([operator, record.peerId])
  }
  return new Map(members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
