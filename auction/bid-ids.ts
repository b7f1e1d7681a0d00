// The ids bids are known by in seals, 32 bytes (64 hex digits) that nobody but the bid's signer can
// vary: an ask's id hashes its signed body bytes (a relay cannot re-encode them without breaking
// the signature); a buyer's id hashes the task id, the job index and the demand round.
import { sha256, toHex } from '../protocol/index.ts'

const encoder = new TextEncoder()

/** sha256("prover-mesh/bid/ask/v1\n" ‖ the Ask body bytes as signed), hex. */
export function askBidId(askBody: Uint8Array): string {
  return toHex(sha256(encoder.encode('prover-mesh/bid/ask/v1\n'), askBody))
}

/** sha256("prover-mesh/bid/job/v1\n" ‖ task id ‖ job index (u32 BE) ‖ round (u32 BE)), hex. */
export function buyerBidId(taskId: Uint8Array, jobIndex: number, round: number): string {
  const numbers = new Uint8Array(8)
  const view = new DataView(numbers.buffer)
  view.setUint32(0, jobIndex)
  view.setUint32(4, round)
  return toHex(sha256(encoder.encode('prover-mesh/bid/job/v1\n'), taskId, numbers))
}
