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
    return parseArgs({
      args: joinNegativeValues(argv, options),
      allowPositionals: true,
      options,
      strict: true,
    })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`)
  }
}

/**
 * parseArgs reads `--max-price -5` as a flag missing its value followed by a flag `-5`, and says the
 * argument is "ambiguous". A value-taking flag followed by a negative number gets that number as its
 * value (`--max-price=-5`), so the flag's own check names the flag and the value.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const next = argv[i + 1]
    const name = arg.startsWith('--') ? arg.slice(2) : undefined
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else {
      out.push(arg)
    }
  }
  return out
}

export function requireFlag(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}\nusage: ${usage}`)
  return value
}

/** Parses a non-negative safe integer flag, naming the flag when it is not one. */
export function integerFlag(
  value: string,
  flag: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a non-negative integer, got '${value}'`)
  const n = Number(value)
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${value}`)
  return n
}
