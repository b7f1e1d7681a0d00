// `prover-mesh submit`: signs a task, submits it through the light client, prints the task id and,
// with --wait, the progress until the task ends, then verifies the root proof itself.
import { writeFile } from 'node:fs/promises'
import { fromHex, type SubmitTaskParams } from '../../protocol/index.ts'
import {
  createLightClient,
  GatewaysUnavailableError,
  GatewaysUnusableError,
  InvalidRequestError,
  parseGatewayAddress,
  SubmitRejectedError,
} from '../client/light-client.ts'
import { loadOrCreateIdentity } from '../identity.ts'
import { ProofVerificationError, verifyTaskProof } from '../client/verify.ts'
import { integerFlag, parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'
import { isSimulatedProof } from '../proving/sim.ts'
import { readValuesFile } from './values-file.ts'

const USAGE =
  'prover-mesh submit --gateway MULTIADDR[,MULTIADDR...] --type sum --values FILE ' +
  '| --type hashchain --seed HEX32 --steps N  [--max-price N] [--deadline S] [--nonce N] [--key FILE] [--wait [--no-verify]] [--out PROOF]'

/** Flags of older versions that set job sizes: named in the error, which says what to do instead. */
const JOB_SIZE_FLAGS = ['chunk-size', 'segment'] as const

const submit: Command = {
  path: ['submit'],
  summary: 'submit a proving task to a gateway and print its id (--wait: follow it to the end)',
  usage: USAGE,
  async run(argv) {
    const { values: f } = parseFlags(
      argv,
      {
        gateway: { type: 'string' },
        type: { type: 'string' },
        values: { type: 'string' },
        'chunk-size': { type: 'string' },
        seed: { type: 'string' },
        steps: { type: 'string' },
        segment: { type: 'string' },
        'max-price': { type: 'string', default: '1' },
        deadline: { type: 'string', default: '600' },
        nonce: { type: 'string', default: '0' },
        key: { type: 'string' },
        wait: { type: 'boolean', default: false },
        'no-verify': { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      USAGE,
    )
    for (const flag of JOB_SIZE_FLAGS) {
      if (f[flag] !== undefined)
        throw new UsageError(
          `--${flag} is not a submit option: the gateway's dispatcher sizes the jobs of a task ` +
            `(protocol/job-size.ts); \`proof local --chunk/--segment\` sets sizes for experiments\nusage: ${USAGE}`,
        )
    }
    const gateways = requireFlag(f.gateway, 'gateway', USAGE).split(',')
    const type = requireFlag(f.type, 'type', USAGE)
    let input: SubmitTaskParams['input']
    if (type === 'sum') {
      const values = Array.from(await readValuesFile(requireFlag(f.values, 'values', USAGE)))
      input = { type, values }
    } else if (type === 'hashchain') {
      const seedHex = requireFlag(f.seed, 'seed', USAGE)
      if (!/^(0x)?[0-9a-fA-F]{64}$/.test(seedHex))
        throw new UsageError(`--seed must be 32 bytes of hex, got '${seedHex}'`)
      input = {
        type,
        seed: fromHex(seedHex.replace(/^0x/, '')),
        steps: BigInt(integerFlag(requireFlag(f.steps, 'steps', USAGE), 'steps', { min: 1 })),
      }
    } else {
      throw new UsageError(`--type must be 'sum' or 'hashchain', got '${type}'`)
    }
    const params: SubmitTaskParams = {
      input,
      maxPricePerUnit: BigInt(integerFlag(f['max-price'], 'max-price', { min: 1 })),
      deadlineMs: BigInt(Date.now() + integerFlag(f.deadline, 'deadline', { min: 1 }) * 1000),
      nonce: BigInt(integerFlag(f.nonce, 'nonce')),
    }
    const key = f.key === undefined ? undefined : (await loadOrCreateIdentity(f.key)).key
    for (const g of gateways) {
      try {
        parseGatewayAddress(g)
      } catch (error) {
        throw new UsageError(`--${(error as Error).message}`)
      }
    }
    const client = await createLightClient({ gateways, key })
    try {
      let printed = false
      const result = await client.submit(params, {
        wait: f.wait,
        onEvent(event) {
          if (event.type === 'accepted' && !printed) {
            console.log(event.taskId)
            printed = true
          } else if (event.type === 'retry') {
            console.error(`gateway ${event.gateway} failed (${event.error}); retrying`)
          } else if (event.type === 'status' && f.wait) {
            console.error(`${event.status.state}${event.status.detail ? `: ${event.status.detail}` : ''}`)
          }
        },
      })
      if (f.out !== undefined && result.status.proof.byteLength > 0) {
        await writeFile(f.out, result.status.proof)
        console.error(`proof (${result.status.proof.byteLength} bytes) written to ${f.out}`)
      }
      if (result.status.state === 'done' && isSimulatedProof(result.status.proof)) {
        // A simulated root proves nothing: never reported as verified, and not a success unless asked.
        const label = `task ${result.taskId}: SIMULATED result, nothing was proven (the network runs proverMode sim)`
        if (!f['no-verify']) throw new CliError(`${label}; --no-verify accepts it`)
        console.error(label)
      } else if (result.status.state === 'done' && result.status.proof.byteLength > 0 && !f['no-verify']) {
        // The client's own check: the pinned verifier key, and the outputs its input must give.
        console.error(`proof verified: ${await verifyResult(result.taskId, input, result.status.proof)}`)
      }
      if (result.status.state === 'failed')
        throw new CliError(`task ${result.taskId} failed: ${result.status.detail}`)
      return 0
    } catch (error) {
      if (
        error instanceof SubmitRejectedError ||
        error instanceof GatewaysUnavailableError ||
        error instanceof GatewaysUnusableError ||
        error instanceof InvalidRequestError
      )
        throw new CliError(error.message)
      throw error
    } finally {
      await client.close()
    }
  },
}

/** The client's own check of the root proof, as one CLI line or a CliError. */
async function verifyResult(
  taskId: string,
  input: SubmitTaskParams['input'],
  proof: Uint8Array,
): Promise<string> {
  try {
    return (await verifyTaskProof(taskId, proof, input)).summary
  } catch (error) {
    if (error instanceof ProofVerificationError) throw new CliError(error.message)
    throw new CliError(`cannot verify the proof (${(error as Error).message}); --no-verify skips this`)
  }
}

export const submitCommands: Command[] = [submit]
