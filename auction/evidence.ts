// Exclusion on verified fault evidence, as a rule every node applies alike. Evidence names the
// epoch of the fault (the assignment epoch a prover signed into its invalid delivery, or the epoch
// of two conflicting seals); the operator is left out of the operator sets of the EXCLUSION_EPOCHS
// epochs that start EVIDENCE_SETTLE_EPOCHS after it, by which time the evidence has reached every
// node (it gossips, and each node verifies it itself). It cannot sell, seal or act as a gateway then.

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
