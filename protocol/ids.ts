// Topic names and protocol ids: the only place they are built or parsed (after Lodestar's topic.ts).
// Topics are `/prover-mesh/<network>/<name>/<version>`: the network name keeps two testnets on one
// machine from hearing each other, the version lets an incompatible message change move to a new topic.

export const SUBMIT_PROTOCOL = '/prover-mesh/submit/1.0.0'
/** A task's current status (and, once done, its root proof) by task id, from the gateway that holds it. */
export const TASK_PROTOCOL = '/prover-mesh/task/1.0.0'
export const JOB_PROTOCOL = '/prover-mesh/job/1.0.0'
export const KAD_PROTOCOL = '/prover-mesh/kad/1.0.0'
/** Fetches the bids a seal lists from its leader (epoch protocol, node/market/). */
export const BIDS_PROTOCOL = '/prover-mesh/bids/1.0.0'
/** Fetches the seals a peer accepted since an epoch (seal catch-up after a restart, node/market/). */
export const SEALS_PROTOCOL = '/prover-mesh/seals/1.0.0'

export const TOPIC_NAMES = ['tasks', 'demands', 'asks', 'seals', 'bindings', 'evidence'] as const
export type TopicName = (typeof TOPIC_NAMES)[number]

/** The message kind carried on each topic. */
export const TOPIC_MESSAGE_KIND = {
  tasks: 'TaskAnnounce',
  demands: 'JobDemand',
  asks: 'Ask',
  seals: 'Seal',
  bindings: 'PeerBinding',
  evidence: 'FaultEvidence',
} as const satisfies Record<TopicName, string>

export const TOPIC_VERSION = 1

export interface Topic {
  network: string
  name: TopicName
  version: number
}

const NETWORK_RE = /^[a-z0-9][a-z0-9-]{0,31}$/

export function isValidNetworkName(network: string): boolean {
  return NETWORK_RE.test(network)
}

export function stringifyTopic(topic: Topic): string {
  if (!isValidNetworkName(topic.network)) throw new TypeError(`invalid network name '${topic.network}'`)
  return `/prover-mesh/${topic.network}/${topic.name}/${topic.version}`
}

export function topicFor(network: string, name: TopicName): string {
  return stringifyTopic({ network, name, version: TOPIC_VERSION })
}

/** Parses a topic string; throws TypeError naming what is wrong. */
export function parseTopic(topic: string): Topic {
  const parts = topic.split('/')
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== 'prover-mesh') {
    throw new TypeError(`not a prover-mesh topic: '${topic}'`)
  }
  const [, , network = '', name = '', version = ''] = parts
  if (!isValidNetworkName(network)) throw new TypeError(`invalid network name in topic '${topic}'`)
  if (!(TOPIC_NAMES as readonly string[]).includes(name))
    throw new TypeError(`unknown topic name in '${topic}'`)
  if (!/^[1-9]\d{0,5}$/.test(version)) throw new TypeError(`invalid topic version in '${topic}'`)
  return { network, name: name as TopicName, version: Number(version) }
}
