// The names of the stake presets (stake/config.ts), without the presets: the node's config parser
// needs only the names, and config.ts would otherwise load viem in every node.
export const STAKE_PRESET_NAMES = ['local', 'hoodi', 'mainnet'] as const

export type StakePresetName = (typeof STAKE_PRESET_NAMES)[number]
