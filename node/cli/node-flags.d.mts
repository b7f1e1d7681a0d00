/** Types of node-flags.mjs (plain JavaScript, so that bin.mjs can load it on any Node). */
export declare const NODE_PROCESS_FLAGS: readonly string[]
export declare function hasNodeProcessFlags(execArgv?: readonly string[]): boolean
