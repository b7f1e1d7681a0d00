// `prover-mesh operator …`: an operator's view of its stake and its peer binding.
//
// Key handling: keys are read from files that must be mode 0600 (or, for the operator key, from the
// PROVER_MESH_OPERATOR_KEY environment variable); their contents never reach stdout, stderr, or an
// error message — errors name the file, never its bytes.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { formatEther, getAddress, isAddress, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { delegationManagerAbi } from '../stake/abi.ts'
import {
  DEFAULT_MAX_LIFETIME_SEC,
  bindingPolicy,
  checkBindingPolicy,
  decodeSignedBinding,
  encodeSignedBinding,
  signPeerBinding,
  verifyOperatorSignature,
  verifyPeerSignature,
  type PeerPrivateKey,
} from '../stake/binding.ts'
import { createStakeClient } from '../stake/client.ts'
import { STAKE_PRESETS, resolveStakeConfig, type StakeConfig, type StakePresetName } from '../stake/config.ts'
import { BindingError, StakeConfigError } from '../stake/errors.ts'
import { StakeOracle } from '../stake/oracle.ts'
import { integerFlag, parseFlags, requireFlag, type Command } from './command.ts'
import { CliError, UsageError } from './errors.ts'

const OPERATOR_KEY_ENV = 'PROVER_MESH_OPERATOR_KEY'

/** RPC URLs often carry an API key in the path or query: show only scheme and host. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    return u.pathname === '/' && u.search === '' ? u.origin : `${u.origin}/…`
  } catch {
    return '(unparseable --rpc URL)'
  }
}

const configFlags = {
  preset: { type: 'string', default: 'local' },
  avs: { type: 'string' },
  'operator-set': { type: 'string' },
} as const

function stakeConfig(values: { preset?: string; avs?: string; 'operator-set'?: string }): StakeConfig {
  const preset = values.preset ?? 'local'
  if (!(preset in STAKE_PRESETS)) {
    throw new UsageError(`--preset must be one of ${Object.keys(STAKE_PRESETS).join(', ')}, got '${preset}'`)
  }
  const overrides: { avs?: Address; operatorSetId?: number } = {}
  if (values.avs !== undefined) overrides.avs = values.avs as Address
  if (values['operator-set'] !== undefined) {
    overrides.operatorSetId = integerFlag(values['operator-set'], 'operator-set', { max: 2 ** 32 - 1 })
  }
  try {
    return resolveStakeConfig(preset as StakePresetName, overrides)
  } catch (error) {
    if (error instanceof StakeConfigError) {
      const hint = error.field === 'avs' ? ' (pass --avs: our AVS is not deployed on this chain yet)' : ''
      throw new CliError(`${error.message}${hint}`)
    }
    throw error
  }
}

/** Reads a secret file, refusing it unless only its owner can read or write it. */
export async function readSecretFile(path: string, flag: string): Promise<Buffer> {
  let mode: number
  try {
    mode = (await stat(path)).mode
  } catch {
    throw new CliError(`--${flag}: cannot read ${path}`)
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0')
    throw new CliError(`--${flag}: ${path} is mode ${octal}; key files must be 0600 (chmod 600 ${path})`)
  }
  return readFile(path)
}

export async function operatorKey(keyFile: string | undefined): Promise<Hex> {
  let text: string
  let source: string
  if (keyFile !== undefined) {
    text = (await readSecretFile(keyFile, 'key-file')).toString('utf8')
    source = keyFile
  } else if (process.env[OPERATOR_KEY_ENV]) {
    text = process.env[OPERATOR_KEY_ENV] ?? ''
    source = `$${OPERATOR_KEY_ENV}`
  } else {
    throw new UsageError(`missing --key-file (or set ${OPERATOR_KEY_ENV})`)
  }
  const hex = text.trim().replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new CliError(`${source} does not hold a 32-byte hex private key`)
  return `0x${hex}`
}

async function peerKey(path: string, create: boolean): Promise<PeerPrivateKey> {
  try {
    await stat(path)
  } catch {
    if (!create)
      throw new CliError(`--peer-key-file: ${path} does not exist (pass --new-peer-key to create it)`)
    const key = await generateKeyPair('Ed25519')
    await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
    return key
  }
  try {
    return privateKeyFromProtobuf(await readSecretFile(path, 'peer-key-file'))
  } catch (error) {
    if (error instanceof CliError) throw error
    throw new CliError(`--peer-key-file: ${path} is not a protobuf-encoded libp2p private key`)
  }
}

