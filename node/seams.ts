// Seams for subsystems built in other issues (prover, auction; stake is wired in: node/stake/). The node takes them as
// optional dependencies; without them a node runs the network roles only (gateway, relay, record).
import type { TaskAnnounce } from '../protocol/index.ts'

/** Proves jobs off the event loop (prover-ffi). */
export interface Prover {
  /** Proof types and resource classes this prover can serve, e.g. ['sum/leaf', 'aggregate']. */
  capabilities(): Promise<{ classes: string[]; gpu: boolean }>
  proveJob(
    job: { taskId: Uint8Array; jobIndex: number; class: string; input: Uint8Array },
    signal?: AbortSignal,
  ): Promise<{
    proof: Uint8Array
    publicOutputs: Uint8Array
  }>
  verify(proofType: string, proof: Uint8Array, publicOutputs: Uint8Array): Promise<boolean>
}

/** The DARA auction: told about tasks and gossip, decides who proves what. */
export interface AuctionEngine {
  onTaskAnnounced(announce: TaskAnnounce): void
  /** Gossip validation hooks for the asks and seals topics; return a reason to reject, or undefined. */
  checkAsk?(askEnvelope: Uint8Array): Promise<string | undefined>
  checkSeal?(sealEnvelope: Uint8Array): Promise<string | undefined>
}
