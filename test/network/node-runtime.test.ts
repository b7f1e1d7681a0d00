// The runtime of node processes: the stripped-TypeScript cache (node/cli/ts-cache.mjs) and the
// flags that `prover-mesh node start` runs with (node/cli/node-flags.mjs).
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { stripTypeScriptTypes } from 'node:module'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { NODE_PROCESS_FLAGS, hasNodeProcessFlags } from '../../node/cli/node-flags.mjs'
import { strippedSource, warmTsCache } from '../../node/cli/ts-cache.mjs'
import { tempDir } from './helpers.ts'

const REGISTER = fileURLToPath(new URL('../../node/cli/ts-cache-register.mjs', import.meta.url))
const BIN = fileURLToPath(new URL('../../node/cli/bin.mjs', import.meta.url))

/** Runs `entry` with the cache hook installed and the cache in `cacheDir`. */
function runWithCache(entry: string, cacheDir: string) {
  const run = spawnSync(process.execPath, ['--import', REGISTER, entry], {
    encoding: 'utf8',
    env: { ...process.env, PROVER_MESH_TS_CACHE: cacheDir },
  })
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }
}

describe('node runtime: the stripped-TypeScript cache', function () {
  let dir: string
  beforeEach(async function () {
    dir = await tempDir('pm-ts-cache-')
  })

  it("stores Node's own stripped output once and serves it from the cache", async function () {
    const cache = join(dir, 'cache')
    const source = 'const answer: number = 42\nexport { answer }\n'
    const js = strippedSource(source, cache)
    assert.equal(js, stripTypeScriptTypes(source, { mode: 'strip' }))
    const files = await readdir(cache)
    assert.equal(files.length, 1)
    // A second call reads the entry: a changed entry is what it returns.
    await writeFile(join(cache, files[0] as string), 'export const answer = "from the cache"\n')
    assert.equal(strippedSource(source, cache), 'export const answer = "from the cache"\n')
    // An edited source is another entry, never a stale hit.
    assert.match(strippedSource(source.replace('42', '43'), cache), /43/)
    assert.equal((await readdir(cache)).length, 2)
  })

  it('rejects syntax that cannot be stripped, as Node does, and caches nothing for it', async function () {
    const cache = join(dir, 'cache')
    assert.throws(() => strippedSource('enum Colour { Red }\n', cache), {
      code: 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
    })
    assert.equal(existsSync(cache) ? (await readdir(cache)).length : 0, 0)
  })

  it('a process with the hook runs its modules from the cache, and an edit reaches it', async function () {
    const cache = join(dir, 'cache')
    const entry = join(dir, 'entry.ts')
    const dep = join(dir, 'dep.ts')
    await writeFile(
      entry,
      "import { value } from './dep.ts'\nconst shown: string = value\nconsole.log(shown)\n",
    )
    await writeFile(dep, "export const value: string = 'first'\n")
    let run = runWithCache(entry, cache)
    assert.equal(run.status, 0, run.stderr)
    assert.equal(run.stdout, 'first')
    assert.equal((await readdir(cache)).length, 2, 'one entry per module')
    assert.doesNotMatch(run.stderr, /ExperimentalWarning/)

    // Proof that the modules come from the cache: rewrite the dependency's entry in place.
    for (const file of await readdir(cache)) {
      const text = await readFile(join(cache, file), 'utf8')
      if (text.includes("'first'")) await writeFile(join(cache, file), "export const value = 'cached'\n")
    }
    run = runWithCache(entry, cache)
    assert.equal(run.stdout, 'cached')

    await writeFile(dep, "export const value: string = 'second'\n")
    run = runWithCache(entry, cache)
    assert.equal(run.stdout, 'second')
  })

  it('falls back to Node’s own stripping when the cache cannot be written', async function () {
    const notADir = join(dir, 'file')
    await writeFile(notADir, 'not a directory')
    const entry = join(dir, 'entry.ts')
    await writeFile(entry, 'const n: number = 7\nconsole.log(n * 6)\n')
    const run = runWithCache(entry, join(notADir, 'cache'))
    assert.equal(run.status, 0, run.stderr)
    assert.equal(run.stdout, '42')
  })

  it('warmTsCache strips every project file it finds into the cache', async function () {
    const root = join(dir, 'project')
    const cache = join(dir, 'cache')
    await writeFile(join(dir, 'ignored.ts'), 'export const x: number = 1\n')
    await mkdir(join(root, 'node', 'sub'), { recursive: true })
    await mkdir(join(root, 'protocol'), { recursive: true })
    await writeFile(join(root, 'node', 'a.ts'), 'export const a: number = 1\n')
    await writeFile(join(root, 'node', 'sub', 'b.ts'), 'export const b: number = 2\n')
    await writeFile(join(root, 'node', 'types.d.ts'), 'export type T = number\n')
    await writeFile(join(root, 'protocol', 'c.ts'), 'export const c: number = 3\n')
    await writeFile(join(root, 'protocol', 'bad.ts'), 'enum E { A }\n')
    assert.equal(warmTsCache(root, cache), 3)
    assert.equal((await readdir(cache)).length, 3)
  })
})

describe('node runtime: `prover-mesh node start` flags', function () {
  it('knows whether a process runs with the node flags', function () {
    assert.equal(hasNodeProcessFlags([...NODE_PROCESS_FLAGS]), true)
    assert.equal(hasNodeProcessFlags(['--max-semi-space-size=1']), false)
    assert.ok(NODE_PROCESS_FLAGS.includes('--max-semi-space-size=1'))
  })

  it('re-executes itself in place with the node flags', async function () {
    if (!existsSync('/proc/self/cmdline')) this.skip()
    const dir = await tempDir('pm-node-flags-')
    const args = ['node', 'start', '--data-dir', dir, '--network', 'flagtest', '--tcp-port', '0']
    args.push('--ws-port', 'off', '--http-port', 'off', '--log-level', 'warn')
    const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await new Promise<string>((resolve, reject) => {
        createInterface({ input: proc.stdout as NodeJS.ReadableStream }).once('line', resolve)
        proc.once('exit', (code) => reject(new Error(`node exited with ${code} before starting`)))
      })
      // The same pid (execve, no wrapper process) now runs with every flag.
      const cmdline = (await readFile(`/proc/${proc.pid}/cmdline`, 'utf8')).split('\0')
      for (const flag of NODE_PROCESS_FLAGS) assert.ok(cmdline.includes(flag), `missing ${flag}`)
      assert.equal(cmdline.filter((arg) => arg === BIN).length, 1)
    } finally {
      proc.kill('SIGTERM')
      await new Promise((resolve) => proc.once('exit', resolve))
    }
  })
})
