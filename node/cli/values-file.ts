// Reads a file of u32 values: decimal integers separated by whitespace, commas or newlines
// (a JSON array also parses). Errors name the file, line and offending text.
import { readFile } from 'node:fs/promises'
import { CliError } from './errors.ts'

export async function readValuesFile(path: string): Promise<Uint32Array> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CliError(`cannot read values file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
  const values: number[] = []
  const lines = text.split('\n')
  for (let line = 0; line < lines.length; line++) {
    const content = lines[line]!.replace(/[[\]]/g, ' ')
    for (const token of content.split(/[\s,]+/)) {
      if (token === '') continue
      const value = /^\d{1,10}$/.test(token) ? Number(token) : NaN
      if (!(value <= 0xffffffff))
        throw new CliError(`${path}:${line + 1}: '${token}' is not an unsigned 32-bit integer`)
      values.push(value)
    }
  }
  if (values.length === 0) throw new CliError(`${path}: no values found`)
  return Uint32Array.from(values)
}
