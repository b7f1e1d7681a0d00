// The node's persistent Ed25519 identity: a protobuf-encoded private key in a 0600 file. A key file
// that group or others can read is refused rather than silently used, since it is the node's identity.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export class IdentityError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IdentityError'
  }
}

export async function loadOrCreateIdentity(path: string): Promise<{ key: PrivateKey; created: boolean }> {
  let mode: number | undefined
  try {
    mode = (await stat(path)).mode
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (mode === undefined) {
    const key = await generateKeyPair('Ed25519')
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    // 'wx' fails if another process created the file meanwhile, instead of overwriting its identity.
    await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
    return { key, created: true }
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0')
    throw new IdentityError(`key file ${path} has mode ${octal}: others can read it. Run: chmod 600 ${path}`)
  }
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(await readFile(path))
  } catch (error) {
    throw new IdentityError(`key file ${path} is not a libp2p private key: ${(error as Error).message}`)
  }
  if (key.type !== 'Ed25519')
    throw new IdentityError(`key file ${path} holds a ${key.type} key; Ed25519 is required`)
  return { key, created: false }
}
