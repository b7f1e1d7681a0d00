/** Wall-clock time, injected so validation and state transitions can be tested at a fixed instant. */
export interface Clock {
  /** Unix time in milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
