// `prover-mesh logs [FILE…]`: node logs (JSON lines) in the readable form, from files or stdin, e.g.
// `tail -f .prover-mesh/testnet/node-0.log | prover-mesh logs`.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { prettyLogLine } from '../log-format.ts'
import { parseFlags, type Command } from './command.ts'
import { CliError } from './errors.ts'

const USAGE = 'prover-mesh logs [FILE...]   (no FILE: standard input)'

async function printPretty(input: NodeJS.ReadableStream, name: string): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const line of lines) process.stdout.write(`${prettyLogLine(line)}\n`)
  } catch (error) {
    throw new CliError(
      `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    )
  }
}

const logs: Command = {
  path: ['logs'],
  summary: 'print node logs (JSON lines) readably: time, level, node, component, message, fields',
  usage: USAGE,
  async run(argv) {
    const { positionals } = parseFlags(argv, {}, USAGE)
    if (positionals.length === 0) await printPretty(process.stdin, 'standard input')
    for (const file of positionals) await printPretty(createReadStream(file), file)
    return 0
  },
}

export const logsCommands: Command[] = [logs]
