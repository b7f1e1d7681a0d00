// Regenerates protocol/generated/ from protocol/schema/messages.proto (`npm run protocol:gen`).
// protons emits TypeScript namespaces, which Node's type stripping cannot run, so its output is
// compiled to JS + .d.ts here; the .d.ts is loosened from Uint8Array<ArrayBuffer> to Uint8Array so
// callers can pass any byte view.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string) => `${root}node_modules/.bin/${name}`
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' })

mkdirSync(`${root}.cache/protocol-gen`, { recursive: true })
run(bin('protons'), ['--strict', '--output', '.cache/protocol-gen', 'protocol/schema/messages.proto'])
run(bin('tsc'), ['-p', 'protocol/schema/tsconfig.codegen.json'])
const dts = `${root}protocol/generated/messages.d.ts`
writeFileSync(dts, readFileSync(dts, 'utf8').replaceAll('Uint8Array<ArrayBuffer>', 'Uint8Array'))
run(bin('prettier'), ['--write', 'protocol/generated'])
