// `prover-mesh submit`: signs a task, submits it through the light client, prints the task id and,
// with --wait, the progress until the task ends.
import { readFile, writeFile } from 'node:fs/promises'
import { fromHex, type SubmitTaskParams } from '../../protocol/index.ts'
import { createLightClient, GatewaysUnavailableError, SubmitRejectedError } from '../client/light-client.ts'
import { loadOrCreateIdentity } from '../identity.ts'
import { integerFlag, parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const USAGE =
  'prover-mesh submit --gateway MULTIADDR[,MULTIADDR...] --type sum --values FILE [--chunk-size N] ' +
  '| --type hashchain --seed HEX32 --steps N --segment N  [--max-price N] [--deadline S] [--nonce N] [--key FILE] [--wait] [--out PROOF]'

const U32_MAX = 2 ** 32 - 1

/** Reads u32 values from a JSON array or from whitespace/comma separated integers. */
export async function readValues(path: string): Promise<number[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`--values: cannot read ${path}: ${(error as Error).message}`)
  }
  const tokens = text.trim().startsWith('[')
    ? (() => {
        try {
          return (JSON.parse(text) as unknown[]).map(String)
        } catch (error) {
          throw new UsageError(`--values: ${path} is not valid JSON: ${(error as Error).message}`)
        }
      })()
    : text.split(/[\s,]+/).filter((t) => t !== '')
  if (tokens.length === 0) throw new UsageError(`--values: ${path} holds no values`)
  return tokens.map((t, i) => {
    if (!/^\d+$/.test(t) || Number(t) > U32_MAX)
      throw new UsageError(`--values: value #${i + 1} '${t}' is not a u32`)
    return Number(t)
  })
}

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
        'chunk-size': { type: 'string', default: '1024' },
        seed: { type: 'string' },
        steps: { type: 'string' },
        segment: { type: 'string' },
        'max-price': { type: 'string', default: '1' },
        deadline: { type: 'string', default: '600' },
        nonce: { type: 'string', default: '0' },
        key: { type: 'string' },
        wait: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      USAGE,
    )
    const gateways = requireFlag(f.gateway, 'gateway', USAGE).split(',')
    const type = requireFlag(f.type, 'type', USAGE)
    let input: SubmitTaskParams['input']
    if (type === 'sum') {
      const values = await readValues(requireFlag(f.values, 'values', USAGE))
      input = { type, values, chunkSize: integerFlag(f['chunk-size'], 'chunk-size', { min: 1, max: 65536 }) }
    } else if (type === 'hashchain') {
      const seedHex = requireFlag(f.seed, 'seed', USAGE)
      if (!/^(0x)?[0-9a-fA-F]{64}$/.test(seedHex))
        throw new UsageError(`--seed must be 32 bytes of hex, got '${seedHex}'`)
      input = {
        type,
        seed: fromHex(seedHex.replace(/^0x/, '')),
        steps: BigInt(integerFlag(requireFlag(f.steps, 'steps', USAGE), 'steps', { min: 1 })),
        segment: BigInt(integerFlag(requireFlag(f.segment, 'segment', USAGE), 'segment', { min: 1 })),
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
    for (const g of gateways)
      if (!g.includes('/p2p/')) throw new UsageError(`--gateway '${g}' needs a /p2p/<peer id> part`)
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
      if (result.status.state === 'failed')
        throw new CliError(`task ${result.taskId} failed: ${result.status.detail}`)
      return 0
    } catch (error) {
      if (error instanceof SubmitRejectedError || error instanceof GatewaysUnavailableError)
        throw new CliError(error.message)
      throw error
    } finally {
      await client.close()
    }
  },
}

export const submitCommands: Command[] = [submit]
