/** Types of ts-cache.mjs (plain JavaScript, so that bin.mjs can load it on any Node). */
export declare function tsCacheDir(): string
export declare function strippedSource(source: string, dir?: string): string
export declare function registerTsCache(): void
export declare function warmTsCache(root?: string, dir?: string): number
