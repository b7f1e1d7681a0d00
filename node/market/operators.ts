// Who may sell and seal in an epoch. Until the stake oracle exists the set comes from configuration;
// the oracle will implement the same interface (operators staked at the epoch's pinned block).
import { peerIdFromString } from '@libp2p/peer-id'

/** One operator: its 0x address (what leader ranking hashes) and the peer id it runs as. */
export interface OperatorEntry {
  readonly address: string
  readonly peerId: string
}

export interface OperatorSet {
  /** Addresses of the operators eligible in `epoch` (leaderRanking input, auction/epoch.ts). */
  operators(epoch: number): string[]
  /** The peer id (string form) bound to `address` in `epoch`, or undefined when it is not an operator then. */
  peerOf(address: string, epoch: number): string | undefined
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/** A fixed operator list (the configured stand-in for the stake oracle). Throws on a bad entry. */
export function configOperatorSet(entries: readonly OperatorEntry[]): OperatorSet {
  const byAddress = new Map<string, string>()
  for (const [i, { address, peerId }] of entries.entries()) {
    if (!ADDRESS.test(address)) throw new TypeError(`operators[${i}].address: not a 0x address`)
    if (byAddress.has(address.toLowerCase())) throw new TypeError(`operators[${i}].address: listed twice`)
    let canonical: string
    try {
      // One spelling per peer (base58btc), so a peer id compares equal however it was written.
      canonical = peerIdFromString(peerId).toString()
    } catch {
      throw new TypeError(`operators[${i}].peerId: not a peer id`)
    }
    byAddress.set(address.toLowerCase(), canonical)
  }
  const addresses = entries.map((e) => e.address)
  return {
    operators: () => [...addresses],
    peerOf: (address) => byAddress.get(address.toLowerCase()),
  }
}

/** The operator address bound to `peerId` among the operators of `epoch`, if any. */
export function operatorOfPeer(set: OperatorSet, epoch: number, peerId: string): string | undefined {
  return set.operators(epoch).find((address) => set.peerOf(address, epoch) === peerId)
}

/** The peer ids of every operator of `epoch` (for checking many bids against one view). */
export function operatorPeers(set: OperatorSet, epoch: number): Set<string> {
  const peers = new Set<string>()
  for (const address of set.operators(epoch)) {
    const peer = set.peerOf(address, epoch)
    if (peer !== undefined) peers.add(peer)
  }
  return peers
}
