// `node --import ./node/cli/ts-cache-register.mjs entry.ts`: serves this project's TypeScript from the
// stripped-source cache (ts-cache.mjs) for everything the process loads, its entry module included.
import { registerTsCache } from './ts-cache.mjs'

registerTsCache()
