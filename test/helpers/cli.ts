// Runs the prover-mesh CLI as a child process (the real entry point, this Node) and collects its output.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI_MAIN = fileURLToPath(new URL('../../node/cli/main.ts', import.meta.url))

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], entry = CLI_MAIN): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    p.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}
