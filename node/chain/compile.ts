// Compiles the Solidity stand-ins with the npm solc-js compiler. Artifacts are cached under .cache/
// (git-ignored), keyed by the source hash and compiler version, so only the first run pays the ~seconds
// that loading soljson costs.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Abi, Hex } from 'viem'

export interface Artifact {
  readonly abi: Abi
  readonly bytecode: Hex
}

export const CONTRACT_SOURCES = {
  'EigenLayerStandIns.sol': [
    'StandInStrategy',
    'StandInDelegationManager',
    'StandInAllocationManager',
    'StandInPermissionController',
    'StandInContractOperator',
    'StandInToken',
  ],
  'ProverMeshAvs.sol': [
    'ProverMeshServiceManager',
    'ProverMeshRegistrar',
    'ProverMeshEscrow',
    'ProverMeshSlasher',
  ],
} as const

export type ContractName = (typeof CONTRACT_SOURCES)[keyof typeof CONTRACT_SOURCES][number]
type SourceFile = keyof typeof CONTRACT_SOURCES
const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(here, '..', '..')
const cacheDir = join(repoRoot, '.cache', 'chain')

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[]
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
}

/** Compiles the stand-ins and our AVS contracts (one solc run; cached). */
export async function compileStandIns(): Promise<Record<ContractName, Artifact>> {
  const files = Object.keys(CONTRACT_SOURCES) as SourceFile[]
  const sources: Record<string, { content: string }> = {}
  for (const file of files) sources[file] = { content: await readFile(join(here, 'contracts', file), 'utf8') }
  const require = createRequire(import.meta.url)
  const solcVersion = (require('solc/package.json') as { version: string }).version
  const digest = createHash('sha256')
    .update(solcVersion)
    .update('\0')
    .update(JSON.stringify(sources))
    .digest('hex')
    .slice(0, 16)
  const cacheFile = join(cacheDir, `standins-${digest}.json`)
  try {
    return JSON.parse(await readFile(cacheFile, 'utf8')) as Record<ContractName, Artifact>
  } catch {
    // Not cached yet (or unreadable): compile below.
  }
  const solc = require('solc') as { compile(input: string): string }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      // cancun: every anvil and public chain we target supports it; newer defaults buy nothing here.
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`)
  const artifacts = {} as Record<ContractName, Artifact>
  for (const file of files) {
    for (const name of CONTRACT_SOURCES[file]) {
      const c = output.contracts[file]?.[name]
      if (!c) throw new Error(`solc output lacks contract ${name}`)
      artifacts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }
    }
  }
  await mkdir(cacheDir, { recursive: true })
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${cacheFile}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(artifacts))
  await rename(tmp, cacheFile)
  return artifacts
}
