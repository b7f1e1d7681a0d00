// The chaos soak's seeded randomness: one PRNG (mulberry32) from --seed drives the fault schedule and
// the tasks' inputs, so two runs with the same seed inject the same faults in the same order on the
// same nodes with the same durations (only their timing relative to the tasks varies with the load).

/** mulberry32: a small 32-bit PRNG, good enough for schedules (not for keys). Values in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An integer in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

export type FaultKind = 'kill' | 'pause' | 'skew'

export interface PlannedFault {
  /** Pause before this fault starts, after the previous one ended. */
  gapMs: number
  kind: FaultKind
  node: number
  /** kill: how long the node stays down before its restart; pause: how long it stays stopped. */
  durationMs: number
  /** skew: the node's new clock offset. */
  skewMs: number
}

export interface ScheduleOptions {
  nodes: number
  /** Clock skews stay within ±graceMs/2 (the market's bids-final grace absorbs them). */
  graceMs: number
  /** Gaps between faults, ms. */
  gapMs: [number, number]
  /** Kill downtime and pause length, ms; both stay well under the job timeout. */
  outageMs: [number, number]
}

/**
 * The fault sequence: SIGKILL + restart of any node (the gateway included), SIGSTOP/SIGCONT of any
 * node, and clock skew of one node chosen once (so at most one node's clock is off at a time).
 */
export function* faultSchedule(random: () => number, o: ScheduleOptions): Generator<PlannedFault> {
  const skewed = between(random, 0, o.nodes - 1)
  const maxSkew = Math.floor(o.graceMs / 2)
  for (;;) {
    const gapMs = between(random, o.gapMs[0], o.gapMs[1])
    const roll = random()
    const kind: FaultKind = roll < 0.4 ? 'kill' : roll < 0.7 ? 'pause' : 'skew'
    const node = kind === 'skew' ? skewed : between(random, 0, o.nodes - 1)
    const durationMs = kind === 'skew' ? 0 : between(random, o.outageMs[0], o.outageMs[1])
    const skewMs = kind === 'skew' ? between(random, -maxSkew, maxSkew) : 0
    yield { gapMs, kind, node, durationMs, skewMs }
  }
}

/** u32 values for a small `sum` task. */
export function randomValues(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * 2 ** 32))
}

const GOLDILOCKS_ORDER = 0xffffffff00000001n

/** A canonical hashchain seed (4 little-endian u64 limbs below the Goldilocks order). */
export function randomSeed(random: () => number): Uint8Array {
  const out = new Uint8Array(32)
  const view = new DataView(out.buffer)
  for (let limb = 0; limb < 4; limb++) {
    let v: bigint
    do v = (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32))
    while (v >= GOLDILOCKS_ORDER)
    view.setBigUint64(limb * 8, v, true)
  }
  return out
}
