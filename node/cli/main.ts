// The `prover-mesh` command line: dispatches to the command whose words match the arguments.
import type { Command } from './command.ts'
import { CliError } from './errors.ts'

/**
 * The command modules, each loaded only when its first word is on the command line. Why: loading
 * every module loads libp2p, viem and the prover binding, about 0.7 s of start-up that
 * `auction clear` (a filter that needs only auction/) or `proof verify` would pay on every call.
 */
const COMMAND_MODULES: readonly { words: readonly string[]; load: () => Promise<readonly Command[]> }[] = [
  { words: ['node'], load: async () => (await import('./node.ts')).nodeCommands },
  { words: ['submit'], load: async () => (await import('./submit.ts')).submitCommands },
  { words: ['task'], load: async () => (await import('./task.ts')).taskCommands },
  { words: ['proof'], load: async () => (await import('./proof.ts')).proofCommands },
  { words: ['operator'], load: async () => (await import('./operator.ts')).operatorCommands },
  { words: ['auction'], load: async () => (await import('./auction.ts')).auctionCommands },
  { words: ['testnet'], load: async () => (await import('./testnet.ts')).testnetCommands },
  { words: ['ledger', 'faults'], load: async () => (await import('./ledger.ts')).ledgerCommands },
  { words: ['logs'], load: async () => (await import('./logs.ts')).logsCommands },
  { words: ['market'], load: async () => (await import('./market.ts')).marketCommands },
  { words: ['escrow'], load: async () => (await import('./escrow.ts')).escrowCommands },
]

async function loadCommands(firstWord?: string): Promise<Command[]> {
  const modules = COMMAND_MODULES.filter((m) => firstWord === undefined || m.words.includes(firstWord))
  return (await Promise.all(modules.map((m) => m.load()))).flat()
}

async function help(): Promise<string> {
  const commands = await loadCommands()
  const width = Math.max(...commands.map((c) => c.path.join(' ').length))
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`)
  return ['usage: prover-mesh <command> [options]', '', 'commands:', ...lines].join('\n')
}

async function findCommand(argv: string[]): Promise<{ command: Command; rest: string[] } | undefined> {
  const commands = await loadCommands(argv[0])
  const matches = commands.filter((c) => c.path.every((word, i) => argv[i] === word))
  const best = matches.sort((a, b) => b.path.length - a.path.length)[0]
  return best && { command: best, rest: argv.slice(best.path.length) }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    console.log(await help())
    return 0
  }
  const found = await findCommand(argv)
  if (!found) {
    console.error(`prover-mesh: unknown command '${argv.join(' ')}'\n\n${await help()}`)
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
