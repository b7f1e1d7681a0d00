// The `prover-mesh` command line: dispatches to the command whose words match the arguments.
import { auctionCommands } from './auction.ts'
import type { Command } from './command.ts'
import { CliError } from './errors.ts'
import { ledgerCommands } from './ledger.ts'
import { logsCommands } from './logs.ts'
import { nodeCommands } from './node.ts'
import { operatorCommands } from './operator.ts'
import { proofCommands } from './proof.ts'
import { submitCommands } from './submit.ts'
import { taskCommands } from './task.ts'
import { testnetCommands } from './testnet.ts'

const commands: Command[] = [
  ...nodeCommands,
  ...submitCommands,
  ...taskCommands,
  ...proofCommands,
  ...operatorCommands,
  ...auctionCommands,
  ...testnetCommands,
  ...ledgerCommands,
  ...logsCommands,
]

function help(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length))
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`)
  return ['usage: prover-mesh <command> [options]', '', 'commands:', ...lines].join('\n')
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands.filter((c) => c.path.every((word, i) => argv[i] === word))
  const best = matches.sort((a, b) => b.path.length - a.path.length)[0]
  return best && { command: best, rest: argv.slice(best.path.length) }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    console.log(help())
    return 0
  }
  const found = findCommand(argv)
  if (!found) {
    console.error(`prover-mesh: unknown command '${argv.join(' ')}'\n\n${help()}`)
    return 2
  }
  if (found.rest.includes('--help')) {
    console.log(`usage: ${found.command.usage}\n\n${found.command.summary}`)
    return 0
  }
  try {
    return await found.command.run(found.rest)
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`prover-mesh: ${error.message}`)
      return error.exitCode
    }
    throw error
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2))
}
