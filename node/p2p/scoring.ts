// Gossipsub peer-score parameters for our topics (notes/libp2p.md P5, P6, §3.1). Peer scoring is off
// for a topic unless it is listed here, so every topic we subscribe to gets an entry.
import { createPeerScoreParams, createTopicScoreParams, type PeerScoreParams } from '@libp2p/gossipsub/score'
import { topicFor, TOPIC_NAMES } from '../../protocol/index.ts'

export function meshScoreParams(network: string): Partial<PeerScoreParams> {
  const topics = Object.fromEntries(
    TOPIC_NAMES.map((name) => [
      topicFor(network, name),
      createTopicScoreParams({
        topicWeight: 1,
        // The default quantum is 1 ms, which saturates the in-mesh bonus in seconds and hides every
        // penalty behind the topic cap; count mesh time in seconds instead.
        timeInMeshWeight: 0.01,
        timeInMeshQuantum: 1000,
        timeInMeshCap: 300,
        firstMessageDeliveriesWeight: 0.5,
        firstMessageDeliveriesCap: 20,
        // One invalid message costs -10 (squared counter): a handful drops a peer below the publish
        // and gossip thresholds. Decay 0.9 per second-ish decay interval keeps the memory for minutes.
        invalidMessageDeliveriesWeight: -10,
        invalidMessageDeliveriesDecay: 0.9,
        // Our topics are quiet (a few tasks per minute); penalising peers for not delivering enough
        // would punish honest idle peers.
        meshMessageDeliveriesWeight: 0,
        meshFailurePenaltyWeight: 0,
      }),
    ]),
  )
  return createPeerScoreParams({
    // Every testnet node shares 127.0.0.1; the co-location penalty would graylist them all (P5).
    IPColocationFactorWeight: 0,
    topics,
  })
}
