// The view data of one node (node/api/views.ts) read from its parts: the connected peers with the
// roles they report over identify, the operator set of the current epoch with its stake and
// bindings, the market history and the gateway's job trees.
import { epochIndex } from '../../auction/epoch.ts'
import type { Clock } from '../clock.ts'
import type { NodeConfig } from '../config.ts'
import type { Lifecycle } from '../lifecycle.ts'
import { rolesOfAgent } from '../p2p/host.ts'
import type { Host } from '../p2p/host.ts'
import type { NodeStake } from '../stake/node-stake.ts'
import type { OperatorView, PeerView, ViewDeps } from './views.ts'

/** The agent version a peer sent over identify ('' before identify ran). */
async function agentOf(host: Host, peer: string): Promise<string> {
  const connection = host.getConnections().find((c) => c.remotePeer.toString() === peer)
  if (connection === undefined) return ''
  try {
    const stored = await host.peerStore.get(connection.remotePeer)
    const agent = stored.metadata.get('AgentVersion')
    return agent === undefined ? '' : new TextDecoder().decode(agent).slice(0, 128)
  } catch {
    return ''
  }
}

/** Peers listed at most (a node keeps far fewer connections than this). */
const MAX_PEERS = 256

export function nodeViews(parts: {
  config: NodeConfig
  host: Host
  stake: NodeStake | undefined
  lifecycle: Lifecycle
  clock: Clock
}): ViewDeps {
  const { config, host, stake, lifecycle, clock } = parts
  const boundPeers = () => {
    const byPeer = new Map<string, string>()
    for (const { binding } of stake?.registry.bindings() ?? [])
      if (binding.peerId !== '') byPeer.set(binding.peerId, binding.operator)
    return byPeer
  }
  return {
    epochMs: config.epochMs,
    ...(lifecycle.history !== undefined && { history: lifecycle.history }),
    async peers(): Promise<PeerView[]> {
      const operators = boundPeers()
      const market = lifecycle.market
      const epoch = market === undefined ? 0 : epochIndex(market.schedule, clock.now())
      const operatorOf = (peer: string) => {
        const bound = operators.get(peer)
        if (bound !== undefined) return bound
        if (market === undefined) return null
        const set = market.operators
        return set.operators(epoch).find((a) => set.peerOf(a, epoch) === peer) ?? null
      }
      const addrs = new Map<string, string[]>()
      for (const connection of host.getConnections()) {
        const peer = connection.remotePeer.toString()
        if (!addrs.has(peer) && addrs.size >= MAX_PEERS) continue
        addrs.set(peer, [...(addrs.get(peer) ?? []), connection.remoteAddr.toString()])
      }
      return Promise.all(
        [...addrs].map(async ([peerId, remote]) => {
          const agent = await agentOf(host, peerId)
          return { peerId, roles: rolesOfAgent(agent), agent, addrs: remote, operator: operatorOf(peerId) }
        }),
      )
    },
    operators(): OperatorView[] {
      const market = lifecycle.market
      if (market === undefined) return []
      const epoch = epochIndex(market.schedule, clock.now())
      const snapshot = stake?.oracle.snapshot
      return market.operators.operators(epoch).map((operator) => {
        const staked =
          snapshot === undefined
            ? undefined
            : [...snapshot.operators.values()].find(
                (s) => s.operator.toLowerCase() === operator.toLowerCase(),
              )
        return {
          operator,
          peerId: market.operators.peerOf(operator, epoch) ?? null,
          stake: staked?.stake.toString() ?? null,
        }
      })
    },
    jobs: async () => (await lifecycle.jobTrees?.()) ?? [],
  }
}
