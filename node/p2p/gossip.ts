// Gossip topics of a node: one validator per topic, returning a verdict (never throwing, which
// gossipsub would treat as Ignore with no penalty, P7). Every refusal becomes a verdict in one place
// (verdictOf): typed refusals carry their action (the market's codes, auction/verdicts.ts; the stake
// gate's), a malformed message is the sender's fault (Reject), and a passed deadline or an internal
// error could hit an honest relay (Ignore).
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import {
  TOPIC_NAMES,
  topicFor,
  validateAsk,
  validateJobDemand,
  validatePeerBindingFrame,
  validateSeal,
  validateTaskAnnounce,
  ValidationError,
  type TaskAnnounce,
  type TopicName,
} from '../../protocol/index.ts'
import { MarketRefusal } from '../../auction/verdicts.ts'
import type { Clock } from '../clock.ts'
import type { Logger } from '../logger.ts'
import type { NodeMetrics } from '../metrics.ts'
import type { AuctionEngine } from '../seams.ts'
import { GossipRefusal, type StakeGate } from '../stake/gate.ts'
import type { Host } from './host.ts'

/** Runtime methods gossipsub has but its exported interface lacks (P9). */
export interface GossipSubInternals {
  getScore(peerId: string): number
  getMeshPeers(topic: string): string[]
}

export function gossipInternals(host: Host): GossipSubInternals {
  return host.services.pubsub as unknown as GossipSubInternals
}

type Check = (data: Uint8Array, publisherKey: Uint8Array, nowMs: number) => Promise<unknown>

export interface GossipDeps {
  host: Host
  network: string
  clock: Clock
  logger: Logger
  metrics: NodeMetrics
  auction?: AuctionEngine
  /** Stake checks of bindings, asks and seals (node/stake/gossip-gate.ts); absent: no stake checks. */
  stake?: StakeGate
  /** Called for each announce that passed validation (after gossipsub accepted it), with its bytes. */
  onAnnounce(announce: TaskAnnounce, from: PeerId, envelope: Uint8Array): Promise<void>
  /**
   * Verifies and keeps fault evidence (node/market/evidence.ts); throws a MarketRefusal. Absent: this
   * node cannot verify evidence, and drops it unpunished.
   */
  checkEvidence?(bytes: Uint8Array): Promise<void>
}

export interface MeshGossip {
  topics: Record<TopicName, string>
  publishAnnounce(envelope: Uint8Array): Promise<number>
  /** Gossips a signed JobDemand; resolves with the number of peers it was sent to. */
  publishDemand(envelope: Uint8Array): Promise<number>
  meshSizes(): Record<string, number>
  stop(): void
}

/** The one place a refusal becomes a gossip verdict and its metrics code. */
export function verdictOf(error: unknown): { verdict: TopicValidatorResult; code: string } {
  const { Reject, Ignore } = TopicValidatorResult
  if (error instanceof MarketRefusal || error instanceof GossipRefusal)
    return { verdict: error.action === 'reject' ? Reject : Ignore, code: error.code }
  if (error instanceof ValidationError)
    return { verdict: error.code === 'deadline_past' ? Ignore : Reject, code: error.code }
  // A bug or a failed local read: not provably the sender's fault.
  return { verdict: Ignore, code: 'internal' }
}

export function startGossip(deps: GossipDeps): MeshGossip {
  const { host, network, clock, logger, metrics, auction, stake } = deps
  const pubsub = host.services.pubsub
  const topics = Object.fromEntries(TOPIC_NAMES.map((n) => [n, topicFor(network, n)])) as Record<
    TopicName,
    string
  >
  // The validator's decoded announce, for the 'message' event of the same Message object: decoding
  // and verifying it again there would double the signature checks per delivery.
  const validatedAnnounces = new WeakMap<Uint8Array, TaskAnnounce>()
  const checks: Record<TopicName, Check> = {
    tasks: async (data, key, now) => {
      validatedAnnounces.set(data, await validateTaskAnnounce(data, key, now))
    },
    demands: async (data, key, now) => {
      const demand = await validateJobDemand(data, key, now)
      stake?.checkDemand(demand, now)
      await auction?.checkDemand?.(data, demand)
    },
    asks: async (data, _key, now) => {
      stake?.checkAsk(await validateAsk(data), now)
      await auction?.checkAsk?.(data)
    },
    seals: async (data, _key, now) => {
      stake?.checkSeal(await validateSeal(data), now)
      await auction?.checkSeal?.(data)
    },
    bindings: async (data, _key, now) => {
      const frame = validatePeerBindingFrame(data)
      await stake?.checkBinding(frame, now)
    },
    evidence: async (data) => {
      if (deps.checkEvidence === undefined)
        throw new GossipRefusal('ignore', 'no-evidence-check', '', 'this node cannot verify evidence')
      await deps.checkEvidence(data)
    },
  }

  const validator =
    (name: TopicName) =>
    async (from: PeerId, msg: Message): Promise<TopicValidatorResult> => {
      let verdict = TopicValidatorResult.Accept
      let code = 'ok'
      if (msg.type !== 'signed') {
        verdict = TopicValidatorResult.Reject
        code = 'unsigned'
      } else {
        try {
          await checks[name](msg.data, msg.key.raw, clock.now())
        } catch (error) {
          ;({ verdict, code } = verdictOf(error))
          logger.debug(
            { topic: name, from: from.toString(), code, err: (error as Error).message },
            'gossip message refused',
          )
        }
      }
      metrics.gossipValidation.inc({ topic: name, verdict, code })
      return verdict
    }

  for (const name of TOPIC_NAMES) {
    pubsub.topicValidators.set(topics[name], validator(name))
    pubsub.subscribe(topics[name])
  }

  // 'message' fires only for messages whose validator returned Accept (asyncValidation is off, P8).
  const onMessage = (event: CustomEvent<Message>): void => {
    const msg = event.detail
    if (msg.type !== 'signed' || msg.topic !== topics.tasks) return
    const announce = validatedAnnounces.get(msg.data)
    if (announce === undefined) {
      // Cannot happen: gossipsub emits 'message' only after our validator accepted this object.
      logger.warn({ topic: msg.topic }, 'an accepted announce has no validator result')
      return
    }
    validatedAnnounces.delete(msg.data)
    deps
      .onAnnounce(announce, msg.from, msg.data)
      .catch((error: unknown) =>
        logger.warn({ err: (error as Error).message }, 'recording an announce failed'),
      )
  }
  pubsub.addEventListener('message', onMessage)

  return {
    topics,
    async publishAnnounce(envelope) {
      const result = await pubsub.publish(topics.tasks, envelope)
      return result.recipients.length
    },
    async publishDemand(envelope) {
      const result = await pubsub.publish(topics.demands, envelope)
      return result.recipients.length
    },
    meshSizes: () =>
      Object.fromEntries(
        TOPIC_NAMES.map((n) => [topics[n], gossipInternals(host).getMeshPeers(topics[n]).length]),
      ),
    stop() {
      pubsub.removeEventListener('message', onMessage)
      for (const name of TOPIC_NAMES) pubsub.topicValidators.delete(topics[name])
    },
  }
}
