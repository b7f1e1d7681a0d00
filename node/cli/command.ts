import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './errors.ts'

/** One leaf command of the CLI, e.g. `proof local`. */
export interface Command {
  /** Words after `prover-mesh`, e.g. ['proof', 'local']. */
  readonly path: readonly string[]
  readonly summary: string
  readonly usage: string
  run(argv: string[]): Promise<number>
}

type Options = NonNullable<ParseArgsConfig['options']>

/** Strict flag parsing: unknown flags and missing values are usage errors naming the flag. */
export function parseFlags<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`)
  }
}

export function requireFlag(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}\nusage: ${usage}`)
  return value
}

/** Parses a non-negative safe integer flag, naming the flag when it is not one. */
export function integerFlag(value: string, flag: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be an integer, got '${value}'`)
  const n = Number(value)
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${value}`)
  return n
}
