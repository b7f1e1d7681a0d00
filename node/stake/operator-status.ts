// What an operator running this node needs to see at a glance (in /status): whether the stake oracle
// has a fresh snapshot, whether its operator is a member with enough stake, and whether its peer
// binding names this node and for how long. Also the warning a node logs before its binding expires.
import { getAddress, type Address } from 'viem'
import type { NodeStake } from './node-stake.ts'

/** Warn this long before the binding's expiry (it then still has time to be renewed and gossiped). */
export const BINDING_EXPIRY_WARNING_MS = 3 * 24 * 3600 * 1000

export interface OracleState {
  /** fresh: lookups answer; stale: the last read is older than maxStalenessMs (fails closed); none: no read yet. */
  state: 'fresh' | 'stale' | 'none'
  blockNumber: string | null
  ageMs: number | null
  maxStalenessMs: number
}

export interface OperatorState {
  address: Address
  membership: 'member' | 'not-member' | 'unavailable'
  /** Weighted slashable stake (wei of the underlying token), when a member. */
  stake: string | null
  meetsMinimum: boolean
  /** Units this operator may sell per epoch under the capacity rule. */
  capUnits: number
  binding: {
    peerId: string
    /** Whether the binding names this node's peer id (else another node sells for this operator). */
    thisNode: boolean
    expiresAtMs: number
    expiresInMs: number
  } | null
  /** What is wrong, and what to run about it; null when the operator can sell from this node. */
  problem: string | null
}

export function oracleState(stake: NodeStake, nowMs: number): OracleState {
  const snapshot = stake.oracle.snapshot
  const maxStalenessMs = stake.config.maxStalenessMs
  if (snapshot === undefined) return { state: 'none', blockNumber: null, ageMs: null, maxStalenessMs }
  const ageMs = stake.oracle.age(nowMs)
  return {
    state: ageMs > maxStalenessMs ? 'stale' : 'fresh',
    blockNumber: snapshot.blockNumber.toString(),
    ageMs,
    maxStalenessMs,
  }
}

/** The command that (re)binds this node's peer key to the operator, for messages. */
export function bindCommand(dataDir: string, httpUrl: string | undefined): string {
  const publish = httpUrl === undefined ? ' --out binding.json' : ` --publish --node-api ${httpUrl}`
  return `prover-mesh operator bind --key-file OPERATOR_KEY --peer-key-file ${dataDir}/peer.key${publish}`
}

export function operatorState(
  stake: NodeStake,
  operator: string,
  node: { peerId: string; dataDir: string; httpUrl: string | undefined },
  nowMs: number,
): OperatorState {
  const address = getAddress(operator)
  const lookup = stake.oracle.lookup(address, nowMs)
  const signed = stake.registry.bindingOf(address)
  const binding =
    signed === undefined || signed.binding.peerId === ''
      ? null
      : {
          peerId: signed.binding.peerId,
          thisNode: signed.binding.peerId === node.peerId,
          expiresAtMs: Number(signed.binding.expiry) * 1000,
          expiresInMs: Number(signed.binding.expiry) * 1000 - nowMs,
        }
  const member = lookup.status === 'member' ? lookup.stake : undefined
  const bind = bindCommand(node.dataDir, node.httpUrl)
  let problem: string | null = null
  if (lookup.status === 'unavailable') problem = `stake unknown: ${lookup.reason}`
  else if (lookup.status === 'not-member')
    problem = `${address} is not in our operator set at block ${lookup.blockNumber}: register and allocate (node/stake/README.md)`
  else if (!member!.meetsMinimum) problem = `stake ${member!.stake} is below the network's minimum`
  else if (binding === null) problem = `no peer binding for ${address}: run ${bind}`
  else if (!binding.thisNode) problem = `the binding names peer ${binding.peerId}, not this node: run ${bind}`
  else if (binding.expiresInMs <= 0) problem = `the binding expired: run ${bind}`
  return {
    address,
    membership: lookup.status,
    stake: member === undefined ? null : member.stake.toString(),
    meetsMinimum: member?.meetsMinimum ?? false,
    capUnits: member?.capUnits ?? 0,
    binding,
    problem,
  }
}

/** The warning to log when this node's binding expires within BINDING_EXPIRY_WARNING_MS; else undefined. */
export function bindingExpiryWarning(state: OperatorState, dataDir: string, httpUrl: string | undefined) {
  const b = state.binding
  if (b === null || !b.thisNode || b.expiresInMs <= 0 || b.expiresInMs > BINDING_EXPIRY_WARNING_MS)
    return undefined
  const hours = Math.floor(b.expiresInMs / 3_600_000)
  return `the peer binding of ${state.address} expires in ${hours} h (${new Date(b.expiresAtMs).toISOString()}): renew it with ${bindCommand(dataDir, httpUrl)}`
}
