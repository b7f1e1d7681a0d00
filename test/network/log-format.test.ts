// The readable log form: `logFormat: pretty` for a node, `prover-mesh logs` for JSON log files.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { writeFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { prettyLogLine } from '../../node/log-format.ts'
import { CLI_MAIN, runCli } from '../helpers/cli.ts'
import { tempDir } from './helpers.ts'

const line = (over: Record<string, unknown>) =>
  JSON.stringify({
    level: 30,
    time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    app: 'prover-mesh',
    msg: 'hello',
    ...over,
  })

describe('readable logs', function () {
  it('formats time, level, node, component, message and the other fields; passes non-JSON through', () => {
    const peerId = '12D3KooWDYFaAaWFgLaT8jkDKkgYNsxF3QzsVp5pYkMvqFvLgz2t'
    assert.equal(
      prettyLogLine(
        line({ peerId, component: 'gateway', msg: 'task accepted', taskId: 'ab12', created: true }),
      ),
      '03:04:05.678 INFO  […vLgz2t] gateway: task accepted taskId=ab12 created=true',
    )
    assert.equal(
      prettyLogLine(line({ level: 50, msg: 'write failed', err: 'disk full', addrs: ['/ip4/1'] })),
      '03:04:05.678 ERROR write failed err="disk full" addrs=["/ip4/1"]',
    )
    assert.equal(prettyLogLine('not json {'), 'not json {')
    assert.equal(prettyLogLine('[1,2]'), '[1,2]')
  })

  it('prover-mesh logs reads files and standard input', async () => {
    const dir = await tempDir()
    try {
      const file = join(dir, 'node.log')
      await writeFile(file, `${line({ msg: 'from a file' })}\nplain text\n`)
      const fromFile = await runCli(['logs', file])
      assert.equal(fromFile.code, 0, fromFile.stderr)
      assert.equal(fromFile.stdout, '03:04:05.678 INFO  from a file\nplain text\n')
      const missing = await runCli(['logs', join(dir, 'nope.log')])
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /cannot read .*nope\.log: ENOENT/)

      const child = spawn(process.execPath, [CLI_MAIN, 'logs'], { stdio: ['pipe', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stdin.end(`${line({ level: 40, msg: 'from stdin', n: 3 })}\n`)
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      assert.equal(code, 0)
      assert.equal(out, '03:04:05.678 WARN  from stdin n=3\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a node started with --log-format pretty logs readable lines; a bad format names the key', async () => {
    const dir = await tempDir()
    try {
      const child = spawn(
        process.execPath,
        [
          CLI_MAIN,
          'node',
          'start',
          '--data-dir',
          dir,
          '--tcp-port',
          '0',
          '--ws-port',
          'off',
          '--http-port',
          'off',
        ].concat(['--log-format', 'pretty']),
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let err = ''
      const started = new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString()
          if (/node started/.test(err)) resolve()
        }),
      )
      await started
      child.kill('SIGTERM')
      await new Promise((resolve) => child.on('exit', resolve))
      assert.match(err, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[…\w{6}\] created a new identity created=true$/m)
      assert.doesNotMatch(err, /"level"/)
      const bad = await runCli(['node', 'start', '--data-dir', dir, '--log-format', 'fancy'])
      assert.equal(bad.code, 2)
      assert.match(
        bad.stderr,
        /config logFormat \(from command line\): expected one of json, pretty, got "fancy"/,
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
