// Exclusion on verified fault evidence, as a rule every honest leader applies alike. Evidence names
// the epoch of the fault (the assignment epoch a prover signed into its invalid delivery, or the
// epoch of two conflicting seals); a leader holding it counts none of the operator's asks in the
// EXCLUSION_EPOCHS epochs that start EVIDENCE_SETTLE_EPOCHS after it, so the operator wins no jobs.
// Seal verification does not depend on evidence: a proof is delivered, and its evidence gossiped,
// some time after the assignment, so nodes hold it at different moments, and a rule that changed
// which seals are valid would split their verdicts. A leader that has not seen the evidence yet, or
// ignores it, can still count the operator; its seal is valid.

export const EVIDENCE_SETTLE_EPOCHS = 2
export const EXCLUSION_EPOCHS = 64

export type EvidenceKind = 'INVALID_PROOF' | 'EQUIVOCATION'

/** Whether faults in `faultEpochs` exclude their operator from `epoch`. */
export function excludedIn(epoch: number, faultEpochs: Iterable<number>): boolean {
  for (const fault of faultEpochs) {
    const from = fault + EVIDENCE_SETTLE_EPOCHS
    if (epoch >= from && epoch < from + EXCLUSION_EPOCHS) return true
  }
  return false
}
