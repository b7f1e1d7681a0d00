// When a seal for epoch e may be accepted, as a pure function of the schedule and a moment. A seal
// is due from e's cut-off; one that arrives more than an epoch before that comes from a clock too
// far ahead (EARLY), and one that arrives after the next epoch's cut-off is too late (LATE): its bids
// have rolled into e+1, whose leader may count them. Neither proves a fault (auction/verdicts.ts).
import { cutoffMs, type EpochSchedule } from './epoch.ts'

export type SealTiming = 'early' | 'on-time' | 'late'

export function sealTiming(schedule: EpochSchedule, epoch: number, nowMs: number): SealTiming {
  if (cutoffMs(schedule, epoch) > nowMs + schedule.epochMs) return 'early'
  if (cutoffMs(schedule, epoch + 1) <= nowMs) return 'late'
  return 'on-time'
}
