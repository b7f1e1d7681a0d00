// `prover-mesh auction …`: the DARA clearing as a command-line filter, for operators and tests to
// check what every node computes.
import { clearAuction } from '../../auction/clear.ts'
import { AuctionInputError } from '../../auction/errors.ts'
import { encodeClearingResultBytes, parseClearRequestText } from '../../auction/json.ts'
import { parseFlags, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const clearUsage = 'prover-mesh auction clear < request.json'

const clearCommand: Command = {
  path: ['auction', 'clear'],
  summary: 'clear one DARA auction: reads a JSON request on stdin, writes the result on stdout',
  usage: clearUsage,
  async run(argv) {
    const { positionals } = parseFlags(argv, {}, clearUsage)
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument '${positionals[0]}'\nusage: ${clearUsage}`)
    const input = await readStdin()
    let output: Uint8Array
    try {
      const { buyers, sellers, reserves } = parseClearRequestText(input)
      output = encodeClearingResultBytes(clearAuction(buyers, sellers, reserves))
    } catch (error) {
      if (error instanceof AuctionInputError) throw new CliError(`invalid auction input: ${error.message}`)
      throw error
    }
    // The canonical text's UTF-8 bytes go out as they are: decoding 20 MB into a string only for the
    // stream to encode it again cost tens of milliseconds.
    process.stdout.write(output)
    process.stdout.write('\n')
    return 0
  },
}

/** All of stdin as text. Chunks joined once: stream/consumers' buffer() goes through a Blob, ~20 ms more on 11 MB. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export const auctionCommands: Command[] = [clearCommand]