const bindUsage =
  'prover-mesh operator bind (--key-file F | $PROVER_MESH_OPERATOR_KEY) (--peer-key-file P [--new-peer-key] | --revoke) [--out FILE] [--publish --node-api URL] [--nonce N] [--ttl-days D] [--preset local|hoodi|mainnet] [--avs ADDR] [--operator-set N]'

const bind: Command = {
  path: ['operator', 'bind'],
  summary: 'sign a binding of this operator to a libp2p peer id (EIP-712 + peer countersignature)',
  usage: bindUsage,
  async run(argv) {
    const { values } = parseFlags(
      argv,
      {
        ...configFlags,
        'key-file': { type: 'string' },
        'peer-key-file': { type: 'string' },
        'new-peer-key': { type: 'boolean', default: false },
        revoke: { type: 'boolean', default: false },
        out: { type: 'string' },
        nonce: { type: 'string' },
        'ttl-days': { type: 'string', default: '7' },
        publish: { type: 'boolean', default: false },
        'node-api': { type: 'string' },
      },
      bindUsage,
    )
    const nodeApi = values.publish ? requireFlag(values['node-api'], 'node-api', bindUsage) : undefined
    const config = stakeConfig(values)
    const account = privateKeyToAccount(await operatorKey(values['key-file']))
    const key = values.revoke
      ? undefined
      : await peerKey(
          requireFlag(values['peer-key-file'], 'peer-key-file', bindUsage),
          values['new-peer-key'],
        )
    const nowSec = Math.floor(Date.now() / 1000)
    const ttlDays = integerFlag(values['ttl-days'], 'ttl-days', {
      min: 1,
      max: DEFAULT_MAX_LIFETIME_SEC / 86_400,
    })
    // Default nonce = issue time in seconds: monotonic across runs without keeping state, so a newer
    // binding always replaces an older one. Pass --nonce to override (it must still increase).
    const nonce = BigInt(values.nonce === undefined ? nowSec : integerFlag(values.nonce, 'nonce'))
    const signed = await signPeerBinding({
      binding: {
        operator: account.address,
        peerId: key ? peerIdFromPrivateKey(key).toString() : '',
        avs: config.avs,
        operatorSetId: config.operatorSetId,
        nonce,
        issuedAt: BigInt(nowSec),
        expiry: BigInt(nowSec + ttlDays * 86_400),
      },
      chainId: config.chainId,
      operator: account,
      peerKey: key,
    })
    // Self-check before handing it out: exactly the checks a receiving node runs, minus stake.
    checkBindingPolicy(signed.binding, bindingPolicy(config), Date.now())
    await verifyPeerSignature(signed, config.chainId)
    const encoded = encodeSignedBinding(signed)
    if (values.out !== undefined) await writeFile(values.out, `${encoded}\n`)
    else console.log(encoded)
    const published = nodeApi === undefined ? undefined : await publishThrough(nodeApi, encoded)
    const b = signed.binding
    const what = b.peerId === '' ? 'revocation of every earlier binding' : `binding to peer ${b.peerId}`
    console.error(
      [
        `signed ${what} for operator ${b.operator}`,
        `  avs ${b.avs}, operator set ${b.operatorSetId}, chain ${config.chainId}, nonce ${b.nonce}, expires ${new Date(Number(b.expiry) * 1000).toISOString()}`,
        values.out !== undefined ? `  written to ${values.out}` : '',
        published !== undefined
          ? `  published through ${redactUrl(nodeApi as string)}: ${published}`
          : '  not published: pass --publish --node-api URL (a node’s HTTP API), or POST it to a node’s /bindings',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    return 0
  },
}

/** POSTs the binding to a node's HTTP API, which validates, stores and gossips it. */
async function publishThrough(nodeApi: string, encoded: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(new URL('/bindings', nodeApi), { method: 'POST', body: encoded })
  } catch (error) {
    throw new CliError(`cannot reach the node API at ${redactUrl(nodeApi)}: ${(error as Error).message}`)
  }
  const reply = (await response.json().catch(() => ({}))) as {
    result?: string
    error?: string
    code?: string
  }
  if (!response.ok) {
    throw new CliError(
      `the node refused the binding (HTTP ${response.status}${reply.code ? `, ${reply.code}` : ''}): ${reply.error ?? 'no detail'}`,
    )
  }
  return reply.result ?? 'ok'
}

const statusUsage =
  'prover-mesh operator status --rpc URL (--operator ADDR | --key-file F) [--binding FILE] [--preset local|hoodi|mainnet] [--avs ADDR] [--operator-set N]'

const status: Command = {
  path: ['operator', 'status'],
  summary:
    "show an operator's registration, slashable stake, capacity cap and binding, as the network sees them",
  usage: statusUsage,
  async run(argv) {
    const { values } = parseFlags(
      argv,
      {
        ...configFlags,
        rpc: { type: 'string' },
        operator: { type: 'string' },
        'key-file': { type: 'string' },
        binding: { type: 'string' },
      },
      statusUsage,
    )
    const config = stakeConfig(values)
    const rpc = requireFlag(values.rpc, 'rpc', statusUsage)
    let operator: Address
    if (values.operator !== undefined) {
      if (!isAddress(values.operator, { strict: false }))
        throw new UsageError(`--operator must be an address, got '${values.operator}'`)
      operator = getAddress(values.operator)
    } else if (values['key-file'] !== undefined || process.env[OPERATOR_KEY_ENV]) {
      operator = privateKeyToAccount(await operatorKey(values['key-file'])).address
    } else {
      throw new UsageError(`missing --operator (or --key-file)\nusage: ${statusUsage}`)
    }
    const client = createStakeClient(rpc)
    const quiet = { info: () => undefined, warn: () => undefined }
    const oracle = new StakeOracle({ client, config, now: Date.now, logger: quiet })
    let chainId: number
    let registered: boolean
    try {
      chainId = await client.getChainId()
      await oracle.refresh()
      registered = await client.readContract({
        address: config.delegationManager,
        abi: delegationManagerAbi,
        functionName: 'isOperator',
        args: [operator],
        blockNumber: oracle.snapshot?.blockNumber,
      })
    } catch (error) {
      throw new CliError(
        `cannot read stake from ${redactUrl(rpc)}: ${(error as Error).message.split('\n')[0]}`,
      )
    }
    if (chainId !== config.chainId) {
      throw new CliError(
        `--rpc ${redactUrl(rpc)} is chain ${chainId}, but preset '${values.preset}' is chain ${config.chainId}`,
      )
    }
    const snapshot = oracle.snapshot!
    const stake = snapshot.operators.get(operator)
    const lines = [
      `operator          ${operator}`,
      `chain             ${chainId}, block ${snapshot.blockNumber} (stake guaranteed to block ${snapshot.futureBlock})`,
      `operator set      ${config.avs} #${config.operatorSetId}`,
      `EigenLayer        ${registered ? 'registered operator' : 'NOT an operator'}`,
      `member of set     ${stake ? 'yes' : 'no'}`,
      `slashable stake   ${formatEther(stake?.stake ?? 0n)} (minimum ${formatEther(config.minimumStake)})`,
      ...config.strategies.map(
        (s, i) => `  strategy        ${s.address}: ${formatEther(stake?.slashableShares[i] ?? 0n)} shares`,
      ),
      `capacity cap      ${stake?.capUnits ?? 0} units/epoch (1 unit per ${formatEther(config.stakePerUnit)} of stake, at most ${config.maxUnitsPerOperator})`,
      `may sell          ${stake?.meetsMinimum ? 'yes' : 'no'}`,
    ]
    if (values.binding !== undefined)
      lines.push(...(await describeBinding(values.binding, operator, config, client)))
    else lines.push('binding           (pass --binding FILE to check one)')
    console.log(lines.join('\n'))
    return 0
  },
}

async function describeBinding(
  path: string,
  operator: Address,
  config: StakeConfig,
  client: PublicClient,
): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new CliError(`--binding: cannot read ${path}`)
  }
  try {
    const signed = decodeSignedBinding(text.trim())
    if (signed.binding.operator !== operator) {
      return [`binding           INVALID: it binds ${signed.binding.operator}, not ${operator}`]
    }
    checkBindingPolicy(signed.binding, bindingPolicy(config), Date.now())
    await verifyPeerSignature(signed, config.chainId)
    await verifyOperatorSignature(signed, config.chainId, client)
    const b = signed.binding
    return [
      `binding           valid: peer ${b.peerId === '' ? '(revoked)' : b.peerId}`,
      `  nonce ${b.nonce}, expires ${new Date(Number(b.expiry) * 1000).toISOString()}`,
    ]
  } catch (error) {
    if (error instanceof BindingError) return [`binding           INVALID: ${error.message}`]
    throw error
  }
}

export const operatorCommands: Command[] = [status, bind]
