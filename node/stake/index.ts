// The stake subsystem's public surface, for the node and the network's gossip validation.
export { createSellerAdmission, gossipAction } from './admission.ts'
export type { SellerAdmission, SellerRejection, SellerVerdict } from './admission.ts'
export {
  DEFAULT_CLOCK_SKEW_SEC,
  DEFAULT_MAX_LIFETIME_SEC,
  bindingPolicy,
  decodeSignedBinding,
  encodeSignedBinding,
  signPeerBinding,
} from './binding.ts'
export type { BindingPolicy, PeerBinding, SignedPeerBinding } from './binding.ts'
export { createStakeClient } from './client.ts'
export { STAKE_PRESETS, resolveStakeConfig } from './config.ts'
export type { StakeConfig, StakePresetName } from './config.ts'
export { BindingError, StakeConfigError } from './errors.ts'
export type { BindingErrorCode } from './errors.ts'
export { createStakeMetrics } from './metrics.ts'
export type { StakeLogger, StakeMetrics } from './metrics.ts'
export { StakeOracle } from './oracle.ts'
export type { StakeLookup } from './oracle.ts'
export type { OperatorStake, StakeSnapshot } from './read.ts'
export { BindingRegistry } from './registry.ts'
export type { AcceptResult } from './registry.ts'
