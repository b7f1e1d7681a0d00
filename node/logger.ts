// JSON logs through pino. Components get child loggers tagged with `component` so one node's output
// can be filtered per subsystem.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino'
import { prettyDestination } from './log-format.ts'

export type Logger = PinoLogger
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const LOG_FORMATS = ['json', 'pretty'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export function createLogger(
  level: LogLevel,
  destination?: DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const out = destination ?? (format === 'pretty' ? prettyDestination() : pino.destination(2))
  return pino({ level, base: { app: 'prover-mesh' } }, out)
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
