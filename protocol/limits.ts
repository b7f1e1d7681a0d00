// Size limits. Byte limits apply to the encoded bytes before anything is decoded, so an oversized
// message costs a length check and nothing else.

import type { MessageKind } from './envelope.ts'

const KiB = 1024
const MiB = 1024 * KiB

/** Largest encoded SignedEnvelope accepted per message kind. */
export const MAX_ENVELOPE_BYTES: Readonly<Record<MessageKind, number>> = {
  SubmitTask: 1 * MiB,
  TaskAnnounce: 2 * KiB,
  Ask: 1 * KiB,
  Seal: 64 * KiB,
  PeerBinding: 1 * KiB,
  FetchJobInput: 1 * KiB,
  DeliverJobResult: 4 * MiB,
  JobDemand: 8 * KiB,
}

/** Jobs one JobDemand lists; a gateway splits larger demands (and a seal counts at most 1024 bids). */
export const MAX_DEMAND_JOBS = 1024

/** Largest frame on the submit stream from the gateway (the final frame may carry the root proof). */
export const MAX_SUBMIT_RESPONSE_BYTES = 4 * MiB
/** Largest JobInput / JobResultAck reply on the job protocol. */
export const MAX_JOB_REPLY_BYTES = 1 * MiB + 4 * KiB
/** A FetchBids request: at most MAX_SEAL_BIDS ids of 32 bytes plus framing. */
export const MAX_FETCH_BIDS_BYTES = 40 * KiB
/** A BidSet reply: at most MAX_SEAL_BIDS envelopes of at most 2 KiB (TaskAnnounce) each. */
export const MAX_BID_SET_BYTES = 2 * MiB + 16 * KiB
/** A FaultEvidence gossip message: one signed delivery (a proof of ~130 KB) or two seals. */
export const MAX_EVIDENCE_BYTES = 512 * KiB
/** Seals one SealSet reply carries (each at most MAX_ENVELOPE_BYTES.Seal); older ones come first. */
export const MAX_CATCHUP_SEALS = 32
/** A SealSet reply: MAX_CATCHUP_SEALS seal envelopes plus framing. */
export const MAX_SEAL_SET_BYTES = MAX_CATCHUP_SEALS * 64 * KiB + 16 * KiB

export const MAX_SUM_VALUES = 100_000
// What the prover's circuits can prove (rust-prover/src/config.rs); test/prover/limits.test.ts
// checks these against the library, so a gateway never accepts a task no prover can prove.
/** A `sum` job holds at most this many values… */
export const MAX_SUM_CHUNK = 1024
/** …and a multiple of this many (the commitment sponge absorbs 8 values at a time). */
export const SUM_CHUNK_MULTIPLE = 8
/** A `hashchain` job proves at most this many steps. */
export const MAX_HASHCHAIN_SEGMENT = 256n
/** Caps the steps a gateway runs natively to find segment boundaries; the circuits allow 2^31. */
export const MAX_HASHCHAIN_STEPS = 1n << 31n
/** Hashchain seeds are 4 little-endian 64-bit field elements, each below this order. */
export const GOLDILOCKS_ORDER = 0xffffffff00000001n
export const MAX_LEAF_JOBS = 4096
/** A deadline further out than this is a typo or an attempt to park state forever. */
export const MAX_DEADLINE_AHEAD_MS = 7 * 24 * 3600 * 1000
export const MAX_PROOF_TYPE_CHARS = 32
export const MAX_CLASS_CHARS = 64
