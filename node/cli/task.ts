// `prover-mesh task get`: a task's status, and its root proof once done, fetched later from any
// process through the task protocol (no signed request needed), verified here unless --no-verify.
import { writeFile } from 'node:fs/promises'
import { toHex } from '../../protocol/index.ts'
import {
  createLightClient,
  GatewayAddressError,
  GatewaysUnavailableError,
  GatewaysUnusableError,
  InvalidRequestError,
  parseGatewayAddress,
  ProofVerificationError,
  SubmitRejectedError,
  TaskNotFoundError,
  verifyTaskProof,
} from '../client/light-client.ts'
import { isSimulatedProof } from '../proving/sim.ts'
import { parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const USAGE = 'prover-mesh task get TASK_ID --gateway MULTIADDR[,MULTIADDR...] [--out PROOF] [--no-verify]'

/** Errors of the SDK that end the command with one line. */
const ONE_LINE_ERRORS = [
  TaskNotFoundError,
  GatewaysUnavailableError,
  GatewaysUnusableError,
  SubmitRejectedError,
  InvalidRequestError,
  ProofVerificationError,
]

const get: Command = {
  path: ['task', 'get'],
  summary:
    "a task's status as JSON; its root proof once done (--out), checked against the pinned verifier key",
  usage: `${USAGE}

  TASK_ID      the 64-hex-digit id submit printed
  --gateway    gateways to ask, in order (each with /p2p/<peer id>); the first that holds the task answers
  --out        write the root proof there (only once the task is done)
  --no-verify  do not verify the proof here (the check needs the prover library of this checkout)

The check proves the proof is a valid root proof of this task from its start; comparing the stated
result with your input is what 'submit --wait' does, which has the input.`,
  async run(argv) {
    const { values: f, positionals } = parseFlags(
      argv,
      {
        gateway: { type: 'string' },
        out: { type: 'string' },
        'no-verify': { type: 'boolean', default: false },
      },
      USAGE,
    )
    const [taskId, ...extra] = positionals
    if (taskId === undefined || extra.length > 0)
      throw new UsageError(`expected one TASK_ID\nusage: ${USAGE}`)
    if (!/^[0-9a-f]{64}$/.test(taskId))
      throw new UsageError(`TASK_ID must be 64 lowercase hex digits, got '${taskId}'`)
    const gateways = requireFlag(f.gateway, 'gateway', USAGE).split(',')
    for (const g of gateways) {
      try {
        parseGatewayAddress(g)
      } catch (error) {
        if (error instanceof GatewayAddressError) throw new UsageError(`--${error.message}`)
        throw error
      }
    }
    const client = await createLightClient({ gateways })
    try {
      const status = await client.fetch(taskId)
      const { proof } = status
      console.log(
        JSON.stringify({
          taskId: toHex(status.taskId),
          state: status.state,
          detail: status.detail,
          final: status.final,
          proofBytes: proof.byteLength,
        }),
      )
      if (proof.byteLength === 0) {
        if (f.out !== undefined)
          console.error(`no proof yet (state ${status.state}): nothing written to ${f.out}`)
        return 0
      }
      if (f.out !== undefined) {
        await writeFile(f.out, proof)
        console.error(`proof (${proof.byteLength} bytes) written to ${f.out}`)
      }
      if (isSimulatedProof(proof)) {
        const label = `task ${taskId}: SIMULATED result, nothing was proven (the network runs proverMode sim)`
        if (!f['no-verify']) throw new CliError(`${label}; --no-verify accepts it`)
        console.error(label)
      } else if (!f['no-verify']) {
        const { summary } = await verifyTaskProof(taskId, proof).catch((error: unknown) => {
          if (error instanceof ProofVerificationError) throw error
          throw new CliError(`cannot verify the proof (${(error as Error).message}); --no-verify skips this`)
        })
        console.error(`proof verified: task ${taskId} from its start: ${summary}`)
      }
      return 0
    } catch (error) {
      if (ONE_LINE_ERRORS.some((type) => error instanceof type)) throw new CliError((error as Error).message)
      throw error
    } finally {
      await client.close()
    }
  },
}

export const taskCommands: Command[] = [get]
